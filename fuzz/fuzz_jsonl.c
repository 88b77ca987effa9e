/* Fuzz target: one JSON Lines record through the parser and every
 * drift-tolerant accessor the stages use, then re-serialised. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    wt_error err;
    json_t *o = wt_json_parse((const char *)data, size, &err);
    if (!o) return 0;
    (void)wt_json_int(o, "score", 0);
    (void)wt_json_num(o, "created_utc", 0);
    (void)wt_json_bool(o, "over_18", false);
    (void)wt_json_str(o, "url", NULL);
    size_t n;
    (void)wt_json_strn(o, "text", &n);
    char *s = json_dumps(o, JSON_COMPACT);
    if (s) {
        json_t *back = wt_json_parse(s, strlen(s), &err);
        if (!back || !json_equal(o, back)) abort(); /* serialising must round-trip */
        json_decref(back);
        free(s);
    }
    json_decref(o);
    return 0;
}
