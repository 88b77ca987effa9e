/* Fuzz target: one Pushshift line through `crawl urls`'s record path: the fast
 * field scanner (checked against jansson: same accept/reject, same values) and
 * the per-post rules; a kept post's URL must be a normalisation fixed point. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crawl/urls_post.h"
#include "crawl/urls_scan.h"
#include "jsonl.h"

/* The scanner must agree with jansson on every key it extracts. */
static void scan_check(const json_t *fast, const json_t *full) {
    if (!json_is_object(full)) abort();
    for (size_t i = 0; crawl_scan_keys[i]; i++) {
        json_t *a = json_object_get(fast, crawl_scan_keys[i]);
        json_t *b = json_object_get(full, crawl_scan_keys[i]);
        if ((a == NULL) != (b == NULL) || (a && !json_equal(a, b))) abort();
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
    json_t *fast = crawl_scan_fields(line, size, crawl_scan_keys);
    wt_error err;
    json_t *full = wt_json_parse(line, size, &err);
    if (fast) {
        if (!full) abort(); /* the scanner accepted what jansson rejects */
        scan_check(fast, full);
    } else if (full && json_is_object(full)) {
        abort(); /* the scanner rejected a valid object */
    }
    crawl_select sel = {
        .after = 1136073600, .before = 1512086400, .domains = &domains, .extensions = &exts};
    const json_t *obj = fast ? fast : full;
    if (obj && json_is_object(obj)) {
        crawl_post *p = malloc(sizeof *p);
        crawl_post_verdict v = crawl_post_classify(obj, &sel, p);
        if (v == CRAWL_POST_KEEP) {
            char again[WT_URL_MAX + 1];
            if (wt_url_normalize(p->url, strlen(p->url), again) != WT_URL_OK ||
                strcmp(again, p->url))
                abort();
        }
        if (v == CRAWL_POST_MALFORMED && !p->reason) abort();
        free(p);
    }
    json_decref(fast);
    json_decref(full);
    return 0;
}
