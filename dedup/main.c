/* bin/dedup: the dedup stage's command line. Each step is a subcommand with
 * files between steps (so a Slurm array can run it per shard or partition);
 * `run` does all four on one machine; `overlap` is the paper's 8-gram test. */
#include <ftw.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cputime.h"
#include "cli.h"
#include "opts.h"
#include "dedup.h"
#include "jsonl.h"
#include "outlock.h"
#include "progress.h"

int dedup_cmd_overlap(int argc, char **argv); /* main_overlap.c */

static const char *PROG = "dedup";

typedef struct cli {
    dedup_params p;
    dedup_opts o;
    const char *out, *work, *stats, *domains;
    bool keep_work;
    char **inputs;
    size_t ninputs;
} cli;

/* Which option groups a subcommand takes (besides the common ones). */
enum { WITH_PARAMS = 1, WITH_WORK = 2, WITH_KEEP_WORK = 4, PARAMS_IGNORED = 8 };

/* Parses argv into c with the option table of a subcommand (--help from the
 * same table); returns 0, -1 after --help, -2 after a usage error. */
static int cli_parse(cli *c, int argc, char **argv, const char *synopsis, const char *about,
                     unsigned groups) {
    dedup_params_default(&c->p);
    c->o = (dedup_opts){.threads = wt_ncpus(), .rank = 0, .world = 1};
    char prog[64], bands[24], rows[24], ngram[24], seed_s[24], parts[24], verify[24];
    snprintf(prog, sizeof prog, "%s %s", PROG, argv[0]);
    snprintf(bands, sizeof bands, "%d", c->p.bands);
    snprintf(rows, sizeof rows, "%d", c->p.rows);
    snprintf(ngram, sizeof ngram, "%d", c->p.ngram);
    snprintf(seed_s, sizeof seed_s, "%" PRIu64, c->p.seed);
    snprintf(parts, sizeof parts, "%d", c->p.partitions);
    snprintf(verify, sizeof verify, "%g", c->p.verify);
    int64_t seed = 0;
    wt_opt t[32];
    size_t n = 0;
    t[n++] = (wt_opt)WT_STR("output", 'o', &c->out, "DIR", NULL, "output folder");
    if (groups & PARAMS_IGNORED)
        t[n++] = (wt_opt)WT_SECTION(
            "  (the MinHash options are accepted, so that one option list serves every\n"
            "  step, and ignored: the parameters come from WORK/params.json)");
    if (groups & (WITH_PARAMS | PARAMS_IGNORED)) {
        t[n++] = (wt_opt)WT_INT32("bands", 0, &c->p.bands, "B", bands, 1, 1 << 20, "LSH bands");
        t[n++] = (wt_opt)WT_INT32("rows", 0, &c->p.rows, "R", rows, 1, 1 << 20,
                                  "MinHash values per band (B*R <= 1024)");
        t[n++] =
            (wt_opt)WT_INT32("ngram", 0, &c->p.ngram, "N", ngram, 1, 1 << 20, "words per shingle");
        t[n++] = (wt_opt)WT_INT("seed", 0, &seed, "S", seed_s, 0, 9.2e18, "permutation seed");
        t[n++] = (wt_opt)WT_INT32("partitions", 0, &c->p.partitions, "P", parts, 1, 4096,
                                  "key partitions = buckets tasks");
        t[n++] = (wt_opt)WT_NUM("verify", 0, &c->p.verify, "T", verify, 0, 1,
                                "keep a band match only when the signatures' estimated\n"
                                "Jaccard is >= T (0: no check, like datatrove)");
        t[n++] = (wt_opt)WT_STR("drop-domains", 0, &c->domains, "F", NULL,
                                "also drop hosts under the domains listed in F (one a line);\n"
                                "every host under wikipedia.org is always dropped");
    }
    if (groups & WITH_WORK)
        t[n++] = (wt_opt)WT_STR("work", 0, &c->work, "DIR", NULL, "folder for the step files");
    if (groups & WITH_KEEP_WORK)
        t[n++] = (wt_opt)WT_FLAG("keep-work", 0, &c->keep_work, "keep the step files");
    t[n++] = (wt_opt)WT_THREADS(&c->o.threads);
    t[n++] = (wt_opt)WT_INT32("rank", 0, &c->o.rank, "R", NULL, 0, 1 << 20,
                              "this task does the units u with u % W == R (Slurm:\n"
                              "--rank $SLURM_ARRAY_TASK_ID --world $SLURM_ARRAY_TASK_COUNT)");
    t[n++] =
        (wt_opt)WT_INT32("world", 0, &c->o.world, "W", NULL, 1, 1 << 20, "the number of tasks");
    t[n++] = (wt_opt)WT_FLAG("force", 0, &c->o.force, "redo complete outputs");
    t[n++] = (wt_opt)WT_FLAG("strict", 0, &c->o.strict, "the first bad record is fatal");
    t[n++] = (wt_opt)WT_FLAG("quiet", 0, &c->o.quiet, "no progress line");
    t[n++] =
        (wt_opt)WT_STR("stats", 0, &c->stats, "FILE", NULL, "write the step's statistics as JSON");
    t[n++] = (wt_opt)WT_PROGRESS_OPT(&c->o.progress_interval);
    t[n] = (wt_opt)WT_OPTS_END;
    const wt_cmd_spec spec = {prog, synopsis, about, t, NULL};
    int rc, first = wt_opts_parse(&spec, argc, argv, &rc);
    if (first < 0) return rc == WT_EXIT_OK ? -1 : -2;
    c->p.seed = (uint64_t)seed;
    if (c->o.threads == 0) c->o.threads = wt_ncpus();
    if (c->o.rank >= c->o.world)
        return wt_opts_usage_error(&spec, "--rank must be below --world"), -2;
    if (c->p.bands * c->p.rows > 1024)
        return wt_opts_usage_error(&spec, "--bands * --rows must be at most 1024"), -2;
    c->inputs = argv + first;
    c->ninputs = (size_t)(argc - first);
    return 0;
}

static int finish(cli *c, dedup_shards *s, json_t *stats, const char *step, int rc, wt_error *err) {
    if (rc == 0 && c->stats) {
        json_t *j = json_pack("{s:s, s:O}", "step", step, "results", stats);
        rc = wt_json_write_file(c->stats, j, err);
        json_decref(j);
    }
    if (rc < 0) wt_report(PROG, err);
    json_decref(stats);
    dedup_shards_free(s);
    dedup_params_free(&c->p);
    return rc < 0 ? WT_EXIT_FAIL : WT_EXIT_OK;
}

/* A step task's lock: OUT/.STEP-RRRRR.lock, one per rank, so that the tasks
 * of one step share their folder and a second run of one task refuses. */
static int lock_step(wt_outlock *l, const char *out, const char *step, int rank) {
    char suffix[64];
    snprintf(suffix, sizeof suffix, "/.%s-%05d.lock", step, rank);
    return wt_outlock_main(l, PROG, out, suffix);
}

typedef int (*step_fn)(const dedup_params *, const dedup_shards *, const char *, const dedup_opts *,
                       json_t *, wt_error *);

static int run_step(int argc, char **argv, const char *about, step_fn fn, bool params_from_flags) {
    cli c = {0};
    int prc = cli_parse(&c, argc, argv, "[options] INPUT... -o WORK", about,
                        params_from_flags ? WITH_PARAMS : PARAMS_IGNORED);
    if (prc < 0) {
        dedup_params_free(&c.p);
        return prc == -1 ? WT_EXIT_OK : WT_EXIT_USAGE;
    }
    if (!c.out || c.ninputs == 0) {
        fprintf(stderr, "%s %s: needs INPUT... and -o WORK (see --help)\n", PROG, argv[0]);
        dedup_params_free(&c.p);
        return WT_EXIT_USAGE;
    }
    wt_outlock lock;
    int status = lock_step(&lock, c.out, argv[0], c.o.rank);
    if (status != WT_EXIT_OK) {
        dedup_params_free(&c.p);
        return status;
    }
    wt_error err;
    dedup_shards s = {0};
    json_t *stats = json_array();
    int rc = 0;
    if (params_from_flags && c.domains) rc = dedup_params_add_domains(&c.p, c.domains, &err);
    if (!params_from_flags) {
        dedup_params_free(&c.p);
        rc = dedup_params_load(c.out, &c.p, &err);
    }
    if (rc == 0) rc = dedup_shards_init(&s, c.inputs, c.ninputs, &err);
    if (rc == 0) rc = fn(&c.p, &s, c.out, &c.o, stats, &err);
    status = finish(&c, &s, stats, argv[0], rc, &err);
    wt_outlock_release(&lock);
    return status;
}

static int cmd_signatures(int argc, char **argv) {
    return run_step(argc, argv,
                    "Step 1, per input shard (docs-NNNNN.jsonl.zst): parses each record, drops\n"
                    "Wikipedia and listed domains, hashes the normalised text and computes the\n"
                    "MinHash band keys. Writes WORK/params.json, WORK/sig/meta-NNNNN.bin,\n"
                    "WORK/sig/urls-NNNNN.txt and WORK/keys/keys-NNNNN-pPPP.bin. A task does the\n"
                    "shards at positions i (in shard-index order) with i % W == R.\n",
                    dedup_signatures, true);
}

static int cmd_buckets(int argc, char **argv) {
    return run_step(argc, argv,
                    "Step 2, per key partition: sorts partition p's keys from every shard and\n"
                    "writes WORK/edges/edges-PPPPP.bin (pairs of records with an equal URL, text\n"
                    "or band key). Needs step 1 for all INPUTs (the same list). A task does the\n"
                    "partitions p with p % W == R. Parameters come from WORK/params.json.\n",
                    dedup_buckets, false);
}

static int cmd_cluster(int argc, char **argv) {
    return run_step(argc, argv,
                    "Step 3, one task: union-find over all edges; keeps one document per cluster\n"
                    "(highest score, then smallest id); writes WORK/cluster/remove-NNNNN.bin and\n"
                    "WORK/cluster/report.json. Needs step 2 for every partition.\n",
                    dedup_cluster, false);
}

static int cmd_filter(int argc, char **argv) {
    const char *about = "Step 4, per input shard: copies the kept records' lines unchanged to\n"
                        "OUT/docs-NNNNN.jsonl.zst (shard i from input shard i). A task does the\n"
                        "shards at positions i with i % W == R.\n";
    cli c = {0};
    int prc = cli_parse(&c, argc, argv, "[options] INPUT... --work WORK -o OUT", about,
                        WITH_WORK | PARAMS_IGNORED);
    dedup_params_free(&c.p);
    if (prc < 0) return prc == -1 ? WT_EXIT_OK : WT_EXIT_USAGE;
    if (!c.out || !c.work || c.ninputs == 0) {
        fprintf(stderr, "%s filter: needs INPUT..., --work WORK and -o OUT (see --help)\n", PROG);
        return WT_EXIT_USAGE;
    }
    wt_outlock lock;
    int status = lock_step(&lock, c.out, "filter", c.o.rank);
    if (status != WT_EXIT_OK) return status;
    wt_error err;
    dedup_shards s = {0};
    json_t *stats = json_array();
    int rc = dedup_params_load(c.work, &c.p, &err);
    if (rc == 0) rc = dedup_shards_init(&s, c.inputs, c.ninputs, &err);
    if (rc == 0) rc = dedup_filter(&c.p, &s, c.work, c.out, &c.o, stats, &err);
    status = finish(&c, &s, stats, "filter", rc, &err);
    wt_outlock_release(&lock);
    return status;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

/* Removes what the steps wrote under work (and work, when that leaves it empty). */
static void remove_work(const char *work) {
    static const char *parts[] = {"sig", "keys", "edges", "cluster", "filter", "params.json"};
    char path[4200];
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        snprintf(path, sizeof path, "%s/%s", work, parts[i]);
        nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    }
    rmdir(work);
}

static int run_all(cli *c, dedup_shards *s, const char *work, json_t *steps, wt_error *err) {
    struct {
        const char *name;
        step_fn fn;
    } order[] = {
        {"signatures", dedup_signatures}, {"buckets", dedup_buckets}, {"cluster", dedup_cluster}};
    for (size_t i = 0; i < 3; i++) {
        json_t *st = json_array();
        double t0 = wt_now(), c0 = wt_cpu_seconds();
        if (!c->o.quiet) fprintf(stderr, "dedup run: %s\n", order[i].name);
        int rc = order[i].fn(&c->p, s, work, &c->o, st, err);
        json_object_set_new(steps, order[i].name,
                            json_pack("{s:f, s:f, s:o}", "seconds", wt_now() - t0, "cpu_seconds",
                                      wt_cpu_seconds() - c0, "results", st));
        WT_TRY(rc);
    }
    json_t *st = json_array();
    double t0 = wt_now(), c0 = wt_cpu_seconds();
    if (!c->o.quiet) fprintf(stderr, "dedup run: filter\n");
    int rc = dedup_filter(&c->p, s, work, c->out, &c->o, st, err);
    json_object_set_new(steps, "filter",
                        json_pack("{s:f, s:f, s:o}", "seconds", wt_now() - t0, "cpu_seconds",
                                  wt_cpu_seconds() - c0, "results", st));
    return rc;
}

static bool run_complete(const cli *c, const dedup_shards *s, const char *fps) {
    char path[4096];
    snprintf(path, sizeof path, "%s/report.json", c->out);
    char *data;
    size_t n;
    wt_error err;
    if (wt_read_file(path, &data, &n, 64u << 20, &err) < 0) return false;
    bool ok = strstr(data, fps) != NULL;
    free(data);
    for (size_t i = 0; ok && i < s->n; i++) {
        wt_shard_path(path, sizeof path, c->out, "docs", s->index[i], "jsonl.zst");
        ok = wt_file_exists(path);
    }
    return ok;
}

static int cmd_run(int argc, char **argv) {
    const char *about =
        "All steps on one machine: DIR/docs-NNNNN.jsonl.zst (shard i from input shard i)\n"
        "and DIR/report.json (removals per reason, cluster sizes, examples, parameters,\n"
        "timings). Step files go to --work (default DIR/work), removed at the end unless\n"
        "--keep-work; a rerun skips complete work unless --force.\n";
    cli c = {0};
    int prc = cli_parse(&c, argc, argv, "[options] INPUT... -o DIR", about,
                        WITH_PARAMS | WITH_WORK | WITH_KEEP_WORK);
    if (prc < 0) {
        dedup_params_free(&c.p);
        return prc == -1 ? WT_EXIT_OK : WT_EXIT_USAGE;
    }
    if (!c.out || c.ninputs == 0 || c.o.world != 1) {
        fprintf(stderr, "%s run: needs INPUT... and -o DIR, and no --world (see --help)\n", PROG);
        dedup_params_free(&c.p);
        return WT_EXIT_USAGE;
    }
    wt_outlock lock;
    int status = wt_outlock_main(&lock, PROG, c.out, WT_LOCK_DIR);
    if (status != WT_EXIT_OK) {
        dedup_params_free(&c.p);
        return status;
    }
    wt_error err;
    dedup_shards s = {0};
    json_t *steps = json_object();
    char work[4096];
    snprintf(work, sizeof work, "%s", c.work ? c.work : "");
    if (!c.work) snprintf(work, sizeof work, "%s/work", c.out);
    double t0 = wt_now();
    int rc = c.domains ? dedup_params_add_domains(&c.p, c.domains, &err) : 0;
    if (rc == 0) rc = dedup_shards_init(&s, c.inputs, c.ninputs, &err);
    if (rc == 0) rc = wt_mkdir_p(c.out, &err);
    char fps[32];
    snprintf(fps, sizeof fps, "%016" PRIx64,
             dedup_shards_fingerprint(&s, dedup_params_fingerprint(&c.p)));
    if (rc == 0 && !c.o.force && run_complete(&c, &s, fps)) {
        if (!c.o.quiet) fprintf(stderr, "dedup run: %s is complete (use --force to redo)\n", c.out);
        /* a run killed while removing its step files left some behind */
        if (!c.keep_work) remove_work(work);
        json_decref(steps);
        status = finish(&c, &s, json_array(), "run", 0, &err);
        wt_outlock_release(&lock);
        return status;
    }
    if (rc == 0) rc = wt_mkdir_p(work, &err);
    if (rc == 0) rc = run_all(&c, &s, work, steps, &err);
    json_t *report = NULL;
    if (rc == 0) {
        char path[4200];
        snprintf(path, sizeof path, "%s/cluster/report.json", work);
        json_error_t je;
        report = json_load_file(path, 0, &je);
        if (!report) rc = wt_fail(&err, "%s: %s", path, je.text);
    }
    if (rc == 0) {
        json_object_set_new(report, "steps", steps);
        steps = NULL;
        json_object_set_new(report, "seconds", json_real(wt_now() - t0));
        json_object_set_new(report, "threads", json_integer(c.o.threads));
        uint64_t docs = (uint64_t)json_integer_value(json_object_get(report, "documents"));
        json_object_set_new(report, "docs_per_s", json_real((double)docs / (wt_now() - t0 + 1e-9)));
        char path[4096];
        snprintf(path, sizeof path, "%s/report.json", c.out);
        rc = wt_json_write_file(path, report, &err);
    }
    if (rc == 0 && !c.keep_work) remove_work(work);
    json_decref(steps);
    json_t *stats = json_array();
    if (report) json_array_append_new(stats, report);
    status = finish(&c, &s, stats, "run", rc, &err);
    wt_outlock_release(&lock);
    return status;
}

int main(int argc, char **argv) {
    static const wt_command cmds[] = {
        {"signatures", cmd_signatures, "step 1: per shard, hashes and MinHash band keys"},
        {"buckets", cmd_buckets, "step 2: per partition, equal keys -> edges"},
        {"cluster", cmd_cluster, "step 3: union-find, one kept per cluster"},
        {"filter", cmd_filter, "step 4: per shard, write the kept documents"},
        {"run", cmd_run, "all four steps on one machine"},
        {"overlap", dedup_cmd_overlap, "8-gram overlap of test sets with a reference (GPT-2 s.4)"},
        {NULL, NULL, NULL}};
    return wt_dispatch(PROG, "remove Wikipedia, duplicate URLs and texts, near duplicates", cmds,
                       argc, argv);
}
