/* Fuzz target: one page through extract's library path. The first byte picks
 * the entry: a WARC response block (HTTP parsing, chunking, gzip/br, charset)
 * or raw HTML; the text produced must be valid UTF-8 within the byte cap. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extract/page.h"

/* True when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
static int utf8_valid(const unsigned char *s, size_t n) {
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        size_t k = c < 0x80                 ? 0
                   : c >= 0xC2 && c <= 0xDF ? 1
                   : c >= 0xE0 && c <= 0xEF ? 2
                   : c >= 0xF0 && c <= 0xF4 ? 3
                                            : 9;
        if (k == 9 || k >= n - i) return 0;
        for (size_t j = 1; j <= k; j++)
            if ((s[i + j] & 0xC0) != 0x80) return 0;
        if (k == 2 && ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] > 0x9F))) return 0;
        if (k == 3 && ((c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] > 0x8F))) return 0;
        i += k + 1;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static ex_worker w;
    static int ready;
    if (!ready) {
        wt_error err;
        if (ex_worker_init(&w, &err) != 0) abort();
        ready = 1;
    }
    if (size < 1) return 0;
    ex_opts o;
    ex_opts_default(&o);
    o.keep_all = true;
    o.max_html = 1 << 16;
    o.max_depth = 200;
    o.max_chars = 4096;
    o.min_words = 5;
    ex_result res;
    memset(&res, 0, sizeof res);
    /* an exact-size copy, no NUL after it: ASan sees any read past the block */
    unsigned char *page = malloc(size - 1 ? size - 1 : 1);
    if (!page) return 0;
    memcpy(page, data + 1, size - 1);
    int rc = (data[0] & 1) ? ex_page_from_http(&w, &o, page, size - 1, &res)
                           : ex_page_from_html(&w, &o, page, size - 1,
                                               (data[0] & 2) ? "windows-1252" : NULL, &res);
    free(page);
    if (rc < 0) return 0; /* out of memory */
    if (res.drop >= EX_N_REASONS) abort();
    if (res.drop == EX_KEEP || res.drop >= EX_DROP_EMPTY) {
        const ex_buf *t = &w.content.text;
        if (t->len > o.max_chars + 4) abort();
        if (t->len && !utf8_valid((const unsigned char *)t->p, t->len)) abort();
    }
    return 0;
}
