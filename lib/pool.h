/* A fixed pool of worker threads running parallel-for loops. Work is handed
 * out in chunks from an atomic counter, so uneven items balance themselves;
 * results that must keep input order are written by index by the caller. */
#ifndef WT_POOL_H
#define WT_POOL_H

#include <stddef.h>

typedef struct wt_pool wt_pool;

/* fn(ctx, i, worker) is called once for every i in [0, n); worker is the
 * calling thread's index in [0, nthreads) for per-thread scratch space. */
typedef void (*wt_pool_fn)(void *ctx, size_t i, int worker);

/* nthreads <= 1 runs everything on the calling thread. */
wt_pool *wt_pool_create(int nthreads);
int wt_pool_threads(const wt_pool *p);
/* Runs the loop on every worker (the caller is worker 0) and returns when
 * all items are done. `chunk` items are taken at a time (0: automatic). */
void wt_pool_for(wt_pool *p, size_t n, size_t chunk, wt_pool_fn fn, void *ctx);
void wt_pool_destroy(wt_pool *p);

#endif
