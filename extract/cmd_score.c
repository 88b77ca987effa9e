/* `extract score` and `extract speed`: the article-extraction benchmark. score
 * computes the benchmark's metric for stored outputs of other tools and for
 * our extractor run on the pages in the same process, so every figure comes
 * from one scorer; speed measures pages per second on the same pages. */
#include <dirent.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "cputime.h"
#include "cli.h"
#include "cmds.h"
#include "jsonl.h"
#include "page.h"
#include "pool.h"
#include "progress.h"
#include "score.h"
#include "stream.h"

/* The page ids and true texts of a ground-truth.json. */
typedef struct truth {
    size_t n;
    const char **ids;
    const char **text;
    json_t *root;
} truth;

static int truth_load(const char *path, truth *t, wt_error *err) {
    json_error_t je;
    memset(t, 0, sizeof *t);
    t->root = json_load_file(path, 0, &je);
    if (!t->root || !json_is_object(t->root))
        return wt_fail(err, "%s:%d: not a JSON object: %s", path, je.line, je.text);
    size_t n = json_object_size(t->root);
    t->ids = calloc(n, sizeof *t->ids);
    t->text = calloc(n, sizeof *t->text);
    if (!t->ids || !t->text) return wt_fail(err, "out of memory");
    const char *k;
    json_t *v;
    json_object_foreach(t->root, k, v) {
        t->ids[t->n] = k;
        t->text[t->n] = wt_json_str(v, "articleBody", "");
        t->n++;
    }
    return 0;
}

static void truth_free(truth *t) {
    free(t->ids);
    free(t->text);
    json_decref(t->root);
}

static void print_row(const char *name, const char *version, const ex_page_score *ps, size_t n) {
    ex_score_total tot;
    ex_score_total_of(ps, n, &tot);
    printf("%-22s %-10s F1 %.3f  P %.3f  R %.3f  acc %.3f\n", name, version, tot.f1, tot.precision,
           tot.recall, tot.accuracy);
}

/* Scores one stored tool output: {id: {articleBody}} or {version, output: {...}}. */
static int score_tool(const char *path, const truth *t, wt_error *err) {
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root) return wt_fail(err, "%s:%d: %s", path, je.line, je.text);
    json_t *out = json_object_get(root, "output");
    const char *version = "";
    if (out && json_is_object(out))
        version = wt_json_str(root, "version", "");
    else
        out = root;
    ex_page_score *ps = calloc(t->n, sizeof *ps);
    if (!ps) return json_decref(root), wt_fail(err, "out of memory");
    for (size_t i = 0; i < t->n; i++) {
        json_t *e = json_object_get(out, t->ids[i]);
        const char *pred = e ? wt_json_str(e, "articleBody", "") : "";
        if (!pred) pred = "";
        ex_score_page(t->text[i], strlen(t->text[i]), pred, strlen(pred), &ps[i]);
    }
    char name[256];
    const char *b = strrchr(path, '/');
    snprintf(name, sizeof name, "%s", b ? b + 1 : path);
    char *dot = strstr(name, ".json");
    if (dot) *dot = 0;
    print_row(name, version, ps, t->n);
    free(ps);
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
        if (c->texts[i])
            ex_score_page(c->t->text[i], strlen(c->t->text[i]), c->texts[i], strlen(c->texts[i]),
                          &c->ps[i]);
    }
    free(data);
}

static void score_usage(FILE *f) {
    fprintf(f, "usage: extract score --truth GROUND_TRUTH.json [--html-dir DIR] [--dump FILE]\n"
               "                     [--per-page] [--threads N] [TOOL.json...]\n"
               "  Prints F1, precision, recall and accuracy (the article-extraction-benchmark\n"
               "  metric) for each stored tool output, and for this extractor run on\n"
               "  DIR/<id>.html.gz when --html-dir is given (row 'webtext').\n"
               "  --dump FILE   write our outputs as {id: {\"articleBody\": text}}\n"
               "  --per-page    print our per-page precision and recall\n");
}

int ex_cmd_score(int argc, char **argv) {
    static const struct option lo[] = {
        {"truth", required_argument, 0, 't'}, {"html-dir", required_argument, 0, 'd'},
        {"dump", required_argument, 0, 'D'},  {"per-page", no_argument, 0, 'p'},
        {"whole-page", no_argument, 0, 'w'},  {"threads", required_argument, 0, 'j'},
        {"help", no_argument, 0, 'h'},        {0, 0, 0, 0}};
    const char *truth_path = NULL, *dir = NULL, *dump = NULL;
    bool per_page = false, whole = false;
    int64_t threads = 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        switch (c) {
        case 't':
            truth_path = optarg;
            break;
        case 'd':
            dir = optarg;
            break;
        case 'D':
            dump = optarg;
            break;
        case 'p':
            per_page = true;
            break;
        case 'w':
            whole = true;
            break;
        case 'j':
            if (wt_parse_i64("extract score", "--threads", optarg, 0, 1024, &threads) < 0)
                return WT_EXIT_USAGE;
            break;
        case 'h':
            score_usage(stdout);
            return WT_EXIT_OK;
        default:
            score_usage(stderr);
            return WT_EXIT_USAGE;
        }
    }
    if (!truth_path || (!dir && optind == argc)) {
        score_usage(stderr);
        return WT_EXIT_USAGE;
    }
    wt_error err;
    truth t;
    if (truth_load(truth_path, &t, &err) < 0) {
        wt_report("extract score", &err);
        truth_free(&t);
        return WT_EXIT_FAIL;
    }
    int rc = WT_EXIT_OK;
    for (int i = optind; i < argc; i++)
        if (score_tool(argv[i], &t, &err) < 0) {
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
        rc2.ps = calloc(t.n, sizeof(ex_page_score));
        bool ok = rc2.workers && rc2.texts && rc2.ps;
        for (int k = 0; ok && k < nt; k++)
            if (ex_worker_init(&rc2.workers[k], &err) < 0) {
                wt_report("extract score", &err);
                ok = false;
            }
        if (ok) {
            wt_pool *pool = wt_pool_create(nt);
            wt_pool_for(pool, t.n, 1, run_one, &rc2);
            wt_pool_destroy(pool);
            print_row("webtext", WEBTEXT_VERSION, rc2.ps, t.n);
            if (per_page)
                for (size_t i = 0; i < t.n; i++) {
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
    static const struct option lo[] = {{"threads", required_argument, 0, 'j'},
                                       {"seconds", required_argument, 0, 's'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
    int64_t threads = 1;
    double seconds = 10;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        switch (c) {
        case 'j':
            if (wt_parse_i64("extract speed", "--threads", optarg, 0, 1024, &threads) < 0)
                return WT_EXIT_USAGE;
            break;
        case 's':
            if (wt_parse_double("extract speed", "--seconds", optarg, 0.01, 3600, &seconds) < 0)
                return WT_EXIT_USAGE;
            break;
        case 'h':
            printf("usage: extract speed DIR [--threads N] [--seconds S]\n"
                   "  Extracts every DIR/*.html[.gz] repeatedly for at least S seconds (10)\n"
                   "  and prints pages per second.\n");
            return WT_EXIT_OK;
        default:
            return WT_EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "usage: extract speed DIR [--threads N] [--seconds S]\n");
        return WT_EXIT_USAGE;
    }
    const char *dir = argv[optind];
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
