/* The GPT-2 pre-tokenizer: splits text into the pieces that the regex
 *   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
 * finds (leftmost alternative first, as tiktoken's regex engine). Private. */
#ifndef TOK_PRETOK_H
#define TOK_PRETOK_H

#include <stddef.h>
#include <stdint.h>

#include "utf8.h"

/* Length in bytes of the piece starting at byte i of s[0..n) (0 when i >= n).
 * s should be valid UTF-8; an invalid byte counts as one "other" character. */
size_t tok_pretok_next(const uint8_t *s, size_t n, size_t i);

/* Decodes the code point at s[i] (i < n) into *cp and returns its length in
 * bytes, or 0 when the bytes there are not valid UTF-8 (or cut at n). */
static inline size_t tok_utf8_decode(const uint8_t *s, size_t n, size_t i, uint32_t *cp) {
    size_t bad;
    return wt_utf8_decode(s + i, n - i, cp, &bad);
}

#endif
