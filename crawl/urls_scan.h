/* The fast path for Pushshift lines: lib's validating scanner (jscan.h)
 * extracts only the few top-level fields `crawl urls` reads (a submission
 * has ~60 keys; building them all was 80% of the run time) into an object. */
#ifndef CRAWL_URLS_SCAN_H
#define CRAWL_URLS_SCAN_H

#include <jansson.h>
#include <stddef.h>

/* The top-level keys crawl_post_classify reads. */
extern const char *const crawl_scan_keys[];

/* Returns a new object holding those of `keys` (NULL-terminated, at most 16)
 * that the line's top-level object has, with the values jansson would give;
 * or NULL when the line is not a valid JSON object (the caller then asks
 * wt_json_parse for the message) or memory ran out. Whitespace around the
 * object is allowed, as in wt_json_parse. */
json_t *crawl_scan_fields(const char *line, size_t len, const char *const *keys);

#endif
