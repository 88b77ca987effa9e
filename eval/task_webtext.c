/* WebText held-out perplexity: llm.c token shards (tokens-*.bin.zst, a
 * 256-int32 header, then uint16 ids, every document preceded by 50256), each
 * document scored separately with the sliding window; token perplexity. */
#include "eval/eval.h"

#include <glob.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stream.h"

#define SHARD_MAGIC 20240520
#define SHARD_VERSION 1
#define FLUSH_TOKENS (256u * 1024u) /* documents are scored in groups of about this many tokens */

typedef struct wt_docs {
    eval_ids buf;   /* documents back to back, each starting with <|endoftext|> */
    size_t *starts; /* start of each document in buf */
    size_t ndoc, cap;
    double nll;
    uint64_t docs, tokens, empty, unscored;
} wt_docs;

static int docs_flush(eval_ctx *c, wt_docs *d, wt_progress *p, wt_error *err) {
    if (d->ndoc == 0) return 0;
    eval_seq *s = calloc(d->ndoc, sizeof *s);
    float *lp = malloc((d->buf.n ? d->buf.n : 1) * sizeof *lp);
    int rc = s && lp ? 0 : wt_fail(err, "out of memory");
    size_t ns = 0, off = 0;
    for (size_t i = 0; i < d->ndoc && rc == 0; i++) {
        size_t end = i + 1 < d->ndoc ? d->starts[i + 1] : d->buf.n, n = end - d->starts[i];
        if (n < 2) {
            d->empty++;
            continue;
        }
        s[ns++] = (eval_seq){d->buf.v + d->starts[i], n, lp + off};
        off += n - 1;
    }
    if (rc == 0) rc = eval_score_seqs(c, s, ns, p, err);
    if (rc == 0) {
        uint64_t scored = eval_sum_scored(lp, off, &d->nll);
        d->tokens += scored;
        d->unscored += off - scored;
    }
    free(s), free(lp);
    d->buf.n = 0, d->ndoc = 0;
    return rc;
}

static int docs_open(wt_docs *d, int32_t eot, wt_error *err) {
    if (d->ndoc == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 256;
        size_t *v = realloc(d->starts, cap * sizeof *v);
        if (!v) return wt_fail(err, "out of memory");
        d->starts = v, d->cap = cap;
    }
    d->starts[d->ndoc++] = d->buf.n;
    d->docs++;
    return eval_ids_push(&d->buf, eot) < 0 ? wt_fail(err, "out of memory") : 0;
}

/* Reads exactly n bytes (less only at the end of the stream). */
static ssize_t read_full(wt_reader *r, void *buf, size_t n, wt_error *err) {
    size_t got = 0;
    while (got < n) {
        ssize_t k = wt_reader_read(r, (char *)buf + got, n - got, err);
        if (k < 0) return -1;
        if (k == 0) break;
        got += (size_t)k;
    }
    return (ssize_t)got;
}

static int shard_score(eval_ctx *c, const char *path, wt_docs *d, wt_progress *p, wt_error *err) {
    wt_reader *r = wt_reader_open(path, err);
    if (!r) return -1;
    int32_t hdr[256];
    ssize_t k = read_full(r, hdr, sizeof hdr, err);
    int rc = k < 0 ? -1 : 0;
    if (rc == 0 && (k != (ssize_t)sizeof hdr || hdr[0] != SHARD_MAGIC))
        rc = wt_fail(err,
                     "%s: not an llm.c token shard (bad magic)\nHINT: expected "
                     "tokens-NNNNN.bin[.zst] written by `tokenize`",
                     path);
    if (rc == 0 && hdr[1] != SHARD_VERSION)
        rc = wt_fail(err, "%s: token shard version %d, expected %d (uint16 GPT-2 ids)", path,
                     hdr[1], SHARD_VERSION);
    const int32_t eot = (int32_t)tok_vocab_eot(c->vocab);
    const int nvocab = gpt2_model_config(c->model)->vocab_size;
    uint64_t seen = 0;
    uint16_t chunk[32768];
    bool stop = false;
    while (rc == 0 && !stop && (k = read_full(r, chunk, sizeof chunk, err)) > 0) {
        if (k % 2) {
            rc = wt_fail(err, "%s: odd number of token bytes (truncated file)", path);
            break;
        }
        for (size_t i = 0; i < (size_t)k / 2 && rc == 0; i++, seen++) {
            int32_t t = chunk[i];
            if (t >= nvocab) {
                rc = wt_fail(err, "%s: token %llu: id %d is outside the vocabulary (%d)", path,
                             (unsigned long long)seen, t, nvocab);
                break;
            }
            if (t == eot || d->ndoc == 0) {
                if (c->limit > 0 && (int64_t)d->docs == c->limit) {
                    stop = true;
                    break;
                }
                if (d->buf.n >= FLUSH_TOKENS) rc = docs_flush(c, d, p, err);
                if (rc == 0) rc = docs_open(d, eot, err);
                if (t == eot) continue;
            }
            if (rc == 0 && eval_ids_push(&d->buf, t) < 0) rc = wt_fail(err, "out of memory");
        }
    }
    if (rc == 0 && k < 0) rc = -1;
    if (rc == 0 && !stop && seen != (uint64_t)(uint32_t)hdr[2])
        rc = wt_fail(err, "%s: header says %u tokens, the file holds %llu", path, (unsigned)hdr[2],
                     (unsigned long long)seen);
    wt_reader_close(r);
    if (rc == 0) rc = docs_flush(c, d, p, err);
    return rc;
}

int eval_task_webtext(eval_ctx *c, const char *name, const char *path, json_t *out, wt_error *err) {
    double t0 = wt_now();
    uint64_t fwd0 = c->fwd_tokens;
    char pat[4096];
    glob_t g;
    snprintf(pat, sizeof pat, "%s/tokens-*.bin*", path);
    if (glob(pat, 0, NULL, &g) != 0 || g.gl_pathc == 0) {
        globfree(&g);
        return wt_fail(err, "%s: no tokens-*.bin.zst shards", path);
    }
    wt_docs d = {0};
    wt_progress p;
    wt_progress_init(&p, name, "tok", 1, 0, c->quiet);
    wt_progress_every(&p, c->progress_interval);
    json_t *files = json_array();
    int rc = 0;
    for (size_t i = 0; i < g.gl_pathc && rc == 0; i++) {
        if (strstr(g.gl_pathv[i], ".idx")) continue;
        if (c->limit > 0 && (int64_t)d.docs >= c->limit) break;
        json_t *f = json_object();
        rc = eval_add_file_info(f, g.gl_pathv[i], err);
        json_array_append_new(files, f);
        if (rc == 0) rc = shard_score(c, g.gl_pathv[i], &d, &p, err);
    }
    wt_progress_finish(&p);
    if (rc == 0 && d.tokens == 0) rc = wt_fail(err, "%s: no tokens to score", path);
    if (rc == 0) {
        json_t *m = json_object();
        json_object_set_new(m, "token_ppl", json_real(exp(d.nll / (double)d.tokens)));
        json_object_set_new(out, "metrics", m);
        json_object_set_new(out, "examples", json_integer((json_int_t)d.docs));
        json_object_set_new(out, "empty_documents", json_integer((json_int_t)d.empty));
        json_object_set_new(out, "tokens", json_integer((json_int_t)d.tokens));
        json_object_set_new(out, "unscored_tokens", json_integer((json_int_t)d.unscored));
        json_object_set_new(out, "nll", json_real(d.nll));
        json_object_set_new(out, "shards", json_incref(files));
        json_t *meth = json_object();
        json_object_set_new(meth, "protocol",
                            json_string("documents split at <|endoftext|> (50256), each scored "
                                        "separately with the sliding window, its 50256 as "
                                        "context; token_ppl = exp(NLL / tokens)"));
        eval_add_window(meth, c);
        json_object_set_new(meth, "limit",
                            json_string(c->limit > 0 ? "first N documents" : "all documents"));
        json_object_set_new(out, "method", meth);
        eval_add_timing(out, c, fwd0, d.tokens, wt_now() - t0);
    }
    json_decref(files);
    globfree(&g);
    eval_ids_free(&d.buf);
    free(d.starts);
    return rc;
}
