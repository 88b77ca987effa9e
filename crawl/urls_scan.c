/* The wanted fields of a Pushshift line (see urls_scan.h). */
#include "crawl/urls_scan.h"

static const char *const keys[CRAWL_NFIELDS] = {"created_utc", "id",    "is_self",   "over_18",
                                                "permalink",   "score", "subreddit", "url"};

int crawl_scan_fields(const char *line, size_t len, wt_jscan_field *f, wt_jscan_buf *buf,
                      wt_error *err) {
    for (size_t i = 0; i < CRAWL_NFIELDS; i++) f[i] = (wt_jscan_field){.key = keys[i]};
    return wt_jscan_object(line, len, f, CRAWL_NFIELDS, buf, err);
}
