/* The fast path for Pushshift lines: lib's validating scanner (jscan.h)
 * locates only the few top-level fields `crawl urls` reads (a submission has
 * ~60 keys; building them all was 80% of the run time), and
 * crawl_post_classify reads them in place, with no JSON tree. */
#ifndef CRAWL_URLS_SCAN_H
#define CRAWL_URLS_SCAN_H

#include <stddef.h>

#include "error.h"
#include "jscan.h"

/* The top-level fields crawl_post_classify reads, by index. */
enum {
    CRAWL_F_CREATED_UTC,
    CRAWL_F_ID,
    CRAWL_F_IS_SELF,
    CRAWL_F_OVER_18,
    CRAWL_F_PERMALINK,
    CRAWL_F_SCORE,
    CRAWL_F_SUBREDDIT,
    CRAWL_F_URL,
    CRAWL_NFIELDS
};

/* Scans one line into f (CRAWL_NFIELDS entries; strings may point into buf,
 * which must outlive them). Returns 0, or -1 with err set when the line is
 * not a valid JSON object (wt_json_parse would reject it too) or memory ran
 * out. Whitespace around the object is allowed, as in wt_json_parse. */
int crawl_scan_fields(const char *line, size_t len, wt_jscan_field *f, wt_jscan_buf *buf,
                      wt_error *err);

#endif
