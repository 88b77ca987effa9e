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

/* Rows of attention scores computed per sgemm block, and logit rows per LM
 * head chunk: bounded scratch however long the batch. */
enum { GPT2_ATT_ROWS = 128, GPT2_LOGIT_ROWS = 64 };

/* All activations of one forward pass of up to max_tokens tokens, carved from
 * one allocation (sizes in floats, N = max_tokens, C = n_embd). */
struct gpt2_ws {
    size_t max_tokens; /* N, >= n_ctx */
    float *x;          /* (N, C) residual stream */
    float *h;          /* (N, C) layer-norm output, later gathered rows */
    float *qkv;        /* (N, 3C) */
    float *att;        /* (N, C) attention output, heads side by side */
    float *fc;         /* (N, 4C) MLP hidden */
    float *scores;     /* (ATT_ROWS, n_ctx) attention scores of one row block */
    float *logits;     /* (LOGIT_ROWS, V) */
    int32_t *pos;      /* (N) position of each token */
    void *block;       /* the allocation */
};

/* A segment of the packed batch: tokens [off, off + n) of the batch are the
 * positions past .. past + n - 1 of one sequence. Keys/values of the earlier
 * positions come from a KV cache (k, v non-NULL) or there are none (past 0). */
typedef struct gpt2_seg {
    size_t off;
    int n;
    int past;
    float *k, *v; /* KV cache of this sequence: (n_layer, max_len, C), or NULL */
    int kv_max;   /* max_len of that cache */
} gpt2_seg;

/* Runs the blocks and the final layer norm over the packed batch: on return
 * ws->h holds the final-LN output (ntok, C). Tokens must be < vocab_size. */
void gpt2_forward(const gpt2_model *m, gpt2_ws *ws, const int32_t *tokens, size_t ntok,
                  const gpt2_seg *segs, size_t nseg);

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
/* ln(sum(exp(x - max))) + max over x[0..n), and the argmax (lowest index). */
float gpt2_logsumexp(const float *x, int n, int32_t *argmax);

/* Storage conversions. */
float gpt2_f16_to_f32(uint16_t h);
uint16_t gpt2_f32_to_f16(float f);
float gpt2_bf16_to_f32(uint16_t h);
uint16_t gpt2_f32_to_bf16(float f);

#endif
