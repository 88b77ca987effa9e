/* The URL file of `crawl fetch`, streamed: JSON Lines objects from `crawl
 * urls` (any compression; `url` required, every field carried into the
 * metadata record) or plain text, one URL per line. Lines finished by an
 * earlier run (the journal) are skipped without parsing. */
#ifndef CRAWL_FETCH_INPUT_H
#define CRAWL_FETCH_INPUT_H

#include <stdint.h>

#include "crawl/fetch.h"
#include "crawl/fetch_output.h"
#include "error.h"
#include "stream.h"

typedef struct fetch_input {
    wt_reader *r;
    wt_badrec bad;           /* lines without a URL */
    const fetch_output *out; /* for the done set */
    uint64_t lines, skipped; /* lines read, lines skipped as already done */
} fetch_input;

int fetch_input_open(fetch_input *in, const char *path, const fetch_output *out, bool strict,
                     wt_error *err);
/* A fetch_next_fn: the next job not yet done. */
int fetch_input_next(void *ctx, fetch_job **job, wt_error *err);
void fetch_input_close(fetch_input *in);

#endif
