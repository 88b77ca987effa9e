/* `extract score` and `extract speed`: extraction benchmarks. score computes
 * a benchmark's own metric (the article-extraction benchmark's shingle F1 for
 * a ground truth of {id: {articleBody}}, trafilatura's snippet metric for one
 * of {id: {with, without}}) for stored outputs of other tools and for our
 * extractor run on the pages in the same process, so every figure comes from
 * one scorer; speed measures pages per second on the same pages. */
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "cputime.h"
#include "cli.h"
#include "opts.h"
#include "cmds.h"
#include "jsonl.h"
#include "page.h"
#include "pool.h"
#include "progress.h"
#include "score.h"
#include "snippet.h"
#include "stream.h"

/* The page ids and truths of a ground-truth.json: the true text (article
 * benchmark) or the with/without snippets (trafilatura's set). */
typedef struct truth {
    size_t n;
    const char **ids;
    const char **text;
    json_t **entry;
    bool snippets; /* entries hold "with" and "without" arrays */
    json_t *root;
} truth;

/* The strings of a JSON array as a NULL-free vector (caller frees). */
static const char **str_array(json_t *a, size_t *n) {
    size_t m = json_is_array(a) ? json_array_size(a) : 0, k = 0;
    const char **v = calloc(m + 1, sizeof *v);
    if (!v) return NULL;
    for (size_t i = 0; i < m; i++)
        if (json_is_string(json_array_get(a, i))) v[k++] = json_string_value(json_array_get(a, i));
    *n = k;
    return v;
}

/* Scores one page's predicted text by the truth's metric. */
static int score_one(const truth *t, size_t i, const char *pred, ex_page_score *ps,
                     ex_snip_counts *sc) {
    if (!t->snippets) return ex_score_page(t->text[i], strlen(t->text[i]), pred, strlen(pred), ps);
    size_t nw = 0, nwo = 0;
    const char **w = str_array(json_object_get(t->entry[i], "with"), &nw);
    const char **wo = str_array(json_object_get(t->entry[i], "without"), &nwo);
    char *norm = ex_snip_normalize(pred, strlen(pred));
    int rc = w && wo && norm ? ex_snip_count(norm, w, nw, wo, nwo, sc) : -1;
    free(w);
    free(wo);
    free(norm);
    return rc;
}

/* keep: page i is scored (all pages, or one half of the split) */
static bool in_half(int half, size_t i) {
    return half == 0 || (int)(i % 2) == half - 1;
}

static int truth_load(const char *path, truth *t, wt_error *err) {
    json_error_t je;
    memset(t, 0, sizeof *t);
    t->root = json_load_file(path, 0, &je);
    if (!t->root || !json_is_object(t->root))
        return wt_fail(err, "%s:%d: not a JSON object: %s", path, je.line, je.text);
    size_t n = json_object_size(t->root);
    t->ids = calloc(n, sizeof *t->ids);
    t->text = calloc(n, sizeof *t->text);
    t->entry = calloc(n, sizeof *t->entry);
    if (!t->ids || !t->text || !t->entry) return wt_fail(err, "out of memory");
    const char *k;
    json_t *v;
    json_object_foreach(t->root, k, v) {
        if (!json_is_object(v)) return wt_fail(err, "%s: entry \"%s\" is not an object", path, k);
        bool snip = json_object_get(v, "with") != NULL;
        if (t->n == 0) t->snippets = snip;
        if (snip != t->snippets)
            return wt_fail(err, "%s: entry \"%s\" mixes the two ground-truth formats", path, k);
        t->ids[t->n] = k;
        t->text[t->n] = wt_json_str(v, "articleBody", "");
        t->entry[t->n] = v;
        t->n++;
    }
    return 0;
}

static void truth_free(truth *t) {
    free(t->ids);
    free(t->text);
    free(t->entry);
    json_decref(t->root);
}

/* One row: scores of the pages in the half (ps compacted, sc summed). */
static void print_row(const char *name, const char *version, const truth *t, int half,
                      const ex_page_score *ps, const ex_snip_counts *sc) {
    double f1, p, r, acc;
    if (t->snippets) {
        ex_snip_counts sum = {0};
        for (size_t i = 0; i < t->n; i++)
            if (in_half(half, i)) {
                sum.tp += sc[i].tp, sum.fn += sc[i].fn;
                sum.fp += sc[i].fp, sum.tn += sc[i].tn;
            }
        ex_snip_total tot;
        ex_snip_total_of(&sum, &tot);
        f1 = tot.f1, p = tot.precision, r = tot.recall, acc = tot.accuracy;
    } else {
        ex_page_score *sel = calloc(t->n ? t->n : 1, sizeof *sel);
        size_t k = 0;
        for (size_t i = 0; sel && i < t->n; i++)
            if (in_half(half, i)) sel[k++] = ps[i];
        ex_score_total tot = {0};
        if (sel) ex_score_total_of(sel, k, &tot);
        free(sel);
        f1 = tot.f1, p = tot.precision, r = tot.recall, acc = tot.accuracy;
    }
    printf("%-22s %-10s F1 %.3f  P %.3f  R %.3f  acc %.3f\n", name, version, f1, p, r, acc);
}

/* Scores one stored tool output: {id: {articleBody}} or {version, output: {...}}. */
static int score_tool(const char *path, const truth *t, int half, wt_error *err) {
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root) return wt_fail(err, "%s:%d: %s", path, je.line, je.text);
    json_t *out = json_object_get(root, "output");
    const char *version = "";
    if (out && json_is_object(out))
        version = wt_json_str(root, "version", "");
    else
        out = root;
    ex_page_score *ps = calloc(t->n + 1, sizeof *ps);
    ex_snip_counts *sc = calloc(t->n + 1, sizeof *sc);
    if (!ps || !sc) return free(ps), free(sc), json_decref(root), wt_fail(err, "out of memory");
    for (size_t i = 0; i < t->n; i++) {
        json_t *e = json_object_get(out, t->ids[i]);
        const char *pred = e ? wt_json_str(e, "articleBody", "") : "";
        if (!pred) pred = "";
        if (score_one(t, i, pred, &ps[i], &sc[i]) < 0) {
            free(ps), free(sc), json_decref(root);
            return wt_fail(err, "out of memory");
        }
    }
    char name[256];
    const char *b = strrchr(path, '/');
    snprintf(name, sizeof name, "%s", b ? b + 1 : path);
    char *dot = strstr(name, ".json");
    if (dot) *dot = 0;
    print_row(name, version, t, half, ps, sc);
    free(ps);
    free(sc);
    json_decref(root);
    return 0;
}

/* ---- our extractor over a folder of <id>.html.gz --------------------------- */

typedef struct run_ctx {
    const truth *t;
    const char *dir;
    ex_opts opts;
    ex_worker *workers;
    char **texts;
    ex_page_score *ps;
    ex_snip_counts *sc;
    int failed;
} run_ctx;

static void run_one(void *vctx, size_t i, int worker) {
    run_ctx *c = vctx;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.html.gz", c->dir, c->t->ids[i]);
    char *data;
    size_t n;
    wt_error err;
    if (wt_read_file(path, &data, &n, (size_t)256 << 20, &err) < 0) {
        wt_report("extract score", &err);
        __atomic_store_n(&c->failed, 1, __ATOMIC_RELAXED);
        return;
    }
    ex_worker *w = &c->workers[worker];
    ex_result res = {0};
    if (ex_page_from_html(w, &c->opts, (unsigned char *)data, n, NULL, &res) == 0) {
        c->texts[i] = strdup(w->content.text.p ? w->content.text.p : "");
        if (!c->texts[i] || score_one(c->t, i, c->texts[i], &c->ps[i], &c->sc[i]) < 0) {
            fprintf(stderr, "extract score: %s: out of memory\n", path);
            __atomic_store_n(&c->failed, 1, __ATOMIC_RELAXED);
        }
    }
    free(data);
}

int ex_cmd_score(int argc, char **argv) {
    const char *truth_path = NULL, *dir = NULL, *dump = NULL;
    bool per_page = false, whole = false;
    int64_t threads = 0, half = 0;
    const wt_opt table[] = {
        WT_STR("truth", 0, &truth_path, "GROUND_TRUTH.json", NULL,
               "the benchmark's truth (required)"),
        WT_STR("html-dir", 0, &dir, "DIR", NULL,
               "run this extractor on DIR/<id>.html.gz (row 'webtext')"),
        WT_STR("dump", 0, &dump, "FILE", NULL,
               "write our outputs as {id: {\"articleBody\": text}}"),
        WT_FLAG("per-page", 0, &per_page, "print our per-page scores"),
        WT_FLAG("whole-page", 0, &whole, "all visible text instead of the main content"),
        WT_INT("threads", 0, &threads, "N", NULL, 0, 1024, "worker threads (default: all cores)"),
        WT_INT("half", 0, &half, "1|2", NULL, 1, 2,
               "score only the pages at odd (1) or even (2) positions"),
        WT_OPTS_END};
    const wt_cmd_spec spec = {
        "extract score", "--truth GROUND_TRUTH.json [--html-dir DIR] [options] [TOOL.json...]",
        "Prints F1, precision, recall and accuracy for each stored tool output\n"
        "({id: {\"articleBody\": text}}), and for this extractor run on\n"
        "DIR/<id>.html.gz when --html-dir is given (row 'webtext'). The metric\n"
        "follows the ground truth: {id: {articleBody}} is the article-extraction\n"
        "benchmark (shingle F1, macro average), {id: {with, without}} trafilatura's\n"
        "evaluation set (snippets found, micro average).\n",
        table, NULL};
    int code, first = wt_opts_parse(&spec, argc, argv, &code);
    if (first < 0) return code;
    if (!truth_path || (!dir && first == argc))
        return wt_opts_usage_error(&spec, "--truth and --html-dir or a TOOL.json are required");
    wt_error err;
    truth t;
    if (truth_load(truth_path, &t, &err) < 0) {
        wt_report("extract score", &err);
        truth_free(&t);
        return WT_EXIT_FAIL;
    }
    int rc = WT_EXIT_OK;
    for (int i = first; i < argc; i++)
        if (score_tool(argv[i], &t, (int)half, &err) < 0) {
            wt_report("extract score", &err);
            rc = WT_EXIT_FAIL;
        }
    if (dir) {
        int nt = wt_threads(threads);
        run_ctx rc2 = {.t = &t, .dir = dir};
        ex_opts_default(&rc2.opts);
        rc2.opts.keep_all = true;
        rc2.opts.whole_page = whole;
        rc2.workers = calloc((size_t)nt, sizeof(ex_worker));
        rc2.texts = calloc(t.n, sizeof(char *));
        rc2.ps = calloc(t.n + 1, sizeof(ex_page_score));
        rc2.sc = calloc(t.n + 1, sizeof(ex_snip_counts));
        bool ok = rc2.workers && rc2.texts && rc2.ps && rc2.sc;
        for (int k = 0; ok && k < nt; k++)
            if (ex_worker_init(&rc2.workers[k], &err) < 0) {
                wt_report("extract score", &err);
                ok = false;
            }
        if (ok) {
            wt_pool *pool = wt_pool_create(nt);
            wt_pool_for(pool, t.n, 1, run_one, &rc2);
            wt_pool_destroy(pool);
            print_row("webtext", WEBTEXT_VERSION, &t, (int)half, rc2.ps, rc2.sc);
            for (size_t i = 0; per_page && t.snippets && i < t.n; i++)
                if (in_half((int)half, i))
                    printf("  %s tp %zu fn %zu fp %zu tn %zu\n", t.ids[i], rc2.sc[i].tp,
                           rc2.sc[i].fn, rc2.sc[i].fp, rc2.sc[i].tn);
            if (per_page && !t.snippets)
                for (size_t i = 0; i < t.n; i++) {
                    if (!in_half((int)half, i)) continue;
                    ex_page_score *p = &rc2.ps[i];
                    double pr = p->tp + p->fp > 0 ? p->tp / (p->tp + p->fp) : 0;
                    double re = p->tp + p->fn > 0 ? p->tp / (p->tp + p->fn) : 0;
                    printf("  %s P %.3f R %.3f\n", t.ids[i], pr, re);
                }
            if (dump) {
                json_t *o = json_object();
                for (size_t i = 0; i < t.n; i++) {
                    json_t *e = json_object();
                    json_object_set_new(e, "articleBody",
                                        json_string(rc2.texts[i] ? rc2.texts[i] : ""));
                    json_object_set_new(o, t.ids[i], e);
                }
                if (json_dump_file(o, dump, JSON_INDENT(1)) < 0) {
                    fprintf(stderr, "extract score: cannot write %s\n", dump);
                    rc = WT_EXIT_FAIL;
                }
                json_decref(o);
            }
            if (rc2.failed) rc = WT_EXIT_FAIL;
        } else {
            rc = WT_EXIT_FAIL;
        }
        for (int k = 0; rc2.workers && k < nt; k++) ex_worker_free(&rc2.workers[k]);
        for (size_t i = 0; rc2.texts && i < t.n; i++) free(rc2.texts[i]);
        free(rc2.workers);
        free(rc2.texts);
        free(rc2.ps);
        free(rc2.sc);
    }
    truth_free(&t);
    return rc;
}

/* ---- speed ------------------------------------------------------------------ */

typedef struct speed_ctx {
    char **pages;
    size_t *lens;
    size_t n;
    ex_opts opts;
    ex_worker *workers;
} speed_ctx;

static void speed_one(void *vctx, size_t i, int worker) {
    speed_ctx *c = vctx;
    ex_result res = {0};
    size_t k = i % c->n;
    ex_page_from_html(&c->workers[worker], &c->opts, (unsigned char *)c->pages[k], c->lens[k], NULL,
                      &res);
}

int ex_cmd_speed(int argc, char **argv) {
    int64_t threads = 0;
    double seconds = 0;
    const wt_opt table[] = {
        WT_INT("threads", 0, &threads, "N", "1", 0, 1024, "worker threads (0: all cores)"),
        WT_NUM("seconds", 0, &seconds, "S", "10", 0.01, 3600, "run for at least S seconds"),
        WT_OPTS_END};
    const wt_cmd_spec spec = {"extract speed", "DIR [--threads N] [--seconds S]",
                              "Extracts every DIR/*.html[.gz] repeatedly for at least S seconds\n"
                              "and prints pages per second.\n",
                              table, NULL};
    int code, first = wt_opts_parse(&spec, argc, argv, &code);
    if (first < 0) return code;
    if (first != argc - 1) return wt_opts_usage_error(&spec, "give one DIR");
    const char *dir = argv[first];
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        return WT_EXIT_FAIL;
    }
    speed_ctx sc = {0};
    size_t cap = 0, bytes = 0;
    struct dirent *de;
    wt_error err;
    int rc = WT_EXIT_OK;
    while ((de = readdir(d)) != NULL) {
        if (!strstr(de->d_name, ".html")) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (sc.n == cap) {
            cap = cap ? cap * 2 : 64;
            sc.pages = realloc(sc.pages, cap * sizeof(char *));
            sc.lens = realloc(sc.lens, cap * sizeof(size_t));
            if (!sc.pages || !sc.lens) return WT_EXIT_FAIL;
        }
        if (wt_read_file(path, &sc.pages[sc.n], &sc.lens[sc.n], (size_t)256 << 20, &err) < 0) {
            wt_report("extract speed", &err);
            rc = WT_EXIT_FAIL;
            break;
        }
        bytes += sc.lens[sc.n++];
    }
    closedir(d);
    int nt = wt_threads(threads);
    if (rc == WT_EXIT_OK && sc.n) {
        ex_opts_default(&sc.opts);
        sc.opts.keep_all = true;
        sc.workers = calloc((size_t)nt, sizeof(ex_worker));
        for (int k = 0; k < nt; k++)
            if (ex_worker_init(&sc.workers[k], &err) < 0)
                return wt_report("extract speed", &err), 1;
        wt_pool *pool = wt_pool_create(nt);
        double c0 = wt_cpu_seconds(), t0 = wt_now(), el = 0;
        size_t done = 0;
        while (el < seconds) {
            wt_pool_for(pool, sc.n, 1, speed_one, &sc);
            done += sc.n;
            el = wt_now() - t0;
        }
        double cpu = wt_cpu_seconds() - c0;
        wt_pool_destroy(pool);
        printf("webtext threads=%d pages=%zu seconds=%.2f pages_per_s=%.1f MB_per_s=%.2f "
               "cpu_seconds=%.2f pages_per_cpu_s=%.1f\n",
               nt, done, el, done / el, (double)bytes * ((double)done / sc.n) / el / 1e6, cpu,
               done / cpu);
        for (int k = 0; k < nt; k++) ex_worker_free(&sc.workers[k]);
        free(sc.workers);
    }
    for (size_t i = 0; i < sc.n; i++) free(sc.pages[i]);
    free(sc.pages);
    free(sc.lens);
    return rc;
}
