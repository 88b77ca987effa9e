/* The GPT-2 pre-tokenizer as hand-written code: the regex's alternatives are
 * tried in order at each position, with the character classes taken from the
 * generated Unicode table and a shortcut for ASCII. */
#include "tokenize/pretok.h"

#include "tokenize/unicode_class.h"

/* Class and length of the character at s[i]; an invalid byte is "other". */
static inline int class_at(const uint8_t *s, size_t n, size_t i, size_t *clen) {
    uint32_t cp;
    if (s[i] < 0x80) {
        *clen = 1;
        return tok_uclass(s[i]);
    }
    size_t l = tok_utf8_decode(s, n, i, &cp);
    if (l == 0) {
        *clen = 1;
        return TOK_C_OTHER;
    }
    *clen = l;
    return tok_uclass(cp);
}

/* End of the run of characters of class k that starts at i; ASCII bytes
 * take a shortcut through the first row of the table. */
static size_t run_end(const uint8_t *s, size_t n, size_t i, int k) {
    const uint8_t *ascii = tok_uclass_stage2[tok_uclass_stage1[0]];
    size_t clen;
    while (i < n) {
        if (s[i] < 0x80) {
            if (ascii[s[i]] != k) break;
            i++;
        } else {
            if (class_at(s, n, i, &clen) != k) break;
            i += clen;
        }
    }
    return i;
}

static size_t contraction(const uint8_t *s, size_t n, size_t i) {
    if (i + 1 >= n) return 0;
    uint8_t d = s[i + 1];
    if (d == 's' || d == 't' || d == 'm' || d == 'd') return 2;
    if (i + 2 >= n) return 0;
    uint8_t e = s[i + 2];
    if ((d == 'r' && e == 'e') || (d == 'v' && e == 'e') || (d == 'l' && e == 'l')) return 3;
    return 0;
}

/* \s+(?!\S) then \s+: the whitespace run at i, less its last character when
 * a non-space follows and the run has two or more characters. */
static size_t space_piece(const uint8_t *s, size_t n, size_t i) {
    size_t j = i, last = i, clen;
    while (j < n && class_at(s, n, j, &clen) == TOK_C_SPACE) last = j, j += clen;
    if (j == n || last == i) return j - i;
    return last - i;
}

size_t tok_pretok_next(const uint8_t *s, size_t n, size_t i) {
    if (i >= n) return 0;
    size_t clen;
    if (s[i] == '\'') {
        size_t c = contraction(s, n, i);
        if (c) return c;
    }
    size_t p = i;
    if (s[i] == ' ' && i + 1 < n) p = i + 1; /* " ?" before a letter, number or other */
    int k = class_at(s, n, p, &clen);
    if (k == TOK_C_SPACE) return space_piece(s, n, i);
    return run_end(s, n, p + clen, k) - i;
}
