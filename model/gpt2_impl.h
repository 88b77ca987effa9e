/* Private to model/: the model and workspace structs and the kernels shared
 * by the forward pass, scoring and the KV cache. Not part of the public API. */
#ifndef WT_GPT2_IMPL_H
#define WT_GPT2_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "gpt2.h"

/* One transformer block. HF Conv1D weights are stored (in, out), so
 * y = x @ W + b is a plain row-major sgemm with W as the right operand. */
typedef struct gpt2_layer {
    const float *ln1_w, *ln1_b; /* (C) */
    const float *attn_w;        /* (C, 3C): q | k | v columns */
    const float *attn_b;        /* (3C) */
    const float *proj_w;        /* (C, C) */
    const float *proj_b;        /* (C) */
    const float *ln2_w, *ln2_b; /* (C) */
    const float *fc_w;          /* (C, 4C) */
    const float *fc_b;          /* (4C) */
    const float *fc2_w;         /* (4C, C) */
    const float *fc2_b;         /* (C) */
} gpt2_layer;

struct gpt2_model {
    gpt2_config cfg;
    const float *wte;           /* (V, C) token embeddings */
    const float *wpe;           /* (n_ctx, C) position embeddings */
    const float *lnf_w, *lnf_b; /* (C) final layer norm */
    const float *lm_head;       /* (V, C): wte when tied, else lm_head.weight */
    gpt2_layer *layers;         /* n_layer blocks */
    void *map;                  /* the mmap'ed model.safetensors */
    size_t map_len;
    float *owned; /* one allocation for every converted (F16/BF16) tensor */
    gpt2_info info;
};

/* Rows of attention scores computed per sgemm block, and the LM head's tile
 * of logits (rows x vocabulary columns): bounded scratch however long the
 * batch, and tiles large enough for sgemm to run near its peak. */
enum { GPT2_ATT_ROWS = 128, GPT2_LOGIT_ROWS = 1024, GPT2_LOGIT_COLS = 4096 };

/* All activations of one forward pass of up to max_tokens tokens, carved from
 * one allocation (sizes in floats, N = max_tokens, C = n_embd). */
struct gpt2_ws {
    size_t max_tokens;     /* N, >= n_ctx */
    float *x;              /* (N, C) residual stream */
    float *h;              /* (N, C) layer-norm output, later gathered rows */
    float *qkv;            /* (N, 3C) */
    float *att;            /* (N, C) attention output, heads side by side */
    float *fc;             /* (N, 4C) MLP hidden */
    float *scores;         /* (threads, ATT_ROWS, n_ctx) attention scores, per thread */
    float *logits;         /* (LOGIT_ROWS, LOGIT_COLS) one tile of logits */
    float *lse_max;        /* (LOGIT_ROWS) running max of each row's logits */
    float *lse_sum;        /* (LOGIT_ROWS) running sum of exp(logit - max) */
    float *lse_tgt;        /* (LOGIT_ROWS) logit of the scored token */
    int32_t *lse_arg;      /* (LOGIT_ROWS) running argmax */
    int32_t *tok;          /* (N) token ids of the packed batch */
    int32_t *row_req;      /* (N) request of each scored row */
    struct gpt2_seg *segs; /* (N) segments of the packed batch */
    void *block;           /* the allocation */
    int threads;           /* e.g. 2: OpenBLAS's thread count when the workspace was made */
    struct wt_pool *pool;  /* runs attention heads and element-wise rows in parallel */
};

/* A segment of the packed batch: tokens [off, off + n) of the batch are the
 * positions past .. past + n - 1 of one sequence. Keys/values of the earlier
 * positions come from a KV cache (k, v non-NULL) or there are none (past 0).
 * The segment's own keys/values are appended to that cache, or, with
 * prefix_only, only used in the pass, so that several segments can continue
 * one shared cache. */
typedef struct gpt2_seg {
    size_t off;
    int n;
    int past;
    float *k, *v;    /* KV cache of this sequence: (n_layer, max_len, C), or NULL */
    int kv_max;      /* max_len of that cache */
    int prefix_only; /* 1: the cache is read, never written */
} gpt2_seg;

/* The KV cache (model/kv.c). */
struct gpt2_kv {
    int len;     /* tokens cached so far */
    int max_len; /* e.g. 1024 */
    float *k;    /* (n_layer, max_len, C) */
    float *v;    /* (n_layer, max_len, C) */
};

/* Runs the blocks and the final layer norm over the packed batch: on return
 * ws->h holds the final-LN output (ntok, C). Tokens must be < vocab_size. */
void gpt2_forward(const gpt2_model *m, gpt2_ws *ws, const int32_t *tokens, size_t ntok,
                  const gpt2_seg *segs, size_t nseg);

/* Runs fn(ctx, i, worker) for i in [0, n) on the workspace's threads. */
void gpt2_parallel(gpt2_ws *ws, size_t n, void (*fn)(void *ctx, size_t i, int worker), void *ctx);

/* ---- kernels (model/kernels.c) ---- */
/* out = LN(x) * w + b over rows (n, C). */
void gpt2_layernorm(float *out, const float *x, const float *w, const float *b, size_t n, int c,
                    float eps);
/* x = GELU_tanh(x + bias[j]) in place over (n, c) rows. */
void gpt2_bias_gelu(float *x, const float *bias, size_t n, int c);
/* x[i, j] += bias[j] over (n, c) rows. */
void gpt2_add_bias(float *x, const float *bias, size_t n, int c);
/* Row softmax of s[0..len) in place after scaling by `scale`. */
void gpt2_softmax_row(float *s, int len, float scale);
/* max of x[0..n) and, in *argmax, its lowest index. */
float gpt2_max(const float *x, int n, int32_t *argmax);
/* sum of exp(x[i] - off) over x[0..n). */
float gpt2_sum_exp(const float *x, int n, float off);

/* Storage conversions. */
float gpt2_f16_to_f32(uint16_t h);
uint16_t gpt2_f32_to_f16(float f);
float gpt2_bf16_to_f32(uint16_t h);
uint16_t gpt2_f32_to_bf16(float f);

#endif
