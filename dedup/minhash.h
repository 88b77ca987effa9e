/* MinHash signatures over word n-grams and their LSH band keys. A signature
 * is bands*rows 32-bit minima; band b's key is a 64-bit hash of its rows. */
#ifndef DEDUP_MINHASH_H
#define DEDUP_MINHASH_H

#include <stddef.h>
#include <stdint.h>

#define DEDUP_MAX_HASHES 1024

typedef struct dedup_minhash {
    int bands;                        /* e.g. 20 */
    int rows;                         /* e.g. 5 */
    int ngram;                        /* words per shingle, e.g. 5 */
    uint64_t seed;                    /* e.g. 1 */
    size_t k;                         /* bands * rows */
    size_t k_pad;                     /* k rounded up to a multiple of 8 (vector width) */
    uint32_t seeds[DEDUP_MAX_HASHES]; /* (k_pad) per-permutation seeds */
} dedup_minhash;

/* Returns 0, or -1 when bands*rows is outside [1, DEDUP_MAX_HASHES]. */
int dedup_minhash_init(dedup_minhash *m, int bands, int rows, int ngram, uint64_t seed);

/* Signature of the shingle set of `words` (n word hashes): shingle j is the
 * hash of words[j..j+ngram); a text with fewer words than ngram is one
 * shingle. sig holds k_pad values (the first k are meaningful). Returns the
 * number of shingles (0: no words, sig untouched). */
size_t dedup_minhash_sign(const dedup_minhash *m, const uint64_t *words, size_t n, uint32_t *sig);

/* keys[b] for b < bands: XXH3-64 of rows r*b..r*b+r-1 seeded by (seed, b). */
void dedup_minhash_band_keys(const dedup_minhash *m, const uint32_t *sig, uint64_t *keys);

/* The fraction of equal values in two signatures: an estimate of Jaccard. */
double dedup_minhash_similarity(const dedup_minhash *m, const uint32_t *a, const uint32_t *b);

#endif
