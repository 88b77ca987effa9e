/* The archive side of `crawl fetch --source`: pages from Common Crawl (the
 * index server's CDX API, or --cc-lookup files, then a byte range of a
 * WARC.gz on the data server) and the Wayback Machine (CDX API, then the raw
 * `id_` capture). One libcurl multi handle, driven from the fetch loop's
 * thread; a request rate per service, 429/5xx retried with Retry-After or
 * backoff, redirect captures followed inside the archive. A URL that no
 * source serves moves on to the next source in --source (see fetch_sources.c)
 * or is logged. Archive endpoints are given by option and trusted: the
 * private-address rules of the live fetch do not apply to them. */
#ifndef CRAWL_ARCHIVE_ENGINE_H
#define CRAWL_ARCHIVE_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "crawl/fetch.h"
#include "crawl/fetch_output.h"
#include "error.h"

typedef struct archive_engine archive_engine;

/* A job an archive could not serve, for the next source (ownership passes):
 * 0, or -1 on a fatal error. */
typedef int (*archive_pass_fn)(void *ctx, fetch_job *job, wt_error *err);

typedef struct archive_counts {
    uint64_t cc_index, cc_data, wayback; /* requests made to each service */
    uint64_t retries, redirects;         /* retried requests; redirect captures followed */
    uint64_t rejected_ranges;            /* range answers that failed the checks */
} archive_counts;

/* pass: where a job goes when its source fails and a later source is live
 * (NULL: never). Fetches collinfo.json when crawls are chosen by date. */
archive_engine *archive_engine_new(const fetch_opts *o, fetch_output *out, archive_pass_fn pass,
                                   void *pass_ctx, wt_error *err);
void archive_engine_set_pass(archive_engine *e, archive_pass_fn pass, void *ctx);
/* Takes a job whose current source (job->src) is an archive. */
int archive_engine_submit(archive_engine *e, fetch_job *job, wt_error *err);
/* Starts and completes what it can without waiting; 0 or -1. */
int archive_engine_step(archive_engine *e, wt_error *err);
/* Waits up to ms for network activity or a timer. */
void archive_engine_wait(archive_engine *e, int ms);
size_t archive_engine_jobs(const archive_engine *e); /* jobs held */
const archive_counts *archive_engine_counts(const archive_engine *e);
void archive_engine_free(archive_engine *e);

/* Source failure: records it in job->trail and moves job->src on. Returns
 * true when another source remains (job->source is then that source). */
bool fetch_job_next_source(fetch_job *job, const fetch_opts *o, fetch_reason r, long status,
                           const char *detail);

#endif
