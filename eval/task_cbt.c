/* Children's Book Test (common nouns, named entities): for every candidate,
 * the log-probability of the candidate and the rest of the 21st sentence,
 * conditioned on the 20 context sentences and the sentence up to the blank;
 * the highest-scoring candidate is the prediction. */
#include "eval/eval.h"

#include <stdlib.h>
#include <string.h>

#include "eval/cbt_data.h"
#include "eval/detok.h"
#include "jsonl.h"
#include "stream.h"

int cbt_texts(const cbt_example *e, tok_bytes *ctx, tok_bytes *pre, tok_bytes *post) {
    for (int i = 0; i < CBT_CONTEXT_LINES; i++) {
        if (i > 0 && tok_bytes_append(ctx, " ", 1) < 0) return -1;
        if (eval_detok_line(DETOK_CBT, e->context[i], strlen(e->context[i]), ctx, NULL, 0) < 0)
            return -1;
    }
    tok_bytes q = {0};
    size_t offs[512];
    long nt = eval_detok_line(DETOK_CBT, e->query, strlen(e->query), &q, offs, 512);
    /* the blank token's position among the query's tokens */
    const char *p = e->query;
    long k = -1;
    for (long t = 0; t < nt && t < 512; t++) {
        while (*p == ' ' || *p == '\t' || *p == '\r') p++; /* detok's token separators */
        size_t n = strcspn(p, " \t\r");
        if (n == 5 && memcmp(p, "XXXXX", 5) == 0) {
            k = t;
            break;
        }
        p += n;
    }
    int rc = nt < 0 || k < 0 || offs[k] + 5 > q.n || memcmp(q.p + offs[k], "XXXXX", 5) ? -1 : 0;
    if (rc == 0) {
        size_t b = offs[k];
        bool space = b > 0 && q.p[b - 1] == ' ';
        size_t pl = space ? b - 1 : b;
        if (pl > 0)
            rc = tok_bytes_append(ctx, " ", 1) < 0 || tok_bytes_append(ctx, q.p, pl) < 0 ? -1 : 0;
        /* a blank that starts the sentence follows the context after a space */
        if (rc == 0 && (space || pl == 0)) rc = tok_bytes_append(pre, " ", 1);
        if (rc == 0) rc = tok_bytes_append(post, q.p + b + 5, q.n - b - 5);
    }
    tok_bytes_free(&q);
    return rc;
}

/* Per-task state: the prefix cache and its timing. */
typedef struct cbt_run {
    gpt2_kv *kv;      /* the shared context of one question (prefix_cache) */
    float *logits;    /* vocab floats for gpt2_kv_feed */
    double t_ctx;     /* seconds spent on contexts (KV feed) */
    double t_cand;    /* seconds spent on candidates */
    uint64_t ntok;    /* scored tokens */
    size_t truncated; /* questions whose context lost its start */
} cbt_run;

/* Scores every candidate of one question: score[k] = summed log-probability
 * of candidate k's continuation, lp[k] its per-token values (CBT_MAX_TOKENS).
 * The context is cut once, to the last tokens that leave room for the
 * longest continuation in a window of c->ctx, the same for every candidate.
 * With the prefix cache it runs through the model once (all but its last
 * token into the KV cache) and each candidate is scored as that last token +
 * its continuation reading the cache; without it, each candidate's request
 * is the cut context + its continuation (the reference). */
static int cbt_question(eval_ctx *c, cbt_run *st, const char *path, const cbt_example *e,
                        double *score, float (*lp)[CBT_MAX_TOKENS], int *nlp, wt_error *err) {
    tok_bytes ctx = {0}, pre = {0}, post = {0};
    eval_ids cids = {0}, cont[CBT_MAX_CANDIDATES] = {{0}}, seq[CBT_MAX_CANDIDATES] = {{0}};
    gpt2_request r[CBT_MAX_CANDIDATES];
    int rc = 0;
    if (cbt_texts(e, &ctx, &pre, &post) < 0)
        rc = wt_fail(err, "%s:%llu: question has no separate XXXXX token", path,
                     (unsigned long long)e->line + CBT_CONTEXT_LINES);
    if (rc == 0) rc = eval_encode(c, ctx.p, ctx.n, &cids, err);
    size_t maxc = 0;
    for (int k = 0; k < e->ncand && rc == 0; k++) {
        tok_bytes t = {0};
        if (tok_bytes_append(&t, pre.p ? pre.p : "", pre.n) < 0 ||
            tok_bytes_append(&t, e->candidates[k], strlen(e->candidates[k])) < 0 ||
            tok_bytes_append(&t, post.p ? post.p : "", post.n) < 0)
            rc = wt_fail(err, "out of memory");
        if (rc == 0) rc = eval_encode(c, t.p, t.n, &cont[k], err);
        tok_bytes_free(&t);
        if (rc == 0 &&
            (cont[k].n == 0 || cont[k].n + 1 > (size_t)c->ctx || cont[k].n > CBT_MAX_TOKENS))
            rc = wt_fail(err, "%s:%llu: continuation of %zu tokens does not fit a window of %d",
                         path, (unsigned long long)e->line, cont[k].n, c->ctx);
        if (rc == 0 && cont[k].n > maxc) maxc = cont[k].n;
    }
    if (rc == 0 && cids.n == 0)
        rc = wt_fail(err, "%s:%llu: empty context", path, (unsigned long long)e->line);
    /* the shared context: its last K tokens, the same for every candidate */
    size_t K = rc == 0 && cids.n > (size_t)c->ctx - maxc ? (size_t)c->ctx - maxc : cids.n;
    const int32_t *shared = rc == 0 ? cids.v + (cids.n - K) : NULL;
    if (rc == 0) st->truncated += K < cids.n;
    for (int k = 0; k < e->ncand && rc == 0; k++) {
        size_t from = c->prefix_cache ? K - 1 : 0; /* the request repeats what the cache lacks */
        for (size_t j = from; j < K && rc == 0; j++)
            if (eval_ids_push(&seq[k], shared[j]) < 0) rc = wt_fail(err, "out of memory");
        for (size_t j = 0; j < cont[k].n && rc == 0; j++)
            if (eval_ids_push(&seq[k], cont[k].v[j]) < 0) rc = wt_fail(err, "out of memory");
        r[k] = (gpt2_request){
            .tokens = seq[k].v, .n = (int)seq[k].n, .first = (int)(K - from), .logprob = lp[k]};
        nlp[k] = (int)cont[k].n;
    }
    double t0 = wt_now();
    if (rc == 0 && c->prefix_cache) {
        gpt2_kv_reset(st->kv);
        if (K > 1) rc = gpt2_kv_feed(c->model, c->ws, st->kv, shared, (int)K - 1, st->logits, err);
        c->fwd_tokens += K - 1;
        double t1 = wt_now();
        st->t_ctx += t1 - t0;
        if (rc == 0) rc = gpt2_kv_score(c->model, c->ws, st->kv, r, (size_t)e->ncand, err);
        for (int k = 0; k < e->ncand; k++) c->fwd_tokens += (uint64_t)r[k].n;
        st->t_cand += wt_now() - t1;
    } else if (rc == 0) {
        rc = eval_score_reqs(c, r, (size_t)e->ncand, NULL, err);
        st->t_cand += wt_now() - t0;
    }
    for (int k = 0; k < e->ncand && rc == 0; k++) {
        double sum = 0;
        for (int t = 0; t < nlp[k]; t++) sum += lp[k][t];
        score[k] = sum;
        st->ntok += (uint64_t)nlp[k];
    }
    for (int k = 0; k < CBT_MAX_CANDIDATES; k++) eval_ids_free(&cont[k]), eval_ids_free(&seq[k]);
    eval_ids_free(&cids);
    tok_bytes_free(&ctx), tok_bytes_free(&pre), tok_bytes_free(&post);
    return rc;
}

/* One record of DIR/TASK.samples.jsonl. */
static int cbt_sample(wt_writer *w, const cbt_example *e, const double *score,
                      float (*lp)[CBT_MAX_TOKENS], const int *nlp, int best, wt_error *err) {
    json_t *sc = json_array(), *lps = json_array();
    for (int k = 0; k < e->ncand; k++) {
        json_array_append_new(sc, json_real(score[k]));
        json_t *a = json_array();
        for (int t = 0; t < nlp[k]; t++) json_array_append_new(a, json_real(lp[k][t]));
        json_array_append_new(lps, a);
    }
    json_t *o = json_pack("{s:I, s:o, s:o, s:i, s:i}", "line", (json_int_t)e->line, "scores", sc,
                          "logprobs", lps, "answer", e->answer, "prediction", best);
    int rc = wt_jsonl_write(w, o, err);
    json_decref(o);
    return rc;
}

int eval_task_cbt(eval_ctx *c, const char *name, const char *path, json_t *out, wt_error *err) {
    double t0 = wt_now();
    uint64_t fwd0 = c->fwd_tokens;
    cbt_set s;
    WT_TRY(cbt_read(path, c->limit, &s, err));
    wt_progress p;
    wt_progress_init(&p, name, "ex", 1, s.n, c->quiet);
    wt_progress_every(&p, c->progress_interval);
    cbt_run st = {0};
    double score[CBT_MAX_CANDIDATES];
    float(*lp)[CBT_MAX_TOKENS] = malloc(CBT_MAX_CANDIDATES * sizeof *lp);
    int nlp[CBT_MAX_CANDIDATES];
    size_t correct = 0;
    int rc = lp ? 0 : wt_fail(err, "out of memory");
    if (rc == 0 && c->prefix_cache) {
        st.kv = gpt2_kv_create(c->model, 0, err);
        st.logits = malloc((size_t)gpt2_model_config(c->model)->vocab_size * sizeof(float));
        if (!st.kv)
            rc = -1;
        else if (!st.logits)
            rc = wt_fail(err, "out of memory");
    }
    wt_writer *sw = NULL; /* --samples: one record per question */
    if (rc == 0 && c->samples_dir) {
        char sp[4096];
        snprintf(sp, sizeof sp, "%s/%s.samples.jsonl", c->samples_dir, name);
        if (!(sw = wt_writer_open(sp, NULL, err))) rc = -1;
    }
    for (size_t i = 0; i < s.n && rc == 0; i++) {
        rc = cbt_question(c, &st, path, &s.v[i], score, lp, nlp, err);
        int best = 0;
        for (int k = 1; rc == 0 && k < s.v[i].ncand; k++)
            if (score[k] > score[best]) best = k;
        correct += rc == 0 && best == s.v[i].answer;
        if (rc == 0 && sw) rc = cbt_sample(sw, &s.v[i], score, lp, nlp, best, err);
        wt_progress_set(&p, i + 1);
    }
    wt_progress_finish(&p);
    if (sw && rc == 0)
        rc = wt_writer_commit(sw, err);
    else if (sw)
        wt_writer_abort(sw);
    if (rc == 0) {
        json_t *m = json_object();
        json_object_set_new(m, "acc", json_real((double)correct / (double)s.n));
        json_object_set_new(out, "metrics", m);
        json_object_set_new(out, "examples", json_integer((json_int_t)s.n));
        json_object_set_new(out, "correct", json_integer((json_int_t)correct));
        json_object_set_new(out, "tokens", json_integer((json_int_t)st.ntok));
        json_object_set_new(out, "truncated_contexts", json_integer((json_int_t)st.truncated));
        json_object_set_new(out, "context_seconds", json_real(st.t_ctx));
        json_object_set_new(out, "candidate_seconds", json_real(st.t_cand));
        json_t *meth = json_object();
        json_object_set_new(meth, "protocol",
                            json_string("score(candidate) = sum of log-probabilities of the "
                                        "candidate and the rest of sentence 21, given sentences "
                                        "1-20 (joined by spaces) and sentence 21 up to the blank; "
                                        "the highest score is the prediction (ties: first)"));
        json_object_set_new(meth, "detokenizer", json_string(eval_detok_name(DETOK_CBT)));
        json_object_set_new(meth, "context", json_integer(c->ctx));
        json_object_set_new(meth, "truncation",
                            json_string("the context is cut once per question to its last "
                                        "`context` - (longest continuation) tokens, the same "
                                        "for every candidate"));
        json_object_set_new(meth, "prefix_cache",
                            json_string(c->prefix_cache
                                            ? "the context runs through the model once (KV "
                                              "cache); every candidate reads it"
                                            : "off: every candidate re-runs the context"));
        json_object_set_new(out, "method", meth);
        eval_add_timing(out, c, fwd0, st.ntok, wt_now() - t0);
    }
    if (st.kv) gpt2_kv_free(st.kv);
    free(st.logits);
    free(lp);
    cbt_free(&s);
    return rc;
}
