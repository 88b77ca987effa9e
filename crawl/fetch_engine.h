/* The fetch loop of `crawl fetch`: one thread driving libcurl's multi
 * interface. Jobs stream in from a callback into per-host queues (a bounded
 * window of them in memory); the loop fetches robots.txt once per host,
 * keeps the global and per-host limits and delays, follows redirects itself
 * (each hop re-checked against robots.txt and the address policy), retries
 * 429/5xx/timeouts/resets with backoff, and hands every job to fetch_output
 * as a response or a logged failure. */
#ifndef CRAWL_FETCH_ENGINE_H
#define CRAWL_FETCH_ENGINE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "crawl/fetch.h"
#include "crawl/fetch_output.h"
#include "error.h"
#include "progress.h"

typedef struct fetch_engine fetch_engine;

/* The job source: 1 with *job (ownership passes), 0 at the end, -1 on error. */
typedef int (*fetch_next_fn)(void *ctx, fetch_job **job, wt_error *err);

typedef struct fetch_counts {
    uint64_t requests, robots_fetches, retries, redirects, done;
} fetch_counts;

fetch_engine *fetch_engine_new(const fetch_opts *opts, fetch_output *out, wt_error *err);
/* Runs until the source is exhausted and every job is finished (0), an
 * error (-1), or *stop becomes non-zero (1: unfinished jobs are dropped,
 * a rerun fetches them). */
int fetch_engine_run(fetch_engine *e, fetch_next_fn next, void *ctx, volatile sig_atomic_t *stop,
                     wt_progress *progress, wt_error *err);
/* For --source with archives, the loop is fetch_sources.c's: */
/* A failed job with a later source is handed to pass (ownership passes). */
typedef int (*fetch_pass_fn)(void *ctx, fetch_job *job, wt_error *err);
void fetch_engine_set_pass(fetch_engine *e, fetch_pass_fn pass, void *ctx);
int fetch_engine_submit(fetch_engine *e, fetch_job *job, wt_error *err); /* takes job */
int fetch_engine_step(fetch_engine *e, wt_error *err); /* starts and completes, no waiting */
void fetch_engine_wait(fetch_engine *e, int ms);       /* waits up to ms for work */
size_t fetch_engine_jobs(const fetch_engine *e);       /* jobs held */
const fetch_counts *fetch_engine_counts(const fetch_engine *e);
void fetch_engine_free(fetch_engine *e);

#endif
