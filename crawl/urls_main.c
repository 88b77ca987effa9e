/* `crawl urls DUMP... -o DIR`: Pushshift submission dumps -> the deduplicated
 * list of outbound links with enough karma, as DIR/urls-NNNNN.jsonl.zst plus
 * DIR/stats.json. Map (per-post rules, partition by URL hash) then reduce. */
#include <glob.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#include "cli.h"
#include "crawl/commands.h"
#include "crawl/urls_part.h"
#include "crawl/urls_post.h"
#include "crawl/urls_reduce.h"
#include "crawl/urls_scan.h"
#include "crawl/urls_stats.h"
#include "jsonl.h"
#include "opts.h"
#include "outlock.h"
#include "pool.h"
#include "progress.h"
#include "stream.h"

#define PROG "crawl urls"
#define PART_INPUT_BYTES (256ull << 20) /* one partition per 256 MiB of input files */
#define MAX_AUTO_PARTS 1024

typedef struct {
    char **inputs;
    int ninputs;
    const char *outdir, *stats_file, *domains_file, *ext_file;
    crawl_select sel;
    crawl_reduce_opts red;
    int64_t shards, partitions, threads;
    bool strict, force, quiet;
    double progress_interval; /* seconds between progress lines in a log, e.g. 30 */
} options;

/* Parses "YYYY-MM-DD" (UTC midnight) or unix seconds. */
static int parse_date(const char *opt, const char *s, int64_t *out) {
    int y, m, d, n = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && s[n] == '\0') {
        struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
        time_t t = timegm(&tm);
        if (tm.tm_year == y - 1900 && tm.tm_mon == m - 1 && tm.tm_mday == d) {
            *out = (int64_t)t;
            return 0;
        }
        fprintf(stderr, "%s: %s: '%s' is not a valid date\n", PROG, opt, s);
        return -1;
    }
    return wt_parse_i64(PROG, opt, s, INT64_MIN / 2, INT64_MAX / 2, out);
}

static int parse_after(void *dest, const char *arg) {
    return parse_date("--after", arg, dest);
}

static int parse_before(void *dest, const char *arg) {
    return parse_date("--before", arg, dest);
}

static int parse_agg(void *dest, const char *arg) {
    if (strcmp(arg, "max") && strcmp(arg, "sum")) {
        fprintf(stderr, "%s: --score-agg: '%s' is not max or sum\n", PROG, arg);
        return -1;
    }
    *(bool *)dest = !strcmp(arg, "sum");
    return 0;
}

/* Returns 0 to run, 1 when done (--help, --print-default-lists), -1 on a usage error. */
static int parse_options(int argc, char **argv, options *o) {
    memset(o, 0, sizeof *o);
    o->sel.after = INT64_MIN;
    bool print_lists = false;
    const wt_opt table[] = {
        WT_STR("output", 'o', &o->outdir, "DIR", NULL, "output folder (created)"),
        WT_INT("min-score", 0, &o->red.min_score, "N", "3", -4.6e18, 4.6e18,
               "keep URLs whose aggregated score is >= N"),
        WT_CALL("score-agg", 0, &o->red.score_sum, parse_agg, "max|sum",
                "aggregate the scores of all posts of a URL (default max)"),
        WT_CALL("after", 0, &o->sel.after, parse_after, "DATE",
                "keep posts created at or after DATE (YYYY-MM-DD UTC or unix\n"
                "seconds; default: no lower bound)"),
        /* WebText has no links posted after 2017 */
        WT_CALL_DEF("before", &o->sel.before, parse_before, "DATE", "2018-01-01",
                    "keep posts created before DATE"),
        WT_FLAG("keep-nsfw", 0, &o->sel.keep_nsfw, "keep over_18 posts (dropped by default)"),
        WT_STR("exclude-domains", 0, &o->domains_file, "FILE", NULL,
               "domain list replacing the built-in one (/dev/null: none)"),
        WT_STR("exclude-extensions", 0, &o->ext_file, "FILE", NULL,
               "extension list replacing the built-in one"),
        WT_FLAG("print-default-lists", 0, &print_lists, "print the built-in lists and exit"),
        WT_INT("shards", 0, &o->shards, "N", "1", 1, 100000, "output shards, by registered domain"),
        WT_INT("partitions", 0, &o->partitions, "N", NULL, 1, 65536,
               "dedup partitions (default: one per 256 MiB of input)"),
        WT_INT("threads", 0, &o->threads, "N", NULL, 0, 4096,
               "threads reading inputs (default: all cores)"),
        WT_FLAG("strict", 0, &o->strict, "a malformed line is fatal"),
        WT_FLAG("force", 0, &o->force, "redo even if all outputs exist"),
        WT_STR("stats", 0, &o->stats_file, "FILE", NULL, "also write the statistics to FILE"),
        WT_FLAG("quiet", 'q', &o->quiet, "no progress line"),
        WT_PROGRESS_OPT(&o->progress_interval), WT_OPTS_END};
    const wt_cmd_spec spec = {
        PROG, "[options] DUMP... -o DIR",
        "Reads Pushshift submission dumps (RS_*.zst with a 2 GiB window, .xz, .bz2, .gz or plain\n"
        "NDJSON; '-' is stdin) and writes the unique outbound links whose score reaches the\n"
        "threshold to DIR/urls-NNNNN.jsonl.zst, with counts per drop reason in DIR/stats.json.\n",
        table, NULL};
    int code, first = wt_opts_parse(&spec, argc, argv, &code);
    if (first < 0) return code == WT_EXIT_OK ? 1 : -1;
    if (print_lists) {
        printf("# --exclude-domains (built in)\n%s\n# --exclude-extensions (built in)\n%s",
               crawl_default_domains, crawl_default_extensions);
        return 1;
    }
    o->inputs = argv + first;
    o->ninputs = argc - first;
    if (!o->outdir || o->ninputs == 0)
        return wt_opts_usage_error(&spec, "%s",
                                   !o->outdir ? "-o DIR is required" : "no input dump"),
               -1;
    if (o->sel.after >= o->sel.before)
        return wt_opts_usage_error(&spec, "--after must be earlier than --before"), -1;
    return 0;
}

/* ---- map: read every input, apply the per-post rules, partition ---- */

typedef struct {
    const options *o;
    crawl_parts *parts;
    crawl_urls_counts *counts; /* one per input */
    wt_error *errs;            /* one per input */
    int *failed;               /* one per input */
    atomic_int any_failed;
    atomic_uint_fast64_t bytes_done;
    wt_progress *progress; /* drawn by worker 0 only */
} map_ctx;

static int map_line(map_ctx *m, int worker, const char *path, uint64_t lineno, const char *line,
                    size_t len, bool truncated, wt_badrec *bad, crawl_urls_counts *c,
                    crawl_post *post, wt_jscan_buf *sbuf, wt_error *err) {
    c->records_read++;
    if (truncated) {
        c->malformed++;
        return wt_bad_record(bad, err, path, lineno, "line longer than the limit");
    }
    /* the fast scanner; on a line it rejects, jansson gives the message */
    wt_jscan_field f[CRAWL_NFIELDS];
    wt_error perr;
    if (crawl_scan_fields(line, len, f, sbuf, &perr) < 0) {
        json_t *obj = wt_json_parse(line, len, &perr);
        if (obj) { /* jansson accepts what the scanner refused: only out of memory */
            json_decref(obj);
            return wt_fail(err, "out of memory");
        }
        c->malformed++;
        return wt_bad_record(bad, err, path, lineno, "%s", perr.msg);
    }
    crawl_post_verdict v = crawl_post_classify(f, &m->o->sel, post);
    switch (v) {
    case CRAWL_POST_MALFORMED:
        c->malformed++;
        return wt_bad_record(bad, err, path, lineno, "%s", post->reason);
    case CRAWL_POST_SELF:
        c->self_posts++;
        return 0;
    case CRAWL_POST_DATE:
        c->date_out_of_range++;
        return 0;
    case CRAWL_POST_NSFW:
        c->nsfw++;
        return 0;
    case CRAWL_POST_BAD_URL:
        c->bad_url++;
        c->bad_url_reasons[post->url_status]++;
        return 0;
    case CRAWL_POST_EXCLUDED_DOMAIN:
        c->excluded_domain++;
        return 0;
    case CRAWL_POST_EXCLUDED_EXTENSION:
        c->excluded_extension++;
        return 0;
    case CRAWL_POST_KEEP:
        break;
    }
    c->candidates++;
    uint64_t h = XXH3_64bits(post->url, strlen(post->url));
    return crawl_parts_add(m->parts, worker, post, h, err);
}

static int map_file(map_ctx *m, int worker, const char *path, crawl_urls_counts *c, wt_error *err) {
    wt_reader *r = wt_reader_open(path, err);
    if (!r) return -1;
    wt_badrec bad = {.stage = "crawl", .strict = m->o->strict};
    crawl_post *post = malloc(sizeof *post);
    if (!post) {
        wt_reader_close(r);
        return wt_fail(err, "out of memory");
    }
    wt_jscan_buf sbuf = {0};
    int rc;
    uint64_t last_raw = 0;
    char *line;
    size_t len;
    while ((rc = wt_reader_getline(r, &line, &len, err)) > 0) {
        bool blank = true;
        for (size_t i = 0; i < len && blank; i++)
            blank = line[i] == ' ' || line[i] == '\t' || line[i] == '\r';
        if (blank) continue;
        rc = map_line(m, worker, path, wt_reader_line_no(r), line, len, wt_reader_line_truncated(r),
                      &bad, c, post, &sbuf, err);
        if (rc < 0) break;
        if ((c->records_read & 4095) == 0) {
            uint64_t raw = wt_reader_raw_offset(r);
            atomic_fetch_add(&m->bytes_done, raw - last_raw);
            last_raw = raw;
            if (worker == 0) wt_progress_set(m->progress, atomic_load(&m->bytes_done));
            if (atomic_load(&m->any_failed)) break;
        }
    }
    atomic_fetch_add(&m->bytes_done, wt_reader_raw_offset(r) - last_raw);
    wt_jscan_buf_free(&sbuf);
    free(post);
    wt_reader_close(r);
    if (rc < 0) return -1;
    return crawl_parts_flush(m->parts, worker, err);
}

static void map_task(void *ctx, size_t i, int worker) {
    map_ctx *m = ctx;
    if (atomic_load(&m->any_failed)) return;
    if (map_file(m, worker, m->o->inputs[i], &m->counts[i], &m->errs[i]) < 0) {
        m->failed[i] = 1;
        atomic_store(&m->any_failed, 1);
    }
}

/* ---- reduce: dedup every partition, write the shards ---- */

typedef struct {
    wt_writer **w;
    int64_t nshards;
} emit_ctx;

static int emit_url(void *ctx, const crawl_url_out *u, wt_error *err) {
    emit_ctx *e = ctx;
    char host[256], domain[256];
    if (wt_url_host(u->url, host, sizeof host) < 0 ||
        wt_url_registered_domain(host, domain, sizeof domain) < 0)
        return wt_fail(err, "internal: no host in %s", u->url);
    uint64_t shard = XXH3_64bits(domain, strlen(domain)) % (uint64_t)e->nshards;
    json_t *obj =
        json_pack("{s:s, s:s, s:I, s:I, s:s?, s:I, s:s}", "url", u->url, "domain", domain, "score",
                  (json_int_t)u->score, "posts", (json_int_t)u->posts, "subreddit", u->subreddit,
                  "created_utc", (json_int_t)u->created_utc, "post_id", u->post_id);
    if (!obj) return wt_fail(err, "cannot build the record of %s (bad UTF-8?)", u->url);
    int rc = wt_jsonl_write(e->w[shard], obj, err);
    json_decref(obj);
    return rc;
}

static bool outputs_exist(const options *o) {
    char path[4096];
    snprintf(path, sizeof path, "%s/stats.json", o->outdir);
    if (!wt_file_exists(path)) return false;
    for (int64_t s = 0; s < o->shards; s++) {
        wt_shard_path(path, sizeof path, o->outdir, "urls", (uint64_t)s, "jsonl.zst");
        if (!wt_file_exists(path)) return false;
    }
    return true;
}

static int64_t auto_partitions(const options *o) {
    uint64_t total = 0;
    for (int i = 0; i < o->ninputs; i++) {
        struct stat st;
        if (strcmp(o->inputs[i], "-") && stat(o->inputs[i], &st) == 0 && S_ISREG(st.st_mode))
            total += (uint64_t)st.st_size;
    }
    uint64_t p = (total + PART_INPUT_BYTES - 1) / PART_INPUT_BYTES;
    return p < 1 ? 1 : p > MAX_AUTO_PARTS ? MAX_AUTO_PARTS : (int64_t)p;
}

static int load_lists(const options *o, crawl_list *dom, crawl_list *ext, wt_error *err) {
    if (o->domains_file ? crawl_list_load(dom, o->domains_file, true, err)
                        : crawl_list_parse_domains(dom, crawl_default_domains, "built-in", err))
        return -1;
    if (o->ext_file ? crawl_list_load(ext, o->ext_file, false, err)
                    : crawl_list_parse_extensions(ext, crawl_default_extensions, "built-in", err)) {
        crawl_list_free(dom);
        return -1;
    }
    return 0;
}

static int run_map(const options *o, crawl_parts *parts, crawl_urls_counts *total, wt_error *err) {
    int n = o->ninputs;
    map_ctx m = {.o = o, .parts = parts};
    m.counts = calloc((size_t)n, sizeof *m.counts);
    m.errs = calloc((size_t)n, sizeof *m.errs);
    m.failed = calloc((size_t)n, sizeof *m.failed);
    wt_progress prog;
    uint64_t bytes = 0;
    for (int i = 0; i < n; i++) {
        struct stat st;
        if (strcmp(o->inputs[i], "-") && stat(o->inputs[i], &st) == 0)
            bytes += (uint64_t)st.st_size;
    }
    wt_progress_init(&prog, "crawl urls: reading", "MB", 1e6, bytes, o->quiet);
    wt_progress_every(&prog, o->progress_interval);
    m.progress = &prog;
    int rc = 0;
    if (!m.counts || !m.errs || !m.failed) rc = wt_fail(err, "out of memory");
    if (rc == 0) {
        int threads = wt_threads(o->threads);
        wt_pool *pool = wt_pool_create(threads < n ? threads : n);
        wt_pool_for(pool, (size_t)n, 1, map_task, &m);
        wt_pool_destroy(pool);
        wt_progress_set(&prog, atomic_load(&m.bytes_done));
        wt_progress_finish(&prog);
        for (int i = 0; i < n; i++) {
            if (m.failed[i] && rc == 0) {
                *err = m.errs[i];
                rc = -1;
            }
            crawl_urls_counts_add(total, &m.counts[i]);
        }
    }
    free(m.counts);
    free(m.errs);
    free(m.failed);
    return rc;
}

static int run_reduce(const options *o, crawl_parts *parts, int64_t nparts,
                      crawl_reduce_counts *rc_out, wt_error *err) {
    wt_writer **w = calloc((size_t)o->shards, sizeof *w);
    if (!w) return wt_fail(err, "out of memory");
    int rc = 0;
    for (int64_t s = 0; s < o->shards && rc == 0; s++) {
        char path[4096];
        wt_shard_path(path, sizeof path, o->outdir, "urls", (uint64_t)s, "jsonl.zst");
        w[s] = wt_writer_open(path, NULL, err);
        if (!w[s]) rc = -1;
    }
    emit_ctx e = {w, o->shards};
    wt_progress prog;
    wt_progress_init(&prog, "crawl urls: dedup", "partitions", 1, (uint64_t)nparts, o->quiet);
    wt_progress_every(&prog, o->progress_interval);
    for (int64_t p = 0; p < nparts && rc == 0; p++) {
        rc = crawl_reduce_partition(crawl_parts_path(parts, (int)p), &o->red, emit_url, &e, rc_out,
                                    err);
        unlink(crawl_parts_path(parts, (int)p)); /* free the disk space early */
        wt_progress_set(&prog, (uint64_t)p + 1);
    }
    wt_progress_finish(&prog);
    for (int64_t s = 0; s < o->shards; s++) {
        if (!w[s]) continue;
        if (rc == 0)
            rc = wt_writer_commit(w[s], err);
        else
            wt_writer_abort(w[s]);
    }
    free(w);
    return rc;
}

/* Partition files left by a killed run (perhaps with another P). */
static void remove_stale_parts(const char *tmpdir) {
    char pattern[4200];
    snprintf(pattern, sizeof pattern, "%s/part-*.bin", tmpdir);
    glob_t g;
    if (glob(pattern, 0, NULL, &g) == 0)
        for (size_t i = 0; i < g.gl_pathc; i++) unlink(g.gl_pathv[i]);
    globfree(&g);
}

/* The partition files are open at once: raise the soft descriptor limit. */
static void raise_fd_limit(rlim_t need) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < need) {
        rl.rlim_cur = need < rl.rlim_max ? need : rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static int urls_run(const options *o, wt_error *err) {
    crawl_list dom, ext;
    WT_TRY(load_lists(o, &dom, &ext, err));
    crawl_select sel = o->sel;
    sel.domains = &dom;
    sel.extensions = &ext;
    options oo = *o;
    oo.sel = sel;

    int rc = -1;
    char tmpdir[4096];
    snprintf(tmpdir, sizeof tmpdir, "%s/.tmp-urls", o->outdir);
    int64_t nparts = o->partitions ? o->partitions : auto_partitions(o);
    int threads = wt_threads(o->threads);
    crawl_parts *parts = NULL;
    crawl_urls_counts counts = {0};
    crawl_reduce_counts red = {0};
    if (wt_mkdir_p(tmpdir, err) < 0) goto done;
    remove_stale_parts(tmpdir);
    raise_fd_limit((rlim_t)nparts + 64);
    parts = crawl_parts_create(tmpdir, (int)nparts, threads, err);
    if (!parts) goto done;
    if (run_map(&oo, parts, &counts, err) < 0) goto done;
    if (crawl_parts_close(parts, err) < 0) goto done;
    if (run_reduce(&oo, parts, nparts, &red, err) < 0) goto done;

    json_t *stats = crawl_urls_stats_json(&counts, &red);
    json_t *settings =
        json_pack("{s:I, s:s, s:I, s:I, s:b, s:s, s:s, s:I, s:I}", "min_score",
                  (json_int_t)o->red.min_score, "score_agg", o->red.score_sum ? "sum" : "max",
                  "after", (json_int_t)(o->sel.after == INT64_MIN ? 0 : o->sel.after), "before",
                  (json_int_t)o->sel.before, "keep_nsfw", o->sel.keep_nsfw, "exclude_domains",
                  o->domains_file ? o->domains_file : "built-in", "exclude_extensions",
                  o->ext_file ? o->ext_file : "built-in", "shards", (json_int_t)o->shards,
                  "partitions", (json_int_t)nparts);
    json_t *inputs = json_array();
    for (int i = 0; i < o->ninputs; i++) json_array_append_new(inputs, json_string(o->inputs[i]));
    json_object_set_new(stats, "settings", settings);
    json_object_set_new(stats, "inputs", inputs);
    char path[4096];
    snprintf(path, sizeof path, "%s/stats.json", o->outdir);
    rc = wt_json_write_file(path, stats, err);
    if (rc == 0 && o->stats_file) rc = wt_json_write_file(o->stats_file, stats, err);
    json_decref(stats);
    if (rc == 0 && !o->quiet)
        fprintf(stderr,
                "%s: %" PRIu64 " records, %" PRIu64 " posts kept by the rules, %" PRIu64
                " unique URLs, %" PRIu64 " kept (score >= %" PRId64 ")\n",
                PROG, counts.records_read, counts.candidates, red.urls, red.kept, o->red.min_score);
done:
    crawl_parts_destroy(parts);
    rmdir(tmpdir);
    crawl_list_free(&dom);
    crawl_list_free(&ext);
    return rc;
}

int crawl_urls_main(int argc, char **argv) {
    options o;
    int prc = parse_options(argc, argv, &o);
    if (prc != 0) return prc < 0 ? WT_EXIT_USAGE : WT_EXIT_OK;
    wt_outlock lock;
    int status = wt_outlock_main(&lock, PROG, o.outdir, WT_LOCK_DIR);
    if (status != WT_EXIT_OK) return status;
    wt_error err = {{0}};
    if (!o.force && outputs_exist(&o)) {
        if (!o.quiet)
            fprintf(stderr, "%s: outputs in %s are complete, skipping (--force to redo)\n", PROG,
                    o.outdir);
    } else if (urls_run(&o, &err) < 0) {
        wt_report(PROG, &err);
        status = WT_EXIT_FAIL;
    }
    wt_outlock_release(&lock);
    return status;
}
