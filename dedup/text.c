/* Text normalisation (see text.h): an ASCII fast path with a byte table, and
 * utf8proc (NFC + case fold, Unicode categories) for everything else. */
#include "text.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include <xxhash.h>

static int buf_reserve(dedup_buf *b, size_t extra) {
    if (b->len + extra <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra) cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) return -1;
    b->data = p;
    b->cap = cap;
    return 0;
}

static int words_push(dedup_words *w, uint64_t h) {
    if (w->len == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 1024;
        uint64_t *p = realloc(w->hash, cap * sizeof *p);
        if (!p) return -1;
        w->hash = p;
        w->cap = cap;
    }
    w->hash[w->len++] = h;
    return 0;
}

void dedup_buf_free(dedup_buf *b) {
    free(b->data);
    *b = (dedup_buf){0};
}

void dedup_words_free(dedup_words *w) {
    free(w->hash);
    *w = (dedup_words){0};
}

static bool ascii_space(unsigned char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static bool is_ascii(const char *s, size_t n) {
    unsigned char acc = 0;
    for (size_t i = 0; i < n; i++) acc |= (unsigned char)s[i];
    return acc < 0x80;
}

/* Lowercases ASCII letters and collapses ASCII whitespace; other bytes kept. */
static int normalize_bytes(const char *s, size_t n, dedup_buf *out) {
    if (buf_reserve(out, n + 1) < 0) return -1;
    char *d = out->data;
    size_t k = 0;
    bool pending_space = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (ascii_space(c)) {
            pending_space = k > 0;
            continue;
        }
        if (pending_space) d[k++] = ' ', pending_space = false;
        d[k++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    out->len = k;
    d[k] = '\0';
    return 0;
}

static bool unicode_space(utf8proc_int32_t cp) {
    if (cp < 0x80) return ascii_space((unsigned char)cp);
    if (cp == 0x85) return true;
    utf8proc_category_t cat = utf8proc_category(cp);
    return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
           cat == UTF8PROC_CATEGORY_ZP;
}

int dedup_text_normalize(const char *s, size_t n, dedup_buf *out) {
    out->len = 0;
    if (is_ascii(s, n)) return normalize_bytes(s, n, out);
    utf8proc_uint8_t *mapped = NULL;
    utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &mapped,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
    if (m < 0) return normalize_bytes(s, n, out); /* invalid UTF-8 */
    if (buf_reserve(out, (size_t)m + 1) < 0) {
        free(mapped);
        return -1;
    }
    char *d = out->data;
    size_t k = 0;
    bool pending_space = false;
    for (utf8proc_ssize_t i = 0; i < m;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t len = utf8proc_iterate(mapped + i, m - i, &cp);
        if (len <= 0) len = 1, cp = 0xFFFD;
        if (unicode_space(cp)) {
            pending_space = k > 0;
        } else {
            if (pending_space) d[k++] = ' ', pending_space = false;
            memcpy(d + k, mapped + i, (size_t)len);
            k += (size_t)len;
        }
        i += len;
    }
    free(mapped);
    out->len = k;
    d[k] = '\0';
    return 0;
}

static bool ascii_word_char(unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool unicode_word_char(utf8proc_int32_t cp) {
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return true;
    default:
        return false;
    }
}

int dedup_text_words(const char *s, size_t n, dedup_words *out) {
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        /* skip separators */
        size_t start = i;
        while (i < n) {
            if (u[i] < 0x80) {
                if (ascii_word_char(u[i])) break;
                i++;
                continue;
            }
            utf8proc_int32_t cp;
            utf8proc_ssize_t len = utf8proc_iterate(u + i, (utf8proc_ssize_t)(n - i), &cp);
            if (len <= 0) {
                i++;
                continue;
            }
            if (unicode_word_char(cp)) break;
            i += (size_t)len;
        }
        start = i;
        while (i < n) {
            if (u[i] < 0x80) {
                if (!ascii_word_char(u[i])) break;
                i++;
                continue;
            }
            utf8proc_int32_t cp;
            utf8proc_ssize_t len = utf8proc_iterate(u + i, (utf8proc_ssize_t)(n - i), &cp);
            if (len <= 0 || !unicode_word_char(cp)) break;
            i += (size_t)len;
        }
        if (i > start && words_push(out, XXH3_64bits(u + start, i - start)) < 0) return -1;
    }
    return 0;
}

uint64_t dedup_ngram_hash64(const uint64_t *words, size_t n) {
    return XXH3_64bits(words, n * sizeof *words);
}
