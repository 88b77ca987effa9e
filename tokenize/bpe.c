/* BPE merging in two shapes with the same result: a flat array for short
 * pieces (an O(n^2) scan that is fastest for words), and a linked list with
 * a binary heap of candidate pairs for long pieces, O(n log n), so that a
 * megabyte of one letter takes milliseconds, not hours. */
#include <stdlib.h>

#include "tokenize/bpe.h"

static uint32_t pair_rank(const tok_vocab *v, uint32_t a, uint32_t b) {
    const tok_pair *e = tok_vocab_pair(v, a, b);
    return e ? e->rank : TOK_NO_RANK;
}

/* The merge of (a, b) as rank << 32 | id, or TOK_NO_PAIR. */
static uint64_t pair_merge(const tok_vocab *v, uint32_t a, uint32_t b) {
    const tok_pair *e = tok_vocab_pair(v, a, b);
    return e ? (uint64_t)e->rank << 32 | e->id : TOK_NO_PAIR;
}

static int reserve(tok_bpe_scratch *s, size_t n) {
    if (n <= s->cap) return 0;
    size_t cap = n < 256 ? 256 : n;
    uint32_t *a = realloc(s->tok, cap * sizeof *a);
    if (a) s->tok = a;
    uint64_t *b = realloc(s->pair, cap * sizeof *b);
    if (b) s->pair = b;
    uint32_t *c = realloc(s->next, cap * sizeof *c);
    if (c) s->next = c;
    uint32_t *d = realloc(s->prev, cap * sizeof *d);
    if (d) s->prev = d;
    if (!a || !b || !c || !d) return -1;
    s->cap = cap;
    return 0;
}

static int merge_flat(const tok_vocab *v, tok_bpe_scratch *s, const uint8_t *p, size_t n,
                      tok_ids *out) {
    /* pair[i]: the merge of (tok[i], tok[i+1]) as rank << 32 | id, so the
     * smallest value is the lowest rank and the first smallest the leftmost */
    uint32_t *tok = s->tok;
    uint64_t *pair = s->pair;
    for (size_t i = 0; i < n; i++) tok[i] = v->byte_id[p[i]];
    for (size_t i = 0; i + 1 < n; i++) pair[i] = v->byte_pair[p[i] << 8 | p[i + 1]];
    size_t m = n;
    while (m > 1) {
        size_t best = 0;
        for (size_t i = 1; i + 1 < m; i++)
            if (pair[i] < pair[best]) best = i;
        if (pair[best] == TOK_NO_PAIR) break;
        tok[best] = (uint32_t)pair[best];
        for (size_t i = best + 1; i + 1 < m; i++) tok[i] = tok[i + 1], pair[i] = pair[i + 1];
        m--;
        if (best > 0) pair[best - 1] = pair_merge(v, tok[best - 1], tok[best]);
        if (best + 1 < m) pair[best] = pair_merge(v, tok[best], tok[best + 1]);
    }
    if (tok_ids_reserve(out, m)) return -1;
    for (size_t i = 0; i < m; i++) out->v[out->n++] = tok[i];
    return 0;
}

/* Min-heap of uint64 keys (rank << 32 | start), so ties go to the leftmost. */
static void heap_push(uint64_t *h, size_t *n, uint64_t key) {
    size_t i = (*n)++;
    while (i > 0 && h[(i - 1) / 2] > key) h[i] = h[(i - 1) / 2], i = (i - 1) / 2;
    h[i] = key;
}

static uint64_t heap_pop(uint64_t *h, size_t *n) {
    uint64_t top = h[0], last = h[--*n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= *n) break;
        if (c + 1 < *n && h[c + 1] < h[c]) c++;
        if (h[c] >= last) break;
        h[i] = h[c], i = c;
    }
    h[i] = last;
    return top;
}

#define NONE UINT32_MAX

static int merge_heap(const tok_vocab *v, tok_bpe_scratch *s, const uint8_t *p, size_t n,
                      tok_ids *out) {
    /* parts are named by their first byte: tok[i], next[i], prev[i] valid while
     * tok[i] != NONE. Every adjacent pair that forms a token has a heap entry;
     * entries made stale by a merge are recognised by re-checking the rank. */
    if (n > s->heap_cap) {
        uint64_t *h = realloc(s->heap, n * sizeof *h);
        if (!h) return -1;
        s->heap = h, s->heap_cap = n;
    }
    uint32_t *tok = s->tok, *next = s->next, *prev = s->prev;
    uint64_t *heap = s->heap;
    size_t hn = 0;
    for (size_t i = 0; i < n; i++) {
        tok[i] = v->byte_id[p[i]];
        next[i] = i + 1 < n ? (uint32_t)(i + 1) : NONE;
        prev[i] = i > 0 ? (uint32_t)(i - 1) : NONE;
    }
    for (size_t i = 0; i + 1 < n; i++) {
        uint64_t pm = v->byte_pair[p[i] << 8 | p[i + 1]];
        if (pm != TOK_NO_PAIR) heap_push(heap, &hn, (pm >> 32) << 32 | i);
    }
    while (hn > 0) {
        uint64_t key = heap_pop(heap, &hn);
        uint32_t r = (uint32_t)(key >> 32), a = (uint32_t)key, b;
        if (tok[a] == NONE || (b = next[a]) == NONE) continue;
        const tok_pair *e = tok_vocab_pair(v, tok[a], tok[b]);
        if (!e || e->rank != r) continue; /* stale */
        tok[a] = e->id;
        tok[b] = NONE;
        next[a] = next[b];
        if (next[b] != NONE) prev[next[b]] = a;
        /* the two new neighbour pairs; the heap holds at most n - 1 live ones
         * plus stale ones, so it may need to grow */
        for (int side = 0; side < 2; side++) {
            uint32_t l = side == 0 ? prev[a] : a, rr = side == 0 ? a : next[a];
            if (l == NONE || rr == NONE) continue;
            uint32_t nr = pair_rank(v, tok[l], tok[rr]);
            if (nr == TOK_NO_RANK) continue;
            if (hn == s->heap_cap) {
                uint64_t *h = realloc(s->heap, 2 * s->heap_cap * sizeof *h);
                if (!h) return -1;
                s->heap = heap = h, s->heap_cap *= 2;
            }
            heap_push(heap, &hn, (uint64_t)nr << 32 | l);
        }
    }
    for (uint32_t i = 0; i != NONE; i = next[i])
        if (tok_ids_push(out, tok[i])) return -1;
    return 0;
}

int tok_bpe_piece_with(const tok_vocab *v, tok_bpe_scratch *s, const uint8_t *p, size_t n,
                       tok_ids *out, bool heap) {
    if (reserve(s, n)) return -1;
    return heap ? merge_heap(v, s, p, n, out) : merge_flat(v, s, p, n, out);
}

int tok_bpe_piece(const tok_vocab *v, tok_bpe_scratch *s, const uint8_t *p, size_t n,
                  tok_ids *out) {
    return tok_bpe_piece_with(v, s, p, n, out, n > TOK_BPE_FLAT_MAX);
}

void tok_bpe_scratch_free(tok_bpe_scratch *s) {
    free(s->tok), free(s->pair), free(s->next), free(s->prev), free(s->heap);
    *s = (tok_bpe_scratch){0};
}
