/* The evaluation stage's shared types: the run context every task gets (model,
 * tokenizer, window settings), the task table, and the scoring helpers that
 * turn token sequences into log-likelihoods through model/'s gpt2_score. */
#ifndef EVAL_EVAL_H
#define EVAL_EVAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "model/gpt2.h"
#include "progress.h"
#include "tokenize/tokenizer.h"

typedef struct eval_ctx {
    const gpt2_model *model;
    gpt2_ws *ws;
    const tok_vocab *vocab;
    tok_encoder *enc;
    int ctx;                  /* tokens per window, e.g. 1024 (<= n_ctx) */
    int stride;               /* sliding-window stride, e.g. 512 */
    int batch;                /* requests handed to one gpt2_score call, e.g. 32 */
    int64_t limit;            /* --limit N (0: all); what N counts is per task */
    bool quiet;               /* no progress lines */
    double progress_interval; /* seconds between progress lines in a log, e.g. 30; 0: none */
    const char *webtext_dir;  /* --webtext DIR, or NULL for DATA/webtext */
    uint64_t fwd_tokens;      /* tokens run through the model so far (throughput) */
    const char *samples_dir;  /* --samples: per-example records go to DIR/TASK.samples.jsonl */
    bool prefix_cache; /* CBT: score each shared context once (KV cache); --no-prefix-cache */
} eval_ctx;

/* A task reads its file(s), scores them and fills `out` (a JSON object) with
 * "metrics", the counts and "method". Errors name the file and line. */
typedef int (*eval_task_fn)(eval_ctx *c, const char *name, const char *path, json_t *out,
                            wt_error *err);

typedef struct eval_task {
    const char *name;     /* e.g. "wikitext2" */
    const char *files[3]; /* paths under the data root tried in order, e.g. "ptb/ptb.test.txt" */
    const char *summary;  /* one line for `eval list` */
    eval_task_fn run;
} eval_task;

/* The table in the paper's column order; n receives its length. */
const eval_task *eval_tasks(size_t *n);

/* ---- Scoring helpers (eval/score.c) ------------------------------------ */

/* One sequence scored with the sliding window: tokens[0] is context only,
 * logprob[i-1] = ln p(tokens[i] | window before it) for 1 <= i < n. */
typedef struct eval_seq {
    const int32_t *tokens;
    size_t n;
    float *logprob; /* n - 1 values, filled by eval_score_seqs */
} eval_seq;

/* Scores every sequence with the window rule of gpt2_window_plan (context
 * c->ctx, stride eval_stride(c)), batching windows of all sequences into
 * gpt2_score calls. Adds the scored tokens to *p when non-NULL. Every token
 * after the first is scored. */
int eval_score_seqs(eval_ctx *c, eval_seq *seqs, size_t nseq, wt_progress *p, wt_error *err);

/* The stride the windows use: --stride, except that --stride == --ctx
 * becomes ctx - 1 (consecutive windows share one token), so that the first
 * token of every window has the previous one's last token as context and no
 * token is left unscored while its words/bytes stay in the denominator. */
int eval_stride(const eval_ctx *c);
/* Adds context, stride, stride_used and the stated window_rule to a task's
 * "method" object. */
void eval_add_window(json_t *meth, const eval_ctx *c);

/* Adds -lp[i] of the scored entries (not NaN) to *nll and returns their
 * count. */
uint64_t eval_sum_scored(const float *lp, size_t n, double *nll);

/* The score of one text read as <|endoftext|> + enc(text), with the window
 * rule of eval_score_seqs: what the perplexity and bits tasks report. */
typedef struct eval_text_score {
    double nll;        /* summed -ln p over the scored tokens */
    uint64_t tokens;   /* scored tokens */
    uint64_t unscored; /* tokens left without context (stride == ctx) */
} eval_text_score;
int eval_score_text(eval_ctx *c, const char *label, const char *path, const char *text, size_t len,
                    eval_text_score *out, wt_error *err);

/* gpt2_score in slices of c->batch requests, advancing *p by scored tokens. */
int eval_score_reqs(eval_ctx *c, gpt2_request *reqs, size_t n, wt_progress *p, wt_error *err);

/* Encodes text (len bytes) appending int32 ids; -1 on failure. */
typedef struct eval_ids {
    int32_t *v;
    size_t n, cap;
} eval_ids;
int eval_ids_push(eval_ids *a, int32_t id);
int eval_encode(eval_ctx *c, const char *text, size_t len, eval_ids *out, wt_error *err);
void eval_ids_free(eval_ids *a);

/* Adds "sha256" and "file" for path to obj. */
int eval_add_file_info(json_t *obj, const char *path, wt_error *err);

/* Adds seconds, forward_tokens (tokens run through the model since the
 * counter was fwd0), tokens_per_s (forward tokens per second) and
 * scored_tokens_per_s (scored tokens per second). */
void eval_add_timing(json_t *out, const eval_ctx *c, uint64_t fwd0, uint64_t scored,
                     double seconds);

/* The sha256 of a file as 64 hex digits (eval/sha256.c). */
int eval_sha256_file(const char *path, char hex[65], wt_error *err);

/* Is `word` (lowercase ASCII) one of the EVAL_STOPWORDS English stop-words of
 * eval/stopwords.c (NLTK's original English list, as used by bflm)? */
enum { EVAL_STOPWORDS = 127 };
bool eval_is_stopword(const char *word, size_t len);

/* ---- Tasks (one file each) ---------------------------------------------- */
int eval_task_lambada(eval_ctx *c, const char *name, const char *path, json_t *out, wt_error *err);
int eval_task_cbt(eval_ctx *c, const char *name, const char *path, json_t *out, wt_error *err);
int eval_task_words(eval_ctx *c, const char *name, const char *path, json_t *out, wt_error *err);
int eval_task_bytes(eval_ctx *c, const char *name, const char *path, json_t *out, wt_error *err);
int eval_task_webtext(eval_ctx *c, const char *name, const char *path, json_t *out, wt_error *err);

#endif
