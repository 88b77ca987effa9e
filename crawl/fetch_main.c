/* `crawl fetch URLS -o OUT.warc.gz`: options, the skip/resume decision, and
 * the run of the fetch loop over one URL shard; a statistics object at the
 * end (--stats). The work itself is in fetch_engine.c and fetch_output.c. */
#include <getopt.h>
#include <jansson.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curl/curl.h>

#include "cli.h"
#include "crawl/commands.h"
#include "crawl/fetch.h"
#include "crawl/fetch_engine.h"
#include "crawl/fetch_input.h"
#include "crawl/fetch_output.h"
#include "crawl/fetch_robots.h"
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

static void usage(FILE *f) {
    fprintf(f,
            "usage: crawl fetch URLS -o OUT.warc.gz [options]\n\n"
            "Downloads the URLs of one shard (urls-NNNNN.jsonl.zst from `crawl urls`, or a\n"
            "text file of one URL per line) into a WARC/1.1 file, one gzip member per record:\n"
            "warcinfo, then request, response and metadata (the Reddit fields) per page.\n"
            "URLs without a response go to the fetch log, one JSON line each. A killed run\n"
            "continues where it stopped when run again.\n\n"
            "options:\n"
            "  -o, --output FILE       the WARC file (required; FILE.tmp and FILE.done meanwhile)\n"
            "      --log FILE          the fetch log (default: OUT with .log.jsonl for .warc.gz)\n"
            "      --concurrency N     transfers at once (64)\n"
            "      --per-host N        transfers at once per host (2)\n"
            "      --delay MS          pause between requests to one host (1000)\n"
            "      --timeout S         whole-transfer limit per request, seconds (30)\n"
            "      --connect-timeout S connect limit, seconds (10)\n"
            "      --retries N         retries after 429, 5xx, timeouts, resets (2)\n"
            "      --retry-delay MS    first backoff, doubled each retry; Retry-After wins (1000)\n"
            "      --max-retry-after S a longer Retry-After gives up at once (120)\n"
            "      --max-body BYTES    longer bodies are cut, WARC-Truncated: length (5000000)\n"
            "      --max-redirects N   (5)\n"
            "      --accept LIST       media types kept, comma-separated, type/* allowed\n"
            "                          (text/html,application/xhtml+xml,text/plain)\n"
            "      --user-agent UA     (" AGENT ", with \" (+URL)\" from --contact)\n"
            "      --contact URL       a page or mail address for site owners\n"
            "      --ignore-robots     do not fetch or obey robots.txt\n"
            "      --allow-private     allow private, loopback, link-local targets\n"
            "      --allow-addr ADDR   allow this one address (repeatable; tests, mirrors)\n"
            "      --resolve H:P:ADDR  use ADDR for host H port P, like curl (repeatable)\n"
            "      --cacert FILE       trust these CAs instead of the system's\n"
            "      --gzip-level N      libdeflate level of the WARC's gzip members, 1-9 (1)\n"
            "      --window N          URLs in memory at once (20000)\n"
            "      --max-hosts N       idle hosts whose robots.txt is kept (20000)\n"
            "      --force             redo a finished shard, discard a partial one\n"
            "      --strict            a line without a URL is fatal\n"
            "      --stats FILE        write statistics as JSON\n"
            "      --threads N         accepted; one fetch loop and one writer thread\n"
            "      --quiet             no progress line\n"
            "  -h, --help\n");
}

typedef struct cli {
    fetch_opts o;
    const char *input, *output, *log, *stats, *contact;
    bool force, strict, quiet;
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

/* Parses argv into c; returns -1 after printing a usage error, 1 for --help. */
static int parse_args(int argc, char **argv, cli *c) {
    enum {
        O_LOG = 256,
        O_CONC,
        O_PERHOST,
        O_DELAY,
        O_TIMEOUT,
        O_CTIMEOUT,
        O_RETRIES,
        O_RDELAY,
        O_MAXRA,
        O_MAXBODY,
        O_MAXREDIR,
        O_ACCEPT,
        O_UA,
        O_CONTACT,
        O_IGNROBOTS,
        O_PRIVATE,
        O_ALLOWADDR,
        O_RESOLVE,
        O_WINDOW,
        O_MAXHOSTS,
        O_FORCE,
        O_STRICT,
        O_STATS,
        O_THREADS,
        O_QUIET,
        O_GZLEVEL,
        O_CACERT
    };
    static const struct option longs[] = {{"output", required_argument, 0, 'o'},
                                          {"log", required_argument, 0, O_LOG},
                                          {"concurrency", required_argument, 0, O_CONC},
                                          {"per-host", required_argument, 0, O_PERHOST},
                                          {"delay", required_argument, 0, O_DELAY},
                                          {"timeout", required_argument, 0, O_TIMEOUT},
                                          {"connect-timeout", required_argument, 0, O_CTIMEOUT},
                                          {"retries", required_argument, 0, O_RETRIES},
                                          {"retry-delay", required_argument, 0, O_RDELAY},
                                          {"max-retry-after", required_argument, 0, O_MAXRA},
                                          {"max-body", required_argument, 0, O_MAXBODY},
                                          {"max-redirects", required_argument, 0, O_MAXREDIR},
                                          {"accept", required_argument, 0, O_ACCEPT},
                                          {"user-agent", required_argument, 0, O_UA},
                                          {"contact", required_argument, 0, O_CONTACT},
                                          {"ignore-robots", no_argument, 0, O_IGNROBOTS},
                                          {"allow-private", no_argument, 0, O_PRIVATE},
                                          {"allow-addr", required_argument, 0, O_ALLOWADDR},
                                          {"resolve", required_argument, 0, O_RESOLVE},
                                          {"window", required_argument, 0, O_WINDOW},
                                          {"max-hosts", required_argument, 0, O_MAXHOSTS},
                                          {"force", no_argument, 0, O_FORCE},
                                          {"strict", no_argument, 0, O_STRICT},
                                          {"stats", required_argument, 0, O_STATS},
                                          {"threads", required_argument, 0, O_THREADS},
                                          {"quiet", no_argument, 0, O_QUIET},
                                          {"gzip-level", required_argument, 0, O_GZLEVEL},
                                          {"cacert", required_argument, 0, O_CACERT},
                                          {"help", no_argument, 0, 'h'},
                                          {0, 0, 0, 0}};
    fetch_opts *o = &c->o;
    *o = (fetch_opts){.concurrency = 64,
                      .per_host = 2,
                      .delay_ms = 1000,
                      .timeout_ms = 30000,
                      .connect_timeout_ms = 10000,
                      .retries = 2,
                      .retry_base_ms = 1000,
                      .max_retry_after_s = 120,
                      .max_redirects = 5,
                      .max_body = 5000000,
                      .window = 20000,
                      .max_hosts = 20000,
                      .user_agent = AGENT,
                      .accept = "text/html,application/xhtml+xml,text/plain"};
    int64_t v;
    double d;
    int opt;
    c->gzip_level = GZIP_LEVEL;
    optind = 1;
    int li = -1;
    char name[64];
    while ((opt = getopt_long(argc, argv, "o:h", longs, &li)) != -1) {
        snprintf(name, sizeof name, "--%s", li >= 0 ? longs[li].name : "?");
        li = -1;
        switch (opt) {
        case 'o':
            c->output = optarg;
            break;
        case O_LOG:
            c->log = optarg;
            break;
#define NUM(field, lo, hi, scale)                                                                  \
    if (wt_parse_i64(PROG, name, optarg, lo, hi, &v) < 0) return -1;                               \
    field = v * (scale);                                                                           \
    break
        case O_CONC:
            NUM(o->concurrency, 1, 100000, 1);
        case O_PERHOST:
            NUM(o->per_host, 1, 1000, 1);
        case O_DELAY:
            NUM(o->delay_ms, 0, 3600000, 1);
        case O_CTIMEOUT:
            NUM(o->connect_timeout_ms, 1, 3600, 1000);
        case O_RETRIES:
            NUM(o->retries, 0, 100, 1);
        case O_RDELAY:
            NUM(o->retry_base_ms, 0, 3600000, 1);
        case O_MAXRA:
            NUM(o->max_retry_after_s, 0, 86400, 1);
        case O_MAXBODY:
            NUM(o->max_body, 1, (int64_t)1 << 34, 1);
        case O_MAXREDIR:
            NUM(o->max_redirects, 0, 100, 1);
        case O_WINDOW:
            NUM(o->window, 1, 100000000, 1);
        case O_MAXHOSTS:
            NUM(o->max_hosts, 1, 100000000, 1);
        case O_THREADS:
            NUM(v, -1, 1024, 1);
        case O_GZLEVEL:
            NUM(c->gzip_level, 1, 9, 1);
#undef NUM
        case O_TIMEOUT:
            if (wt_parse_double(PROG, "--timeout", optarg, 0.001, 86400, &d) < 0) return -1;
            o->timeout_ms = (int)(d * 1000);
            break;
        case O_ACCEPT:
            o->accept = optarg;
            break;
        case O_CACERT:
            o->cacert = optarg;
            break;
        case O_UA:
            o->user_agent = optarg;
            break;
        case O_CONTACT:
            c->contact = optarg;
            break;
        case O_IGNROBOTS:
            o->ignore_robots = true;
            break;
        case O_PRIVATE:
            o->allow_private = true;
            break;
        case O_ALLOWADDR:
            if (push(&o->allow_addr, &o->n_allow_addr, optarg) < 0) return -1;
            break;
        case O_RESOLVE:
            if (!strchr(optarg, ':') || strchr(optarg, ':') == strrchr(optarg, ':')) {
                fprintf(stderr, PROG ": --resolve: '%s' is not HOST:PORT:ADDR\n", optarg);
                return -1;
            }
            if (push(&o->resolve, &o->n_resolve, optarg) < 0) return -1;
            break;
        case O_FORCE:
            c->force = true;
            break;
        case O_STRICT:
            c->strict = true;
            break;
        case O_STATS:
            c->stats = optarg;
            break;
        case O_QUIET:
            c->quiet = true;
            break;
        case 'h':
            return 1;
        default:
            return -1;
        }
    }
    if (optind != argc - 1 || !c->output) {
        fprintf(stderr, PROG ": %s\n",
                !c->output ? "-o OUT.warc.gz is required" : "give exactly one URL file");
        return -1;
    }
    c->input = argv[optind];
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
                       const fetch_input *in, double seconds, wt_error *err) {
    const fetch_counts *k = fetch_engine_counts(e);
    json_t *fail = json_object();
    uint64_t failed = 0;
    for (int r = 0; r < FR_COUNT; r++) {
        failed += out->failures[r];
        if (out->failures[r])
            json_object_set_new(fail, fetch_reason_name((fetch_reason)r),
                                json_integer((json_int_t)out->failures[r]));
    }
    json_t *s =
        json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:o, s:I, s:I, s:I, s:I, s:I, s:f, s:f}",
                  "input", c->input, "output", c->output, "urls_done", (json_int_t)k->done,
                  "resumed_done", (json_int_t)in->skipped, "responses", (json_int_t)out->responses,
                  "truncated", (json_int_t)out->truncated, "failed", (json_int_t)failed, "failures",
                  fail, "requests", (json_int_t)k->requests, "robots_fetches",
                  (json_int_t)k->robots_fetches, "retries", (json_int_t)k->retries, "redirects",
                  (json_int_t)k->redirects, "body_bytes", (json_int_t)out->body_bytes, "seconds",
                  seconds, "urls_per_s", seconds > 0 ? (double)k->done / seconds : 0.0);
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
    if (rc == 0 && !(e = fetch_engine_new(&c->o, &out, &err))) rc = -1;
    if (rc == 0) {
        if (fetch_output_resumed(&out) && !c->quiet)
            fprintf(stderr, PROG ": resuming %s: %llu URLs already done\n", c->output,
                    (unsigned long long)fetch_output_resumed(&out));
        wt_progress prog;
        char label[256];
        snprintf(label, sizeof label, "fetch %s", c->input);
        wt_progress_init(&prog, label, "urls", 1, 0, c->quiet);
        double t0 = wt_now();
        rc = fetch_engine_run(e, fetch_input_next, &in, &stop_requested, &prog, &err);
        wt_progress_finish(&prog);
        double secs = wt_now() - t0;
        if (rc == 1) {
            fprintf(stderr, PROG ": interrupted; run the same command again to continue\n");
        } else if (rc == 0) {
            if (c->stats && write_stats(c, &out, e, &in, secs, &err) < 0) rc = -1;
            if (rc == 0) rc = fetch_output_finish(&out, &err);
            if (rc == 0) status = WT_EXIT_OK;
        }
    }
    if (rc < 0) wt_report(PROG, &err);
    fetch_engine_free(e);
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
        usage(stdout);
        status = WT_EXIT_OK;
    } else if (rc < 0) {
        fprintf(stderr, "Run 'crawl fetch --help' for the options.\n");
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
    free(c.ua_owned);
    return status;
}
