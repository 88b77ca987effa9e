/* Scoring: requests packed into forward passes, the LM head applied only to
 * the rows whose next token is scored, in chunks, each followed by a stable
 * log-softmax; and the sliding-window rule for sequences longer than C. */
#include <cblas.h>
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gpt2_impl.h"

static int check_request(const gpt2_model *m, const gpt2_request *r, size_t idx, wt_error *err) {
    const gpt2_config *c = &m->cfg;
    if (r->n < 1 || r->n > c->n_ctx)
        return wt_fail(err, "request %zu: %d tokens, must be 1..n_ctx (%d)", idx, r->n, c->n_ctx);
    if (r->first < 1 || r->first > r->n)
        return wt_fail(err, "request %zu: first scored position %d is not in 1..%d", idx, r->first,
                       r->n);
    for (int i = 0; i < r->n; i++)
        if (r->tokens[i] < 0 || r->tokens[i] >= c->vocab_size)
            return wt_fail(err,
                           "request %zu: token id %d at position %d is not in [0, %d) "
                           "(vocab_size)",
                           idx, (int)r->tokens[i], i, c->vocab_size);
    return 0;
}

typedef struct tile_job {
    gpt2_ws *ws;
    const int32_t *tgt;
    int v0, nv; /* vocabulary columns [v0, v0 + nv) of this tile */
} tile_job;

/* Folds row r of a logits tile into that row's running max, sum and argmax. */
static void tile_row(void *ctx, size_t r, int worker) {
    (void)worker;
    const tile_job *j = ctx;
    gpt2_ws *ws = j->ws;
    const float *z = ws->logits + r * (size_t)j->nv;
    int32_t a;
    float mx = gpt2_max(z, j->nv, &a);
    if (mx > ws->lse_max[r]) { /* rescale the sum to the new max */
        ws->lse_sum[r] = ws->lse_sum[r] * expf(ws->lse_max[r] - mx) + gpt2_sum_exp(z, j->nv, mx);
        ws->lse_max[r] = mx;
        ws->lse_arg[r] = j->v0 + a;
    } else {
        ws->lse_sum[r] += gpt2_sum_exp(z, j->nv, ws->lse_max[r]);
    }
    if (j->tgt[r] >= j->v0 && j->tgt[r] < j->v0 + j->nv) ws->lse_tgt[r] = z[j->tgt[r] - j->v0];
}

/* LM head + log-softmax for `rows` gathered rows of ws->h from row0: row r
 * scores token tgt[r] into *lp[r] (and its argmax into *am[r]). The logits
 * are computed a tile of vocabulary columns at a time, with a running
 * (online) log-sum-exp per row, so they never exist all at once. */
static void head_chunk(const gpt2_model *m, gpt2_ws *ws, size_t row0, int rows, const int32_t *tgt,
                       float **lp, int32_t **am) {
    int V = m->cfg.vocab_size, C = m->cfg.n_embd;
    for (int r = 0; r < rows; r++) ws->lse_max[r] = -INFINITY, ws->lse_sum[r] = 0;
    for (int v0 = 0; v0 < V; v0 += GPT2_LOGIT_COLS) {
        int nv = V - v0 < GPT2_LOGIT_COLS ? V - v0 : GPT2_LOGIT_COLS;
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, nv, C, 1.0f, ws->h + row0 * C, C,
                    m->lm_head + (size_t)v0 * C, C, 0.0f, ws->logits, nv);
        tile_job j = {ws, tgt, v0, nv};
        gpt2_parallel(ws, (size_t)rows, tile_row, &j);
    }
    for (int r = 0; r < rows; r++) {
        *lp[r] = ws->lse_tgt[r] - (ws->lse_max[r] + logf(ws->lse_sum[r]));
        if (am[r]) *am[r] = ws->lse_arg[r];
    }
}

/* One forward pass over reqs[0..n) (their tokens fit the workspace), each
 * continuing the cached prefix kv (read only) when kv is non-NULL. */
static void score_pass(const gpt2_model *m, gpt2_ws *ws, const gpt2_kv *kv, gpt2_request *reqs,
                       size_t n) {
    int C = m->cfg.n_embd;
    size_t ntok = 0;
    for (size_t i = 0; i < n; i++) {
        ws->segs[i] = (gpt2_seg){.off = ntok, .n = reqs[i].n};
        if (kv && kv->len > 0)
            ws->segs[i] = (gpt2_seg){.off = ntok,
                                     .n = reqs[i].n,
                                     .past = kv->len,
                                     .k = kv->k,
                                     .v = kv->v,
                                     .kv_max = kv->max_len,
                                     .prefix_only = 1};
        memcpy(ws->tok + ntok, reqs[i].tokens, (size_t)reqs[i].n * sizeof(int32_t));
        ntok += (size_t)reqs[i].n;
    }
    gpt2_forward(m, ws, ws->tok, ntok, ws->segs, n);
    /* Gather the rows that predict a scored token to the front of ws->h
     * (row j predicts token j + 1); destinations never pass sources. */
    size_t rows = 0;
    for (size_t i = 0; i < n; i++)
        for (int p = reqs[i].first; p < reqs[i].n; p++) {
            size_t src = ws->segs[i].off + (size_t)p - 1;
            if (src != rows) memmove(ws->h + rows * C, ws->h + src * C, (size_t)C * sizeof(float));
            ws->row_req[rows++] = (int32_t)i;
        }
    static_assert(GPT2_LOGIT_ROWS <= 1024, "row pointers live on the stack");
    int32_t tgt[GPT2_LOGIT_ROWS];
    float *lp[GPT2_LOGIT_ROWS];
    int32_t *am[GPT2_LOGIT_ROWS];
    size_t row = 0, req = 0;
    int p = n ? reqs[0].first : 0;
    for (size_t r0 = 0; r0 < rows; r0 += GPT2_LOGIT_ROWS) {
        int k = rows - r0 < GPT2_LOGIT_ROWS ? (int)(rows - r0) : GPT2_LOGIT_ROWS;
        for (int r = 0; r < k; r++, row++) {
            while (p >= reqs[req].n) p = reqs[++req].first; /* next request with rows */
            tgt[r] = reqs[req].tokens[p];
            lp[r] = &reqs[req].logprob[p - reqs[req].first];
            am[r] = reqs[req].argmax ? &reqs[req].argmax[p - reqs[req].first] : NULL;
            p++;
        }
        head_chunk(m, ws, r0, k, tgt, lp, am);
    }
}

static int score_all(const gpt2_model *m, gpt2_ws *ws, const gpt2_kv *kv, gpt2_request *reqs,
                     size_t nreq, wt_error *err) {
    int past = kv ? kv->len : 0;
    for (size_t i = 0; i < nreq; i++) {
        WT_TRY(check_request(m, &reqs[i], i, err));
        if (past + reqs[i].n > m->cfg.n_ctx)
            return wt_fail(err, "request %zu: %d cached + %d tokens pass n_ctx (%d)", i, past,
                           reqs[i].n, m->cfg.n_ctx);
    }
    size_t a = 0;
    while (a < nreq) {
        size_t b = a, tok = 0;
        while (b < nreq && tok + (size_t)reqs[b].n <= ws->max_tokens) tok += (size_t)reqs[b++].n;
        score_pass(m, ws, kv, reqs + a, b - a);
        a = b;
    }
    return 0;
}

int gpt2_score(const gpt2_model *m, gpt2_ws *ws, gpt2_request *reqs, size_t nreq, wt_error *err) {
    return score_all(m, ws, NULL, reqs, nreq, err);
}

int gpt2_kv_score(const gpt2_model *m, gpt2_ws *ws, const gpt2_kv *kv, gpt2_request *reqs,
                  size_t nreq, wt_error *err) {
    return score_all(m, ws, kv, reqs, nreq, err);
}

size_t gpt2_window_plan(size_t n, int ctx, int stride, gpt2_window *out) {
    if (n < 2 || ctx < 1 || stride < 1 || stride > ctx) return 0;
    size_t count = 0, prev_end = 1; /* token 0 has no context */
    for (size_t start = 0;; start += (size_t)stride) {
        size_t end = start + (size_t)ctx < n ? start + (size_t)ctx : n;
        /* With stride == ctx the token at `start` has no context in its
         * window: it stays unscored, as in the Hugging Face guide. */
        size_t first = prev_end > start ? prev_end : start + 1;
        if (end > first) {
            if (out) out[count] = (gpt2_window){.start = start, .end = end, .first = first};
            count++;
        }
        prev_end = end;
        if (end == n) break;
    }
    return count;
}

int gpt2_score_sliding(const gpt2_model *m, gpt2_ws *ws, const int32_t *tokens, size_t n, int ctx,
                       int stride, float *logprob, int32_t *argmax, wt_error *err) {
    if (ctx < 1 || ctx > m->cfg.n_ctx || stride < 1 || stride > ctx)
        return wt_fail(err, "window %d / stride %d: need 1 <= stride <= window <= n_ctx (%d)", ctx,
                       stride, m->cfg.n_ctx);
    size_t nw = gpt2_window_plan(n, ctx, stride, NULL);
    if (nw == 0) return 0;
    gpt2_window *w = malloc(nw * sizeof *w);
    gpt2_request *r = malloc(nw * sizeof *r);
    if (!w || !r) {
        free(w);
        free(r);
        return wt_fail(err, "out of memory for %zu windows", nw);
    }
    gpt2_window_plan(n, ctx, stride, w);
    for (size_t i = 0; i + 1 < n; i++) { /* tokens no window scores */
        logprob[i] = NAN;
        if (argmax) argmax[i] = -1;
    }
    for (size_t i = 0; i < nw; i++)
        r[i] = (gpt2_request){.tokens = tokens + w[i].start,
                              .n = (int)(w[i].end - w[i].start),
                              .first = (int)(w[i].first - w[i].start),
                              .logprob = logprob + w[i].first - 1,
                              .argmax = argmax ? argmax + w[i].first - 1 : NULL};
    int rc = gpt2_score(m, ws, r, nw, err);
    free(w);
    free(r);
    return rc;
}
