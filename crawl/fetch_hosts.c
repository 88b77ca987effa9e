/* Host table, politeness heap and idle LRU of `crawl fetch` (see
 * fetch_hosts.h). The table is a chained hash (FNV-1a) that doubles when the
 * load passes 1. */
#include "crawl/fetch_hosts.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t fnv1a(const char *s) {
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

int fetch_hosts_init(fetch_hosts *hs, size_t max_idle) {
    memset(hs, 0, sizeof *hs);
    hs->n_buckets = 1024;
    hs->buckets = calloc(hs->n_buckets, sizeof *hs->buckets);
    hs->max_idle = max_idle ? max_idle : 1;
    return hs->buckets ? 0 : -1;
}

static void host_free(fetch_host *h) {
    fetch_job *j = h->qhead;
    while (j) {
        fetch_job *next = j->next;
        fetch_job_free(j);
        j = next;
    }
    fetch_robots_free(h->robots);
    free(h->fail_detail);
    free(h->key);
    free(h);
}

void fetch_hosts_free(fetch_hosts *hs) {
    for (size_t i = 0; i < hs->n_buckets; i++)
        for (fetch_host *h = hs->buckets[i], *next; h; h = next) next = h->chain, host_free(h);
    free(hs->buckets);
    free(hs->heap);
    memset(hs, 0, sizeof *hs);
}

static void rehash(fetch_hosts *hs) {
    size_t n = hs->n_buckets * 2;
    fetch_host **b = calloc(n, sizeof *b);
    if (!b) return; /* keep the old table: slower, still correct */
    for (size_t i = 0; i < hs->n_buckets; i++)
        for (fetch_host *h = hs->buckets[i], *next; h; h = next) {
            next = h->chain;
            size_t k = fnv1a(h->key) & (n - 1);
            h->chain = b[k];
            b[k] = h;
        }
    free(hs->buckets);
    hs->buckets = b, hs->n_buckets = n;
}

fetch_host *fetch_hosts_get(fetch_hosts *hs, const char *key) {
    size_t k = fnv1a(key) & (hs->n_buckets - 1);
    for (fetch_host *h = hs->buckets[k]; h; h = h->chain)
        if (!strcmp(h->key, key)) return h;
    fetch_host *h = calloc(1, sizeof *h);
    if (!h || !(h->key = strdup(key))) {
        free(h);
        return NULL;
    }
    h->fail_reason = -1;
    h->chain = hs->buckets[k];
    hs->buckets[k] = h;
    if (++hs->count > hs->n_buckets) rehash(hs);
    return h;
}

void fetch_host_enqueue(fetch_host *h, fetch_job *job, bool front) {
    if (front) {
        job->next = h->qhead;
        h->qhead = job;
        if (!h->qtail) h->qtail = job;
    } else {
        job->next = NULL;
        if (h->qtail)
            h->qtail->next = job;
        else
            h->qhead = job;
        h->qtail = job;
    }
    h->queued++;
}

fetch_job *fetch_host_dequeue(fetch_host *h) {
    fetch_job *j = h->qhead;
    if (!j) return NULL;
    h->qhead = j->next;
    if (!h->qhead) h->qtail = NULL;
    j->next = NULL;
    h->queued--;
    return j;
}

static void heap_swap(fetch_heap_item *a, fetch_heap_item *b) {
    fetch_heap_item t = *a;
    *a = *b, *b = t;
}

int fetch_hosts_schedule(fetch_hosts *hs, fetch_host *h, double t) {
    if (h->in_heap) return 0;
    if (hs->heap_len == hs->heap_cap) {
        size_t cap = hs->heap_cap ? hs->heap_cap * 2 : 256;
        fetch_heap_item *p = realloc(hs->heap, cap * sizeof *p);
        if (!p) return -1;
        hs->heap = p, hs->heap_cap = cap;
    }
    size_t i = hs->heap_len++;
    hs->heap[i] = (fetch_heap_item){t, h};
    while (i > 0 && hs->heap[(i - 1) / 2].t > hs->heap[i].t) {
        heap_swap(&hs->heap[(i - 1) / 2], &hs->heap[i]);
        i = (i - 1) / 2;
    }
    h->in_heap = true;
    fetch_hosts_touch(hs, h);
    return 0;
}

fetch_host *fetch_hosts_pop(fetch_hosts *hs, double now) {
    if (hs->heap_len == 0 || hs->heap[0].t > now) return NULL;
    fetch_host *h = hs->heap[0].h;
    hs->heap[0] = hs->heap[--hs->heap_len];
    for (size_t i = 0;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < hs->heap_len && hs->heap[l].t < hs->heap[m].t) m = l;
        if (r < hs->heap_len && hs->heap[r].t < hs->heap[m].t) m = r;
        if (m == i) break;
        heap_swap(&hs->heap[i], &hs->heap[m]);
        i = m;
    }
    h->in_heap = false;
    return h;
}

double fetch_hosts_next(const fetch_hosts *hs) {
    return hs->heap_len ? hs->heap[0].t : 1e300;
}

static void idle_unlink(fetch_hosts *hs, fetch_host *h) {
    if (h->idle_prev)
        h->idle_prev->idle_next = h->idle_next;
    else
        hs->idle_head = h->idle_next;
    if (h->idle_next)
        h->idle_next->idle_prev = h->idle_prev;
    else
        hs->idle_tail = h->idle_prev;
    h->idle_prev = h->idle_next = NULL;
    h->on_idle = false;
    hs->n_idle--;
}

static void table_remove(fetch_hosts *hs, fetch_host *h) {
    size_t k = fnv1a(h->key) & (hs->n_buckets - 1);
    for (fetch_host **p = &hs->buckets[k]; *p; p = &(*p)->chain)
        if (*p == h) {
            *p = h->chain;
            hs->count--;
            return;
        }
}

void fetch_hosts_touch(fetch_hosts *hs, fetch_host *h) {
    bool idle =
        h->queued == 0 && h->active == 0 && !h->in_heap && h->robots_state != ROBOTS_FETCHING;
    if (h->on_idle) idle_unlink(hs, h);
    if (!idle) return;
    h->on_idle = true;
    h->idle_prev = hs->idle_tail;
    if (hs->idle_tail)
        hs->idle_tail->idle_next = h;
    else
        hs->idle_head = h;
    hs->idle_tail = h;
    hs->n_idle++;
    while (hs->n_idle > hs->max_idle && hs->idle_head != h) {
        fetch_host *old = hs->idle_head;
        idle_unlink(hs, old);
        table_remove(hs, old);
        host_free(old);
    }
}
