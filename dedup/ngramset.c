/* Bloom filter and exact hash set (see ngramset.h). */
#include "ngramset.h"

#include <math.h>
#include <stdlib.h>

static uint64_t reduce(uint64_t x, uint64_t m) {
    return (uint64_t)(((unsigned __int128)x * m) >> 64);
}

static uint64_t mix64(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

int dedup_bloom_init(dedup_bloom *b, uint64_t n, double fpr, uint64_t max_bytes, wt_error *err) {
    *b = (dedup_bloom){0};
    if (n == 0) n = 1;
    double ln2 = log(2.0);
    double m = ceil(-(double)n * log(fpr) / (ln2 * ln2));
    if (m < 65536) m = 65536; /* tiny filters: cheap insurance */
    if (m / 8 > (double)max_bytes)
        return wt_fail(err,
                       "a Bloom filter for %llu n-grams at rate %g needs %.0f MB (limit %llu MB). "
                       "HINT: raise --max-memory or --fpr",
                       (unsigned long long)n, fpr, m / 8 / 1e6,
                       (unsigned long long)(max_bytes / 1000000));
    b->m = ((uint64_t)m + 63) & ~(uint64_t)63;
    b->k = (int)lround((double)b->m / (double)n * ln2);
    if (b->k < 1) b->k = 1;
    if (b->k > 64) b->k = 64;
    b->bits = calloc(b->m / 64, sizeof *b->bits);
    if (!b->bits)
        return wt_fail(err, "out of memory for a %llu-bit Bloom filter", (unsigned long long)b->m);
    return 0;
}

/* Probe i is bit reduce(mix64(h1 + i*h2 + i(i-1)/2), m): enhanced double hashing,
 * each probe re-mixed so that the bits reduce() reads are independent. */
void dedup_bloom_add(dedup_bloom *b, uint64_t h1, uint64_t h2) {
    h2 = mix64(h2) | 1;
    for (int i = 0; i < b->k; i++) {
        uint64_t bit = reduce(mix64(h1), b->m);
        b->bits[bit >> 6] |= 1ull << (bit & 63);
        h1 += h2;
        h2 += (uint64_t)i; /* enhanced double hashing */
    }
}

bool dedup_bloom_has(const dedup_bloom *b, uint64_t h1, uint64_t h2) {
    h2 = mix64(h2) | 1;
    for (int i = 0; i < b->k; i++) {
        uint64_t bit = reduce(mix64(h1), b->m);
        if (!(b->bits[bit >> 6] >> (bit & 63) & 1)) return false;
        h1 += h2;
        h2 += (uint64_t)i;
    }
    return true;
}

double dedup_bloom_fpr(const dedup_bloom *b, uint64_t n) {
    return pow(1.0 - exp(-(double)b->k * (double)n / (double)b->m), b->k);
}

void dedup_bloom_free(dedup_bloom *b) {
    free(b->bits);
    *b = (dedup_bloom){0};
}

static void set_insert(uint64_t *slots, size_t cap, uint64_t h) {
    size_t i = (size_t)mix64(h) & (cap - 1);
    while (slots[i] && slots[i] != h) i = (i + 1) & (cap - 1);
    slots[i] = h;
}

int dedup_hashset_add(dedup_hashset *s, uint64_t h) {
    if (h == 0) h = 1;
    if ((s->len + 1) * 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        uint64_t *slots = calloc(cap, sizeof *slots);
        if (!slots) return -1;
        for (size_t i = 0; i < s->cap; i++)
            if (s->slots[i]) set_insert(slots, cap, s->slots[i]);
        free(s->slots);
        s->slots = slots;
        s->cap = cap;
    }
    size_t i = (size_t)mix64(h) & (s->cap - 1);
    while (s->slots[i] && s->slots[i] != h) i = (i + 1) & (s->cap - 1);
    if (!s->slots[i]) s->slots[i] = h, s->len++;
    return 0;
}

bool dedup_hashset_has(const dedup_hashset *s, uint64_t h) {
    if (h == 0) h = 1;
    if (!s->cap) return false;
    size_t i = (size_t)mix64(h) & (s->cap - 1);
    while (s->slots[i]) {
        if (s->slots[i] == h) return true;
        i = (i + 1) & (s->cap - 1);
    }
    return false;
}

void dedup_hashset_free(dedup_hashset *s) {
    free(s->slots);
    *s = (dedup_hashset){0};
}
