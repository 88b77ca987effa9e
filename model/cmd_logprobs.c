/* bin/model `logprobs`: lines of token ids in, one line of per-token natural
 * log-probabilities out (tokens 1..n-1), long lines scored with sliding
 * windows; --batch lines share the forward passes. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opts.h"
#include "progress.h"
#include "gpt2.h"
#include "jsonl.h"
#include "model_cmds.h"
#include "stream.h"

typedef struct seq {
    int32_t *tok; /* n ids */
    size_t n, cap;
    float *lp; /* n - 1 log-probs */
} seq;

/* Parses one line of ids into s; returns -1 with err naming the line. */
static int parse_line(const char *line, size_t len, int vocab, uint64_t lineno, const char *path,
                      seq *s, wt_error *err) {
    s->n = 0;
    const char *p = line, *end = line + len;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\r')) p++;
        if (p >= end) break;
        char *q;
        errno = 0;
        long long v = strtoll(p, &q, 10);
        if (q == p || errno || (q < end && *q != ' ' && *q != '\t' && *q != '\r'))
            return wt_fail(err, "%s:%llu: '%.*s' is not a token id", path,
                           (unsigned long long)lineno, (int)(q > p ? q - p + 1 : 1), p);
        if (v < 0 || v >= vocab)
            return wt_fail(err,
                           "%s:%llu: token id %lld at position %zu is not in [0, %d) "
                           "(vocab_size). HINT: the ids must come from this model's tokenizer",
                           path, (unsigned long long)lineno, v, s->n, vocab);
        if (s->n == s->cap) {
            size_t cap = s->cap ? 2 * s->cap : 256;
            int32_t *t = realloc(s->tok, cap * sizeof *t);
            if (!t) return wt_fail(err, "out of memory");
            s->tok = t;
            s->cap = cap;
        }
        s->tok[s->n++] = (int32_t)v;
        p = q;
    }
    return 0;
}

/* Scores the batch's lines together: all their windows in one gpt2_score. */
static int score_batch(const gpt2_model *m, gpt2_ws *ws, seq *b, size_t nb, int ctx, int stride,
                       wt_error *err) {
    size_t nw = 0;
    for (size_t i = 0; i < nb; i++) nw += gpt2_window_plan(b[i].n, ctx, stride, NULL);
    gpt2_window *w = malloc((nw ? nw : 1) * sizeof *w);
    gpt2_request *r = malloc((nw ? nw : 1) * sizeof *r);
    int rc = (w && r) ? 0 : wt_fail(err, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < nb && rc == 0; i++) {
        float *lp = realloc(b[i].lp, (b[i].n ? b[i].n : 1) * sizeof *lp);
        if (!lp) {
            rc = wt_fail(err, "out of memory");
            break;
        }
        b[i].lp = lp;
        for (size_t j = 0; j + 1 < b[i].n; j++) lp[j] = 0.0f / 0.0f; /* unscored: nan */
        size_t c = gpt2_window_plan(b[i].n, ctx, stride, w + k);
        for (size_t j = k; j < k + c; j++)
            r[j] = (gpt2_request){.tokens = b[i].tok + w[j].start,
                                  .n = (int)(w[j].end - w[j].start),
                                  .first = (int)(w[j].first - w[j].start),
                                  .logprob = lp + w[j].first - 1};
        k += c;
    }
    if (rc == 0) rc = gpt2_score(m, ws, r, nw, err);
    free(w);
    free(r);
    return rc;
}

static int write_batch(wt_writer *out, const seq *b, size_t nb, wt_error *err) {
    for (size_t i = 0; i < nb; i++) {
        for (size_t j = 0; j + 1 < b[i].n; j++)
            WT_TRY(wt_writer_printf(out, err, j ? " %.6f" : "%.6f", (double)b[i].lp[j]));
        WT_TRY(wt_writer_write(out, "\n", 1, err));
    }
    return 0;
}

typedef struct lp_opts {
    const char *dir, *in, *out, *stats;
    int64_t ctx, stride, batch, threads;
    bool quiet;
} lp_opts;

static int run(const lp_opts *o, wt_error *err) {
    gpt2_model *m = gpt2_load(o->dir, err);
    if (!m) return -1;
    const gpt2_config *c = gpt2_model_config(m);
    int ctx = o->ctx ? (int)o->ctx : c->n_ctx;
    int stride = o->stride ? (int)o->stride : (ctx > 1 ? ctx / 2 : 1);
    int rc = 0;
    if (ctx > c->n_ctx || stride > ctx)
        rc = wt_fail(err, "--ctx %d / --stride %d: need stride <= ctx <= n_ctx (%d)", ctx, stride,
                     c->n_ctx);
    gpt2_ws *ws = rc ? NULL : gpt2_ws_create(m, (size_t)o->batch * (size_t)ctx, err);
    wt_reader *in = ws ? wt_reader_open(o->in, err) : NULL;
    wt_writer_opts wo = {.codec = WT_CODEC_PLAIN, .no_fsync = true};
    wt_writer *out = in ? wt_writer_open(o->out, &wo, err) : NULL;
    seq *b = calloc((size_t)o->batch, sizeof *b);
    if (!out || !b) rc = -1;
    size_t nb = 0, lines = 0, scored = 0;
    double t0 = wt_now(), busy = 0;
    wt_progress prog;
    wt_progress_init(&prog, "model logprobs", "tokens", 1, 0, o->quiet);
    char *line;
    size_t len;
    int got = 0;
    while (rc == 0 && (got = wt_reader_getline(in, &line, &len, err)) == 1) {
        rc = parse_line(line, len, c->vocab_size, wt_reader_line_no(in), wt_reader_path(in), &b[nb],
                        err);
        if (rc == 0) scored += b[nb].n ? b[nb].n - 1 : 0, lines++;
        if (rc == 0 && ++nb == (size_t)o->batch) {
            double t = wt_now();
            rc = score_batch(m, ws, b, nb, ctx, stride, err);
            busy += wt_now() - t;
            if (rc == 0) rc = write_batch(out, b, nb, err);
            wt_progress_set(&prog, scored);
            nb = 0;
        }
    }
    if (got < 0) rc = -1;
    if (rc == 0 && nb) {
        double t = wt_now();
        rc = score_batch(m, ws, b, nb, ctx, stride, err);
        busy += wt_now() - t;
    }
    if (rc == 0 && nb) rc = write_batch(out, b, nb, err);
    wt_progress_set(&prog, scored);
    wt_progress_finish(&prog);
    if (rc == 0 && !o->quiet)
        fprintf(stderr,
                "model logprobs: %zu lines, %zu tokens scored in %.3f s of forward passes "
                "(%.1f tok/s; %.3f s in all; window %d, stride %d, BLAS %s)\n",
                lines, scored, busy, busy > 0 ? scored / busy : 0.0, wt_now() - t0, ctx, stride,
                gpt2_blas_core());
    if (rc == 0 && o->stats) {
        json_t *st =
            json_pack("{s:I, s:I, s:f, s:f, s:i, s:i, s:i, s:s}", "lines", (json_int_t)lines,
                      "tokens_scored", (json_int_t)scored, "forward_seconds", busy,
                      "tokens_per_second", busy > 0 ? scored / busy : 0.0, "window", ctx, "stride",
                      stride, "batch", (int)o->batch, "blas_kernel", gpt2_blas_core());
        rc = st ? wt_json_write_file(o->stats, st, err) : wt_fail(err, "out of memory");
        json_decref(st);
    }
    if (out) {
        if (rc == 0)
            rc = wt_writer_commit(out, err);
        else
            wt_writer_abort(out);
    }
    for (int64_t i = 0; b && i < o->batch; i++) {
        free(b[i].tok);
        free(b[i].lp);
    }
    free(b);
    if (in) wt_reader_close(in);
    gpt2_ws_free(ws);
    gpt2_free(m);
    return rc;
}

int model_cmd_logprobs(int argc, char **argv) {
    lp_opts o = {0};
    const wt_opt table[] = {
        WT_STR("model", 'm', &o.dir, "DIR|NAME", NULL, MODEL_OPT_HELP),
        WT_INT("ctx", 0, &o.ctx, "C", NULL, 2, 1 << 20, "window (default n_ctx)"),
        WT_INT("stride", 0, &o.stride, "S", NULL, 1, 1 << 20,
               "window stride for long lines (default C/2): windows start at\n"
               "0, S, 2S, ...; each token is scored once, in the first window\n"
               "that reaches it, with the window's earlier tokens as context"),
        WT_INT("batch", 0, &o.batch, "B", "8", 1, 4096, "lines scored together"),
        WT_INT("threads", 0, &o.threads, "N", NULL, 0, 1024, "BLAS threads (default all cores)"),
        WT_STR("output", 'o', &o.out, "OUTPUT", "-", "output file (- is stdout)"),
        WT_FLAG("quiet", 'q', &o.quiet, "no timing summary on stderr"),
        WT_STR("stats", 0, &o.stats, "FILE", NULL, "write counts and timings as JSON"),
        WT_OPTS_END};
    const wt_cmd_spec spec = {
        "model logprobs", "--model DIR|NAME [options] [INPUT] [-o OUTPUT]",
        "Reads token ids, one sequence per line (ids separated by spaces), from INPUT\n"
        "(default stdin) and writes per line the natural-log probability of tokens\n"
        "1..n-1 given the tokens before them, space separated.\n",
        table, NULL};
    int code, first = wt_opts_parse(&spec, argc, argv, &code);
    if (first < 0) return code;
    o.in = first < argc ? argv[first++] : "-";
    if (!o.dir || first < argc)
        return wt_opts_usage_error(&spec, "--model DIR is required (and at most one INPUT)");
    gpt2_blas_threads((int)o.threads);
    if (!o.quiet && gpt2_blas_advice())
        fprintf(stderr, "model logprobs: note: %s\n", gpt2_blas_advice());
    wt_error err;
    if (run(&o, &err) != 0) {
        wt_report("model", &err);
        return WT_EXIT_FAIL;
    }
    return WT_EXIT_OK;
}
