/* `extract warc WARC... -o OUT`: response records to documents. The main
 * thread reads a batch of responses (each with the Reddit fields of the
 * metadata record that follows it, linked by WARC-Refers-To) while the pool
 * extracts the previous batch; batches are written in input order. */
#include <pthread.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "cli.h"
#include "opts.h"
#include "cmds.h"
#include "http.h"
#include "jsonl.h"
#include "outlock.h"
#include "page.h"
#include "pool.h"
#include "progress.h"
#include "stream.h"
#include "url.h"
#include "warc_read.h"

enum { BATCH_DOCS = 256, BATCH_BYTES = 64 << 20 };

typedef struct job {
    char *url, *record_id, *date;
    uint64_t offset;
    unsigned char *block;
    size_t len;
    bool block_cut;
    json_t *meta; /* the metadata record's JSON object, or NULL */
    char *line;   /* the output line (with '\n'), NULL when dropped */
    size_t text_len;
    ex_result res;
    int oom;
} job;

struct run;

/* A batch of responses: filled by the reader, extracted by the pool. */
typedef struct batch {
    job jobs[BATCH_DOCS];
    size_t n, bytes;
    struct run *r;
} batch;

typedef struct stats {
    uint64_t records, responses, metadata, other_records, docs, warc_damage;
    uint64_t drop[EX_N_REASONS];
    uint64_t http_length_mismatch, http_bad_chunking, http_bad_encoding, http_unknown_encoding;
    uint64_t block_cut, html_cut, depth_cut, text_cut, bad_url, charset_replaced;
    uint64_t charset_unsupported, meta_unmatched, text_bytes, input_bytes, warc_truncated;
    json_t *charset_sources, *langs;
} stats;

typedef struct run {
    ex_opts opts;
    int threads;
    bool force, strict, quiet;
    double progress_interval; /* seconds between progress lines in a log, e.g. 30 */
    const char *stats_path;
    ex_worker *workers;
    wt_pool *pool;
    batch batches[2]; /* one being filled (cur), the other in flight */
    int cur;
    pthread_t proc; /* runs the pool over the batch in flight */
    bool busy;
    const char *warc_name; /* basename of the current input */
    stats st;
} run;

static void count_key(json_t *obj, const char *key) {
    json_t *v = json_object_get(obj, key);
    json_object_set_new(obj, key, json_integer(v ? json_integer_value(v) + 1 : 1));
}

static void job_free(job *j) {
    free(j->url);
    free(j->record_id);
    free(j->date);
    free(j->block);
    free(j->line);
    json_decref(j->meta);
    memset(j, 0, sizeof *j);
}

/* Builds the document line of a processed job. */
static char *doc_line(run *r, job *j, ex_worker *w) {
    const char *url = j->url;
    if (j->meta) url = wt_json_str(j->meta, "url", url);
    char norm[WT_URL_MAX + 1];
    if (wt_url_normalize(url, strlen(url), norm) != WT_URL_OK) {
        snprintf(norm, sizeof norm, "%.*s", WT_URL_MAX, url); /* hash the raw URL */
        __atomic_add_fetch(&r->st.bad_url, 1, __ATOMIC_RELAXED);
    }
    char id[17];
    snprintf(id, sizeof id, "%016llx", (unsigned long long)XXH3_64bits(norm, strlen(norm)));
    char host[256] = "", domain[256] = "";
    const char *md = j->meta ? wt_json_str(j->meta, "domain", NULL) : NULL;
    if (md)
        snprintf(domain, sizeof domain, "%s", md);
    else if (wt_url_host(norm, host, sizeof host) > 0)
        wt_url_registered_domain(host, domain, sizeof domain);
    json_t *o = json_object();
    if (!o) return NULL;
    json_object_set_new(o, "id", json_string(id));
    json_object_set_new(o, "url", json_string(url));
    json_object_set_new(
        o, "text", json_stringn(w->content.text.p ? w->content.text.p : "", w->content.text.len));
    json_object_set_new(
        o, "title",
        json_stringn(w->content.title.p ? w->content.title.p : "", w->content.title.len));
    json_object_set_new(o, "domain", json_string(domain));
    json_object_set_new(o, "lang", json_string(j->res.lang));
    static const char *const carried[] = {"score", "subreddit", "created_utc",
                                          "posts", "post_id",   NULL};
    for (int k = 0; carried[k]; k++) {
        json_t *v = j->meta ? json_object_get(j->meta, carried[k]) : NULL;
        if (v)
            json_object_set(o, carried[k], v);
        else if (k < 3)
            json_object_set_new(o, carried[k], json_null());
    }
    json_object_set_new(o, "fetched_at", json_string(j->date));
    json_object_set_new(o, "warc_file", json_string(r->warc_name));
    json_object_set_new(o, "warc_offset", json_integer((json_int_t)j->offset));
    if (r->opts.keep_all && j->res.drop != EX_KEEP)
        json_object_set_new(o, "filtered", json_string(ex_reason_names[j->res.drop]));
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (!s) return NULL;
    size_t n = strlen(s);
    char *line = realloc(s, n + 2);
    if (!line) return free(s), NULL;
    line[n] = '\n';
    line[n + 1] = 0;
    return line;
}

static void process_job(void *ctx, size_t i, int worker) {
    batch *b = ctx;
    run *r = b->r;
    job *j = &b->jobs[i];
    ex_worker *w = &r->workers[worker];
    if (ex_page_from_http(w, &r->opts, j->block, j->len, &j->res) < 0) {
        j->oom = 1;
        return;
    }
    if (j->res.drop == EX_KEEP || r->opts.keep_all) {
        j->text_len = w->content.text.len;
        j->line = doc_line(r, j, w);
        if (!j->line) j->oom = 1;
    }
}

static void *process_batch(void *arg) {
    batch *b = arg;
    wt_pool_for(b->r->pool, b->n, 1, process_job, b);
    return NULL;
}

/* Counts a processed batch, writes its lines in order (when out is not
 * NULL) and empties it. */
static int write_batch(run *r, batch *b, wt_writer *out, wt_error *err) {
    int rc = 0;
    for (size_t i = 0; i < b->n; i++) {
        job *j = &b->jobs[i];
        stats *s = &r->st;
        if (j->oom && rc == 0) rc = wt_fail(err, "out of memory extracting %s", j->url);
        s->drop[j->res.drop]++;
        int f = j->res.http_flags;
        s->http_length_mismatch += !!(f & EX_HTTP_LENGTH_MISMATCH);
        s->http_bad_chunking += !!(f & EX_HTTP_BAD_CHUNKING);
        s->http_bad_encoding += !!(f & EX_HTTP_BAD_ENCODING);
        s->http_unknown_encoding += !!(f & EX_HTTP_UNKNOWN_ENCODING);
        s->block_cut += j->block_cut;
        s->html_cut += j->res.html_cut;
        s->depth_cut += j->res.depth_cut;
        s->text_cut += j->res.text_cut;
        s->charset_replaced += j->res.cs.replaced;
        s->charset_unsupported += (uint64_t)j->res.cs.unsupported;
        if (j->res.cs.source) count_key(s->charset_sources, j->res.cs.source);
        if (j->line) {
            s->docs++;
            s->text_bytes += j->text_len;
            count_key(s->langs, j->res.lang);
            if (rc == 0 && out) rc = wt_writer_write(out, j->line, strlen(j->line), err);
        }
        job_free(j);
    }
    b->n = 0;
    b->bytes = 0;
    return rc;
}

/* Waits for the batch in flight, then writes it. */
static int finish_inflight(run *r, wt_writer *out, wt_error *err) {
    if (!r->busy) return 0;
    pthread_join(r->proc, NULL);
    r->busy = false;
    return write_batch(r, &r->batches[r->cur ^ 1], out, err);
}

/* Writes the batch in flight and hands the filled one to the pool; the
 * reader goes on with the other (now empty) batch. */
static int dispatch(run *r, wt_writer *out, wt_error *err) {
    batch *b = &r->batches[r->cur];
    int rc = finish_inflight(r, out, err);
    if (b->n == 0) return rc;
    if (rc == 0 && pthread_create(&r->proc, NULL, process_batch, b) == 0) {
        r->busy = true;
        r->cur ^= 1;
        return 0;
    }
    process_batch(b); /* no thread: extract here */
    int rc2 = write_batch(r, b, rc == 0 ? out : NULL, err);
    return rc < 0 ? rc : rc2;
}

static char *dup_or_empty(const char *s) {
    return strdup(s ? s : "");
}

/* Reads one WARC into the open writer. */
static int do_warc(run *r, const char *path, wt_writer *out, wt_error *err) {
    wt_warc_reader *wr = wt_warc_open(path, (size_t)16 << 20, err);
    if (!wr) return -1;
    const char *b = strrchr(path, '/');
    r->warc_name = b ? b + 1 : path;
    wt_badrec bad = {.stage = "extract", .strict = r->strict};
    wt_progress pg;
    char label[256];
    snprintf(label, sizeof label, "extract %s", r->warc_name);
    wt_progress_init(&pg, label, "MB", 1e6, wt_warc_raw_size(wr), r->quiet);
    wt_progress_every(&pg, r->progress_interval);
    int rc = 0;
    for (;;) {
        wt_warc_rec rec;
        int k = wt_warc_next(wr, &rec, err);
        if (k < 0) {
            rc = -1;
            break;
        }
        if (k == 0) break;
        if (k == 2) {
            r->st.warc_damage++;
            if (wt_bad_record(&bad, err, path, wt_warc_record_no(wr), "%s", wt_warc_damage(wr)) <
                0) {
                rc = -1;
                break;
            }
            continue;
        }
        r->st.records++;
        wt_progress_set(&pg, wt_warc_raw_offset(wr));
        if (!strcmp(rec.type, "response")) {
            r->st.responses++;
            r->st.warc_truncated += rec.truncated[0] != 0;
            batch *bt = &r->batches[r->cur];
            if (bt->n == BATCH_DOCS || bt->bytes > BATCH_BYTES) {
                if ((rc = dispatch(r, out, err)) < 0) break;
                bt = &r->batches[r->cur];
            }
            job *j = &bt->jobs[bt->n];
            memset(j, 0, sizeof *j);
            j->url = dup_or_empty(rec.target_uri);
            j->record_id = dup_or_empty(rec.record_id);
            j->date = dup_or_empty(rec.date);
            j->offset = rec.offset;
            j->block_cut = rec.block_cut;
            j->len = rec.block_len;
            j->block = malloc(rec.block_len + 1);
            if (!j->url || !j->record_id || !j->date || !j->block) {
                job_free(j);
                rc = wt_fail(err, "out of memory");
                break;
            }
            memcpy(j->block, rec.block, rec.block_len);
            bt->n++;
            bt->bytes += rec.block_len;
        } else if (!strcmp(rec.type, "metadata")) {
            r->st.metadata++;
            job *m = NULL;
            batch *bt = &r->batches[r->cur];
            for (size_t i = bt->n; i-- > 0;)
                if (rec.refers_to[0] && !strcmp(bt->jobs[i].record_id, rec.refers_to)) {
                    m = &bt->jobs[i];
                    break;
                }
            wt_error je;
            json_t *obj = NULL;
            if (m && !m->meta) obj = wt_json_parse((const char *)rec.block, rec.block_len, &je);
            if (m && obj)
                m->meta = obj;
            else {
                json_decref(obj);
                r->st.meta_unmatched++;
            }
        } else {
            r->st.other_records++;
        }
    }
    if (rc == 0) rc = dispatch(r, out, err);
    if (rc == 0) rc = finish_inflight(r, out, err);
    if (rc < 0) { /* the output is abandoned: wait for the workers, free the batches */
        wt_error e2;
        finish_inflight(r, NULL, &e2);
        write_batch(r, &r->batches[r->cur], NULL, &e2);
    }
    r->st.input_bytes += wt_warc_get_stats(wr)->bytes;
    wt_progress_finish(&pg);
    wt_warc_close(wr);
    if (rc < 0) wt_error_context(err, "%s", path);
    return rc;
}

/* Runs the inputs into one output file. Returns 0, 1 skipped, -1 error. */
static int do_output(run *r, char **inputs, int n, const char *out_path, wt_error *err) {
    if (!r->force && strcmp(out_path, "-") && wt_file_exists(out_path)) {
        if (!r->quiet) fprintf(stderr, "extract: %s exists, skipped (--force to redo)\n", out_path);
        return 1;
    }
    wt_writer *w = wt_writer_open(out_path, NULL, err);
    if (!w) return -1;
    for (int i = 0; i < n; i++)
        if (do_warc(r, inputs[i], w, err) < 0) {
            wt_writer_abort(w);
            return -1;
        }
    return wt_writer_commit(w, err);
}

static void write_stats(run *r, double seconds, wt_error *err, int *rc) {
    stats *s = &r->st;
    json_t *drop = json_object();
    for (int i = 1; i < EX_N_REASONS; i++)
        json_object_set_new(drop, ex_reason_names[i], json_integer((json_int_t)s->drop[i]));
    json_t *o = json_pack(
        "{s:I, s:I, s:I, s:I, s:I, s:o, s:I, s:{s:I, s:I, s:I, s:I}, s:I, s:I, s:I, s:I, s:I,"
        " s:I, s:I, s:I, s:I, s:O, s:O, s:I, s:I, s:f, s:f}",
        "records", (json_int_t)s->records, "responses", (json_int_t)s->responses, "metadata",
        (json_int_t)s->metadata, "other_records", (json_int_t)s->other_records, "docs",
        (json_int_t)s->docs, "dropped", drop, "warc_damage", (json_int_t)s->warc_damage, "http",
        "length_mismatch", (json_int_t)s->http_length_mismatch, "bad_chunking",
        (json_int_t)s->http_bad_chunking, "bad_encoding", (json_int_t)s->http_bad_encoding,
        "unknown_encoding", (json_int_t)s->http_unknown_encoding, "block_cut",
        (json_int_t)s->block_cut, "html_cut", (json_int_t)s->html_cut, "depth_cut",
        (json_int_t)s->depth_cut, "text_cut", (json_int_t)s->text_cut, "bad_url",
        (json_int_t)s->bad_url, "charset_replaced", (json_int_t)s->charset_replaced,
        "charset_unsupported", (json_int_t)s->charset_unsupported, "warc_truncated",
        (json_int_t)s->warc_truncated, "metadata_unmatched", (json_int_t)s->meta_unmatched,
        "charset_sources", s->charset_sources, "languages", s->langs, "input_bytes",
        (json_int_t)s->input_bytes, "text_bytes", (json_int_t)s->text_bytes, "seconds", seconds,
        "responses_per_s", seconds > 0 ? s->responses / seconds : 0.0);
    json_t *set =
        json_pack("{s:I, s:i, s:i, s:I, s:s, s:b, s:i}", "max_html", (json_int_t)r->opts.max_html,
                  "max_depth", r->opts.max_depth, "min_words", r->opts.min_words, "max_chars",
                  (json_int_t)r->opts.max_chars, "lang", r->opts.lang, "keep_all", r->opts.keep_all,
                  "threads", r->threads);
    if (o && set) json_object_set_new(o, "settings", set);
    if (!o || wt_json_write_file(r->stats_path, o, err) < 0) {
        if (!o) wt_fail(err, "out of memory");
        wt_report("extract", err);
        *rc = WT_EXIT_FAIL;
    }
    json_decref(o);
}

static int set_lang(void *dest, const char *arg) {
    ex_opts *o = dest;
    if (strlen(arg) >= sizeof o->lang) {
        fprintf(stderr, "extract: --lang: '%s' is too long\n", arg);
        return -1;
    }
    snprintf(o->lang, sizeof o->lang, "%s", arg);
    return 0;
}

static bool is_file_target(const char *o) {
    struct stat st;
    if (!strcmp(o, "-")) return true;
    if (stat(o, &st) == 0 && S_ISDIR(st.st_mode)) return false;
    return strstr(o, ".jsonl") != NULL || strstr(o, ".json") != NULL;
}

/* Locks every output of the run before any work: OUT.lock for a file, each
 * DIR/docs-NNNNN.jsonl.zst.lock for a folder. Returns an exit status. */
static int lock_outputs(const char *out, char **in, int n, wt_outlock *locks) {
    if (!strcmp(out, "-")) return WT_EXIT_OK;
    if (is_file_target(out)) return wt_outlock_main(&locks[0], "extract", out, WT_LOCK_FILE);
    int status = WT_EXIT_OK;
    for (int i = 0; i < n && status == WT_EXIT_OK; i++) {
        int64_t idx = wt_shard_index(in[i]);
        char path[4096];
        wt_shard_path(path, sizeof path, out, "docs", idx >= 0 ? (uint64_t)idx : (uint64_t)i,
                      "jsonl.zst");
        status = wt_outlock_main(&locks[i], "extract", path, WT_LOCK_FILE);
    }
    return status;
}

int ex_cmd_warc(int argc, char **argv) {
    run *r = calloc(1, sizeof *r);
    if (!r) return WT_EXIT_FAIL;
    ex_opts_default(&r->opts);
    /* the defaults shown by --help are ex_opts_default's */
    char min_words[24], max_chars[24], max_html[24], max_depth[24], lang[sizeof r->opts.lang];
    snprintf(min_words, sizeof min_words, "%d", r->opts.min_words);
    snprintf(max_chars, sizeof max_chars, "%zu", r->opts.max_chars);
    snprintf(max_html, sizeof max_html, "%zu", r->opts.max_html);
    snprintf(max_depth, sizeof max_depth, "%d", r->opts.max_depth);
    snprintf(lang, sizeof lang, "%s", r->opts.lang);
    const char *out = NULL;
    int64_t threads = 0, chars = 0, html = 0;
    const wt_opt table[] = {
        WT_STR("output", 'o', &out, "OUT", NULL,
               "a .jsonl[.zst|.gz] file for all inputs, or a folder:\n"
               "input shard i -> OUT/docs-i.jsonl.zst (required)"),
        WT_INT("threads", 0, &threads, "N", NULL, 0, 1024, "worker threads (default: all cores)"),
        WT_FLAG("force", 0, &r->force, "redo outputs that exist"),
        WT_FLAG("keep-all", 0, &r->opts.keep_all,
                "no filter drops a page: one document per response\n"
                "(the reason a filter would drop it is in \"filtered\")"),
        WT_INT32("min-words", 0, &r->opts.min_words, "N", min_words, 0, 1 << 30,
                 "drop texts with fewer words"),
        WT_INT("max-chars", 0, &chars, "N", max_chars, 0, 9.2e18,
               "cut texts at N bytes, 0: never (newspaper's limit)"),
        WT_CALL_DEF("lang", &r->opts, set_lang, "L", lang, "keep only language L, or 'all'"),
        WT_INT("max-html", 0, &html, "BYTES", max_html, 1024, 4294967296.0,
               "HTML bytes parsed per page"),
        WT_INT32("max-depth", 0, &r->opts.max_depth, "N", max_depth, 16, 100000,
                 "element nesting cap"),
        WT_STR("stats", 0, &r->stats_path, "FILE", NULL, "write statistics as JSON"),
        WT_FLAG("strict", 0, &r->strict, "a damaged record is fatal"),
        WT_FLAG("quiet", 'q', &r->quiet, "no progress"),
        WT_PROGRESS_OPT(&r->progress_interval),
        WT_OPTS_END};
    const wt_cmd_spec spec = {
        "extract", "[warc] WARC... -o OUT [options]",
        "Reads WARC response records (.warc.gz one member per record, .warc.zst,\n"
        "plain) and writes one JSON document per kept page.\n",
        table, NULL};
    int rc = WT_EXIT_OK, first = wt_opts_parse(&spec, argc, argv, &rc);
    if (first >= 0 && (!out || first >= argc)) {
        rc = wt_opts_usage_error(&spec, "%s", out ? "no WARC input" : "-o OUT is required");
        first = -1;
    }
    if (first < 0) {
        free(r);
        return rc;
    }
    r->opts.max_chars = (size_t)chars, r->opts.max_html = (size_t)html;
    wt_outlock *locks = calloc((size_t)(argc - first), sizeof *locks);
    rc = locks ? lock_outputs(out, argv + first, argc - first, locks) : WT_EXIT_FAIL;
    wt_error err;
    r->threads = wt_threads(threads);
    r->workers = calloc((size_t)r->threads, sizeof(ex_worker));
    r->st.charset_sources = json_object();
    r->st.langs = json_object();
    for (int k = 0; k < r->threads; k++)
        if (ex_worker_init(&r->workers[k], &err) < 0) {
            wt_report("extract", &err);
            rc = WT_EXIT_FAIL;
        }
    r->pool = wt_pool_create(r->threads);
    r->batches[0].r = r->batches[1].r = r;
    double t0 = wt_now();
    if (rc == WT_EXIT_OK) {
        char **in = argv + first;
        int n = argc - first;
        if (is_file_target(out)) {
            if (do_output(r, in, n, out, &err) < 0) wt_report("extract", &err), rc = WT_EXIT_FAIL;
        } else if (wt_mkdir_p(out, &err) < 0) {
            wt_report("extract", &err);
            rc = WT_EXIT_FAIL;
        } else {
            for (int i = 0; i < n && rc == WT_EXIT_OK; i++) {
                int64_t idx = wt_shard_index(in[i]);
                char path[4096];
                wt_shard_path(path, sizeof path, out, "docs",
                              idx >= 0 ? (uint64_t)idx : (uint64_t)i, "jsonl.zst");
                if (do_output(r, in + i, 1, path, &err) < 0) {
                    wt_report("extract", &err);
                    rc = WT_EXIT_FAIL;
                }
            }
        }
    }
    if (r->stats_path && rc == WT_EXIT_OK) write_stats(r, wt_now() - t0, &err, &rc);
    if (!r->quiet && rc == WT_EXIT_OK)
        fprintf(stderr, "extract: %llu responses, %llu documents, %llu damaged spots\n",
                (unsigned long long)r->st.responses, (unsigned long long)r->st.docs,
                (unsigned long long)r->st.warc_damage);
    wt_pool_destroy(r->pool);
    for (int k = 0; k < r->threads; k++) ex_worker_free(&r->workers[k]);
    free(r->workers);
    json_decref(r->st.charset_sources);
    json_decref(r->st.langs);
    free(r);
    for (int i = 0; locks && i < argc - first; i++) wt_outlock_release(&locks[i]);
    free(locks);
    return rc;
}
