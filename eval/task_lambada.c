/* LAMBADA: predict the last word of a passage. Scores the target " " + word
 * after the context: accuracy (every target token is the greedy prediction),
 * perplexity over examples, the stop-word-filtered accuracy the paper mentions
 * and the last-BPE-token accuracy public reproductions match the paper with. */
#include "eval/eval.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eval/lambada_data.h"
#include "jsonl.h"
#include "stream.h"

/* Tokens whose text is " " + a stop-word (any case), e.g. " the", " The". */
static bool *stop_tokens(const tok_vocab *v, int nvocab) {
    bool *s = calloc((size_t)nvocab, sizeof *s);
    if (!s) return NULL;
    for (int id = 0; id < nvocab; id++) {
        size_t n;
        const char *b = tok_token_bytes(v, (uint32_t)id, &n);
        if (!b || n < 2 || n > 31 || b[0] != ' ') continue;
        char w[32];
        for (size_t i = 1; i < n; i++)
            w[i - 1] = (char)(b[i] >= 'A' && b[i] <= 'Z' ? b[i] | 0x20 : b[i]);
        s[id] = eval_is_stopword(w, n - 1);
    }
    return s;
}

/* The greedy first target token with every stop-word token removed: the
 * model's best non-stop-word token after the context, whatever the target is.
 * Runs the context through a KV cache to get the full distribution. kv and
 * logits (vocab floats) are the caller's, reused across examples. */
static int filtered_argmax(eval_ctx *c, gpt2_kv *kv, float *logits, const gpt2_request *r,
                           const bool *stop, int32_t *out, wt_error *err) {
    const int nvocab = gpt2_model_config(c->model)->vocab_size;
    gpt2_kv_reset(kv);
    WT_TRY(gpt2_kv_feed(c->model, c->ws, kv, r->tokens, r->first, logits, err));
    c->fwd_tokens += (uint64_t)r->first;
    int32_t best = -1;
    for (int t = 0; t < nvocab; t++) {
        if (stop[t]) continue;
        if (best < 0 || logits[t] > logits[best]) best = t;
    }
    *out = best;
    return 0;
}

/* The verdicts on one passage. */
typedef struct lam_verdict {
    bool all;         /* acc: every target token is the argmax */
    bool filtered;    /* acc_stopword_filter */
    bool last;        /* acc_last_token: the passage's last token is the argmax */
    bool stop_target; /* the target's first token is a stop-word token */
    int32_t pred_f;   /* the filtered first-token prediction; -1 when not needed */
} lam_verdict;

/* One record of DIR/lambada.samples.jsonl: the passage's line, the target
 * ids, their summed log-probability, the greedy prediction at each target
 * position (given the true tokens before it), the filtered first-token
 * prediction (-1 when it could not change the verdict) and the verdicts. */
static int lam_sample(wt_writer *w, uint64_t line, const gpt2_request *r, const lam_verdict *v,
                      wt_error *err) {
    int nt = r->n - r->first;
    json_t *tg = json_array(), *gr = json_array();
    double sum = 0;
    for (int j = 0; j < nt; j++) {
        json_array_append_new(tg, json_integer(r->tokens[r->first + j]));
        json_array_append_new(gr, json_integer(r->argmax[j]));
        sum += r->logprob[j];
    }
    json_t *o =
        json_pack("{s:I, s:o, s:f, s:o, s:b, s:b, s:b, s:i, s:b, s:f}", "line", (json_int_t)line,
                  "target_ids", tg, "logprob", sum, "greedy", gr, "correct", v->all,
                  "correct_stopword_filter", v->filtered, "stopword_target", v->stop_target,
                  "greedy_filtered", (int)v->pred_f, "correct_last_token", v->last,
                  "logprob_last_token", (double)r->logprob[nt - 1]);
    int rc = wt_jsonl_write(w, o, err);
    json_decref(o);
    return rc;
}

typedef struct lam_item {
    eval_ids ids;  /* context ids then target ids */
    int first;     /* index of the first target token */
    bool fallback; /* enc(context) was not a prefix of enc(context + target) */
} lam_item;

/* ids = enc(context) + target ids, where the target ids are enc(context +
 * target) minus the prefix enc(context), or enc(target) when that prefix
 * property fails. */
static int lam_encode(eval_ctx *c, const lambada_example *e, lam_item *it, wt_error *err) {
    eval_ids ctx = {0}, full = {0};
    int rc = eval_encode(c, e->text, e->ctx_len, &ctx, err);
    if (rc == 0) rc = eval_encode(c, e->text, e->len, &full, err);
    if (rc == 0) {
        bool prefix = full.n > ctx.n && memcmp(full.v, ctx.v, ctx.n * sizeof *ctx.v) == 0;
        it->ids = ctx;
        it->first = (int)ctx.n;
        it->fallback = !prefix;
        if (prefix) {
            for (size_t i = ctx.n; i < full.n && rc == 0; i++)
                rc = eval_ids_push(&it->ids, full.v[i]);
        } else {
            rc = eval_encode(c, e->text + e->ctx_len, e->len - e->ctx_len, &it->ids, err);
        }
        ctx.v = NULL;
    }
    eval_ids_free(&ctx);
    eval_ids_free(&full);
    return rc;
}

int eval_task_lambada(eval_ctx *c, const char *name, const char *path, json_t *out, wt_error *err) {
    (void)name;
    double t0 = wt_now();
    uint64_t fwd0 = c->fwd_tokens;
    lambada_set set;
    WT_TRY(lambada_read(path, c->limit, &set, err));
    const gpt2_config *cfg = gpt2_model_config(c->model);
    size_t n = set.n;
    lam_item *it = calloc(n, sizeof *it);
    gpt2_request *r = calloc(n, sizeof *r);
    bool *stop = stop_tokens(c->vocab, cfg->vocab_size);
    float *lp = NULL;
    int32_t *am = NULL;
    int rc = (it && r && stop) ? 0 : wt_fail(err, "out of memory");
    size_t ntarget = 0, fallbacks = 0, truncated = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        rc = lam_encode(c, &set.v[i], &it[i], err);
        if (rc < 0) break;
        size_t nt = it[i].ids.n - (size_t)it[i].first;
        if (nt >= (size_t)c->ctx) {
            rc = wt_fail(err, "%s:%llu: target of %zu tokens does not fit a window of %d", path,
                         (unsigned long long)set.v[i].line, nt, c->ctx);
            break;
        }
        ntarget += nt;
        fallbacks += it[i].fallback;
    }
    if (rc == 0) {
        lp = malloc((ntarget ? ntarget : 1) * sizeof *lp);
        am = malloc((ntarget ? ntarget : 1) * sizeof *am);
        if (!lp || !am) rc = wt_fail(err, "out of memory");
    }
    for (size_t i = 0, off = 0; i < n && rc == 0; i++) {
        size_t len = it[i].ids.n, skip = len > (size_t)c->ctx ? len - (size_t)c->ctx : 0;
        truncated += skip > 0; /* keep the last ctx tokens: the context loses its start */
        r[i].tokens = it[i].ids.v + skip;
        r[i].n = (int)(len - skip);
        r[i].first = it[i].first - (int)skip;
        r[i].logprob = lp + off;
        r[i].argmax = am + off;
        off += len - (size_t)it[i].first;
    }
    wt_progress p;
    wt_progress_init(&p, "lambada", "tok", 1, ntarget, c->quiet);
    wt_progress_every(&p, c->progress_interval);
    if (rc == 0) rc = eval_score_reqs(c, r, n, &p, err);
    wt_progress_finish(&p);
    double sum_lp = 0, sum_lp_last = 0;
    size_t correct = 0, correct_f = 0, correct_last = 0, stop_targets = 0;
    wt_writer *sw = NULL;
    gpt2_kv *kv = NULL;
    float *logits = NULL;
    if (rc == 0 && c->samples_dir) {
        char sp[4096];
        snprintf(sp, sizeof sp, "%s/lambada.samples.jsonl", c->samples_dir);
        if (!(sw = wt_writer_open(sp, NULL, err))) rc = -1;
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        int nt = r[i].n - r[i].first;
        lam_verdict v = {.all = true, .pred_f = -1};
        bool rest = true; /* target tokens after the first are the argmax */
        for (int j = 0; j < nt; j++) {
            sum_lp += r[i].logprob[j];
            bool hit = r[i].argmax[j] == r[i].tokens[r[i].first + j];
            v.all = v.all && hit;
            if (j > 0) rest = rest && hit;
        }
        v.last = r[i].argmax[nt - 1] == r[i].tokens[r[i].n - 1];
        sum_lp_last += r[i].logprob[nt - 1];
        int32_t target = r[i].tokens[r[i].first], pred = r[i].argmax[0];
        v.stop_target = stop[target];
        /* The filtered prediction never is a stop-word token, so a target
         * that begins with one is never right; and when the plain argmax is
         * not a stop-word token, it is the filtered argmax too (same lowest
         * id on ties). The full distribution is needed only otherwise, and
         * only when the verdict can still be true. */
        if (!stop[pred])
            v.pred_f = pred;
        else if (rest && !v.stop_target) {
            if (!kv && !(kv = gpt2_kv_create(c->model, 0, err))) rc = -1;
            if (rc == 0 && !logits && !(logits = malloc((size_t)cfg->vocab_size * sizeof *logits)))
                rc = wt_fail(err, "out of memory");
            if (rc == 0) rc = filtered_argmax(c, kv, logits, &r[i], stop, &v.pred_f, err);
        }
        v.filtered = rest && v.pred_f == target;
        correct += v.all;
        correct_f += v.filtered;
        correct_last += v.last;
        stop_targets += v.stop_target;
        if (rc == 0 && sw) rc = lam_sample(sw, set.v[i].line, &r[i], &v, err);
    }
    if (sw && rc == 0)
        rc = wt_writer_commit(sw, err);
    else if (sw)
        wt_writer_abort(sw);
    if (rc == 0) {
        json_t *m = json_object();
        json_object_set_new(m, "acc", json_real((double)correct / (double)n));
        json_object_set_new(m, "ppl", json_real(exp(-sum_lp / (double)n)));
        json_object_set_new(m, "acc_stopword_filter", json_real((double)correct_f / (double)n));
        json_object_set_new(m, "acc_last_token", json_real((double)correct_last / (double)n));
        json_object_set_new(m, "ppl_last_token", json_real(exp(-sum_lp_last / (double)n)));
        json_object_set_new(out, "metrics", m);
        json_object_set_new(out, "examples", json_integer((json_int_t)n));
        json_object_set_new(out, "words", json_integer((json_int_t)n));
        json_object_set_new(out, "tokens", json_integer((json_int_t)ntarget));
        json_object_set_new(out, "correct", json_integer((json_int_t)correct));
        json_object_set_new(out, "correct_stopword_filter", json_integer((json_int_t)correct_f));
        json_object_set_new(out, "correct_last_token", json_integer((json_int_t)correct_last));
        json_object_set_new(out, "stopword_targets", json_integer((json_int_t)stop_targets));
        json_object_set_new(out, "sum_logprob", json_real(sum_lp));
        json_object_set_new(out, "sum_logprob_last_token", json_real(sum_lp_last));
        json_object_set_new(out, "prefix_fallbacks", json_integer((json_int_t)fallbacks));
        json_object_set_new(out, "truncated_contexts", json_integer((json_int_t)truncated));
        json_t *meth = json_object();
        json_object_set_new(meth, "protocol",
                            json_string("context = passage before its last space (no "
                                        "<|endoftext|> prefix); target = \" \" + last word; "
                                        "acc: every target token is the argmax given the true "
                                        "tokens before it (lm-evaluation-harness's lambada acc); "
                                        "ppl = exp(-mean over examples of the target's summed "
                                        "log-probability) (its lambada perplexity)"));
        json_object_set_new(meth, "target_ids",
                            json_string("enc(context + target) minus the prefix enc(context); "
                                        "enc(target) when that prefix does not hold"));
        json_object_set_new(
            meth, "stopword_filter",
            json_string("acc_stopword_filter: the first target token must be the model's argmax "
                        "over the tokens that are not \" \" + a stop-word (any case; the 127 "
                        "words of NLTK's original English list, as in cybertronai/bflm); the "
                        "filter does not look at the target, so a target whose first token is "
                        "such a token (stopword_targets) counts as wrong; later target tokens "
                        "must be the plain argmax"));
        json_object_set_new(
            meth, "last_token",
            json_string("acc_last_token: the passage's last BPE token (the target's last) is the "
                        "argmax given every token before it; ppl_last_token = exp(-mean of its "
                        "log-probability) (the protocol of the reproductions in openai/gpt-2#131 "
                        "and huggingface/transformers#13761)"));
        json_object_set_new(meth, "context", json_integer(c->ctx));
        json_object_set_new(meth, "truncation",
                            json_string("longer passages keep their last `context` tokens"));
        json_object_set_new(out, "method", meth);
        eval_add_timing(out, c, fwd0, ntarget, wt_now() - t0);
    }
    for (size_t i = 0; it && i < n; i++) eval_ids_free(&it[i].ids);
    free(it), free(r), free(stop), free(lp), free(am), free(logits);
    if (kv) gpt2_kv_free(kv);
    lambada_free(&set);
    return rc;
}
