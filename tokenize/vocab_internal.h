/* The loaded vocabulary's tables, shared by vocab.c, bpe.c and encode.c:
 * id -> bytes, bytes -> id, and the merge table (left id, right id) -> the
 * merged token and its rank. Private to tokenize/. */
#ifndef TOK_VOCAB_INTERNAL_H
#define TOK_VOCAB_INTERNAL_H

#include <stdint.h>
#include <string.h>

#include "tokenize/tokenizer.h"

#define TOK_NO_RANK UINT32_MAX
#define TOK_NO_PAIR UINT64_MAX /* a pair that merges into nothing, as rank << 32 | id */

typedef struct tok_pair {
    uint64_t key;  /* left id << 32 | right id; UINT64_MAX when the slot is empty */
    uint32_t rank; /* merge rank of the merged token (lower merges first) */
    uint32_t id;   /* the merged token */
} tok_pair;

struct tok_vocab {
    uint32_t n;     /* ids, e.g. 50257 */
    uint32_t eot;   /* e.g. 50256 */
    char *bytes;    /* all token bytes back to back */
    uint32_t *off;  /* n + 1 offsets into bytes */
    uint32_t *rank; /* id -> merge rank; bytes 0..255 by id; TOK_NO_RANK for specials */
    uint32_t byte_id[256];
    uint64_t *tab; /* bytes -> hash tag << 32 | (id + 1), 0 empty; ordinary tokens only */
    size_t tab_mask;
    tok_pair *pairs; /* open addressing, pair_mask + 1 slots */
    size_t pair_mask;
    uint64_t
        *byte_pair; /* (65536): merge of bytes (a << 8 | b) as rank << 32 | id, or TOK_NO_PAIR */
};

/* 64-bit hash of a short byte string (a multiply-mix over 8-byte words). */
static inline uint64_t tok_hash_bytes(const uint8_t *p, size_t n) {
    uint64_t h = 0x9e3779b97f4a7c15ull ^ (n * 0xff51afd7ed558ccdull);
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
        h ^= h >> 31;
        p += 8, n -= 8;
    }
    if (n) {
        uint64_t w = 0;
        memcpy(&w, p, n);
        h = (h ^ w) * 0x94d049bb133111ebull;
    }
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ull;
    return h ^ (h >> 32);
}

static inline uint64_t tok_hash_u64(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    return x ^ (x >> 33);
}

/* a[0..n) == b[0..n), with word loads for the short strings tokens are. */
static inline int tok_bytes_eq(const void *a, const void *b, size_t n) {
    const uint8_t *x = a, *y = b;
    if (n >= 8 && n <= 16) {
        uint64_t x0, y0, x1, y1;
        memcpy(&x0, x, 8), memcpy(&y0, y, 8), memcpy(&x1, x + n - 8, 8), memcpy(&y1, y + n - 8, 8);
        return x0 == y0 && x1 == y1;
    }
    if (n >= 4 && n < 8) {
        uint32_t x0, y0, x1, y1;
        memcpy(&x0, x, 4), memcpy(&y0, y, 4), memcpy(&x1, x + n - 4, 4), memcpy(&y1, y + n - 4, 4);
        return x0 == y0 && x1 == y1;
    }
    if (n < 4) {
        for (size_t i = 0; i < n; i++)
            if (x[i] != y[i]) return 0;
        return 1;
    }
    return memcmp(x, y, n) == 0;
}

/* The id of an ordinary token with these bytes, or UINT32_MAX. Entries keep
 * the hash's high half as a tag, so a miss rarely compares bytes. */
static inline uint32_t tok_vocab_find_h(const tok_vocab *v, const uint8_t *p, size_t n,
                                        uint64_t h) {
    uint32_t tag = (uint32_t)(h >> 32);
    for (size_t i = h & v->tab_mask;; i = (i + 1) & v->tab_mask) {
        uint64_t e = v->tab[i];
        if (e == 0) return UINT32_MAX;
        if ((uint32_t)(e >> 32) != tag) continue;
        uint32_t id = (uint32_t)e - 1, len = v->off[id + 1] - v->off[id];
        if (len == n && tok_bytes_eq(v->bytes + v->off[id], p, n)) return id;
    }
}

static inline uint32_t tok_vocab_find(const tok_vocab *v, const uint8_t *p, size_t n) {
    return tok_vocab_find_h(v, p, n, tok_hash_bytes(p, n));
}

/* The merge of (a, b), or NULL when a's and b's bytes together are no token. */
static inline const tok_pair *tok_vocab_pair(const tok_vocab *v, uint32_t a, uint32_t b) {
    uint64_t key = (uint64_t)a << 32 | b;
    size_t i = tok_hash_u64(key) & v->pair_mask;
    for (;; i = (i + 1) & v->pair_mask) {
        const tok_pair *e = &v->pairs[i];
        if (e->key == key) return e;
        if (e->key == UINT64_MAX) return NULL;
    }
}

#endif
