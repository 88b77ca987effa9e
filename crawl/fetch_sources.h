/* `crawl fetch --source LIST` with an archive in LIST: one loop drives the
 * live engine (fetch_engine.c) and the archive engine (archive_engine.c),
 * feeding each URL to its first source and a failed URL to the next one.
 * With --cc-lookup, the captures `crawl cc-lookup` found for each URL line
 * are attached as the line is read (the lookup files are sorted by line, so
 * they are streamed alongside the URL file). */
#ifndef CRAWL_FETCH_SOURCES_H
#define CRAWL_FETCH_SOURCES_H

#include <signal.h>
#include <stdint.h>

#include "crawl/archive_engine.h"
#include "crawl/fetch_engine.h"
#include "progress.h"
#include "stream.h"

/* "live,cc,wayback" -> o->sources; -1 with err for an unknown or repeated name. */
int fetch_sources_parse(const char *list, fetch_opts *o, wt_error *err);

/* The --cc-lookup files of one URL file, merged by line. */
typedef struct fetch_lookup {
    wt_reader **r;
    size_t n;
    uint64_t *line; /* each file's pending entry: its URL line (0: none left) */
    char **json;    /* and its capture */
    uint64_t entries;
} fetch_lookup;

/* Opens the files; each must be a lookup of the URL file named `input` (base name). */
int fetch_lookup_open(fetch_lookup *l, const char **paths, size_t n, const char *input,
                      wt_error *err);
/* Attaches the captures of job->index to job->captures. */
int fetch_lookup_attach(fetch_lookup *l, fetch_job *job, wt_error *err);
void fetch_lookup_close(fetch_lookup *l);

/* The loop: until the source is exhausted and every job finished (0), an
 * error (-1) or *stop (1). live is NULL when LIST has no `live`. */
int fetch_sources_run(const fetch_opts *o, fetch_output *out, fetch_engine *live,
                      archive_engine *arch, fetch_lookup *lookup, fetch_next_fn next, void *ctx,
                      volatile sig_atomic_t *stop, wt_progress *progress, wt_error *err);

#endif
