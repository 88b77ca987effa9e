/* The GPT-2 pre-tokenizer: splits text into the pieces that the regex
 *   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
 * finds (leftmost alternative first, as tiktoken's regex engine). Private. */
#ifndef TOK_PRETOK_H
#define TOK_PRETOK_H

#include <stddef.h>
#include <stdint.h>

/* Length in bytes of the piece starting at byte i of s[0..n) (0 when i >= n).
 * s should be valid UTF-8; an invalid byte counts as one "other" character. */
size_t tok_pretok_next(const uint8_t *s, size_t n, size_t i);

/* Decodes the code point at s[i] (i < n) into *cp and returns its length in
 * bytes, or 0 when the bytes there are not valid UTF-8 (or cut at n). */
static inline size_t tok_utf8_decode(const uint8_t *s, size_t n, size_t i, uint32_t *cp) {
    uint8_t c = s[i];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v, lo = 0x80, hi = 0xbf; /* allowed range of the second byte */
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2, v = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3, v = c & 0x0f;
        if (c == 0xe0) lo = 0xa0;
        if (c == 0xed) hi = 0x9f; /* no surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4, v = c & 0x07;
        if (c == 0xf0) lo = 0x90;
        if (c == 0xf4) hi = 0x8f;
    } else {
        return 0;
    }
    if (i + len > n) return 0;
    if (s[i + 1] < lo || s[i + 1] > hi) return 0;
    v = (v << 6) | (s[i + 1] & 0x3f);
    for (size_t k = 2; k < len; k++) {
        if ((s[i + k] & 0xc0) != 0x80) return 0;
        v = (v << 6) | (s[i + k] & 0x3f);
    }
    *cp = v;
    return len;
}

#endif
