/* bin/model `next`: the whole next-token distribution after each line of
 * token ids, as raw float32 log-probabilities (vocab_size per line), computed
 * through the KV cache: a reference for checks that need more than the
 * scored token's probability (e.g. LAMBADA's stop-word filter). */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "gpt2.h"
#include "opts.h"
#include "model_cmds.h"
#include "stream.h"

/* Parses "id id ..." into ids (at most max); -1 with err naming the line. */
static int next_parse(const char *path, uint64_t lineno, const char *p, const char *end, int vocab,
                      int32_t *ids, int max, int *n, wt_error *err) {
    *n = 0;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\r')) p++;
        if (p >= end) break;
        char *q;
        errno = 0;
        long v = strtol(p, &q, 10);
        if (q == p || errno || (q < end && *q != ' ' && *q != '\t' && *q != '\r') || v < 0 ||
            v >= vocab)
            return wt_fail(err, "%s:%llu: token %d is not an id in [0, %d)", path,
                           (unsigned long long)lineno, *n + 1, vocab);
        if (*n == max)
            return wt_fail(err, "%s:%llu: more than %d tokens (n_ctx)", path,
                           (unsigned long long)lineno, max);
        ids[(*n)++] = (int32_t)v;
        p = q;
    }
    if (*n == 0) return wt_fail(err, "%s:%llu: no token ids", path, (unsigned long long)lineno);
    return 0;
}

static int next_run(const char *dir, const char *inpath, const char *outpath, wt_error *err) {
    gpt2_model *m = gpt2_load(dir, err);
    if (!m) return -1;
    const gpt2_config *c = gpt2_model_config(m);
    gpt2_ws *ws = gpt2_ws_create(m, 0, err);
    gpt2_kv *kv = ws ? gpt2_kv_create(m, 0, err) : NULL;
    int32_t *ids = malloc((size_t)c->n_ctx * sizeof *ids);
    float *lg = malloc((size_t)c->vocab_size * sizeof *lg);
    int rc = kv ? 0 : -1;
    if (rc == 0 && (!ids || !lg)) rc = wt_fail(err, "out of memory");
    wt_reader *in = rc == 0 ? wt_reader_open(inpath, err) : NULL;
    wt_writer_opts wo = {.codec = WT_CODEC_PLAIN, .no_fsync = true};
    wt_writer *out = in ? wt_writer_open(outpath, &wo, err) : NULL;
    if (!out) rc = -1;
    char *line;
    size_t len;
    int got = 0, n;
    while (rc == 0 && (got = wt_reader_getline(in, &line, &len, err)) == 1) {
        rc = next_parse(wt_reader_path(in), wt_reader_line_no(in), line, line + len, c->vocab_size,
                        ids, c->n_ctx, &n, err);
        gpt2_kv_reset(kv);
        if (rc == 0) rc = gpt2_kv_feed(m, ws, kv, ids, n, lg, err);
        if (rc < 0) break;
        double mx = -INFINITY, sum = 0; /* log-softmax in double */
        for (int t = 0; t < c->vocab_size; t++) mx = lg[t] > mx ? lg[t] : mx;
        for (int t = 0; t < c->vocab_size; t++) sum += exp((double)lg[t] - mx);
        double lse = mx + log(sum);
        for (int t = 0; t < c->vocab_size; t++) lg[t] = (float)((double)lg[t] - lse);
        rc = wt_writer_write(out, lg, (size_t)c->vocab_size * sizeof *lg, err);
    }
    if (got < 0) rc = -1;
    if (out && rc == 0)
        rc = wt_writer_commit(out, err);
    else if (out)
        wt_writer_abort(out);
    if (in) wt_reader_close(in);
    free(ids), free(lg);
    if (kv) gpt2_kv_free(kv);
    gpt2_ws_free(ws);
    gpt2_free(m);
    return rc;
}

int model_cmd_next(int argc, char **argv) {
    const char *dir = NULL, *in = "-", *out = NULL;
    int64_t threads = 0;
    const wt_opt table[] = {
        WT_STR("model", 'm', &dir, "DIR|NAME", NULL, MODEL_OPT_HELP),
        WT_STR("output", 'o', &out, "OUTPUT", NULL, "the float32 output file (required)"),
        WT_INT("threads", 0, &threads, "N", NULL, 0, 1024, "BLAS threads (default all cores)"),
        WT_OPTS_END};
    const wt_cmd_spec spec = {
        "model next", "--model DIR|NAME [INPUT] -o OUTPUT",
        "For each line of token ids (1..n_ctx, space separated) of INPUT (default\n"
        "stdin), writes the natural-log probabilities of every token of the\n"
        "vocabulary as the next token: vocab_size float32 values (host byte order)\n"
        "per line, raw, to OUTPUT.\n",
        table, NULL};
    int code, first = wt_opts_parse(&spec, argc, argv, &code);
    if (first < 0) return code;
    if (first < argc) in = argv[first++];
    if (!dir || !out || first < argc)
        return wt_opts_usage_error(&spec, "--model DIR and -o OUTPUT are required (one INPUT)");
    gpt2_blas_threads((int)threads);
    wt_error err;
    if (next_run(dir, in, out, &err) != 0) {
        wt_report("model", &err);
        return WT_EXIT_FAIL;
    }
    return WT_EXIT_OK;
}
