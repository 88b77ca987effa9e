/* Scoring helpers shared by the tasks: sliding windows over many sequences
 * batched into gpt2_score calls, text encoding into int32 ids, and the file
 * and timing fields every task reports. */
#include "eval/eval.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int eval_score_reqs(eval_ctx *c, gpt2_request *reqs, size_t n, wt_progress *p, wt_error *err) {
    size_t b = c->batch > 0 ? (size_t)c->batch : 1;
    for (size_t i = 0; i < n; i += b) {
        size_t k = n - i < b ? n - i : b;
        WT_TRY(gpt2_score(c->model, c->ws, reqs + i, k, err));
        for (size_t j = 0; j < k; j++) c->fwd_tokens += (uint64_t)reqs[i + j].n;
        if (p) {
            uint64_t scored = 0;
            for (size_t j = 0; j < k; j++) scored += (uint64_t)(reqs[i + j].n - reqs[i + j].first);
            wt_progress_add(p, scored);
        }
    }
    return 0;
}

int eval_stride(const eval_ctx *c) {
    return c->stride >= c->ctx && c->ctx > 1 ? c->ctx - 1 : c->stride;
}

void eval_add_window(json_t *meth, const eval_ctx *c) {
    json_object_set_new(meth, "context", json_integer(c->ctx));
    json_object_set_new(meth, "stride", json_integer(c->stride));
    json_object_set_new(meth, "stride_used", json_integer(eval_stride(c)));
    json_object_set_new(
        meth, "window_rule",
        json_string("windows of `context` tokens start every `stride_used` tokens; each token is "
                    "scored once, in the first window that reaches it, with the window's earlier "
                    "tokens as context, so every token after the first is scored and every word, "
                    "byte or character is counted once; with --stride equal to --ctx the windows "
                    "overlap by one token (stride_used = context - 1), so the first token of each "
                    "window is scored with the previous window's last token as context, as "
                    "lm-evaluation-harness's rolling windows do"));
}

int eval_score_seqs(eval_ctx *c, eval_seq *seqs, size_t nseq, wt_progress *p, wt_error *err) {
    size_t nwin = 0;
    const int stride = eval_stride(c);
    for (size_t s = 0; s < nseq; s++) nwin += gpt2_window_plan(seqs[s].n, c->ctx, stride, NULL);
    if (nwin == 0) return 0;
    gpt2_window *w = malloc(nwin * sizeof *w);
    gpt2_request *r = calloc(nwin, sizeof *r);
    if (!w || !r) {
        free(w), free(r);
        return wt_fail(err, "out of memory planning %zu windows", nwin);
    }
    size_t k = 0;
    for (size_t s = 0; s < nseq; s++) /* tokens no window scores stay NaN */
        for (size_t i = 0; i + 1 < seqs[s].n; i++) seqs[s].logprob[i] = NAN;
    for (size_t s = 0; s < nseq; s++) {
        size_t m = gpt2_window_plan(seqs[s].n, c->ctx, stride, w + k);
        for (size_t j = k; j < k + m; j++) {
            r[j].tokens = seqs[s].tokens + w[j].start;
            r[j].n = (int)(w[j].end - w[j].start);
            r[j].first = (int)(w[j].first - w[j].start);
            r[j].logprob = seqs[s].logprob + (w[j].first - 1);
            r[j].argmax = NULL;
        }
        k += m;
    }
    int rc = eval_score_reqs(c, r, nwin, p, err);
    free(w), free(r);
    return rc;
}

int eval_ids_push(eval_ids *a, int32_t id) {
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 256;
        int32_t *v = realloc(a->v, cap * sizeof *v);
        if (!v) return -1;
        a->v = v, a->cap = cap;
    }
    a->v[a->n++] = id;
    return 0;
}

void eval_ids_free(eval_ids *a) {
    free(a->v);
    memset(a, 0, sizeof *a);
}

int eval_encode(eval_ctx *c, const char *text, size_t len, eval_ids *out, wt_error *err) {
    tok_ids ids = {0};
    if (tok_encode(c->enc, text, len, &ids, err) < 0) {
        tok_ids_free(&ids);
        return -1;
    }
    for (size_t i = 0; i < ids.n; i++) {
        if (eval_ids_push(out, (int32_t)ids.v[i]) < 0) {
            tok_ids_free(&ids);
            return wt_fail(err, "out of memory encoding %zu bytes", len);
        }
    }
    tok_ids_free(&ids);
    return 0;
}

int eval_add_file_info(json_t *obj, const char *path, wt_error *err) {
    char hex[65];
    WT_TRY(eval_sha256_file(path, hex, err));
    json_object_set_new(obj, "file", json_string(path));
    json_object_set_new(obj, "sha256", json_string(hex));
    return 0;
}

void eval_add_timing(json_t *out, const eval_ctx *c, uint64_t fwd0, uint64_t scored,
                     double seconds) {
    uint64_t fwd = c->fwd_tokens - fwd0;
    double s = seconds > 0 ? seconds : 1e-9;
    json_object_set_new(out, "seconds", json_real(seconds));
    json_object_set_new(out, "forward_tokens", json_integer((json_int_t)fwd));
    json_object_set_new(out, "tokens_per_s", json_real((double)fwd / s));
    json_object_set_new(out, "scored_tokens_per_s", json_real((double)scored / s));
}

uint64_t eval_sum_scored(const float *lp, size_t n, double *nll) {
    uint64_t scored = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(lp[i])) continue;
        *nll -= lp[i];
        scored++;
    }
    return scored;
}

int eval_score_text(eval_ctx *c, const char *label, const char *path, const char *text, size_t len,
                    eval_text_score *out, wt_error *err) {
    eval_ids ids = {0};
    float *lp = NULL;
    int rc = 0;
    if (eval_ids_push(&ids, (int32_t)tok_vocab_eot(c->vocab)) < 0)
        rc = wt_fail(err, "out of memory");
    if (rc == 0) rc = eval_encode(c, text, len, &ids, err);
    if (rc == 0 && ids.n < 2) rc = wt_fail(err, "%s: no tokens to score", path);
    if (rc == 0 && !(lp = malloc((ids.n - 1) * sizeof *lp))) rc = wt_fail(err, "out of memory");
    uint64_t ntok = rc == 0 ? ids.n - 1 : 0;
    wt_progress p;
    wt_progress_init(&p, label, "tok", 1, ntok, c->quiet);
    wt_progress_every(&p, c->progress_interval);
    eval_seq seq = {ids.v, ids.n, lp};
    if (rc == 0) rc = eval_score_seqs(c, &seq, 1, &p, err);
    wt_progress_finish(&p);
    if (rc == 0) {
        *out = (eval_text_score){0};
        out->tokens = eval_sum_scored(lp, ntok, &out->nll);
        out->unscored = ntok - out->tokens;
    }
    free(lp);
    eval_ids_free(&ids);
    return rc;
}
