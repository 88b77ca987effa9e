/* Thread pool with parallel-for (see pool.h). Workers sleep on a condition
 * variable between loops; each loop hands out chunks via an atomic counter. */
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

struct wt_pool {
    int nthreads; /* including the caller */
    pthread_t *threads;
    pthread_mutex_t mu;
    pthread_cond_t start_cv, done_cv;
    uint64_t generation; /* bumped for each loop */
    int running;         /* workers still busy in the current loop */
    bool quit;
    /* the current loop */
    size_t n, chunk;
    atomic_size_t next;
    wt_pool_fn fn;
    void *ctx;
};

typedef struct {
    wt_pool *pool;
    int index;
} pool_worker_arg;

static void pool_work(wt_pool *p, int worker) {
    for (;;) {
        size_t begin = atomic_fetch_add(&p->next, p->chunk);
        if (begin >= p->n) return;
        size_t end = begin + p->chunk < p->n ? begin + p->chunk : p->n;
        for (size_t i = begin; i < end; i++) p->fn(p->ctx, i, worker);
    }
}

static void *pool_thread(void *arg) {
    pool_worker_arg *a = arg;
    wt_pool *p = a->pool;
    int index = a->index;
    free(a);
    uint64_t seen = 0;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->quit && p->generation == seen) pthread_cond_wait(&p->start_cv, &p->mu);
        if (p->quit) break;
        seen = p->generation;
        pthread_mutex_unlock(&p->mu);
        pool_work(p, index);
        pthread_mutex_lock(&p->mu);
        if (--p->running == 0) pthread_cond_signal(&p->done_cv);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

wt_pool *wt_pool_create(int nthreads) {
    wt_pool *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->nthreads = nthreads < 1 ? 1 : nthreads;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->start_cv, NULL);
    pthread_cond_init(&p->done_cv, NULL);
    if (p->nthreads > 1) {
        p->threads = calloc((size_t)p->nthreads - 1, sizeof *p->threads);
        if (!p->threads) {
            free(p);
            return NULL;
        }
    }
    for (int i = 1; i < p->nthreads; i++) {
        pool_worker_arg *a = malloc(sizeof *a);
        if (a) *a = (pool_worker_arg){p, i};
        if (!a || pthread_create(&p->threads[i - 1], NULL, pool_thread, a) != 0) {
            free(a);
            p->nthreads = i; /* run with the threads we got */
            break;
        }
    }
    return p;
}

int wt_pool_threads(const wt_pool *p) {
    return p->nthreads;
}

void wt_pool_for(wt_pool *p, size_t n, size_t chunk, wt_pool_fn fn, void *ctx) {
    if (n == 0) return;
    if (chunk == 0) {
        chunk = n / ((size_t)p->nthreads * 8);
        if (chunk < 1) chunk = 1;
    }
    if (p->nthreads == 1) {
        for (size_t i = 0; i < n; i++) fn(ctx, i, 0);
        return;
    }
    pthread_mutex_lock(&p->mu);
    p->n = n;
    p->chunk = chunk;
    atomic_store(&p->next, 0);
    p->fn = fn;
    p->ctx = ctx;
    p->running = p->nthreads - 1;
    p->generation++;
    pthread_cond_broadcast(&p->start_cv);
    pthread_mutex_unlock(&p->mu);
    pool_work(p, 0);
    pthread_mutex_lock(&p->mu);
    while (p->running > 0) pthread_cond_wait(&p->done_cv, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

void wt_pool_destroy(wt_pool *p) {
    if (!p) return;
    pthread_mutex_lock(&p->mu);
    p->quit = true;
    pthread_cond_broadcast(&p->start_cv);
    pthread_mutex_unlock(&p->mu);
    for (int i = 1; i < p->nthreads; i++) pthread_join(p->threads[i - 1], NULL);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->start_cv);
    pthread_cond_destroy(&p->done_cv);
    free(p->threads);
    free(p);
}
