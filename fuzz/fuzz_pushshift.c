/* Fuzz target: one Pushshift line through `crawl urls`'s record path: the fast
 * field scanner (checked against jansson: same accept/reject, same values) and
 * the per-post rules; a kept post's URL must be a normalisation fixed point. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crawl/urls_post.h"
#include "crawl/urls_scan.h"
#include "jsonl.h"

static const char *const keys[CRAWL_NFIELDS] = {"created_utc", "id",    "is_self",   "over_18",
                                                "permalink",   "score", "subreddit", "url"};

/* Every scanned field must read as jansson's tree reads through jsonl.h. */
static void scan_check(const wt_jscan_field *f, const json_t *full) {
    if (!json_is_object(full)) abort();
    for (size_t i = 0; i < CRAWL_NFIELDS; i++) {
        const char *k = keys[i];
        if ((json_object_get(full, k) == NULL) != (f[i].type == WT_JSCAN_NONE)) abort();
        if (wt_json_int(full, k, -7) != wt_jscan_int(&f[i], -7)) abort();
        if (wt_json_bool(full, k, true) != wt_jscan_bool(&f[i], true)) abort();
        const char *cs = wt_json_str(full, k, NULL);
        ptrdiff_t cl = wt_jscan_cstrlen(&f[i]);
        if (!cs != (cl < 0) || (cs && (size_t)cl != strlen(cs))) abort();
        if (cs && memcmp(cs, f[i].str, (size_t)cl)) abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static crawl_list domains, exts;
    static int lists_ready;
    if (!lists_ready) {
        wt_error e;
        if (crawl_list_parse_domains(&domains, crawl_default_domains, "default", &e) ||
            crawl_list_parse_extensions(&exts, crawl_default_extensions, "default", &e))
            abort();
        lists_ready = 1;
    }
    const char *line = (const char *)data;
    wt_jscan_field f[CRAWL_NFIELDS];
    wt_jscan_buf buf = {0};
    wt_error err;
    bool fast = crawl_scan_fields(line, size, f, &buf, &err) == 0;
    json_t *full = wt_json_parse(line, size, &err);
    if (fast) {
        if (!full) abort(); /* the scanner accepted what jansson rejects */
        scan_check(f, full);
    } else if (full && json_is_object(full)) {
        abort(); /* the scanner rejected a valid object */
    }
    crawl_select sel = {
        .after = 1136073600, .before = 1512086400, .domains = &domains, .extensions = &exts};
    if (fast) {
        crawl_post *p = malloc(sizeof *p);
        crawl_post_verdict v = crawl_post_classify(f, &sel, p);
        if (v == CRAWL_POST_KEEP) {
            char again[WT_URL_MAX + 1];
            if (wt_url_normalize(p->url, strlen(p->url), again) != WT_URL_OK ||
                strcmp(again, p->url))
                abort();
        }
        if (v == CRAWL_POST_MALFORMED && !p->reason) abort();
        free(p);
    }
    wt_jscan_buf_free(&buf);
    json_decref(full);
    return 0;
}
