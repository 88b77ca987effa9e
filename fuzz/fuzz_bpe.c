/* Fuzz target: the GPT-2 BPE encoder (vocabulary from $WEBTEXT_VOCAB or the
 * default folder; skipped when absent). Round trip: decode(encode(x)) == x
 * for valid UTF-8; for invalid UTF-8 it equals x with each maximal invalid
 * subpart replaced by U+FFFD, and the count of replacements matches. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tokenize/tokenizer.h"

/* Length of the valid UTF-8 sequence at s[0..n), or 0 when invalid; *sub gets
 * the length of the maximal invalid subpart (Unicode 3.9 "best practice"). */
static size_t utf8_seq(const unsigned char *s, size_t n, size_t *sub) {
    unsigned c = s[0];
    size_t k;
    unsigned lo = 0x80, hi = 0xBF;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF)
        k = 1;
    else if (c >= 0xE0 && c <= 0xEF) {
        k = 2;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        k = 3;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        *sub = 1;
        return 0;
    }
    size_t j = 1;
    for (; j <= k && j < n; j++) {
        unsigned b = s[j];
        if (j == 1 ? (b < lo || b > hi) : (b & 0xC0) != 0x80) break;
    }
    if (j == k + 1) return k + 1;
    *sub = j;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static tok_vocab *v;
    static tok_encoder *e;
    static int tried;
    if (!tried) {
        tried = 1;
        wt_error err;
        v = tok_vocab_load(NULL, &err);
        if (v)
            e = tok_encoder_new(v);
        else
            fprintf(stderr, "fuzz_bpe: %s: every input is skipped\n", err.msg);
    }
    if (!e) return 0;
    /* the expected decoding: valid sequences kept, invalid subparts -> U+FFFD */
    char *want = malloc(size * 3 + 1);
    size_t wn = 0;
    long subs = 0;
    for (size_t i = 0; i < size;) {
        size_t sub = 0, k = utf8_seq(data + i, size - i, &sub);
        if (k) {
            memcpy(want + wn, data + i, k);
            wn += k, i += k;
        } else {
            memcpy(want + wn, "\xEF\xBF\xBD", 3);
            wn += 3, i += sub, subs++;
        }
    }
    tok_ids ids = {0};
    tok_bytes out = {0};
    wt_error err;
    long r = tok_encode(e, (const char *)data, size, &ids, &err);
    if (r < 0) abort();
    if (r != subs) abort();
    if (tok_decode(v, ids.v, ids.n, &out, &err) != 0) abort();
    if (out.n != wn || (wn && memcmp(out.p, want, wn))) abort();
    /* a safe cut splits the ids exactly */
    size_t cut = tok_safe_cut((const char *)data, size);
    if (cut > size) abort();
    if (subs == 0 && cut > 0 && cut < size) {
        tok_ids a = {0};
        if (tok_encode(e, (const char *)data, cut, &a, &err) < 0 ||
            tok_encode(e, (const char *)data + cut, size - cut, &a, &err) < 0)
            abort();
        if (a.n != ids.n || memcmp(a.v, ids.v, a.n * sizeof *a.v)) abort();
        tok_ids_free(&a);
    }
    tok_ids_free(&ids);
    tok_bytes_free(&out);
    free(want);
    return 0;
}
