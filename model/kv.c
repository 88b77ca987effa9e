/* KV cache for incremental decoding: the keys and values of every layer for
 * the tokens fed so far, so each new token costs one row of the forward
 * pass; and the paper's top-k sampling over the resulting logits. */
#include <cblas.h>
#include <math.h>
#include <stdlib.h>

#include "gpt2_impl.h"

gpt2_kv *gpt2_kv_create(const gpt2_model *m, int max_len, wt_error *err) {
    const gpt2_config *c = &m->cfg;
    if (max_len <= 0 || max_len > c->n_ctx) max_len = c->n_ctx;
    size_t floats = (size_t)c->n_layer * (size_t)max_len * (size_t)c->n_embd;
    gpt2_kv *kv = calloc(1, sizeof *kv);
    float *block = kv ? malloc(2 * floats * sizeof(float)) : NULL;
    if (!block) {
        free(kv);
        wt_fail(err, "out of memory for a KV cache of %d tokens", max_len);
        return NULL;
    }
    kv->max_len = max_len;
    kv->k = block;
    kv->v = block + floats;
    return kv;
}

void gpt2_kv_free(gpt2_kv *kv) {
    if (!kv) return;
    free(kv->k);
    free(kv);
}

void gpt2_kv_reset(gpt2_kv *kv) {
    kv->len = 0;
}

int gpt2_kv_len(const gpt2_kv *kv) {
    return kv->len;
}

int gpt2_kv_feed(const gpt2_model *m, gpt2_ws *ws, gpt2_kv *kv, const int32_t *tokens, int n,
                 float *logits, wt_error *err) {
    const gpt2_config *c = &m->cfg;
    if (n < 1 || (size_t)n > ws->max_tokens)
        return wt_fail(err, "kv: %d tokens fed at once (1..%zu)", n, ws->max_tokens);
    if (kv->len + n > kv->max_len)
        return wt_fail(err, "kv: %d + %d tokens pass the cache's %d (n_ctx %d)", kv->len, n,
                       kv->max_len, c->n_ctx);
    for (int i = 0; i < n; i++)
        if (tokens[i] < 0 || tokens[i] >= c->vocab_size)
            return wt_fail(err, "token id %d is not in [0, %d) (vocab_size)", (int)tokens[i],
                           c->vocab_size);
    gpt2_seg seg = {
        .off = 0, .n = n, .past = kv->len, .k = kv->k, .v = kv->v, .kv_max = kv->max_len};
    gpt2_forward(m, ws, tokens, (size_t)n, &seg, 1);
    /* logits (V) = lm_head (V, C) . h[n - 1] (C) */
    cblas_sgemv(CblasRowMajor, CblasNoTrans, c->vocab_size, c->n_embd, 1.0f, m->lm_head, c->n_embd,
                ws->h + (size_t)(n - 1) * c->n_embd, 1, 0.0f, logits, 1);
    kv->len += n;
    return 0;
}

/* splitmix64: a small, well-mixed generator for reproducible sampling. */
static uint64_t rng_next(uint64_t *s) {
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

int32_t gpt2_sample_top_k(const float *logits, int vocab, int k, float temperature, uint64_t *rng) {
    if (k <= 0 || k > vocab) k = vocab;
    if (k > 1024) k = 1024; /* beyond this the tail has no mass worth keeping */
    int32_t top[1024];
    int nt = 0;
    /* Keep the k best ids in a sorted array (k is small: 40 in the paper). */
    for (int i = 0; i < vocab; i++) {
        if (nt == k && logits[i] <= logits[top[nt - 1]]) continue;
        int j = nt < k ? nt++ : k - 1;
        while (j > 0 && logits[top[j - 1]] < logits[i]) {
            top[j] = top[j - 1];
            j--;
        }
        top[j] = i;
    }
    double w[1024], sum = 0;
    for (int i = 0; i < nt; i++) {
        w[i] = exp((double)(logits[top[i]] - logits[top[0]]) / temperature);
        sum += w[i];
    }
    double u = (double)(rng_next(rng) >> 11) * 0x1.0p-53 * sum;
    for (int i = 0; i < nt; i++) {
        if (u < w[i]) return top[i];
        u -= w[i];
    }
    return top[nt - 1];
}
