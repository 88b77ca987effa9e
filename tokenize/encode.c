/* Encoding text to ids: invalid UTF-8 replaced by U+FFFD, the pre-tokenizer
 * splits, then each piece is one token (looked up whole, as tiktoken does),
 * a cached result, or merged by bpe.c. */
#include <stdlib.h>

#include "tokenize/bpe.h"
#include "tokenize/pretok.h"
#include "tokenize/unicode_class.h"
#include "tokenize/vocab_internal.h"

/* Cache of merged pieces: open addressing, cleared when full. */
#define CACHE_SLOTS (1u << 17)
#define CACHE_MAX_PIECE 64
#define CACHE_ARENA (1u << 23)

typedef struct cache_slot {
    uint64_t hash;
    uint32_t off;    /* into arena: the piece's bytes, then its ids (aligned) */
    uint16_t nbytes; /* 0: empty */
    uint16_t nids;
} cache_slot;

struct tok_encoder {
    const tok_vocab *v;
    tok_bpe_scratch bpe;
    cache_slot *slots;
    uint8_t *arena;
    size_t arena_used, cache_used;
    tok_bytes clean; /* the text with invalid UTF-8 replaced */
};

tok_encoder *tok_encoder_new(const tok_vocab *v) {
    tok_encoder *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    e->v = v;
    e->slots = calloc(CACHE_SLOTS, sizeof *e->slots);
    e->arena = malloc(CACHE_ARENA);
    if (!e->slots || !e->arena) {
        tok_encoder_free(e);
        return NULL;
    }
    return e;
}

void tok_encoder_free(tok_encoder *e) {
    if (!e) return;
    tok_bpe_scratch_free(&e->bpe);
    free(e->slots), free(e->arena);
    tok_bytes_free(&e->clean);
    free(e);
}

static const cache_slot *cache_get(const tok_encoder *e, const uint8_t *p, size_t n, uint64_t h) {
    for (size_t i = h & (CACHE_SLOTS - 1);; i = (i + 1) & (CACHE_SLOTS - 1)) {
        const cache_slot *s = &e->slots[i];
        if (s->nbytes == 0) return NULL;
        if (s->hash == h && s->nbytes == n && tok_bytes_eq(e->arena + s->off, p, n)) return s;
    }
}

static void cache_put(tok_encoder *e, const uint8_t *p, size_t n, uint64_t h, const uint32_t *ids,
                      size_t nids) {
    size_t need = ((n + 3) & ~(size_t)3) + nids * 4;
    if (e->cache_used >= CACHE_SLOTS / 2 || e->arena_used + need > CACHE_ARENA) {
        memset(e->slots, 0, CACHE_SLOTS * sizeof *e->slots);
        e->cache_used = e->arena_used = 0;
    }
    size_t i = h & (CACHE_SLOTS - 1);
    while (e->slots[i].nbytes) i = (i + 1) & (CACHE_SLOTS - 1);
    cache_slot *s = &e->slots[i];
    s->hash = h, s->off = (uint32_t)e->arena_used, s->nbytes = (uint16_t)n;
    s->nids = (uint16_t)nids;
    memcpy(e->arena + s->off, p, n);
    memcpy(e->arena + s->off + ((n + 3) & ~(size_t)3), ids, nids * 4);
    e->arena_used += need;
    e->cache_used++;
}

/* Appends the ids of one piece; out has room for n more ids (a piece of n
 * bytes never gives more than n tokens). */
static int encode_piece(tok_encoder *e, const uint8_t *p, size_t n, tok_ids *out) {
    const tok_vocab *v = e->v;
    if (n == 1) {
        out->v[out->n++] = v->byte_id[p[0]];
        return 0;
    }
    uint64_t h = tok_hash_bytes(p, n);
    uint32_t id = tok_vocab_find_h(v, p, n, h);
    if (id != UINT32_MAX) {
        out->v[out->n++] = id;
        return 0;
    }
    if (n > CACHE_MAX_PIECE) return tok_bpe_piece(v, &e->bpe, p, n, out);
    const cache_slot *s = cache_get(e, p, n, h);
    if (s) {
        memcpy(out->v + out->n, e->arena + s->off + ((n + 3) & ~(size_t)3), s->nids * 4u);
        out->n += s->nids;
        return 0;
    }
    size_t before = out->n;
    if (tok_bpe_piece(v, &e->bpe, p, n, out)) return -1;
    cache_put(e, p, n, h, out->v + before, out->n - before);
    return 0;
}

static int append_clean(void *ctx, const void *p, size_t n) {
    return tok_bytes_append(ctx, p, n);
}

/* Copies text into e->clean with each maximal invalid UTF-8 subpart replaced
 * by U+FFFD, as tiktoken's decoder does; returns the number of replacements
 * (0: e->clean untouched; -1: out of memory). */
static long clean_utf8(tok_encoder *e, const uint8_t *s, size_t n) {
    if (wt_utf8_valid_prefix(s, n) == n) return 0;
    e->clean.n = 0;
    return wt_utf8_clean(s, n, WT_UTF8_PER_SUBPART, append_clean, &e->clean);
}

long tok_encode(tok_encoder *e, const char *text, size_t len, tok_ids *out, wt_error *err) {
    const uint8_t *s = (const uint8_t *)text;
    long bad = clean_utf8(e, s, len);
    if (bad < 0) return wt_fail(err, "out of memory");
    if (bad > 0) s = (const uint8_t *)e->clean.p, len = e->clean.n;
    for (size_t i = 0; i < len;) {
        size_t n = tok_pretok_next(s, len, i);
        if (out->cap - out->n < n && tok_ids_reserve(out, n)) return wt_fail(err, "out of memory");
        if (encode_piece(e, s + i, n, out)) return wt_fail(err, "out of memory");
        i += n;
    }
    return bad;
}

/* Class of the character that ends just before q (cp in *cp), or -1 when
 * the bytes there are not one valid character. */
static int class_before(const uint8_t *s, size_t q, uint32_t *cp) {
    size_t p = q;
    while (p > 0 && q - p < 4 && (s[p - 1] & 0xc0) == 0x80) p--;
    if (p == 0) return -1;
    p--;
    if (tok_utf8_decode(s, q, p, cp) != q - p) return -1;
    return tok_uclass(*cp);
}

size_t tok_safe_cut(const char *text, size_t len) {
    /* q is a piece boundary when the character before it is a letter, number
     * or other (not an apostrophe, which may start a contraction, and not
     * whitespace, whose pieces depend on what follows) and the character at q
     * has another class: the earlier piece ends there whatever comes later. */
    const uint8_t *s = (const uint8_t *)text;
    size_t lo = len > (1u << 16) ? len - (1u << 16) : 1;
    for (size_t q = len - (len > 0); q >= lo && q > 0; q--) {
        if ((s[q] & 0xc0) == 0x80) continue;
        uint32_t a = 0, b = 0;
        if (tok_utf8_decode(s, len, q, &b) == 0) continue;
        int ka = class_before(s, q, &a);
        if (ka < 0 || ka == TOK_C_SPACE || a == '\'') continue;
        if (ka != tok_uclass(b)) return q;
    }
    return 0;
}
