/* GPT-2 inference core: loads a Hugging Face GPT-2 checkpoint (config.json +
 * model.safetensors), runs the forward pass in F32 through OpenBLAS sgemm, and
 * scores token sequences (per-token log-probability and argmax), with sliding
 * windows for long texts and a KV cache for generation. */
#ifndef WT_GPT2_H
#define WT_GPT2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct gpt2_config {
    int n_layer;    /* e.g. 12 */
    int n_head;     /* e.g. 12 */
    int n_embd;     /* e.g. 768, divisible by n_head */
    int n_ctx;      /* e.g. 1024: n_positions (or n_ctx) in config.json */
    int vocab_size; /* e.g. 50257 */
    float ln_eps;   /* layer_norm_epsilon, e.g. 1e-5 */
} gpt2_config;

/* The weights: immutable after gpt2_load, so one model can be shared by
 * several threads, each with its own workspace. */
typedef struct gpt2_model gpt2_model;

/* ---- BLAS kernel selection (call before anything else in main) --------- */

/* Debian's OpenBLAS may pick an SSE3 or AVX2 kernel on an AVX-512 CPU. If
 * OPENBLAS_CORETYPE is not set and the CPU has AVX-512 but OpenBLAS chose a
 * kernel without it, this sets OPENBLAS_CORETYPE=SkylakeX and re-executes the
 * program (OpenBLAS reads the variable only when it is first loaded). An
 * OPENBLAS_CORETYPE already set is respected. Returns when nothing needs to
 * change or the re-exec failed (then the slower kernel is used). */
void gpt2_blas_autoselect(char **argv);
/* The kernel OpenBLAS uses, e.g. "SkylakeX" (openblas_get_corename). */
const char *gpt2_blas_core(void);
/* Advice when the kernel in use is slower than the CPU allows (e.g. an
 * OPENBLAS_CORETYPE=Haswell from the environment on an AVX-512 CPU), or NULL. */
const char *gpt2_blas_advice(void);
/* Threads OpenBLAS uses for each sgemm (n <= 0: all cores). */
void gpt2_blas_threads(int n);

/* ---- Loading ----------------------------------------------------------- */

/* Where --model NAME looks: ${XDG_CACHE_HOME:-$HOME/.cache}/webtext/models
 * (the default DEST of pipelines/get-model.sh). -1 when it does not fit. */
int gpt2_models_dir(char *out, size_t n);
/* The folder --model ARG names: ARG itself when it is a directory or has a
 * '/', else MODELS_DIR/ARG (e.g. "gpt2-xl"), which must hold config.json;
 * when it does not, the error says to run pipelines/get-model.sh ARG. */
int gpt2_resolve_model(const char *arg, char *out, size_t n, wt_error *err);

/* Loads DIR/config.json and DIR/model.safetensors; DIR may be a model name
 * (gpt2_resolve_model). The file is mmap'ed; F32
 * tensors are used in place, F16/BF16 ones are converted to F32. Every
 * tensor's name, dtype, shape and byte range is checked against the config
 * and the file size first; a bad file gives an error with a HINT. */
gpt2_model *gpt2_load(const char *dir, wt_error *err);
void gpt2_free(gpt2_model *m);
const gpt2_config *gpt2_model_config(const gpt2_model *m);

typedef struct gpt2_info {
    uint64_t n_params;    /* parameters, the LM head counted once when tied */
    const char *dtype;    /* storage dtype of the weights: "F32", "F16", "BF16" or "mixed" */
    int prefixed;         /* keys carry the "transformer." prefix */
    int tied;             /* LM head is wte (no separate lm_head.weight) */
    uint64_t file_bytes;  /* size of model.safetensors */
    uint64_t owned_bytes; /* F32 copies made (converted or unaligned tensors) */
} gpt2_info;
void gpt2_model_info(const gpt2_model *m, gpt2_info *info);

/* ---- Workspace: the activations of one forward pass -------------------- */

/* One allocation sized from the config for forward passes of up to
 * `max_tokens` tokens in total (0: n_ctx; at least n_ctx is used). A
 * workspace is used by one thread at a time. It runs attention heads and
 * element-wise work on as many threads as OpenBLAS has when it is created
 * (call gpt2_blas_threads first). OpenBLAS's thread count is process-wide:
 * prefer one scoring thread with several BLAS threads to several scoring
 * threads (which are correct, but share and reset that count). */
typedef struct gpt2_ws gpt2_ws;
gpt2_ws *gpt2_ws_create(const gpt2_model *m, size_t max_tokens, wt_error *err);
void gpt2_ws_free(gpt2_ws *ws);
size_t gpt2_ws_max_tokens(const gpt2_ws *ws);

/* ---- Scoring ----------------------------------------------------------- */

/* One window of tokens scored in one forward pass. Token i (first <= i < n)
 * is scored with tokens [0, i) as its context:
 *   logprob[i - first] = ln p(tokens[i] | tokens[0..i))
 *   argmax[i - first]  = argmax_t p(t | tokens[0..i)) (lowest id on ties),
 * i.e. the greedy prediction for position i (LAMBADA accuracy compares it
 * with tokens[i]). Position 0 has no context and is never scored. */
typedef struct gpt2_request {
    const int32_t *tokens; /* n ids, each < vocab_size */
    int n;                 /* 1 <= n <= n_ctx */
    int first;             /* first scored position, 1 <= first <= n (n: none) */
    float *logprob;        /* out: n - first values */
    int32_t *argmax;       /* out: n - first values, or NULL */
} gpt2_request;

/* Scores a batch of requests of any lengths. Their tokens are packed into
 * forward passes of up to gpt2_ws_max_tokens tokens (no padding: attention is
 * per request, everything else is per token), so many short requests cost
 * about as much as one long one. Results do not depend on how requests are
 * batched or on the thread count (beyond float rounding, < 1e-5). */
int gpt2_score(const gpt2_model *m, gpt2_ws *ws, gpt2_request *reqs, size_t nreq, wt_error *err);

/* Sliding windows over a sequence of n tokens with context C and stride S
 * (1 <= S <= C), the Hugging Face perplexity-guide rule: windows start at
 * 0, S, 2S, ...; a window ends at min(start + C, n); each token is scored
 * once, in the first window whose end passes it, with the tokens before it
 * in that window as context; the last window is the one that reaches n.
 * When stride == ctx the first token of every later window has no context
 * in it and stays unscored (as in the guide, whose labels shift drops it).
 * Returns the number of windows (0 when n < 2 or ctx/stride are out of
 * range); fills `out` when non-NULL. */
typedef struct gpt2_window {
    size_t start; /* first token of the window */
    size_t end;   /* one past the last token; end - start <= C */
    size_t first; /* first scored token (absolute); start < first < end */
} gpt2_window;
size_t gpt2_window_plan(size_t n, int ctx, int stride, gpt2_window *out);

/* Scores tokens 1..n-1 of one sequence with the window rule above:
 * logprob[i-1] and argmax[i-1] (argmax may be NULL) for token i (NaN and -1
 * for a token no window scores). The windows are batched through gpt2_score,
 * so one call fills the workspace; to batch windows of many sequences
 * together, plan them with gpt2_window_plan and call gpt2_score. */
int gpt2_score_sliding(const gpt2_model *m, gpt2_ws *ws, const int32_t *tokens, size_t n, int ctx,
                       int stride, float *logprob, int32_t *argmax, wt_error *err);

/* ---- KV cache: incremental decoding ------------------------------------ */

typedef struct gpt2_kv gpt2_kv;
/* A cache for one sequence of up to max_len tokens (0: n_ctx; at most n_ctx). */
gpt2_kv *gpt2_kv_create(const gpt2_model *m, int max_len, wt_error *err);
void gpt2_kv_free(gpt2_kv *kv);
void gpt2_kv_reset(gpt2_kv *kv);
int gpt2_kv_len(const gpt2_kv *kv);
/* Appends n tokens (a prompt, or one sampled token) to the cache and writes
 * the logits of the next token after them to logits[vocab_size]. Fails when
 * the cache would pass max_len or n > gpt2_ws_max_tokens. */
int gpt2_kv_feed(const gpt2_model *m, gpt2_ws *ws, gpt2_kv *kv, const int32_t *tokens, int n,
                 float *logits, wt_error *err);

/* Scores requests that each continue the sequence in the cache: request
 * token i is at position gpt2_kv_len(kv) + i and sees the cached tokens and
 * tokens[0..i) (so logprob[i - first] = ln p(tokens[i] | cache, tokens[0..i))).
 * The cache is only read: many continuations of one shared prefix (CBT's
 * candidates) are scored in one batch without re-running the prefix. Needs
 * gpt2_kv_len(kv) + n <= n_ctx per request; otherwise as gpt2_score. */
int gpt2_kv_score(const gpt2_model *m, gpt2_ws *ws, const gpt2_kv *kv, gpt2_request *reqs,
                  size_t nreq, wt_error *err);

/* ---- Sampling ---------------------------------------------------------- */

/* The paper's top-k sampling: keeps the k most likely tokens (1..1024; k <= 0
 * or larger means 1024), divides their logits by temperature (> 0), samples
 * with the 64-bit state *rng (advanced). logits are left unchanged. */
int32_t gpt2_sample_top_k(const float *logits, int vocab, int k, float temperature, uint64_t *rng);

/* ---- Random checkpoints (tests, benchmarks, demo) ---------------------- */

typedef struct gpt2_init_opts {
    gpt2_config cfg;
    const char *dtype; /* "F32" (default), "F16" or "BF16" */
    uint64_t seed;     /* weights are a function of the seed */
    float std;         /* weight std, e.g. 0.02 */
    float bias_std;    /* biases ~ N(0, bias_std), LN gains 1 + N(0, bias_std); 0 as HF */
    int zero;          /* all weights zero: every token gets -ln(vocab_size) */
    int no_prefix;     /* keys without "transformer." (as GPT2Model saves them) */
    int untied;        /* write a separate lm_head.weight */
} gpt2_init_opts;
/* Writes DIR/config.json and DIR/model.safetensors in the Hugging Face
 * layout (with the old attn.bias mask buffers), atomically. */
int gpt2_init_write(const char *dir, const gpt2_init_opts *o, wt_error *err);

#endif
