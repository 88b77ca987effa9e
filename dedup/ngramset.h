/* Sets of n-gram hashes for the overlap analysis: a Bloom filter sized for a
 * false-positive rate, and an exact open-addressing set of 64-bit hashes. */
#ifndef DEDUP_NGRAMSET_H
#define DEDUP_NGRAMSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct dedup_bloom {
    uint64_t *bits; /* (m / 64) words */
    uint64_t m;     /* bits, e.g. 38.3 * n for fpr 1e-8 */
    int k;          /* probes per item, e.g. 27 */
} dedup_bloom;

/* m = -n ln(fpr) / ln(2)^2 (at least 2^16), k = round(m/n ln 2); n is an upper
 * bound on the distinct items. Refuses filters over max_bytes. */
int dedup_bloom_init(dedup_bloom *b, uint64_t n, double fpr, uint64_t max_bytes, wt_error *err);
/* (h1, h2): the two halves of a 128-bit item hash (Kirsch-Mitzenmacher). */
void dedup_bloom_add(dedup_bloom *b, uint64_t h1, uint64_t h2);
bool dedup_bloom_has(const dedup_bloom *b, uint64_t h1, uint64_t h2);
/* The false-positive rate at n items: (1 - e^(-kn/m))^k. */
double dedup_bloom_fpr(const dedup_bloom *b, uint64_t n);
void dedup_bloom_free(dedup_bloom *b);

typedef struct dedup_hashset {
    uint64_t *slots; /* (cap) 0 = empty; the item 0 is stored as 1 */
    size_t cap, len;
} dedup_hashset;

int dedup_hashset_add(dedup_hashset *s, uint64_t h); /* 0, or -1 out of memory */
bool dedup_hashset_has(const dedup_hashset *s, uint64_t h);
void dedup_hashset_free(dedup_hashset *s);

#endif
