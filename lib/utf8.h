/* UTF-8, one routine for the whole project: decode one code point (strict:
 * no overlongs, no surrogates, nothing above U+10FFFF), validate, encode, and
 * copy with invalid sequences replaced by U+FFFD under a chosen policy. The
 * decoder is inline because the tokenizer and the JSON scanner call it per
 * character. */
#ifndef WT_UTF8_H
#define WT_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes the code point at s[0..n) (n >= 1): returns its length (1-4) and
 * sets *cp, or returns 0 when the bytes there are not valid UTF-8 (or are cut
 * at n) and sets *bad to the length of the maximal invalid subpart (the lead
 * byte plus the continuation bytes that could still have made a valid
 * sequence: Unicode's "best practice" for U+FFFD substitution, at least 1). */
static inline size_t wt_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp, size_t *bad) {
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v;
    unsigned lo = 0x80, hi = 0xbf; /* allowed range of the second byte */
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2, v = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3, v = c & 0x0f;
        if (c == 0xe0) lo = 0xa0; /* overlong */
        if (c == 0xed) hi = 0x9f; /* surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4, v = c & 0x07;
        if (c == 0xf0) lo = 0x90; /* overlong */
        if (c == 0xf4) hi = 0x8f; /* above U+10FFFF */
    } else {
        *bad = 1;
        return 0;
    }
    size_t k = 1;
    for (; k < len && k < n; k++) {
        unsigned b = s[k];
        if (k == 1 ? (b < lo || b > hi) : (b & 0xc0) != 0x80) break;
        v = (v << 6) | (b & 0x3f);
    }
    if (k < len) {
        *bad = k;
        return 0;
    }
    *cp = v;
    return len;
}

/* The length of the longest valid UTF-8 prefix of s (n when all is valid). */
size_t wt_utf8_valid_prefix(const unsigned char *s, size_t n);

/* Writes cp (at most U+10FFFF) as UTF-8 into out (room for 4); returns its length. */
size_t wt_utf8_encode(uint32_t cp, unsigned char out[4]);

/* How wt_utf8_clean replaces what is not valid UTF-8 (flags). */
enum {
    WT_UTF8_PER_SUBPART =
        0,                /* one U+FFFD per maximal invalid subpart (Unicode, WHATWG, tiktoken) */
    WT_UTF8_PER_BYTE = 1, /* one U+FFFD per invalid byte */
    WT_UTF8_DROP_NUL = 2, /* NUL bytes are dropped (and counted) */
};

/* Where wt_utf8_clean writes: returns 0, or -1 to stop (e.g. out of memory). */
typedef int (*wt_utf8_sink)(void *ctx, const void *p, size_t n);

/* Writes s with every invalid sequence replaced by U+FFFD (under `flags`) to
 * put(ctx, ...), in runs; returns the number of replaced (or dropped)
 * sequences, or -1 when the sink failed. */
long wt_utf8_clean(const unsigned char *s, size_t n, int flags, wt_utf8_sink put, void *ctx);

#endif
