/* bin/eval: zero-shot evaluation of a GPT-2 checkpoint on the paper's
 * benchmarks. `eval run` scores the chosen tasks and writes results.json and
 * results.md; `eval list` shows the tasks and the files each expects. */
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
#include "opts.h"
#include "paths.h"
#include "outlock.h"
#include "stream.h"

#ifndef WEBTEXT_VERSION
#define WEBTEXT_VERSION "unknown"
#endif

/* The --data row's help, in `list` and `run`. */
#define DATA_OPT_HELP                                                                              \
    "data root (default $WEBTEXT_DATA, else\n"                                                     \
    "~/.local/share/webtext/data, filled by `make data`)"

static const char *data_root(const char *opt, char *buf, size_t n) {
    if (opt) return opt;
    wt_data_dir(buf, n);
    return buf;
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
    const wt_opt table[] = {WT_STR("data", 0, &data, "DIR", NULL, DATA_OPT_HELP), WT_OPTS_END};
    const wt_cmd_spec spec = {
        "eval list", "[--data DIR]",
        "Lists the tasks, the files each reads under the data root and whether\n"
        "they are there.\n",
        table, NULL};
    int code, first = wt_opts_parse(&spec, argc, argv, &code);
    if (first < 0) return code;
    if (first < argc) return wt_opts_usage_error(&spec, "unexpected argument '%s'", argv[first]);
    size_t n;
    const eval_task *t = eval_tasks(&n);
    char rbuf[4096];
    const char *root = data_root(data, rbuf, sizeof rbuf);
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
    bool quiet, force, samples, no_prefix_cache;
    double progress_interval; /* seconds between progress lines in a log, e.g. 30 */
} run_opts;

static int parse_run(int argc, char **argv, run_opts *o) {
    const wt_opt table[] = {
        WT_STR("model", 0, &o->model, "DIR|NAME", NULL,
               "Hugging Face GPT-2 folder (config.json + model.safetensors),\n"
               "or a name (gpt2, gpt2-medium, gpt2-large, gpt2-xl) fetched by\n"
               "pipelines/get-model.sh into ~/.cache/webtext/models (required)"),
        WT_STR("tasks", 0, &o->tasks, "LIST", "all",
               "comma-separated: lambada,cbt-cn,cbt-ne,wikitext2,ptb,enwik8,\n"
               "text8,wikitext103,1bw,webtext, or all"),
        WT_STR("data", 0, &o->data, "DIR", NULL, DATA_OPT_HELP "; see `eval list`"),
        WT_STR("webtext", 0, &o->webtext, "DIR", NULL,
               "folder of tokens-*.bin.zst shards (default DATA/webtext)"),
        WT_STR("vocab", 0, &o->vocab, "DIR", NULL,
               "GPT-2 vocabulary (default: the model folder if it has one, else\n"
               "$WEBTEXT_VOCAB or ~/.local/share/webtext/gpt2-vocab)"),
        WT_INT("limit", 0, &o->limit, "N", NULL, 0, 9.2e18,
               "first N examples: LAMBADA passages, CBT questions, lines of\n"
               "WikiText/PTB/1BW, WebText documents, N*1000 bytes of enwik8/text8"),
        WT_INT("ctx", 0, &o->ctx, "C", NULL, 2, 1 << 20,
               "tokens per window (default the model's n_ctx)"),
        WT_INT("stride", 0, &o->stride, "S", NULL, 1, 1 << 20,
               "sliding-window stride (default C/2)"),
        WT_INT("batch", 0, &o->batch, "B", "32", 1, 1 << 20, "requests per scoring call"),
        WT_INT("threads", 0, &o->threads, "N", NULL, -1, 4096, "BLAS threads (default all cores)"),
        WT_STR("overlap", 0, &o->overlap, "FILE", NULL,
               "8-gram overlap report (dedup) to include in results.md"),
        WT_STR("output", 'o', &o->out, "OUTDIR", NULL,
               "writes OUTDIR/results.json and OUTDIR/results.md (required)"),
        WT_FLAG("force", 'f', &o->force, "overwrite existing results"),
        WT_FLAG("quiet", 'q', &o->quiet, "no progress"),
        WT_FLAG("samples", 0, &o->samples,
                "per-example records (LAMBADA, CBT): OUTDIR/TASK.samples.jsonl"),
        WT_FLAG("no-prefix-cache", 0, &o->no_prefix_cache,
                "CBT: re-run the shared context for every candidate (the\n"
                "uncached reference; about ten times slower)"),
        WT_STR("stats", 0, &o->stats, "FILE", NULL, "run statistics as JSON"),
        WT_PROGRESS_OPT(&o->progress_interval),
        WT_OPTS_END};
    const wt_cmd_spec spec = {"eval run", "--model DIR|NAME [--tasks LIST] [options] -o OUTDIR",
                              NULL, table, NULL};
    int code, first = wt_opts_parse(&spec, argc, argv, &code);
    if (first < 0) return code == WT_EXIT_OK ? 1 : -1;
    if (first < argc)
        return wt_opts_usage_error(&spec, "unexpected argument '%s'", argv[first]), -1;
    if (!o->model || !o->out) return wt_opts_usage_error(&spec, "--model and -o are required"), -1;
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

static json_t *model_json(const char *dir, const char *path, const gpt2_model *m) {
    const gpt2_config *c = gpt2_model_config(m);
    gpt2_info info;
    gpt2_model_info(m, &info);
    return json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:I, s:s}", "dir", dir, "path", path,
                     "n_layer", c->n_layer, "n_head", c->n_head, "n_embd", c->n_embd, "n_ctx",
                     c->n_ctx, "vocab_size", c->vocab_size, "n_params", (json_int_t)info.n_params,
                     "dtype", info.dtype);
}

/* results.md first, results.json last: results.json marks a finished run
 * (a rerun skips when it exists), so a run that fails between the two leaves
 * no marker and is redone whole. */
static int write_outputs(const run_opts *o, json_t *res, wt_error *err) {
    char path[4096];
    char *overlap = NULL;
    size_t on = 0;
    int rc = o->overlap ? wt_read_file(o->overlap, &overlap, &on, 1 << 20, err) : 0;
    tok_bytes md = {0};
    if (rc == 0 && eval_results_md(res, overlap, &md) < 0) rc = wt_fail(err, "out of memory");
    snprintf(path, sizeof path, "%s/results.md", o->out);
    if (rc == 0) rc = wt_write_file_atomic(path, md.p, md.n, err);
    tok_bytes_free(&md);
    free(overlap);
    if (rc < 0) return rc;
    char *js = json_dumps(res, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
    size_t jl = js ? strlen(js) : 0;
    char *withnl = js ? realloc(js, jl + 2) : NULL;
    if (!withnl) {
        free(js);
        return wt_fail(err, "out of memory");
    }
    withnl[jl] = '\n';
    snprintf(path, sizeof path, "%s/results.json", o->out);
    rc = wt_write_file_atomic(path, withnl, jl + 1, err);
    free(withnl);
    return rc;
}

/* Runs each selected task; a task whose data is missing is skipped, one
 * that fails is recorded; returns the number of failures. */
static int run_tasks(eval_ctx *c, const run_opts *o, const bool *sel, json_t *res) {
    size_t n;
    const eval_task *t = eval_tasks(&n);
    char rbuf[4096];
    const char *root = data_root(o->data, rbuf, sizeof rbuf);
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

/* Loads the model and runs the selected tasks into o->out (its lock held). */
static int run_locked(run_opts *o, const bool *sel) {
    char rpath[4096];
    snprintf(rpath, sizeof rpath, "%s/results.json", o->out);
    if (!o->force && wt_file_exists(rpath)) {
        fprintf(stderr, "eval: %s exists; skipped (--force to redo)\n", rpath);
        return WT_EXIT_OK;
    }
    wt_error err = {{0}};
    if (wt_mkdir_p(o->out, &err) < 0) {
        wt_report("eval", &err);
        return WT_EXIT_FAIL;
    }
    gpt2_blas_threads(wt_threads(o->threads));
    char mdir[4000]; /* --model NAME: the folder in the models cache */
    if (gpt2_resolve_model(o->model, mdir, sizeof mdir, &err) < 0) {
        wt_report("eval", &err);
        return WT_EXIT_FAIL;
    }
    gpt2_model *m = gpt2_load(mdir, &err);
    if (!m) {
        wt_report("eval", &err);
        return WT_EXIT_FAIL;
    }
    const gpt2_config *cfg = gpt2_model_config(m);
    if (o->ctx == 0) o->ctx = cfg->n_ctx;
    if (o->stride == 0) o->stride = o->ctx / 2 > 0 ? o->ctx / 2 : 1;
    if (o->ctx > cfg->n_ctx || o->stride > o->ctx) {
        fprintf(stderr, "eval: need --stride <= --ctx <= n_ctx (%d)\n", cfg->n_ctx);
        gpt2_free(m);
        return WT_EXIT_USAGE;
    }
    const char *vdir = o->vocab ? o->vocab : has_vocab(mdir) ? mdir : NULL;
    tok_vocab *v = tok_vocab_load(vdir, &err);
    gpt2_ws *ws = v ? gpt2_ws_create(m, 0, &err) : NULL;
    tok_encoder *enc = ws ? tok_encoder_new(v) : NULL;
    if (!enc) {
        if (!err.msg[0]) wt_fail(&err, "out of memory");
        wt_report("eval", &err);
        if (ws) gpt2_ws_free(ws);
        tok_vocab_free(v);
        gpt2_free(m);
        return WT_EXIT_FAIL;
    }
    if (enc && (uint32_t)cfg->vocab_size != tok_vocab_size(v)) {
        /* not GPT-2: fail before any task, as bin/model does on a bad folder */
        fprintf(stderr,
                "eval: %s: config.json has vocab_size %d but the GPT-2 vocabulary (%s) has %u "
                "tokens: not a GPT-2 model\n"
                "HINT: --model names a Hugging Face GPT-2 folder with config.json and "
                "model.safetensors\n"
                "HINT: pipelines/get-model.sh NAME fetches gpt2, gpt2-medium, gpt2-large or "
                "gpt2-xl; then --model NAME\n",
                o->model, cfg->vocab_size, vdir ? vdir : "default", tok_vocab_size(v));
        tok_encoder_free(enc);
        gpt2_ws_free(ws);
        tok_vocab_free(v);
        gpt2_free(m);
        return WT_EXIT_FAIL;
    }
    eval_ctx c = {.model = m,
                  .ws = ws,
                  .vocab = v,
                  .enc = enc,
                  .ctx = (int)o->ctx,
                  .stride = (int)o->stride,
                  .batch = (int)o->batch,
                  .limit = o->limit,
                  .quiet = o->quiet,
                  .progress_interval = o->progress_interval,
                  .webtext_dir = o->webtext,
                  .samples_dir = o->samples ? o->out : NULL,
                  .prefix_cache = !o->no_prefix_cache};
    char when[32];
    time_t now = time(NULL);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    char rbuf[4096];
    json_t *res = json_object();
    json_object_set_new(res, "version", json_string(WEBTEXT_VERSION));
    json_object_set_new(res, "created", json_string(when));
    json_object_set_new(res, "model", model_json(o->model, mdir, m));
    json_object_set_new(res, "settings",
                        json_pack("{s:i, s:i, s:i, s:i, s:I, s:s, s:s, s:s}", "context",
                                  (int)o->ctx, "stride", (int)o->stride, "batch", (int)o->batch,
                                  "threads", wt_threads(o->threads), "limit", (json_int_t)o->limit,
                                  "data", data_root(o->data, rbuf, sizeof rbuf), "vocab",
                                  vdir ? vdir : "default", "blas_core",
                                  gpt2_blas_core() ? gpt2_blas_core() : "?"));
    json_object_set_new(res, "tasks", json_object());
    json_object_set_new(res, "skipped", json_object());
    json_object_set_new(res, "failed", json_object());
    double t0 = wt_now();
    int failures = run_tasks(&c, o, sel, res);
    json_object_set_new(res, "seconds", json_real(wt_now() - t0));
    int rc = write_outputs(o, res, &err);
    if (rc == 0 && o->stats) {
        json_t *st =
            json_pack("{s:O, s:O, s:O, s:O}", "tasks", json_object_get(res, "tasks"), "skipped",
                      json_object_get(res, "skipped"), "failed", json_object_get(res, "failed"),
                      "seconds", json_object_get(res, "seconds"));
        rc = wt_json_write_file(o->stats, st, &err);
        json_decref(st);
    }
    if (rc < 0)
        wt_report("eval", &err);
    else if (!o->quiet)
        fprintf(stderr, "eval: wrote %s/results.json and results.md\n", o->out);
    json_decref(res);
    tok_encoder_free(enc);
    gpt2_ws_free(ws);
    tok_vocab_free(v);
    gpt2_free(m);
    return rc < 0 || failures > 0 ? WT_EXIT_FAIL : WT_EXIT_OK;
}

static int cmd_run(int argc, char **argv) {
    run_opts o = {0};
    int prc = parse_run(argc, argv, &o);
    if (prc) return prc > 0 ? WT_EXIT_OK : WT_EXIT_USAGE;
    size_t ntask;
    const eval_task *tasks = eval_tasks(&ntask);
    bool sel[16] = {0};
    if (select_tasks(o.tasks, sel, ntask, tasks) < 0) return WT_EXIT_USAGE;
    /* one writer per output: held for the whole run */
    wt_outlock lock;
    int rc = wt_outlock_main(&lock, "eval", o.out, WT_LOCK_DIR);
    if (rc != WT_EXIT_OK) return rc;
    rc = run_locked(&o, sel);
    wt_outlock_release(&lock);
    return rc;
}

int main(int argc, char **argv) {
    gpt2_blas_autoselect(argv);
    static const wt_command cmds[] = {
        {"run", cmd_run, "score a model on the benchmarks: results.json + results.md"},
        {"list", cmd_list, "the tasks and the data files each expects"},
        {"table", eval_cmd_table, "one Table 3 (Markdown + CSV) from several results.json"},
        {NULL, NULL, NULL},
    };
    return wt_dispatch("eval", "zero-shot evaluation of GPT-2 on the paper's benchmarks", cmds,
                       argc, argv);
}
