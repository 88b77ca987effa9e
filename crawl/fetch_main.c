/* `crawl fetch URLS -o OUT.warc.gz`: options, the skip/resume decision, and
 * the run of the fetch loop over one URL shard; a statistics object at the
 * end (--stats). The work itself is in fetch_engine.c and fetch_output.c. */
#include <jansson.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curl/curl.h>

#include "cli.h"
#include "opts.h"
#include "crawl/commands.h"
#include "crawl/fetch.h"
#include "crawl/fetch_engine.h"
#include "crawl/fetch_input.h"
#include "crawl/fetch_output.h"
#include "crawl/fetch_robots.h"
#include "crawl/fetch_sources.h"
#include "jsonl.h"
#include "outlock.h"
#include "progress.h"

#define PROG "crawl fetch"
#define AGENT "webtext/1.0"
#define GZIP_LEVEL 1 /* libdeflate 1: smaller than zlib 3 on real HTML at under half its CPU */

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig) {
    (void)sig;
    stop_requested = 1;
}

typedef struct cli {
    fetch_opts o;
    const char *input, *output, *log, *stats, *contact;
    bool force, strict, quiet;
    double progress_interval; /* seconds between progress lines in a log, e.g. 30 */
    int gzip_level;
    char *ua_owned;
} cli;

/* Appends s to a growable array of strings. */
static int push(const char ***arr, size_t *n, const char *s) {
    const char **p = realloc(*arr, (*n + 1) * sizeof *p);
    if (!p) return -1;
    p[(*n)++] = s;
    *arr = p;
    return 0;
}

static int add_allow_addr(void *dest, const char *arg) {
    fetch_opts *o = dest;
    return push(&o->allow_addr, &o->n_allow_addr, arg);
}

static int add_cc_lookup(void *dest, const char *arg) {
    fetch_opts *o = dest;
    return push(&o->cc_lookup, &o->n_cc_lookup, arg);
}

static int add_resolve(void *dest, const char *arg) {
    fetch_opts *o = dest;
    if (!strchr(arg, ':') || strchr(arg, ':') == strrchr(arg, ':')) {
        fprintf(stderr, PROG ": --resolve: '%s' is not HOST:PORT:ADDR\n", arg);
        return -1;
    }
    return push(&o->resolve, &o->n_resolve, arg);
}

static int set_sources(void *dest, const char *arg) {
    wt_error e;
    if (fetch_sources_parse(arg, dest, &e) < 0) {
        wt_report(PROG, &e);
        return -1;
    }
    return 0;
}

/* Parses argv into c; returns -1 after a usage error, 1 after --help. */
static int parse_args(int argc, char **argv, cli *c) {
    fetch_opts *o = &c->o;
    *o = (fetch_opts){.sources = {SRC_LIVE}, .n_sources = 1};
    int64_t connect_s = 0, max_body = 0, window = 0, max_hosts = 0, threads = 0;
    double timeout_s = 0;
    const wt_opt table[] = {
        WT_STR("output", 'o', &c->output, "FILE", NULL,
               "the WARC file (required; FILE.tmp and FILE.done meanwhile)"),
        WT_STR("log", 0, &c->log, "FILE", NULL,
               "the fetch log (default: OUT with .log.jsonl for .warc.gz)"),
        WT_INT32("concurrency", 0, &o->concurrency, "N", "64", 1, 100000, "transfers at once"),
        WT_INT32("per-host", 0, &o->per_host, "N", "2", 1, 1000, "transfers at once per host"),
        WT_INT32("delay", 0, &o->delay_ms, "MS", "1000", 0, 3600000,
                 "pause between requests to one host"),
        WT_NUM("timeout", 0, &timeout_s, "S", "30", 0.001, 86400,
               "whole-transfer limit per request, seconds"),
        WT_INT("connect-timeout", 0, &connect_s, "S", "10", 1, 3600, "connect limit, seconds"),
        WT_INT32("retries", 0, &o->retries, "N", "2", 0, 100,
                 "retries after 429, 5xx, timeouts, resets"),
        WT_INT32("retry-delay", 0, &o->retry_base_ms, "MS", "1000", 0, 3600000,
                 "first backoff, doubled each retry; Retry-After wins"),
        WT_INT32("max-retry-after", 0, &o->max_retry_after_s, "S", "120", 0, 86400,
                 "a longer Retry-After gives up at once"),
        WT_INT("max-body", 0, &max_body, "BYTES", "5000000", 1, 17179869184.0,
               "longer bodies are cut, WARC-Truncated: length"),
        WT_INT32("max-redirects", 0, &o->max_redirects, "N", "5", 0, 100, "redirects followed"),
        WT_STR("accept", 0, &o->accept, "LIST", "text/html,application/xhtml+xml,text/plain",
               "media types kept, comma-separated, type/* allowed"),
        WT_STR("user-agent", 0, &o->user_agent, "UA", AGENT, "with \" (+URL)\" from --contact"),
        WT_STR("contact", 0, &c->contact, "URL", NULL, "a page or mail address for site owners"),
        WT_FLAG("ignore-robots", 0, &o->ignore_robots, "do not fetch or obey robots.txt"),
        WT_FLAG("allow-private", 0, &o->allow_private,
                "allow private, loopback, link-local targets"),
        WT_CALL("allow-addr", 0, o, add_allow_addr, "ADDR",
                "allow this one address (repeatable; tests, mirrors)"),
        WT_CALL("resolve", 0, o, add_resolve, "H:P:ADDR",
                "use ADDR for host H port P, like curl (repeatable)"),
        WT_STR("cacert", 0, &o->cacert, "FILE", NULL, "trust these CAs instead of the system's"),
        WT_INT32("gzip-level", 0, &c->gzip_level, "N", WT_OPTS_XSTR(GZIP_LEVEL), 1, 9,
                 "libdeflate level of the WARC's gzip members"),
        WT_INT("window", 0, &window, "N", "20000", 1, 100000000, "URLs in memory at once"),
        WT_INT("max-hosts", 0, &max_hosts, "N", "20000", 1, 100000000,
               "idle hosts whose robots.txt is kept"),
        WT_FLAG("force", 0, &c->force, "redo a finished shard, discard a partial one"),
        WT_FLAG("strict", 0, &c->strict, "a line without a URL is fatal"),
        WT_STR("stats", 0, &c->stats, "FILE", NULL, "write statistics as JSON"),
        WT_INT("threads", 0, &threads, "N", NULL, -1, 1024,
               "accepted; one fetch loop and one writer thread"),
        WT_FLAG("quiet", 0, &c->quiet, "no progress line"),
        WT_PROGRESS_OPT(&c->progress_interval),
        WT_SECTION("sources (see crawl/README.md):"),
        WT_CALL("source", 0, o, set_sources, "LIST",
                "ordered fallback of live, cc, wayback (default live)"),
        WT_CALL_DEF("cc-index", &o->cc_index, wt_opt_base_url, "URL",
                    "https://index.commoncrawl.org", "Common Crawl index server"),
        WT_CALL_DEF("cc-data", &o->cc_data, wt_opt_base_url, "URL", "https://data.commoncrawl.org",
                    "Common Crawl data server"),
        WT_CALL_DEF("wayback", &o->wayback, wt_opt_base_url, "URL", "https://web.archive.org",
                    "Wayback Machine"),
        WT_STR("cc-crawls", 0, &o->cc_crawls, "LIST", NULL,
               "crawl ids to ask, comma-separated (default: nearest to the post)"),
        WT_INT32("cc-nearest", 0, &o->cc_nearest, "N", "3", 1, 16,
                 "crawls asked per URL without --cc-crawls"),
        WT_CALL("cc-lookup", 0, o, add_cc_lookup, "FILE",
                "captures from `crawl cc-lookup` instead of the index server\n"
                "(repeatable: one file per crawl/shard of this URL file)"),
        WT_NUM("cc-index-rate", 0, &o->cc_index_rate, "R", "1", 0.001, 100000,
               "requests/s to the index server"),
        WT_NUM("cc-data-rate", 0, &o->cc_data_rate, "R", "10", 0.001, 100000,
               "range requests/s to the data server"),
        WT_NUM("wayback-rate", 0, &o->wayback_rate, "R", "1", 0.001, 100000,
               "requests/s to the Wayback Machine"),
        WT_INT32("wayback-window", 0, &o->wayback_window_days, "D", "365", 0, 100000,
                 "days around the post asked of the Wayback CDX API"),
        WT_OPTS_END};
    const wt_cmd_spec spec = {
        PROG, "URLS -o OUT.warc.gz [options]",
        "Downloads the URLs of one shard (urls-NNNNN.jsonl.zst from `crawl urls`, or a\n"
        "text file of one URL per line) into a WARC/1.1 file, one gzip member per record:\n"
        "warcinfo, then request, response and metadata (the Reddit fields) per page.\n"
        "URLs without a response go to the fetch log, one JSON line each. A killed run\n"
        "continues where it stopped when run again.\n",
        table, NULL};
    int code, first = wt_opts_parse(&spec, argc, argv, &code);
    if (first < 0) return code == WT_EXIT_OK ? 1 : -1;
    o->timeout_ms = (int)(timeout_s * 1000);
    o->connect_timeout_ms = (int)(connect_s * 1000);
    o->max_body = (size_t)max_body, o->window = (size_t)window, o->max_hosts = (size_t)max_hosts;
    if (first != argc - 1 || !c->output)
        return wt_opts_usage_error(&spec, "%s",
                                   !c->output ? "-o OUT.warc.gz is required"
                                              : "give exactly one URL file"),
               -1;
    c->input = argv[first];
    if (!strcmp(c->output, "-")) {
        fprintf(stderr, PROG ": the output must be a file (it is written resumably)\n");
        return -1;
    }
    if (c->contact) {
        size_t n = strlen(o->user_agent) + strlen(c->contact) + 8;
        if (!(c->ua_owned = malloc(n))) return -1;
        snprintf(c->ua_owned, n, "%s (+%s)", o->user_agent, c->contact);
        o->user_agent = c->ua_owned;
    }
    if (strpbrk(o->user_agent, "\r\n")) {
        fprintf(stderr, PROG ": --user-agent/--contact must not hold line breaks\n");
        return -1;
    }
    fetch_robots_token(o->user_agent, o->agent_token, sizeof o->agent_token);
    return 0;
}

static char *warcinfo_body(const cli *c) {
    char *copy = strdup(c->input), *out = NULL;
    size_t n = 0;
    FILE *f = copy ? open_memstream(&out, &n) : NULL;
    if (!f) {
        free(copy);
        return NULL;
    }
    fprintf(f,
            "software: webtext crawl fetch %s (libcurl %s)\r\n"
            "format: WARC File Format 1.1\r\n"
            "conformsTo: https://iipc.github.io/warc-specifications/specifications/warc-format/"
            "warc-1.1/\r\n"
            "isPartOf: %s\r\n"
            "robots: %s\r\n"
            "http-header-user-agent: %s\r\n",
#ifdef WEBTEXT_VERSION
            WEBTEXT_VERSION,
#else
            "unknown",
#endif
            curl_version_info(CURLVERSION_NOW)->version, basename(copy),
            c->o.ignore_robots ? "ignore" : "obey", c->o.user_agent);
    if (c->contact && !strpbrk(c->contact, "\r\n")) fprintf(f, "operator: %s\r\n", c->contact);
    fprintf(f, "description: payloads are stored content-decoded; the original "
               "Content-Encoding, Transfer-Encoding and Content-Length headers are kept "
               "renamed X-Crawler-*\r\n");
    fclose(f);
    free(copy);
    return out;
}

static int write_stats(const cli *c, const fetch_output *out, const fetch_engine *e,
                       const archive_engine *arch, const fetch_input *in, double seconds,
                       wt_error *err) {
    static const fetch_counts none;
    const fetch_counts *k = e ? fetch_engine_counts(e) : &none;
    json_t *fail = json_object(), *by = json_object();
    uint64_t failed = 0;
    for (int r = 0; r < FR_COUNT; r++) {
        failed += out->failures[r];
        if (out->failures[r])
            json_object_set_new(fail, fetch_reason_name((fetch_reason)r),
                                json_integer((json_int_t)out->failures[r]));
    }
    /* per source: pages served, and URLs that ended there (the last source tried) by reason */
    for (int i = 0; i < c->o.n_sources; i++) {
        fetch_source src = c->o.sources[i];
        json_t *f = json_object();
        for (int r = 0; r < FR_COUNT; r++)
            if (out->fail_by_source[src][r])
                json_object_set_new(f, fetch_reason_name((fetch_reason)r),
                                    json_integer((json_int_t)out->fail_by_source[src][r]));
        json_object_set_new(
            by, fetch_source_name(src),
            json_pack("{s:I, s:o}", "responses", (json_int_t)out->by_source[src], "failures", f));
    }
    uint64_t done = out->responses + failed;
    json_t *s = json_pack(
        "{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:I, s:I, s:I, s:I, s:I, s:f, s:f}", "input",
        c->input, "output", c->output, "urls_done", (json_int_t)done, "resumed_done",
        (json_int_t)in->skipped, "responses", (json_int_t)out->responses, "truncated",
        (json_int_t)out->truncated, "failed", (json_int_t)failed, "failures", fail, "sources", by,
        "requests", (json_int_t)k->requests, "robots_fetches", (json_int_t)k->robots_fetches,
        "retries", (json_int_t)k->retries, "redirects", (json_int_t)k->redirects, "body_bytes",
        (json_int_t)out->body_bytes, "seconds", seconds, "urls_per_s",
        seconds > 0 ? (double)done / seconds : 0.0);
    if (s && arch) {
        const archive_counts *a = archive_engine_counts(arch);
        json_object_set_new(s, "archive",
                            json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "cc_index_requests",
                                      (json_int_t)a->cc_index, "cc_data_requests",
                                      (json_int_t)a->cc_data, "wayback_requests",
                                      (json_int_t)a->wayback, "retries", (json_int_t)a->retries,
                                      "redirects_followed", (json_int_t)a->redirects,
                                      "ranges_rejected", (json_int_t)a->rejected_ranges));
    }
    if (!s) return wt_fail(err, "out of memory");
    int rc = wt_json_write_file(c->stats, s, err);
    json_decref(s);
    return rc;
}

/* The run proper, once the options are known and the output is not done. */
static int fetch_run(cli *c) {
    wt_error err = {{0}};
    fetch_output out;
    fetch_input in = {0};
    fetch_engine *e = NULL;
    archive_engine *arch = NULL;
    fetch_lookup lookup = {0};
    int status = WT_EXIT_FAIL;
    char *info = warcinfo_body(c);
    if (!info) {
        fprintf(stderr, PROG ": out of memory\n");
        return WT_EXIT_FAIL;
    }
    int rc =
        fetch_output_open(&out, c->output, c->log, c->input, c->force, c->gzip_level, info, &err);
    free(info);
    if (rc == 0) rc = fetch_input_open(&in, c->input, &out, c->strict, &err);
    bool live = false, archives = false;
    for (int i = 0; i < c->o.n_sources; i++)
        *(c->o.sources[i] == SRC_LIVE ? &live : &archives) = true;
    out.archives = archives;
    if (rc == 0 && live && !(e = fetch_engine_new(&c->o, &out, &err))) rc = -1;
    if (rc == 0 && archives && !(arch = archive_engine_new(&c->o, &out, NULL, NULL, &err))) rc = -1;
    if (rc == 0 && c->o.n_cc_lookup)
        rc = fetch_lookup_open(&lookup, c->o.cc_lookup, c->o.n_cc_lookup, c->input, &err);
    if (rc == 0) {
        if (fetch_output_resumed(&out) && !c->quiet)
            fprintf(stderr, PROG ": resuming %s: %llu URLs already done\n", c->output,
                    (unsigned long long)fetch_output_resumed(&out));
        wt_progress prog;
        char label[256];
        snprintf(label, sizeof label, "fetch %s", c->input);
        wt_progress_init(&prog, label, "urls", 1, 0, c->quiet);
        wt_progress_every(&prog, c->progress_interval);
        double t0 = wt_now();
        if (!archives)
            rc = fetch_engine_run(e, fetch_input_next, &in, &stop_requested, &prog, &err);
        else
            rc = fetch_sources_run(&c->o, &out, e, arch, &lookup, fetch_input_next, &in,
                                   &stop_requested, &prog, &err);
        wt_progress_finish(&prog);
        double secs = wt_now() - t0;
        if (rc == 1) {
            fprintf(stderr, PROG ": interrupted; run the same command again to continue\n");
        } else if (rc == 0) {
            if (c->stats && write_stats(c, &out, e, arch, &in, secs, &err) < 0) rc = -1;
            if (rc == 0) rc = fetch_output_finish(&out, &err);
            if (rc == 0) status = WT_EXIT_OK;
        }
    }
    if (rc < 0) wt_report(PROG, &err);
    fetch_engine_free(e);
    archive_engine_free(arch);
    fetch_lookup_close(&lookup);
    if (in.r) fetch_input_close(&in);
    fetch_output_close(&out);
    return status;
}

int crawl_fetch_main(int argc, char **argv) {
    cli c = {0};
    wt_outlock lock = {0};
    int rc = parse_args(argc, argv, &c);
    int status;
    if (rc > 0) {
        status = WT_EXIT_OK;
    } else if (rc < 0) {
        status = WT_EXIT_USAGE;
    } else if ((status = wt_outlock_main(&lock, PROG, c.output, WT_LOCK_FILE)) != 0) {
        /* another live run writes this output (or its lock cannot be taken) */
    } else if (wt_file_exists(c.output) && !c.force) {
        if (!c.quiet) fprintf(stderr, PROG ": %s exists, skipping (--force to redo)\n", c.output);
        status = WT_EXIT_OK;
    } else {
        struct sigaction sa = {0};
        sa.sa_handler = on_signal;
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        signal(SIGPIPE, SIG_IGN);
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            fprintf(stderr, PROG ": curl_global_init failed\n");
            status = WT_EXIT_FAIL;
        } else {
            status = fetch_run(&c);
            curl_global_cleanup();
        }
    }
    wt_outlock_release(&lock);
    free(c.o.allow_addr);
    free(c.o.resolve);
    free(c.o.cc_lookup);
    free(c.ua_owned);
    return status;
}
