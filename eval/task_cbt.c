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

typedef struct cbt_batch {
    eval_ids *seqs; /* one per candidate: context ids + continuation ids */
    gpt2_request *reqs;
    float *lp;
    size_t nreq, nlp;
} cbt_batch;

/* Scores examples [i0, i1): fills score[] (one per candidate, in order). */
static int cbt_score_chunk(eval_ctx *c, const char *path, const cbt_set *s, size_t i0, size_t i1,
                           double *score, uint64_t *ntok, wt_progress *p, wt_error *err) {
    size_t nreq = 0;
    for (size_t i = i0; i < i1; i++) nreq += (size_t)s->v[i].ncand;
    eval_ids *seq = calloc(nreq, sizeof *seq);
    gpt2_request *r = calloc(nreq, sizeof *r);
    if (!seq || !r) {
        free(seq), free(r);
        return wt_fail(err, "out of memory");
    }
    int rc = 0;
    size_t q = 0, nlp = 0;
    for (size_t i = i0; i < i1 && rc == 0; i++) {
        const cbt_example *e = &s->v[i];
        tok_bytes ctx = {0}, pre = {0}, post = {0};
        if (cbt_texts(e, &ctx, &pre, &post) < 0)
            rc = wt_fail(err, "%s:%llu: question has no separate XXXXX token", path,
                         (unsigned long long)e->line + CBT_CONTEXT_LINES);
        eval_ids cids = {0};
        if (rc == 0) rc = eval_encode(c, ctx.p, ctx.n, &cids, err);
        for (int k = 0; k < e->ncand && rc == 0; k++, q++) {
            tok_bytes cont = {0};
            if (tok_bytes_append(&cont, pre.p ? pre.p : "", pre.n) < 0 ||
                tok_bytes_append(&cont, e->candidates[k], strlen(e->candidates[k])) < 0 ||
                tok_bytes_append(&cont, post.p ? post.p : "", post.n) < 0)
                rc = wt_fail(err, "out of memory");
            for (size_t j = 0; j < cids.n && rc == 0; j++)
                if (eval_ids_push(&seq[q], cids.v[j]) < 0) rc = wt_fail(err, "out of memory");
            if (rc == 0) rc = eval_encode(c, cont.p, cont.n, &seq[q], err);
            tok_bytes_free(&cont);
            if (rc < 0) break;
            size_t nc = seq[q].n - cids.n,
                   skip = seq[q].n > (size_t)c->ctx ? seq[q].n - (size_t)c->ctx : 0;
            if (nc + 1 > (size_t)c->ctx || nc == 0) {
                rc = wt_fail(err, "%s:%llu: continuation of %zu tokens does not fit a window of %d",
                             path, (unsigned long long)e->line, nc, c->ctx);
                break;
            }
            r[q].tokens = seq[q].v + skip;
            r[q].n = (int)(seq[q].n - skip);
            r[q].first = (int)(cids.n - skip);
            nlp += nc;
        }
        eval_ids_free(&cids);
        tok_bytes_free(&ctx), tok_bytes_free(&pre), tok_bytes_free(&post);
    }
    float *lp = rc == 0 ? malloc((nlp ? nlp : 1) * sizeof *lp) : NULL;
    if (rc == 0 && !lp) rc = wt_fail(err, "out of memory");
    for (size_t j = 0, off = 0; j < nreq && rc == 0; j++) {
        r[j].logprob = lp + off;
        off += (size_t)(r[j].n - r[j].first);
    }
    if (rc == 0) rc = eval_score_reqs(c, r, nreq, p, err);
    for (size_t j = 0; j < nreq && rc == 0; j++) {
        double sum = 0;
        for (int t = 0; t < r[j].n - r[j].first; t++) sum += r[j].logprob[t];
        score[j] = sum;
    }
    *ntok += nlp;
    for (size_t j = 0; j < nreq; j++) eval_ids_free(&seq[j]);
    free(seq), free(r), free(lp);
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
    const size_t chunk = 16;
    double score[16 * CBT_MAX_CANDIDATES];
    size_t correct = 0;
    uint64_t ntok = 0;
    int rc = 0;
    wt_writer *sw = NULL; /* --samples: one record per question */
    if (c->samples_dir) {
        char sp[4096];
        snprintf(sp, sizeof sp, "%s/%s.samples.jsonl", c->samples_dir, name);
        if (!(sw = wt_writer_open(sp, NULL, err))) rc = -1;
    }
    for (size_t i0 = 0; i0 < s.n && rc == 0; i0 += chunk) {
        size_t i1 = i0 + chunk < s.n ? i0 + chunk : s.n;
        rc = cbt_score_chunk(c, path, &s, i0, i1, score, &ntok, NULL, err);
        for (size_t i = i0, q = 0; i < i1 && rc == 0; i++) {
            int best = 0;
            for (int k = 1; k < s.v[i].ncand; k++)
                if (score[q + (size_t)k] > score[q + (size_t)best]) best = k;
            correct += best == s.v[i].answer;
            if (sw) {
                json_t *sc = json_array();
                for (int k = 0; k < s.v[i].ncand; k++)
                    json_array_append_new(sc, json_real(score[q + (size_t)k]));
                json_t *o = json_pack("{s:I, s:o, s:i, s:i}", "line", (json_int_t)s.v[i].line,
                                      "scores", sc, "answer", s.v[i].answer, "prediction", best);
                rc = wt_jsonl_write(sw, o, err);
                json_decref(o);
            }
            q += (size_t)s.v[i].ncand;
        }
        wt_progress_set(&p, i1);
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
        json_object_set_new(out, "tokens", json_integer((json_int_t)ntok));
        json_t *meth = json_object();
        json_object_set_new(meth, "protocol",
                            json_string("score(candidate) = sum of log-probabilities of the "
                                        "candidate and the rest of sentence 21, given sentences "
                                        "1-20 (joined by spaces) and sentence 21 up to the blank; "
                                        "the highest score is the prediction (ties: first)"));
        json_object_set_new(meth, "detokenizer", json_string(eval_detok_name(DETOK_CBT)));
        json_object_set_new(meth, "context", json_integer(c->ctx));
        json_object_set_new(meth, "truncation",
                            json_string("a sequence longer than `context` keeps its last tokens"));
        json_object_set_new(out, "method", meth);
        eval_add_timing(out, c, fwd0, ntok, wt_now() - t0);
    }
    cbt_free(&s);
    return rc;
}
