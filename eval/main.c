/* bin/eval: zero-shot evaluation of a GPT-2 checkpoint on the paper's
 * benchmarks. `eval run` scores the chosen tasks and writes results.json and
 * results.md; `eval list` shows the tasks and the files each expects. */
#include <getopt.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "eval/eval.h"
#include "eval/results.h"
#include "jsonl.h"
#include "outlock.h"
#include "stream.h"

#ifndef WEBTEXT_VERSION
#define WEBTEXT_VERSION "unknown"
#endif

static const char *data_root(const char *opt) {
    if (opt) return opt;
    const char *e = getenv("WEBTEXT_DATA");
    return e && *e ? e : "data";
}

/* The first of the task's files that exists under root (buf), or NULL; the
 * places looked at go to `looked`. */
static const char *task_path(const eval_task *t, const char *root, const char *webtext, char *buf,
                             size_t n, char *looked, size_t ln) {
    looked[0] = 0;
    if (strcmp(t->name, "webtext") == 0) { /* a folder with at least one shard */
        if (webtext)
            snprintf(buf, n, "%s", webtext);
        else
            snprintf(buf, n, "%s/%s", root, t->files[0]);
        snprintf(looked, ln, "%s/tokens-*.bin*", buf);
        glob_t g;
        bool found = glob(looked, 0, NULL, &g) == 0 && g.gl_pathc > 0;
        globfree(&g);
        return found ? buf : NULL;
    }
    for (int i = 0; i < 3 && t->files[i]; i++) {
        snprintf(buf, n, "%s/%s", root, t->files[i]);
        size_t l = strlen(looked);
        snprintf(looked + l, ln - l, "%s%s", l ? ", " : "", buf);
        if (wt_file_exists(buf)) return buf;
    }
    return NULL;
}

static int cmd_list(int argc, char **argv) {
    const char *data = NULL;
    static const struct option lo[] = {{"data", 1, 0, 'd'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
    int o;
    while ((o = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        if (o == 'd')
            data = optarg;
        else if (o == 'h') {
            printf("usage: eval list [--data DIR]\nLists the tasks, the files each reads under "
                   "the data root (default $WEBTEXT_DATA, else data/) and whether they are "
                   "there.\n");
            return 0;
        } else
            return WT_EXIT_USAGE;
    }
    size_t n;
    const eval_task *t = eval_tasks(&n);
    const char *root = data_root(data);
    printf("data root: %s\n", root);
    for (size_t i = 0; i < n; i++) {
        char buf[4096], looked[8192];
        const char *p = task_path(&t[i], root, NULL, buf, sizeof buf, looked, sizeof looked);
        printf("%-12s %s\n", t[i].name, t[i].summary);
        for (int k = 0; k < 3 && t[i].files[k]; k++)
            printf("             %s%s\n", t[i].files[k], k ? " (alternative)" : "");
        printf("             -> %s\n", p ? p : "missing");
    }
    return 0;
}

typedef struct run_opts {
    const char *model, *tasks, *data, *webtext, *out, *vocab, *overlap, *stats;
    int64_t limit, ctx, stride, batch, threads;
    bool quiet, force, samples;
} run_opts;

static void run_usage(FILE *f) {
    fprintf(f,
            "usage: eval run --model DIR [--tasks LIST] [options] -o OUTDIR\n"
            "  --model DIR      Hugging Face GPT-2 folder (config.json + model.safetensors)\n"
            "  --tasks LIST     comma-separated: lambada,cbt-cn,cbt-ne,wikitext2,ptb,enwik8,\n"
            "                   text8,wikitext103,1bw,webtext, or all (default all)\n"
            "  --data DIR       data root (default $WEBTEXT_DATA, else data/); see `eval list`\n"
            "  --webtext DIR    folder of tokens-*.bin.zst shards (default DATA/webtext)\n"
            "  --vocab DIR      GPT-2 vocabulary (default: the model folder if it has one, else\n"
            "                   $WEBTEXT_VOCAB or ~/.local/share/webtext/gpt2-vocab)\n"
            "  --limit N        first N examples: LAMBADA passages, CBT questions, lines of\n"
            "                   WikiText/PTB/1BW, WebText documents, N*1000 bytes of enwik8/text8\n"
            "  --ctx C          tokens per window (default the model's n_ctx)\n"
            "  --stride S       sliding-window stride (default C/2)\n"
            "  --batch B        requests per scoring call (default 32)\n"
            "  --threads N      BLAS threads (default all cores)\n"
            "  --overlap FILE   8-gram overlap report (dedup) to include in results.md\n"
            "  -o OUTDIR        writes OUTDIR/results.json and OUTDIR/results.md\n"
            "  --force          overwrite existing results   --quiet  no progress\n"
            "  --samples        per-example records (LAMBADA, CBT): OUTDIR/TASK.samples.jsonl\n"
            "  --stats FILE     run statistics as JSON\n");
}

static int parse_run(int argc, char **argv, run_opts *o) {
    static const struct option lo[] = {
        {"model", 1, 0, 'm'},   {"tasks", 1, 0, 't'},   {"data", 1, 0, 'd'},
        {"webtext", 1, 0, 'w'}, {"vocab", 1, 0, 'v'},   {"limit", 1, 0, 'l'},
        {"ctx", 1, 0, 'c'},     {"stride", 1, 0, 's'},  {"batch", 1, 0, 'b'},
        {"threads", 1, 0, 'j'}, {"overlap", 1, 0, 'O'}, {"stats", 1, 0, 'S'},
        {"output", 1, 0, 'o'},  {"quiet", 0, 0, 'q'},   {"force", 0, 0, 'f'},
        {"samples", 0, 0, 'x'}, {"help", 0, 0, 'h'},    {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "o:qfh", lo, NULL)) != -1) {
        switch (c) {
        case 'm':
            o->model = optarg;
            break;
        case 't':
            o->tasks = optarg;
            break;
        case 'd':
            o->data = optarg;
            break;
        case 'w':
            o->webtext = optarg;
            break;
        case 'v':
            o->vocab = optarg;
            break;
        case 'O':
            o->overlap = optarg;
            break;
        case 'S':
            o->stats = optarg;
            break;
        case 'o':
            o->out = optarg;
            break;
        case 'q':
            o->quiet = true;
            break;
        case 'f':
            o->force = true;
            break;
        case 'x':
            o->samples = true;
            break;
        case 'l':
            if (wt_parse_i64("eval", "--limit", optarg, 0, INT64_MAX, &o->limit) < 0) return -1;
            break;
        case 'c':
            if (wt_parse_i64("eval", "--ctx", optarg, 2, 1 << 20, &o->ctx) < 0) return -1;
            break;
        case 's':
            if (wt_parse_i64("eval", "--stride", optarg, 1, 1 << 20, &o->stride) < 0) return -1;
            break;
        case 'b':
            if (wt_parse_i64("eval", "--batch", optarg, 1, 1 << 20, &o->batch) < 0) return -1;
            break;
        case 'j':
            if (wt_parse_i64("eval", "--threads", optarg, -1, 4096, &o->threads) < 0) return -1;
            break;
        case 'h':
            run_usage(stdout);
            exit(0);
        default:
            run_usage(stderr);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "eval: unexpected argument '%s'\n", argv[optind]);
        return -1;
    }
    if (!o->model || !o->out) {
        fprintf(stderr, "eval: --model and -o are required\n");
        run_usage(stderr);
        return -1;
    }
    return 0;
}

/* Selected task flags from "a,b,c" or "all"; -1 on an unknown name. */
static int select_tasks(const char *list, bool *sel, size_t n, const eval_task *t) {
    char *s = strdup(list ? list : "all"), *save = NULL;
    int rc = s ? 0 : -1;
    for (char *tok = s ? strtok_r(s, ",", &save) : NULL; tok && rc == 0;
         tok = strtok_r(NULL, ",", &save)) {
        if (strcmp(tok, "all") == 0) {
            for (size_t i = 0; i < n; i++) sel[i] = true;
            continue;
        }
        size_t i = 0;
        while (i < n && strcmp(t[i].name, tok) != 0) i++;
        if (i == n) {
            fprintf(stderr, "eval: unknown task '%s' (see `eval list`)\n", tok);
            rc = -1;
        } else
            sel[i] = true;
    }
    free(s);
    return rc;
}

static bool has_vocab(const char *dir) {
    char p[4096];
    snprintf(p, sizeof p, "%s/encoder.json", dir);
    if (wt_file_exists(p)) return true;
    snprintf(p, sizeof p, "%s/vocab.json", dir);
    return wt_file_exists(p);
}

static json_t *model_json(const char *dir, const gpt2_model *m) {
    const gpt2_config *c = gpt2_model_config(m);
    gpt2_info info;
    gpt2_model_info(m, &info);
    return json_pack("{s:s, s:i, s:i, s:i, s:i, s:i, s:I, s:s}", "dir", dir, "n_layer", c->n_layer,
                     "n_head", c->n_head, "n_embd", c->n_embd, "n_ctx", c->n_ctx, "vocab_size",
                     c->vocab_size, "n_params", (json_int_t)info.n_params, "dtype", info.dtype);
}

static int write_outputs(const run_opts *o, json_t *res, wt_error *err) {
    char path[4096];
    snprintf(path, sizeof path, "%s/results.json", o->out);
    char *js = json_dumps(res, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
    if (!js) return wt_fail(err, "out of memory");
    size_t jl = strlen(js);
    js = realloc(js, jl + 2);
    js[jl] = '\n';
    int rc = wt_write_file_atomic(path, js, jl + 1, err);
    free(js);
    char *overlap = NULL;
    size_t on = 0;
    if (rc == 0 && o->overlap) rc = wt_read_file(o->overlap, &overlap, &on, 1 << 20, err);
    tok_bytes md = {0};
    if (rc == 0 && eval_results_md(res, overlap, &md) < 0) rc = wt_fail(err, "out of memory");
    snprintf(path, sizeof path, "%s/results.md", o->out);
    if (rc == 0) rc = wt_write_file_atomic(path, md.p, md.n, err);
    tok_bytes_free(&md);
    free(overlap);
    return rc;
}

/* Runs each selected task; a task whose data is missing is skipped, one
 * that fails is recorded; returns the number of failures. */
static int run_tasks(eval_ctx *c, const run_opts *o, const bool *sel, json_t *res) {
    size_t n;
    const eval_task *t = eval_tasks(&n);
    const char *root = data_root(o->data);
    int failures = 0;
    for (size_t i = 0; i < n; i++) {
        if (!sel[i]) continue;
        char buf[4096], looked[8192];
        const char *path =
            task_path(&t[i], root, o->webtext, buf, sizeof buf, looked, sizeof looked);
        if (!path) {
            fprintf(stderr, "eval: %s: data not found (looked for %s); skipped\n", t[i].name,
                    looked);
            json_object_set_new(json_object_get(res, "skipped"), t[i].name,
                                json_sprintf("data not found (looked for %s)", looked));
            continue;
        }
        if (!o->quiet) fprintf(stderr, "eval: %s: %s\n", t[i].name, path);
        json_t *out = json_object();
        wt_error err = {{0}};
        struct stat st;
        int rc = 0;
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            json_t *data = json_object();
            rc = eval_add_file_info(data, path, &err);
            json_object_set_new(out, "data", data);
        }
        if (rc == 0) rc = t[i].run(c, t[i].name, path, out, &err);
        if (rc < 0) {
            fprintf(stderr, "eval: %s: %s\n", t[i].name, err.msg);
            json_object_set_new(json_object_get(res, "failed"), t[i].name, json_string(err.msg));
            json_decref(out);
            failures++;
            continue;
        }
        json_object_set_new(json_object_get(res, "tasks"), t[i].name, out);
    }
    return failures;
}

static int cmd_run(int argc, char **argv) {
    run_opts o = {.batch = 32, .threads = 0};
    if (parse_run(argc, argv, &o) < 0) return WT_EXIT_USAGE;
    size_t ntask;
    const eval_task *tasks = eval_tasks(&ntask);
    bool sel[16] = {0};
    if (select_tasks(o.tasks, sel, ntask, tasks) < 0) return WT_EXIT_USAGE;
    /* held to the end, released on every return below */
    wt_outlock lock;
    int locked = wt_outlock_main(&lock, "eval", o.out, WT_LOCK_DIR);
    if (locked != WT_EXIT_OK) return locked;
    char rpath[4096];
    snprintf(rpath, sizeof rpath, "%s/results.json", o.out);
    if (!o.force && wt_file_exists(rpath)) {
        fprintf(stderr, "eval: %s exists; skipped (--force to redo)\n", rpath);
        wt_outlock_release(&lock);
        return WT_EXIT_OK;
    }
    wt_error err = {{0}};
    if (wt_mkdir_p(o.out, &err) < 0) {
        wt_report("eval", &err);
        wt_outlock_release(&lock);
        return WT_EXIT_FAIL;
    }
    gpt2_blas_threads(wt_threads(o.threads));
    gpt2_model *m = gpt2_load(o.model, &err);
    if (!m) {
        wt_report("eval", &err);
        wt_outlock_release(&lock);
        return WT_EXIT_FAIL;
    }
    const gpt2_config *cfg = gpt2_model_config(m);
    if (o.ctx == 0) o.ctx = cfg->n_ctx;
    if (o.stride == 0) o.stride = o.ctx / 2 > 0 ? o.ctx / 2 : 1;
    if (o.ctx > cfg->n_ctx || o.stride > o.ctx) {
        fprintf(stderr, "eval: need --stride <= --ctx <= n_ctx (%d)\n", cfg->n_ctx);
        gpt2_free(m);
        wt_outlock_release(&lock);
        return WT_EXIT_USAGE;
    }
    const char *vdir = o.vocab ? o.vocab : has_vocab(o.model) ? o.model : NULL;
    tok_vocab *v = tok_vocab_load(vdir, &err);
    gpt2_ws *ws = v ? gpt2_ws_create(m, 0, &err) : NULL;
    tok_encoder *enc = ws ? tok_encoder_new(v) : NULL;
    if (!enc) {
        if (!err.msg[0]) wt_fail(&err, "out of memory");
        wt_report("eval", &err);
        if (ws) gpt2_ws_free(ws);
        tok_vocab_free(v);
        gpt2_free(m);
        wt_outlock_release(&lock);
        return WT_EXIT_FAIL;
    }
    eval_ctx c = {.model = m,
                  .ws = ws,
                  .vocab = v,
                  .enc = enc,
                  .ctx = (int)o.ctx,
                  .stride = (int)o.stride,
                  .batch = (int)o.batch,
                  .limit = o.limit,
                  .quiet = o.quiet,
                  .webtext_dir = o.webtext,
                  .samples_dir = o.samples ? o.out : NULL};
    char when[32];
    time_t now = time(NULL);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    json_t *res = json_object();
    json_object_set_new(res, "version", json_string(WEBTEXT_VERSION));
    json_object_set_new(res, "created", json_string(when));
    json_object_set_new(res, "model", model_json(o.model, m));
    json_object_set_new(res, "settings",
                        json_pack("{s:i, s:i, s:i, s:i, s:I, s:s, s:s, s:s}", "context", (int)o.ctx,
                                  "stride", (int)o.stride, "batch", (int)o.batch, "threads",
                                  wt_threads(o.threads), "limit", (json_int_t)o.limit, "data",
                                  data_root(o.data), "vocab", vdir ? vdir : "default", "blas_core",
                                  gpt2_blas_core() ? gpt2_blas_core() : "?"));
    json_object_set_new(res, "tasks", json_object());
    json_object_set_new(res, "skipped", json_object());
    json_object_set_new(res, "failed", json_object());
    double t0 = wt_now();
    int failures = run_tasks(&c, &o, sel, res);
    json_object_set_new(res, "seconds", json_real(wt_now() - t0));
    int rc = write_outputs(&o, res, &err);
    if (rc == 0 && o.stats) {
        json_t *st =
            json_pack("{s:O, s:O, s:O, s:O}", "tasks", json_object_get(res, "tasks"), "skipped",
                      json_object_get(res, "skipped"), "failed", json_object_get(res, "failed"),
                      "seconds", json_object_get(res, "seconds"));
        rc = wt_json_write_file(o.stats, st, &err);
        json_decref(st);
    }
    if (rc < 0)
        wt_report("eval", &err);
    else if (!o.quiet)
        fprintf(stderr, "eval: wrote %s/results.json and results.md\n", o.out);
    json_decref(res);
    tok_encoder_free(enc);
    gpt2_ws_free(ws);
    tok_vocab_free(v);
    gpt2_free(m);
    wt_outlock_release(&lock);
    return rc < 0 || failures > 0 ? WT_EXIT_FAIL : WT_EXIT_OK;
}

int main(int argc, char **argv) {
    gpt2_blas_autoselect(argv);
    static const wt_command cmds[] = {
        {"run", cmd_run, "score a model on the benchmarks: results.json + results.md"},
        {"list", cmd_list, "the tasks and the data files each expects"},
        {NULL, NULL, NULL},
    };
    return wt_dispatch("eval", "zero-shot evaluation of GPT-2 on the paper's benchmarks", cmds,
                       argc, argv);
}
