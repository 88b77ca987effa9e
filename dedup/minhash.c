/* MinHash (see minhash.h). Permutation i maps a shingle's 32-bit hash x to
 * fmix32(x ^ seed_i), murmur3's finaliser: a bijection with full avalanche,
 * cheap enough to evaluate 8 at a time with 32-bit vector lanes. */
#include "minhash.h"

#include <string.h>
#include <xxhash.h>

typedef uint32_t u32x8 __attribute__((vector_size(32)));

static uint64_t splitmix64(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

int dedup_minhash_init(dedup_minhash *m, int bands, int rows, int ngram, uint64_t seed) {
    if (bands < 1 || rows < 1 || ngram < 1 || (long)bands * rows > DEDUP_MAX_HASHES) return -1;
    memset(m, 0, sizeof *m);
    m->bands = bands;
    m->rows = rows;
    m->ngram = ngram;
    m->seed = seed;
    m->k = (size_t)bands * (size_t)rows;
    m->k_pad = (m->k + 7) & ~(size_t)7;
    uint64_t st = seed;
    for (size_t i = 0; i < m->k_pad; i++) m->seeds[i] = (uint32_t)splitmix64(&st);
    return 0;
}

/* mins[i] = min(mins[i], fmix32(x ^ seeds[i])) for every shingle x; k_pad % 8 == 0. */
__attribute__((target_clones("avx2", "default"))) static void
minhash_update(uint32_t *restrict mins, const uint32_t *restrict seeds, size_t k_pad,
               const uint32_t *restrict xs, size_t n) {
    for (size_t v = 0; v < k_pad; v += 8) {
        u32x8 s, mn;
        memcpy(&s, seeds + v, sizeof s);
        memcpy(&mn, mins + v, sizeof mn);
        for (size_t j = 0; j < n; j++) {
            u32x8 x = s ^ xs[j];
            x ^= x >> 16;
            x *= 0x85EBCA6Bu;
            x ^= x >> 13;
            x *= 0xC2B2AE35u;
            x ^= x >> 16;
            u32x8 lt = (u32x8)(x < mn);
            mn = (x & lt) | (mn & ~lt);
        }
        memcpy(mins + v, &mn, sizeof mn);
    }
}

size_t dedup_minhash_sign(const dedup_minhash *m, const uint64_t *words, size_t n, uint32_t *sig) {
    if (n == 0) return 0;
    size_t g = (size_t)m->ngram;
    size_t count = n >= g ? n - g + 1 : 1;
    size_t width = n >= g ? g : n;
    for (size_t i = 0; i < m->k_pad; i++) sig[i] = UINT32_MAX;
    uint32_t xs[256];
    for (size_t j = 0; j < count;) {
        size_t b = 0;
        for (; b < 256 && j < count; b++, j++)
            xs[b] = (uint32_t)XXH3_64bits(words + j, width * sizeof *words);
        minhash_update(sig, m->seeds, m->k_pad, xs, b);
    }
    return count;
}

void dedup_minhash_band_keys(const dedup_minhash *m, const uint32_t *sig, uint64_t *keys) {
    size_t r = (size_t)m->rows;
    for (int b = 0; b < m->bands; b++)
        keys[b] = XXH3_64bits_withSeed(sig + (size_t)b * r, r * sizeof *sig,
                                       m->seed * 0x100000001B3ull + (uint64_t)b);
}

double dedup_minhash_similarity(const dedup_minhash *m, const uint32_t *a, const uint32_t *b) {
    size_t eq = 0;
    for (size_t i = 0; i < m->k; i++) eq += a[i] == b[i];
    return (double)eq / (double)m->k;
}
