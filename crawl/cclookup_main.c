/* `crawl cc-lookup URLS... --crawl CRAWL -o DIR`: the captures of a URL list
 * in one Common Crawl crawl, from its zipnum index instead of the index
 * server. The URLs are SURT-keyed and externally sorted; a merge-join with
 * cluster.idx fetches by byte range only the blocks that can hold them, one
 * at a time; the matches are sorted back into URL-file line order and
 * written per URL file, for `crawl fetch --source cc --cc-lookup FILE`.
 * --shard I/N takes the I-th of N equal ranges of cluster.idx blocks (a
 * SURT range), so Slurm tasks split a crawl. */
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "crawl/cclookup_index.h"
#include "crawl/commands.h"
#include "extsort.h"
#include "jsonl.h"
#include "opts.h"
#include "progress.h"
#include "stream.h"
#include "surt.h"

#define PROG "crawl cc-lookup"
#define BLOCK_MAX_BYTES (256u << 20) /* a decompressed index block (~3,000 lines: ~1 MB) */

typedef struct opts {
    const char *crawl, *out, *cc_data, *tmp, *user_agent;
    char **inputs;
    int n_inputs;
    int64_t shard, shards, mem, retries;
    double rate;
    bool force, quiet;
} opts;

typedef struct counts {
    uint64_t urls, bad_urls, urls_in_shard, keys, keys_found, captures, blocks_fetched, block_bytes,
        requests, retries;
} counts;

/* --shard I/N: the I-th (0-based) of N ranges. */
static int set_shard(void *dest, const char *arg) {
    opts *o = dest;
    const char *slash = strchr(arg, '/');
    char i[32];
    if (!slash || (size_t)(slash - arg) >= sizeof i) {
        fprintf(stderr, PROG ": --shard: '%s' is not I/N\n", arg);
        return -1;
    }
    snprintf(i, sizeof i, "%.*s", (int)(slash - arg), arg);
    if (wt_parse_i64(PROG, "--shard", slash + 1, 1, 1000000, &o->shards) < 0 ||
        wt_parse_i64(PROG, "--shard", i, 0, o->shards - 1, &o->shard) < 0)
        return -1;
    return 0;
}

/* Parses argv into o; returns -1 after a usage error, 1 after --help. */
static int parse_args(int argc, char **argv, opts *o) {
    *o = (opts){.shards = 1};
    const wt_opt table[] = {
        WT_STR("crawl", 0, &o->crawl, "ID", NULL, "e.g. CC-MAIN-2017-51 (required)"),
        WT_STR("output", 'o', &o->out, "DIR", NULL, "(required)"),
        WT_CALL_DEF("cc-data", &o->cc_data, wt_opt_base_url, "URL", "https://data.commoncrawl.org",
                    "data server"),
        WT_CALL("shard", 0, o, set_shard, "I/N",
                "the I-th (0-based) of N SURT ranges of the index (default 0/1)"),
        WT_INT("mem", 0, &o->mem, "BYTES", "268435456", 65536, 1099511627776.0,
               "memory for sorting; more is sorted on disk"),
        WT_STR("tmp", 0, &o->tmp, "DIR", NULL, "sort runs (default DIR/.tmp-cc-lookup)"),
        WT_NUM("rate", 0, &o->rate, "R", "10", 0.001, 100000, "block requests/s"),
        WT_INT("retries", 0, &o->retries, "N", "4", 0, 100,
               "on 429, 5xx, timeouts (Retry-After is obeyed)"),
        WT_STR("user-agent", 0, &o->user_agent, "UA", "webtext/1.0", "the User-Agent header"),
        WT_FLAG("force", 0, &o->force, "redo when the outputs exist"),
        WT_FLAG("quiet", 0, &o->quiet, "no progress line"),
        WT_OPTS_END};
    const wt_cmd_spec spec = {
        PROG, "URLS... --crawl CRAWL -o DIR [options]",
        "Finds the captures of the URLs (urls-NNNNN.jsonl.zst from `crawl urls`, or text\n"
        "files of one URL a line) in one Common Crawl crawl through its zipnum index\n"
        "(cc-index/collections/CRAWL/indexes/cluster.idx on the data server): fetches\n"
        "only the index blocks that can hold them. Writes DIR/NAME.CRAWL[.sI-N].cc.tsv per\n"
        "URL file (for `crawl fetch --source cc --cc-lookup`) and a stats file.\n",
        table, NULL};
    int code, first = wt_opts_parse(&spec, argc, argv, &code);
    if (first < 0) return code == WT_EXIT_OK ? 1 : -1;
    if (!o->crawl || !o->out || first >= argc)
        return wt_opts_usage_error(&spec, "%s",
                                   !o->crawl ? "--crawl is required"
                                   : !o->out ? "-o DIR is required"
                                             : "give at least one URL file"),
               -1;
    if (strpbrk(o->crawl, "/?&# ")) {
        fprintf(stderr, PROG ": --crawl: '%s' is not a crawl id\n", o->crawl);
        return -1;
    }
    o->inputs = argv + first;
    o->n_inputs = argc - first;
    if (o->n_inputs > 99999) {
        fprintf(stderr, PROG ": at most 99999 URL files\n");
        return -1;
    }
    return 0;
}

/* ---- HTTP ---- */

typedef struct fetcher {
    CURL *easy;
    const opts *o;
    double next_ok;
    counts *k;
    char *body;
    size_t len, cap, max;
    bool over;
} fetcher;

static size_t on_body(char *p, size_t size, size_t n, void *ud) {
    fetcher *f = ud;
    size_t len = size * n;
    if (f->len + len > f->max) {
        f->over = true;
        return 0;
    }
    if (f->len + len + 1 > f->cap) {
        size_t c = f->cap ? f->cap : 1 << 16;
        while (c < f->len + len + 1) c *= 2;
        char *q = realloc(f->body, c);
        if (!q) return 0;
        f->body = q, f->cap = c;
    }
    memcpy(f->body + f->len, p, len);
    f->len += len;
    return len;
}

static void sleep_s(double s) {
    if (s <= 0) return;
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

/* GET url (a byte range when length > 0) into f->body, with the rate limit
 * and retries; a range must come back 206 with exactly length bytes. */
static int http_get(fetcher *f, const char *url, uint64_t offset, uint64_t length, size_t max,
                    wt_error *err) {
    const opts *o = f->o;
    for (int64_t t = 0;; t++) {
        sleep_s(f->next_ok - wt_now());
        f->next_ok = wt_now() + 1.0 / o->rate;
        curl_easy_reset(f->easy);
        curl_easy_setopt(f->easy, CURLOPT_URL, url);
        curl_easy_setopt(f->easy, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(f->easy, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(f->easy, CURLOPT_PROXY, "");
        curl_easy_setopt(f->easy, CURLOPT_USERAGENT, o->user_agent);
        curl_easy_setopt(f->easy, CURLOPT_TIMEOUT, 120L);
        curl_easy_setopt(f->easy, CURLOPT_CONNECTTIMEOUT, 20L);
        curl_easy_setopt(f->easy, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(f->easy, CURLOPT_WRITEDATA, f);
        char range[64];
        if (length) {
            snprintf(range, sizeof range, "%llu-%llu", (unsigned long long)offset,
                     (unsigned long long)(offset + length - 1));
            curl_easy_setopt(f->easy, CURLOPT_RANGE, range);
        }
        f->len = 0;
        f->over = false;
        f->max = length ? length + 1 : max;
        f->k->requests++;
        CURLcode rc = curl_easy_perform(f->easy);
        long code = 0;
        curl_easy_getinfo(f->easy, CURLINFO_RESPONSE_CODE, &code);
        bool again = (rc != CURLE_OK && rc != CURLE_WRITE_ERROR) || code == 429 || code >= 500;
        if (again && t < o->retries) {
            curl_off_t ra = 0;
            double wait = 0.5 * (double)(1 << (t < 10 ? t : 10));
            if (curl_easy_getinfo(f->easy, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
                wait = (double)ra;
            if (wait > 600) wait = 600;
            f->next_ok = wt_now() + wait;
            f->k->retries++;
            continue;
        }
        if (rc != CURLE_OK && !f->over) return wt_fail(err, "%s: %s", url, curl_easy_strerror(rc));
        if (length && (code != 206 || f->len != length || f->over))
            return wt_fail(err, "%s: bytes %s: status %ld, %zu bytes%s (wanted 206, %llu bytes)",
                           url, range, code, f->len, f->over ? "+" : "",
                           (unsigned long long)length);
        if (!length && (code != 200 || f->over))
            return wt_fail(err, "%s: status %ld%s", url, code, f->over ? ", too large" : "");
        return 0;
    }
}

/* cluster.idx, downloaded once into DIR/.cluster-CRAWL.idx. */
static int load_cluster(fetcher *f, const opts *o, cc_index *ix, wt_error *err) {
    char path[4096], url[4096];
    snprintf(path, sizeof path, "%s/.cluster-%s.idx", o->out, o->crawl);
    snprintf(url, sizeof url, "%s/cc-index/collections/%s/indexes/cluster.idx", o->cc_data,
             o->crawl);
    if (!wt_file_exists(path) || o->force) {
        WT_TRY(http_get(f, url, 0, 0, (size_t)1 << 31, err));
        WT_TRY(wt_write_file_atomic(path, f->body ? f->body : "", f->len, err));
    }
    char *text;
    size_t n;
    WT_TRY(wt_read_file(path, &text, &n, (size_t)1 << 31, err));
    int rc = cc_index_parse(ix, path, text, n, err);
    free(text);
    return rc;
}

/* ---- the passes ---- */

/* The URL of one line of a URL file (JSON object with "url", or the first word). */
static int line_url(const char *line, size_t len, char *out, size_t n) {
    size_t k = 0;
    while (k < len && (line[k] == ' ' || line[k] == '\t')) k++;
    if (k == len) return -1;
    if (line[k] == '{') {
        json_t *o = json_loadb(line, len, 0, NULL);
        const char *u = json_string_value(json_object_get(o, "url"));
        int rc = u && strlen(u) < n ? (snprintf(out, n, "%s", u), 0) : -1;
        json_decref(o);
        return rc;
    }
    size_t e = k;
    while (e < len && line[e] != ' ' && line[e] != '\t' && line[e] != '\r') e++;
    if (e - k >= n) return -1;
    memcpy(out, line + k, e - k);
    out[e - k] = '\0';
    return 0;
}

/* Pass 1: every URL in the shard's SURT range as "KEY\tFILE\tLINE" into s. */
static int read_urls(const opts *o, const cc_index *ix, size_t blo, size_t bhi, wt_extsort *s,
                     counts *k, wt_error *err) {
    char url[8192], key[8192 + 64], rec[8192 + 128];
    wt_badrec bad = {.stage = PROG};
    for (int i = 0; i < o->n_inputs; i++) {
        wt_reader *r = wt_reader_open(o->inputs[i], err);
        if (!r) return -1;
        char *line;
        size_t len;
        int rc;
        while ((rc = wt_reader_getline(r, &line, &len, err)) > 0) {
            size_t b = 0;
            while (b < len && (line[b] == ' ' || line[b] == '\t' || line[b] == '\r')) b++;
            if (b == len) continue; /* blank */
            if (line_url(line, len, url, sizeof url) < 0) {
                if ((rc = wt_bad_record(&bad, err, wt_reader_path(r), wt_reader_line_no(r),
                                        "no URL (a JSON object with \"url\", or a URL)")) < 0)
                    break;
                continue;
            }
            k->urls++;
            size_t first, last;
            if (wt_surt(url, key, sizeof key) < 0) {
                k->bad_urls++;
                continue;
            }
            if (!cc_index_blocks(ix, key, &first, &last)) continue;
            if (first < blo || first >= bhi) continue; /* another shard's */
            k->urls_in_shard++;
            int n = snprintf(rec, sizeof rec, "%s\t%05d\t%012llu", key, i,
                             (unsigned long long)wt_reader_line_no(r));
            if (n > 0 && (size_t)n < sizeof rec &&
                (rc = wt_extsort_add(s, rec, (size_t)n, err)) < 0)
                break;
        }
        wt_reader_close(r);
        if (rc < 0) return -1;
    }
    return wt_extsort_finish(s, err);
}

/* Fetches block b into lines (unless it is the one held). */
static int load_block(fetcher *f, const opts *o, const cc_index *ix, size_t b, cc_lines *lines,
                      long *held, counts *k, wt_error *err) {
    if (*held == (long)b) return 0;
    char url[4096];
    const cc_block *blk = &ix->b[b];
    snprintf(url, sizeof url, "%s/cc-index/collections/%s/indexes/%s", o->cc_data, o->crawl,
             ix->files[blk->file]);
    WT_TRY(http_get(f, url, blk->offset, blk->length, 0, err));
    char *text;
    size_t n;
    if (cc_gunzip(f->body, f->len, BLOCK_MAX_BYTES, &text, &n, err) < 0)
        return wt_error_context(err, "%s bytes %llu+%llu", url, (unsigned long long)blk->offset,
                                (unsigned long long)blk->length);
    WT_TRY(cc_lines_set(lines, text, n, err));
    *held = (long)b;
    k->blocks_fetched++;
    k->block_bytes += blk->length;
    return 0;
}

/* Pass 2: merge-join the sorted keys with the blocks; "FILE\tLINE\tJSON" into out. */
static int join(fetcher *f, const opts *o, const cc_index *ix, wt_extsort *keys, wt_extsort *out,
                counts *k, wt_error *err) {
    cc_lines lines = {0};
    long held = -1;
    char key[8192 + 64] = "", prev[8192 + 64] = "";
    /* the captures of the current key, as "JSON" texts with the crawl added */
    char **caps = NULL;
    size_t ncaps = 0, capcap = 0;
    int rc = 0;
    const char *rec;
    size_t n;
    while (rc == 0 && (rc = wt_extsort_next(keys, &rec, &n, err)) > 0) {
        rc = 0;
        const char *t1 = memchr(rec, '\t', n);
        if (!t1 || (size_t)(t1 - rec) >= sizeof key) continue;
        memcpy(key, rec, (size_t)(t1 - rec));
        key[t1 - rec] = '\0';
        const char *where = t1 + 1; /* "FILE\tLINE" */
        size_t wn = n - (size_t)(where - rec);
        if (strcmp(key, prev)) { /* a new key: look it up */
            for (size_t i = 0; i < ncaps; i++) free(caps[i]);
            ncaps = 0;
            snprintf(prev, sizeof prev, "%s", key);
            k->keys++;
            size_t first, last;
            if (!cc_index_blocks(ix, key, &first, &last)) continue;
            for (size_t b = first; b <= last && rc == 0; b++) {
                if ((rc = load_block(f, o, ix, b, &lines, &held, k, err)) < 0) break;
                size_t from, to;
                cc_lines_find(&lines, key, &from, &to);
                for (size_t i = from; i < to; i++) {
                    /* "KEY TIMESTAMP {json}": the timestamp joins the object */
                    const char *l = lines.line[i];
                    const char *sp = strchr(l, ' ');
                    const char *brace = strchr(l, '{');
                    if (!sp || !brace || brace < sp) continue;
                    size_t tn = strcspn(sp + 1, " ");
                    if (tn == 0 || tn > 14 || sp + 1 + tn >= brace) continue;
                    size_t bl = strlen(brace);
                    char *c = malloc(bl + strlen(o->crawl) + tn + 40);
                    if (!c) {
                        rc = wt_fail(err, "out of memory");
                        break;
                    }
                    sprintf(c, "{\"crawl\":\"%s\",\"timestamp\":\"%.*s\"%s%s", o->crawl, (int)tn,
                            sp + 1, bl > 2 ? "," : "}", bl > 2 ? brace + 1 : "");
                    if (ncaps == capcap) {
                        capcap = capcap ? capcap * 2 : 16;
                        char **p = realloc(caps, capcap * sizeof *p);
                        if (!p) {
                            free(c);
                            rc = wt_fail(err, "out of memory");
                            break;
                        }
                        caps = p;
                    }
                    caps[ncaps++] = c;
                }
            }
            if (ncaps) k->keys_found++;
        }
        for (size_t i = 0; i < ncaps && rc == 0; i++) {
            size_t cn = strlen(caps[i]);
            char *line = malloc(wn + cn + 2);
            if (!line) {
                rc = wt_fail(err, "out of memory");
                break;
            }
            memcpy(line, where, wn);
            line[wn] = '\t';
            memcpy(line + wn + 1, caps[i], cn);
            rc = wt_extsort_add(out, line, wn + 1 + cn, err);
            free(line);
            k->captures++;
        }
    }
    for (size_t i = 0; i < ncaps; i++) free(caps[i]);
    free(caps);
    cc_lines_free(&lines);
    if (rc < 0) return -1;
    return wt_extsort_finish(out, err);
}

static const char *base_name(const char *p) {
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static void out_path(const opts *o, int input, char *buf, size_t n) {
    if (o->shards > 1)
        snprintf(buf, n, "%s/%s.%s.s%05lld-%05lld.cc.tsv", o->out, base_name(o->inputs[input]),
                 o->crawl, (long long)o->shard, (long long)o->shards);
    else
        snprintf(buf, n, "%s/%s.%s.cc.tsv", o->out, base_name(o->inputs[input]), o->crawl);
}

/* Pass 3: the sorted matches, one file per URL file (every URL file gets one). */
static int write_outputs(const opts *o, wt_extsort *s, wt_error *err) {
    wt_writer_opts wo = {.codec = WT_CODEC_PLAIN};
    int cur = -1;
    wt_writer *w = NULL;
    char path[4096];
    const char *rec;
    size_t n;
    int rc;
    while ((rc = wt_extsort_next(s, &rec, &n, err)) > 0) {
        int file = atoi(rec);
        const char *t1 = memchr(rec, '\t', n);
        if (!t1) continue;
        while (cur < file) {
            if (w && wt_writer_commit(w, err) < 0) return -1;
            w = NULL;
            cur++;
            out_path(o, cur, path, sizeof path);
            if (!(w = wt_writer_open(path, &wo, err))) return -1;
            if (wt_writer_printf(w, err, "#webtext cc-lookup 1 input=%s crawl=%s shard=%lld/%lld\n",
                                 base_name(o->inputs[cur]), o->crawl, (long long)o->shard,
                                 (long long)o->shards) < 0)
                return wt_writer_abort(w), -1;
        }
        /* "LINE\tJSON" with the line number unpadded */
        const char *ln = t1 + 1;
        while (*ln == '0' && ln[1] != '\t') ln++;
        if (wt_writer_write(w, ln, n - (size_t)(ln - rec), err) < 0 ||
            wt_writer_write(w, "\n", 1, err) < 0)
            return wt_writer_abort(w), -1;
    }
    if (rc < 0) {
        if (w) wt_writer_abort(w);
        return -1;
    }
    while (cur < o->n_inputs) {
        if (w && wt_writer_commit(w, err) < 0) return -1;
        w = NULL;
        if (++cur >= o->n_inputs) break;
        out_path(o, cur, path, sizeof path);
        if (!(w = wt_writer_open(path, &wo, err))) return -1;
        if (wt_writer_printf(w, err, "#webtext cc-lookup 1 input=%s crawl=%s shard=%lld/%lld\n",
                             base_name(o->inputs[cur]), o->crawl, (long long)o->shard,
                             (long long)o->shards) < 0)
            return wt_writer_abort(w), -1;
    }
    return 0;
}

static int run(const opts *o, wt_error *err) {
    char stats[4096], tmp[4096];
    snprintf(stats, sizeof stats, "%s/%s.s%05lld-%05lld.cc-lookup.json", o->out, o->crawl,
             (long long)o->shard, (long long)o->shards);
    if (wt_file_exists(stats) && !o->force) {
        if (!o->quiet) fprintf(stderr, PROG ": %s exists, skipping (--force to redo)\n", stats);
        return 0;
    }
    WT_TRY(wt_mkdir_p(o->out, err));
    snprintf(tmp, sizeof tmp, "%s/.tmp-cc-lookup-%s-%lld", o->tmp ? o->tmp : o->out, o->crawl,
             (long long)o->shard);
    counts k = {0};
    fetcher f = {.easy = curl_easy_init(), .o = o, .k = &k};
    cc_index ix = {0};
    wt_extsort *keys = NULL, *found = NULL;
    double t0 = wt_now();
    int rc = f.easy ? 0 : wt_fail(err, "out of memory");
    if (rc == 0) rc = load_cluster(&f, o, &ix, err);
    size_t blo = 0, bhi = 0;
    if (rc == 0) {
        blo = (size_t)((uint64_t)ix.n * (uint64_t)o->shard / (uint64_t)o->shards);
        bhi = (size_t)((uint64_t)ix.n * (uint64_t)(o->shard + 1) / (uint64_t)o->shards);
        char t1[4200], t2[4200];
        snprintf(t1, sizeof t1, "%s-keys", tmp);
        snprintf(t2, sizeof t2, "%s-found", tmp);
        keys = wt_extsort_new(t1, (size_t)o->mem / 2, err);
        found = keys ? wt_extsort_new(t2, (size_t)o->mem / 2, err) : NULL;
        if (!found) rc = -1;
    }
    if (rc == 0) rc = read_urls(o, &ix, blo, bhi, keys, &k, err);
    if (rc == 0) rc = join(&f, o, &ix, keys, found, &k, err);
    uint64_t runs = keys ? wt_extsort_runs(keys) : 0;
    wt_extsort_free(keys);
    if (rc == 0) rc = write_outputs(o, found, err);
    runs += found ? wt_extsort_runs(found) : 0;
    wt_extsort_free(found);
    if (rc == 0) {
        double secs = wt_now() - t0;
        json_t *s = json_pack(
            "{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:f}",
            "crawl", o->crawl, "shard", (json_int_t)o->shard, "shards", (json_int_t)o->shards,
            "urls", (json_int_t)k.urls, "bad_urls", (json_int_t)k.bad_urls, "urls_in_shard",
            (json_int_t)k.urls_in_shard, "keys", (json_int_t)k.keys, "keys_found",
            (json_int_t)k.keys_found, "captures", (json_int_t)k.captures, "blocks_total",
            (json_int_t)ix.n, "blocks_in_shard", (json_int_t)(bhi - blo), "blocks_fetched",
            (json_int_t)k.blocks_fetched, "block_bytes", (json_int_t)k.block_bytes, "requests",
            (json_int_t)k.requests, "sort_runs", (json_int_t)runs, "seconds", secs);
        rc = s ? wt_json_write_file(stats, s, err) : wt_fail(err, "out of memory");
        json_decref(s);
        if (rc == 0 && !o->quiet)
            fprintf(stderr,
                    PROG ": %s shard %lld/%lld: %llu URLs, %llu keys, %llu found, %llu captures; "
                         "blocks fetched %llu / %zu\n",
                    o->crawl, (long long)o->shard, (long long)o->shards,
                    (unsigned long long)k.urls_in_shard, (unsigned long long)k.keys,
                    (unsigned long long)k.keys_found, (unsigned long long)k.captures,
                    (unsigned long long)k.blocks_fetched, ix.n);
    }
    cc_index_free(&ix);
    if (f.easy) curl_easy_cleanup(f.easy);
    free(f.body);
    return rc;
}

int crawl_cclookup_main(int argc, char **argv) {
    opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc) return rc > 0 ? WT_EXIT_OK : WT_EXIT_USAGE;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, PROG ": curl_global_init failed\n");
        return WT_EXIT_FAIL;
    }
    wt_error err = {{0}};
    rc = run(&o, &err);
    if (rc < 0) wt_report(PROG, &err);
    curl_global_cleanup();
    return rc < 0 ? WT_EXIT_FAIL : WT_EXIT_OK;
}
