/* A fast path for Pushshift lines: validates one JSON line as strictly as
 * jansson does, but builds only the few top-level fields `crawl urls` reads
 * (a submission has ~60 keys; building them all was 80% of the run time). */
#ifndef CRAWL_URLS_SCAN_H
#define CRAWL_URLS_SCAN_H

#include <jansson.h>
#include <stddef.h>

/* The top-level keys crawl_post_classify reads. */
extern const char *const crawl_scan_keys[];

/* Returns a new object holding those of `keys` (NULL-terminated) that the
 * line's top-level object has, each value decoded by jansson; or NULL when the
 * line is not a valid JSON object (the caller then asks wt_json_parse for the
 * message). Trailing whitespace is allowed, as in wt_json_parse. */
json_t *crawl_scan_fields(const char *line, size_t len, const char *const *keys);

#endif
