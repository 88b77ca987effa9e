/* The wanted fields of a Pushshift line (see urls_scan.h): lib's scanner
 * validates the line and locates them; this turns each into a json_t for
 * crawl_post_classify. */
#include "crawl/urls_scan.h"

#include <stdlib.h>
#include <string.h>

#include "jscan.h"

#define SCAN_MAX_WANTED 16

const char *const crawl_scan_keys[] = {
    "created_utc", "id", "is_self", "over_18", "permalink", "score", "subreddit", "url", NULL};

/* The json_t of a scanned field: as jansson would decode it. */
static json_t *field_value(const wt_jscan_field *f) {
    switch (f->type) {
    case WT_JSCAN_STRING:
        return json_stringn_nocheck(f->str, f->len); /* validated UTF-8 */
    case WT_JSCAN_NUMBER: {
        char tmp[64], *num = f->len < sizeof tmp ? tmp : malloc(f->len + 1);
        if (!num) return NULL;
        memcpy(num, f->str, f->len);
        num[f->len] = '\0';
        json_t *v = f->real ? json_real(strtod(num, NULL)) : json_integer(strtoll(num, NULL, 10));
        if (num != tmp) free(num);
        return v;
    }
    case WT_JSCAN_TRUE:
        return json_true();
    case WT_JSCAN_FALSE:
        return json_false();
    case WT_JSCAN_NULL:
        return json_null();
    default: /* a container (rare in the wanted keys): jansson builds it */
        return json_loadb(f->str, f->len, JSON_ALLOW_NUL, NULL);
    }
}

json_t *crawl_scan_fields(const char *line, size_t len, const char *const *keys) {
    wt_jscan_field f[SCAN_MAX_WANTED];
    size_t n = 0;
    for (; keys[n] && n < SCAN_MAX_WANTED; n++) f[n] = (wt_jscan_field){.key = keys[n]};
    wt_jscan_buf buf = {0};
    wt_error err;
    json_t *obj = NULL;
    if (wt_jscan_object(line, len, f, n, &buf, &err) < 0) goto out;
    obj = json_object();
    for (size_t i = 0; obj && i < n; i++) {
        if (f[i].type == WT_JSCAN_NONE) continue;
        json_t *v = field_value(&f[i]);
        if (!v || json_object_set_new(obj, keys[i], v) < 0) {
            json_decref(obj);
            obj = NULL;
        }
    }
out:
    wt_jscan_buf_free(&buf);
    return obj;
}
