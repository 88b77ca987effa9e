/* The archive engine (see archive_engine.h). A job walks these steps:
 *   cc:      [collinfo: crawls near the post] -> CDX query per crawl (or the
 *            --cc-lookup captures) -> choose -> range of the WARC.gz ->
 *            checked -> stored as is (a redirect capture: its Location is
 *            looked up again, at most --max-redirects times)
 *   wayback: CDX query (from/to around the post) -> choose -> raw `id_`
 *            capture -> stored with the original headers restored
 * Each step is one request on one service (index, data, wayback), started
 * when the service's rate allows; 429/5xx/timeouts/resets wait and retry. */
#include "crawl/archive_engine.h"

#include <ctype.h>
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "crawl/archive.h"
#include "crawl/fetch_curl.h"
#include "progress.h"

#define CC_MAX_CRAWLS 16
#define INDEX_MAX_BYTES (16u << 20)  /* an index answer larger than this is an error */
#define RECORD_MAX_BYTES (64u << 20) /* a decompressed Common Crawl record */

enum { SVC_CC_INDEX, SVC_CC_DATA, SVC_WAYBACK, SVC_COUNT };
enum { ST_CC_QUERY, ST_CC_RANGE, ST_WB_CDX, ST_WB_RAW };
static const char *const svc_names[SVC_COUNT] = {"cc index", "cc data", "wayback"};

typedef struct crawl_info {
    char id[40];      /* "CC-MAIN-2017-51" */
    int64_t from, to; /* its crawl dates, Unix seconds */
} crawl_info;

typedef struct ajob {
    struct ajob *next;
    fetch_job *job;
    char *cur; /* the URL looked up (differs after redirect captures) */
    int hops;
    arc_captures caps;
    char crawls[CC_MAX_CRAWLS][40];
    int n_crawls, crawl_i;
    long chosen;
    bool redirect; /* the chosen capture is a 3xx */
    int step, tries;
    double not_before;
    char note[200]; /* index answers that were errors, for the log */
} ajob;

typedef struct service {
    ajob *head, *tail;
    double next_ok, interval; /* seconds between request starts */
} service;

typedef struct buf {
    char *p;
    size_t len, cap;
} buf;

typedef struct areq {
    struct areq *next;
    CURL *easy;
    ajob *aj;
    int svc;
    buf head, body;
    size_t max;
    bool over; /* the body passed max */
    struct curl_slist *hdrs;
} areq;

struct archive_engine {
    const fetch_opts *o;
    fetch_output *out;
    archive_pass_fn pass;
    void *pass_ctx;
    CURLM *multi;
    service svc[SVC_COUNT];
    ajob *sleepers; /* waiting to retry */
    areq *running;
    int n_running;
    size_t jobs;
    crawl_info *crawls; /* --cc-crawls, or collinfo.json's list */
    size_t n_crawls;
    bool crawls_by_date;
    archive_counts counts;
    wt_error *err;
};

static int buf_add(buf *b, const void *p, size_t n) {
    if (b->cap - b->len < n + 1) {
        size_t c = b->cap ? b->cap : 4096;
        while (c - b->len < n + 1) c *= 2;
        char *q = realloc(b->p, c);
        if (!q) return -1;
        b->p = q, b->cap = c;
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = '\0';
    return 0;
}

/* ---- sources ---- */

bool fetch_job_next_source(fetch_job *job, const fetch_opts *o, fetch_reason r, long status,
                           const char *detail) {
    if (job->src + 1 >= o->n_sources) return false;
    size_t old = job->trail ? strlen(job->trail) : 0;
    char item[600];
    int k = snprintf(item, sizeof item, "%s%s: %s", old ? "; " : "", fetch_source_name(job->source),
                     fetch_reason_name(r));
    if (status) k += snprintf(item + k, sizeof item - (size_t)k, " %ld", status);
    if (detail) snprintf(item + k, sizeof item - (size_t)k, " (%.500s)", detail);
    char *t = realloc(job->trail, old + strlen(item) + 1);
    if (t) {
        memcpy(t + old, item, strlen(item) + 1);
        job->trail = t;
    }
    job->src++;
    job->source = o->sources[job->src];
    return true;
}

/* ---- crawls ---- */

static int64_t iso_time(const char *s) {
    struct tm tm = {0};
    if (!s || !strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) return -1;
    return (int64_t)timegm(&tm);
}

/* A crawl's date from its id when collinfo gives none: "CC-MAIN-2017-51" is week 51 of 2017. */
static int64_t id_time(const char *id) {
    int y, w;
    if (sscanf(id, "CC-MAIN-%d-%d", &y, &w) != 2 || y < 2008 || w < 1 || w > 53) return -1;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = 0, .tm_mday = 1};
    return (int64_t)timegm(&tm) + (int64_t)(w - 1) * 7 * 86400;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud) {
    areq *x = ud;
    size_t len = size * n;
    if (x->body.len + len > x->max) {
        x->over = true;
        return 0;
    }
    return buf_add(&x->body, p, len) < 0 ? 0 : len;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud) {
    areq *x = ud;
    size_t len = size * n;
    if (len >= 5 && !memcmp(p, "HTTP/", 5)) x->head.len = 0;
    return buf_add(&x->head, p, len) < 0 ? 0 : len;
}

static void req_configure(const fetch_opts *o, areq *x, const char *url) {
    CURL *c = x->easy;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PRIVATE, x);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_PROXY, "");
    curl_easy_setopt(c, CURLOPT_USERAGENT, o->user_agent);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)o->timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)o->connect_timeout_ms);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, x);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, x);
    if (o->cacert) curl_easy_setopt(c, CURLOPT_CAINFO, o->cacert);
}

/* collinfo.json, fetched once (blocking, with retries): the crawls and their dates. */
static int load_collinfo(archive_engine *e, wt_error *err) {
    const fetch_opts *o = e->o;
    char url[2048];
    snprintf(url, sizeof url, "%s/collinfo.json", o->cc_index);
    areq x = {.max = INDEX_MAX_BYTES};
    long code = 0;
    CURLcode rc = CURLE_OK;
    for (int t = 0; t <= o->retries; t++) {
        if (t) {
            double w = o->retry_base_ms / 1000.0 * (double)(1u << (t - 1 < 16 ? t - 1 : 16));
            struct timespec ts = {(time_t)w, (long)((w - (double)(time_t)w) * 1e9)};
            nanosleep(&ts, NULL);
        }
        x.easy = curl_easy_init();
        if (!x.easy) return wt_fail(err, "out of memory");
        x.body.len = x.head.len = 0;
        req_configure(o, &x, url);
        curl_easy_setopt(x.easy, CURLOPT_ACCEPT_ENCODING, "");
        rc = curl_easy_perform(x.easy);
        curl_easy_getinfo(x.easy, CURLINFO_RESPONSE_CODE, &code);
        curl_easy_cleanup(x.easy);
        e->counts.cc_index++;
        if (rc == CURLE_OK && code == 200) break;
    }
    int res = -1;
    if (rc != CURLE_OK || code != 200) {
        if (rc != CURLE_OK)
            wt_fail(err, "%s: %s", url, curl_easy_strerror(rc));
        else
            wt_fail(err, "%s: HTTP status %ld", url, code);
        goto out;
    }
    json_error_t je;
    json_t *a = json_loadb(x.body.p ? x.body.p : "", x.body.len, 0, &je);
    if (!json_is_array(a)) {
        json_decref(a);
        wt_fail(err, "%s: not a JSON array of crawls", url);
        goto out;
    }
    e->crawls = calloc(json_array_size(a) + 1, sizeof *e->crawls);
    if (!e->crawls) {
        json_decref(a);
        wt_fail(err, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *c = json_array_get(a, i);
        const char *id = json_string_value(json_object_get(c, "id"));
        if (!id || strlen(id) >= sizeof e->crawls[0].id || strpbrk(id, "/?&# ")) continue;
        crawl_info *ci = &e->crawls[e->n_crawls];
        snprintf(ci->id, sizeof ci->id, "%s", id);
        ci->from = iso_time(json_string_value(json_object_get(c, "from")));
        ci->to = iso_time(json_string_value(json_object_get(c, "to")));
        if (ci->from < 0) ci->from = id_time(id);
        if (ci->to < 0) ci->to = ci->from;
        if (ci->from >= 0) e->n_crawls++;
    }
    json_decref(a);
    if (!e->n_crawls) {
        wt_fail(err, "%s: no crawls listed", url);
        goto out;
    }
    res = 0;
out:
    free(x.body.p), free(x.head.p);
    return res;
}

static int parse_crawl_list(archive_engine *e, const char *list, wt_error *err) {
    char *copy = strdup(list), *save = NULL;
    e->crawls = calloc(CC_MAX_CRAWLS, sizeof *e->crawls);
    if (!copy || !e->crawls) {
        free(copy);
        return wt_fail(err, "out of memory");
    }
    for (char *t = strtok_r(copy, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
        if (e->n_crawls == CC_MAX_CRAWLS || strlen(t) >= sizeof e->crawls[0].id ||
            strpbrk(t, "/?&#")) {
            free(copy);
            return wt_fail(err, "--cc-crawls: '%s' is not a crawl id (at most %d)", t,
                           CC_MAX_CRAWLS);
        }
        snprintf(e->crawls[e->n_crawls++].id, sizeof e->crawls[0].id, "%s", t);
    }
    free(copy);
    return e->n_crawls ? 0 : wt_fail(err, "--cc-crawls: no crawl given");
}

/* The crawls to ask for a post made at `created`: all of --cc-crawls, or the
 * cc_nearest crawls nearest in time (distance 0 inside a crawl's dates). */
static void pick_crawls(archive_engine *e, ajob *aj) {
    aj->n_crawls = 0;
    if (!e->crawls_by_date) {
        for (size_t i = 0; i < e->n_crawls; i++)
            snprintf(aj->crawls[aj->n_crawls++], sizeof aj->crawls[0], "%s", e->crawls[i].id);
        return;
    }
    int64_t t = aj->job->created;
    int want = e->o->cc_nearest < CC_MAX_CRAWLS ? e->o->cc_nearest : CC_MAX_CRAWLS;
    bool used[4096] = {0};
    size_t n = e->n_crawls < 4096 ? e->n_crawls : 4096;
    for (int k = 0; k < want && (size_t)k < n; k++) {
        long best = -1;
        int64_t bd = 0;
        for (size_t i = 0; i < n; i++) {
            if (used[i]) continue;
            const crawl_info *c = &e->crawls[i];
            int64_t d = t <= 0        ? -c->from /* unknown date: the newest */
                        : t < c->from ? c->from - t
                        : t > c->to   ? t - c->to
                                      : 0;
            if (best < 0 || d < bd) best = (long)i, bd = d;
        }
        used[best] = true;
        snprintf(aj->crawls[aj->n_crawls++], sizeof aj->crawls[0], "%s", e->crawls[best].id);
    }
}

/* ---- queues ---- */

static void svc_push(service *s, ajob *aj) {
    aj->next = NULL;
    if (s->tail)
        s->tail->next = aj;
    else
        s->head = aj;
    s->tail = aj;
}

static ajob *svc_pop(service *s) {
    ajob *aj = s->head;
    if (aj) {
        s->head = aj->next;
        if (!s->head) s->tail = NULL;
        aj->next = NULL;
    }
    return aj;
}

static int step_service(int step) {
    return step == ST_CC_QUERY ? SVC_CC_INDEX : step == ST_CC_RANGE ? SVC_CC_DATA : SVC_WAYBACK;
}

static void aj_go(archive_engine *e, ajob *aj, int step) {
    aj->step = step;
    aj->tries = 0;
    svc_push(&e->svc[step_service(step)], aj);
}

static void aj_free(ajob *aj) {
    arc_captures_free(&aj->caps);
    free(aj->cur);
    free(aj);
}

/* ---- finishing ---- */

static int begin(archive_engine *e, fetch_job *job);

/* The job's current source failed: the next source, or the log. */
static int aj_fail(archive_engine *e, ajob *aj, fetch_reason r, long status, const char *detail) {
    fetch_job *job = aj->job;
    aj->job = NULL;
    aj_free(aj);
    e->jobs--;
    if (fetch_job_next_source(job, e->o, r, status, detail)) {
        if (job->source != SRC_LIVE) return begin(e, job);
        if (e->pass) return e->pass(e->pass_ctx, job, e->err);
    }
    int rc = fetch_output_failure(e->out, job, r, status, detail, e->err);
    fetch_job_free(job);
    return rc;
}

/* The metadata record's JSON: the input object, plus where the page came from. */
static char *archive_meta(const fetch_job *job, const char *source, json_t *archive) {
    json_t *o = job->meta ? json_loads(job->meta, JSON_DECODE_ANY, NULL) : NULL;
    if (!json_is_object(o)) {
        json_decref(o);
        o = json_pack("{s:s}", "url", job->url);
    }
    char *s = NULL;
    if (o) {
        json_object_set_new(o, "source", json_string(source));
        json_object_set(o, "archive", archive);
        s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER);
    }
    json_decref(o);
    return s;
}

static int aj_done(archive_engine *e, ajob *aj, const fetch_archived *a) {
    int rc = fetch_output_archived(e->out, aj->job, a, e->err);
    fetch_job_free(aj->job);
    aj->job = NULL;
    aj_free(aj);
    e->jobs--;
    return rc;
}

/* ---- choosing ---- */

static int follow(archive_engine *e, ajob *aj, const char *location);

static int decide(archive_engine *e, ajob *aj) {
    aj->chosen = arc_choose(&aj->caps, aj->job->created, &aj->redirect);
    if (aj->chosen < 0) {
        char sum[400];
        arc_summary(&aj->caps, sum, sizeof sum);
        if (*aj->note) {
            size_t k = strlen(sum);
            snprintf(sum + k, sizeof sum - k, "; %s", aj->note);
        }
        return aj_fail(e, aj, FR_NOT_ARCHIVED, 0, sum);
    }
    if (aj->redirect && aj->hops >= e->o->max_redirects)
        return aj_fail(e, aj, FR_TOO_MANY_REDIRECTS, aj->caps.v[aj->chosen].status, NULL);
    if (aj->job->source == SRC_CC) {
        if (aj->redirect && aj->caps.v[aj->chosen].redirect) { /* the index names the target */
            char *loc = strdup(aj->caps.v[aj->chosen].redirect);
            int rc = loc ? follow(e, aj, loc) : wt_fail(e->err, "out of memory");
            free(loc);
            return rc;
        }
        if (!aj->caps.v[aj->chosen].filename)
            return aj_fail(e, aj, FR_NOT_ARCHIVED, 0, "capture without filename/offset/length");
        aj_go(e, aj, ST_CC_RANGE);
    } else {
        aj_go(e, aj, ST_WB_RAW);
    }
    return 0;
}

/* A redirect capture's Location: look it up again. */
static int follow(archive_engine *e, ajob *aj, const char *location) {
    const arc_capture *c = &aj->caps.v[aj->chosen];
    char *next = arc_resolve(c->url, location);
    if (!next) return aj_fail(e, aj, FR_NOT_ARCHIVED, c->status, "redirect to a bad URL");
    free(aj->cur);
    aj->cur = next;
    aj->hops++;
    e->counts.redirects++;
    if (aj->job->source == SRC_CC && aj->job->captures) { /* bulk: ask that capture's crawl */
        snprintf(aj->crawls[0], sizeof aj->crawls[0], "%s", c->crawl);
        aj->n_crawls = 1;
    }
    arc_captures_clear(&aj->caps);
    aj->crawl_i = 0;
    aj_go(e, aj, aj->job->source == SRC_CC ? ST_CC_QUERY : ST_WB_CDX);
    return 0;
}

static int begin(archive_engine *e, fetch_job *job) {
    ajob *aj = calloc(1, sizeof *aj);
    if (!aj || !(aj->cur = strdup(job->url))) {
        free(aj);
        fetch_job_free(job);
        return wt_fail(e->err, "out of memory");
    }
    aj->job = job;
    e->jobs++;
    if (job->source == SRC_WAYBACK) {
        aj_go(e, aj, ST_WB_CDX);
        return 0;
    }
    if (job->captures) { /* --cc-lookup found these */
        size_t bad = 0;
        WT_TRY(arc_parse_cc(job->captures, strlen(job->captures), NULL, &aj->caps, &bad, e->err));
        return decide(e, aj);
    }
    if (e->o->n_cc_lookup) /* bulk mode: not in the lookup means not in those crawls */
        return decide(e, aj);
    pick_crawls(e, aj);
    aj_go(e, aj, ST_CC_QUERY);
    return 0;
}

int archive_engine_submit(archive_engine *e, fetch_job *job, wt_error *err) {
    e->err = err;
    return begin(e, job);
}

/* ---- requests ---- */

static int req_start(archive_engine *e, ajob *aj, int svc) {
    const fetch_opts *o = e->o;
    areq *x = calloc(1, sizeof *x);
    if (!x || !(x->easy = curl_easy_init())) {
        free(x);
        return wt_fail(e->err, "out of memory");
    }
    x->aj = aj;
    x->svc = svc;
    x->max = INDEX_MAX_BYTES;
    char *url = NULL;
    size_t un = 0;
    FILE *f = open_memstream(&url, &un);
    if (!f) {
        curl_easy_cleanup(x->easy);
        free(x);
        return wt_fail(e->err, "out of memory");
    }
    char *esc = curl_easy_escape(x->easy, aj->cur, 0);
    const arc_capture *c =
        aj->chosen >= 0 && (size_t)aj->chosen < aj->caps.n ? &aj->caps.v[aj->chosen] : NULL;
    char range[80];
    switch (aj->step) {
    case ST_CC_QUERY:
        fprintf(f, "%s/%s-index?url=%s&output=json", o->cc_index, aj->crawls[aj->crawl_i], esc);
        e->counts.cc_index++;
        break;
    case ST_CC_RANGE:
        fprintf(f, "%s/%s", o->cc_data, c->filename);
        snprintf(range, sizeof range, "Range: bytes=%llu-%llu", (unsigned long long)c->offset,
                 (unsigned long long)(c->offset + c->length - 1));
        x->hdrs = curl_slist_append(NULL, range);
        x->max = c->length + 1; /* more than asked is rejected */
        e->counts.cc_data++;
        break;
    case ST_WB_CDX: {
        fprintf(f, "%s/cdx/search/cdx?url=%s&output=json", o->wayback, esc);
        if (aj->job->created > 0 && o->wayback_window_days > 0) {
            char a[16], b[16];
            int64_t w = (int64_t)o->wayback_window_days * 86400;
            arc_time_ts(aj->job->created - w, a);
            arc_time_ts(aj->job->created + w, b);
            fprintf(f, "&from=%s&to=%s", a, b);
        }
        e->counts.wayback++;
        break;
    }
    case ST_WB_RAW:
        fprintf(f, "%s/web/%sid_/%s", o->wayback, c->ts, c->url);
        x->max = o->max_body;
        e->counts.wayback++;
        break;
    }
    fclose(f);
    curl_free(esc);
    req_configure(o, x, url);
    free(url);
    if (x->hdrs) curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, x->hdrs);
    if (aj->step == ST_WB_RAW) {
        /* a 200 capture may be served from a nearby timestamp (a redirect inside
         * the archive); a redirect capture must come back as the 3xx it is */
        curl_easy_setopt(x->easy, CURLOPT_FOLLOWLOCATION, aj->redirect ? 0L : 1L);
        curl_easy_setopt(x->easy, CURLOPT_MAXREDIRS, 5L);
        curl_easy_setopt(x->easy, CURLOPT_ACCEPT_ENCODING, "");
    } else if (aj->step != ST_CC_RANGE) {
        curl_easy_setopt(x->easy, CURLOPT_ACCEPT_ENCODING, "");
    }
    aj->tries++;
    aj->job->attempts++;
    if (curl_multi_add_handle(e->multi, x->easy) != CURLM_OK) {
        curl_easy_cleanup(x->easy);
        curl_slist_free_all(x->hdrs);
        free(x);
        return wt_fail(e->err, "curl_multi_add_handle failed");
    }
    x->next = e->running;
    e->running = x;
    e->n_running++;
    return 0;
}

static void req_free(areq *x) {
    curl_easy_cleanup(x->easy);
    curl_slist_free_all(x->hdrs);
    free(x->head.p), free(x->body.p);
    free(x);
}

/* Retries aj's step later if tries are left (1), else 0. A Retry-After (or a
 * 429/503) also holds back the whole service: the archive asked us to slow down. */
static int retry(archive_engine *e, areq *x, long code) {
    ajob *aj = x->aj;
    const fetch_opts *o = e->o;
    if (aj->tries > o->retries) return 0;
    int d = aj->tries - 1 < 16 ? aj->tries - 1 : 16;
    double wait = o->retry_base_ms / 1000.0 * (double)(1u << d);
    curl_off_t ra = 0;
    if (curl_easy_getinfo(x->easy, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0) {
        if (ra > o->max_retry_after_s) return 0;
        wait = (double)ra;
    }
    double now = wt_now();
    if (code == 429 || code == 503) {
        service *s = &e->svc[x->svc];
        if (s->next_ok < now + wait) s->next_ok = now + wait;
    }
    aj->not_before = now + wait;
    aj->next = e->sleepers;
    e->sleepers = aj;
    e->counts.retries++;
    return 1;
}

/* The failure's reason; an archive that did not answer (connect, timeout,
 * dropped connection) is worth a retry. */
static fetch_reason curl_fail(CURLcode rc, bool *again) {
    fetch_reason r = fetch_curl_reason(rc);
    *again = r == FR_CONNECT || r == FR_TIMEOUT || r == FR_RESET;
    return r;
}

static int cc_query_done(archive_engine *e, areq *x, long code) {
    ajob *aj = x->aj;
    if (code == 200) {
        size_t bad = 0;
        WT_TRY(arc_parse_cc(x->body.p ? x->body.p : "", x->body.len, aj->crawls[aj->crawl_i],
                            &aj->caps, &bad, e->err));
    } else if (code != 404) { /* 404: no captures in this crawl */
        size_t k = strlen(aj->note);
        snprintf(aj->note + k, sizeof aj->note - k, "%s%s: status %ld", k ? ", " : "",
                 aj->crawls[aj->crawl_i], code);
    }
    if (++aj->crawl_i < aj->n_crawls) {
        aj_go(e, aj, ST_CC_QUERY);
        return 0;
    }
    return decide(e, aj);
}

static int cc_range_done(archive_engine *e, areq *x, long code) {
    ajob *aj = x->aj;
    const arc_capture *c = &aj->caps.v[aj->chosen];
    char why[512] = "", cr[128];
    if (code != 206) {
        snprintf(why, sizeof why, "status %ld, not 206", code);
    } else if (x->over || x->body.len != c->length) {
        snprintf(why, sizeof why, "%s: %zu bytes, asked for %llu",
                 x->over ? "long answer" : "short answer", x->body.len,
                 (unsigned long long)c->length);
    } else if (arc_header(x->head.p ? x->head.p : "", x->head.len, "Content-Range", cr,
                          sizeof cr)) {
        unsigned long long a = 0, b = 0;
        if (sscanf(cr, "bytes %llu-%llu", &a, &b) != 2 || a != c->offset ||
            b != c->offset + c->length - 1)
            snprintf(why, sizeof why, "Content-Range %s is not the range asked for", cr);
    }
    arc_record rec;
    if (!*why && arc_check_cc_record(x->body.p, x->body.len, c->url, RECORD_MAX_BYTES, &rec, why,
                                     sizeof why) == 0) {
        if (aj->redirect) {
            char *loc = rec.location;
            int rc = loc ? follow(e, aj, loc)
                         : aj_fail(e, aj, FR_NOT_ARCHIVED, c->status,
                                   "redirect capture without Location");
            free(loc);
            return rc;
        }
        free(rec.location);
        json_t *a =
            json_pack("{s:s, s:s, s:I, s:I, s:s, s:s, s:i}", "crawl", c->crawl, "filename",
                      c->filename, "offset", (json_int_t)c->offset, "length", (json_int_t)c->length,
                      "timestamp", c->ts, "url", c->url, "redirects", aj->hops);
        char *meta = a ? archive_meta(aj->job, "cc", a) : NULL;
        json_decref(a);
        if (!meta) return wt_fail(e->err, "out of memory");
        fetch_archived ar = {.target = c->url,
                             .raw = x->body.p,
                             .raw_len = x->body.len,
                             .refers_id = rec.id,
                             .refers_date = rec.date,
                             .meta = meta};
        int rc = aj_done(e, aj, &ar);
        free(meta);
        return rc;
    }
    e->counts.rejected_ranges++;
    char detail[800];
    snprintf(detail, sizeof detail, "%s offset %llu length %llu: %s", c->filename,
             (unsigned long long)c->offset, (unsigned long long)c->length, why);
    return aj_fail(e, aj, FR_BAD_RANGE, code, detail);
}

static int wb_cdx_done(archive_engine *e, areq *x, long code) {
    ajob *aj = x->aj;
    if (code != 200 && code != 404)
        return aj_fail(e, aj, code >= 500 ? FR_HTTP_5XX : FR_HTTP_4XX, code, "wayback CDX query");
    wt_error perr;
    if (code == 200 &&
        arc_parse_wayback(x->body.p ? x->body.p : "", x->body.len, &aj->caps, &perr) < 0)
        return aj_fail(e, aj, FR_ERROR, code, perr.msg);
    return decide(e, aj);
}

/* The original URL in a Wayback address ".../web/20171211093012id_/http://x/"; NULL if not one. */
static const char *wayback_original(const char *loc, char ts[16]) {
    const char *w = strstr(loc, "/web/");
    if (!w) return NULL;
    w += 5;
    size_t d = 0;
    while (isdigit((unsigned char)w[d])) d++;
    if (d < 4 || d > 14) return NULL;
    memcpy(ts, w, d), ts[d] = '\0';
    const char *s = w + d;
    while (*s && *s != '/') s++;
    return *s == '/' ? s + 1 : NULL;
}

static int wb_raw_done(archive_engine *e, areq *x, long code) {
    ajob *aj = x->aj;
    const arc_capture *c = &aj->caps.v[aj->chosen];
    const char *head = x->head.p ? x->head.p : "";
    char v[4096];
    if (aj->redirect) {
        if (code < 300 || code >= 400 || !arc_header(head, x->head.len, "Location", v, sizeof v))
            return aj_fail(e, aj, FR_NOT_ARCHIVED, code, "redirect capture without Location");
        char ts[16];
        const char *orig = wayback_original(v, ts);
        char ov[4096];
        if (!orig && arc_header(head, x->head.len, "X-Archive-Orig-Location", ov, sizeof ov))
            orig = ov;
        return follow(e, aj, orig ? orig : v);
    }
    if (code != 200) {
        char d[64];
        snprintf(d, sizeof d, "raw capture answered %ld", code);
        return aj_fail(e, aj, FR_NOT_ARCHIVED, code, d);
    }
    /* served from another timestamp? the effective URL says */
    char ts[16], date[WT_WARC_DATE_LEN];
    snprintf(ts, sizeof ts, "%s", c->ts);
    char *eff = NULL;
    if (curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &eff) == CURLE_OK && eff) {
        char t2[16];
        if (wayback_original(eff, t2) && strlen(t2) == 14) memcpy(ts, t2, 15);
    }
    wt_warc_date((time_t)arc_ts_time(ts), date);
    size_t hn = 0;
    char *h = arc_wayback_head(head, x->head.len, 200, x->body.len, &hn);
    char aurl[4200];
    snprintf(aurl, sizeof aurl, "%s/web/%sid_/%s", e->o->wayback, ts, c->url);
    json_t *a = json_pack("{s:s, s:s, s:s, s:i}", "archive_url", aurl, "timestamp", ts, "url",
                          c->url, "redirects", aj->hops);
    char *meta = a && h ? archive_meta(aj->job, "wayback", a) : NULL;
    json_decref(a);
    if (!meta) {
        free(h);
        return wt_fail(e->err, "out of memory");
    }
    fetch_archived ar = {.target = c->url,
                         .date = date,
                         .head = h,
                         .head_len = hn,
                         .body = x->body.p ? x->body.p : "",
                         .body_len = x->body.len,
                         .truncated = x->over,
                         .meta = meta};
    int rc = aj_done(e, aj, &ar);
    free(meta), free(h);
    return rc;
}

static int req_done(archive_engine *e, areq *x, CURLcode rc) {
    ajob *aj = x->aj;
    long code = 0;
    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &code);
    bool got = rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && x->over);
    if (x->over && aj->step == ST_WB_RAW) got = true; /* cut at --max-body: stored truncated */
    if (!got) {
        bool again;
        fetch_reason r = curl_fail(rc, &again);
        if (again && retry(e, x, 0)) return 0;
        char d[256];
        snprintf(d, sizeof d, "%s: %s", svc_names[x->svc], curl_easy_strerror(rc));
        return aj_fail(e, aj, r, 0, d);
    }
    if (x->over && (aj->step == ST_CC_QUERY || aj->step == ST_WB_CDX))
        return aj_fail(e, aj, FR_ERROR, code, "index answer over 16 MiB");
    if (code == 429 || code >= 500) {
        if (retry(e, x, code)) return 0;
        char d[64];
        snprintf(d, sizeof d, "%s answered %ld", svc_names[x->svc], code);
        return aj_fail(e, aj, code >= 500 ? FR_HTTP_5XX : FR_HTTP_4XX, code, d);
    }
    switch (aj->step) {
    case ST_CC_QUERY:
        return cc_query_done(e, x, code);
    case ST_CC_RANGE:
        return cc_range_done(e, x, code);
    case ST_WB_CDX:
        return wb_cdx_done(e, x, code);
    default:
        return wb_raw_done(e, x, code);
    }
}

/* ---- the loop's side ---- */

archive_engine *archive_engine_new(const fetch_opts *o, fetch_output *out, archive_pass_fn pass,
                                   void *pass_ctx, wt_error *err) {
    archive_engine *e = calloc(1, sizeof *e);
    if (!e || !(e->multi = curl_multi_init())) {
        free(e);
        return wt_fail(err, "out of memory"), NULL;
    }
    e->o = o, e->out = out, e->pass = pass, e->pass_ctx = pass_ctx, e->err = err;
    double rates[SVC_COUNT] = {o->cc_index_rate, o->cc_data_rate, o->wayback_rate};
    for (int s = 0; s < SVC_COUNT; s++) e->svc[s].interval = rates[s] > 0 ? 1.0 / rates[s] : 0;
    curl_multi_setopt(e->multi, CURLMOPT_MAXCONNECTS, (long)o->concurrency * 2);
    bool cc = false;
    for (int i = 0; i < o->n_sources; i++) cc |= o->sources[i] == SRC_CC;
    int rc = 0;
    if (cc && o->cc_crawls)
        rc = parse_crawl_list(e, o->cc_crawls, err);
    else if (cc && !o->n_cc_lookup)
        rc = load_collinfo(e, err), e->crawls_by_date = true;
    if (rc < 0) {
        archive_engine_free(e);
        return NULL;
    }
    return e;
}

void archive_engine_set_pass(archive_engine *e, archive_pass_fn pass, void *ctx) {
    e->pass = pass;
    e->pass_ctx = ctx;
}

static double next_event(archive_engine *e) {
    double t = 1e300;
    for (ajob *aj = e->sleepers; aj; aj = aj->next)
        if (aj->not_before < t) t = aj->not_before;
    for (int s = 0; s < SVC_COUNT; s++)
        if (e->svc[s].head && e->svc[s].next_ok < t) t = e->svc[s].next_ok;
    return t;
}

int archive_engine_step(archive_engine *e, wt_error *err) {
    e->err = err;
    double now = wt_now();
    for (ajob **pp = &e->sleepers; *pp;) { /* woken retries go first */
        ajob *aj = *pp;
        if (aj->not_before <= now) {
            *pp = aj->next;
            service *s = &e->svc[step_service(aj->step)];
            aj->next = s->head;
            s->head = aj;
            if (!s->tail) s->tail = aj;
        } else {
            pp = &aj->next;
        }
    }
    for (int s = 0; s < SVC_COUNT; s++) {
        service *sv = &e->svc[s];
        while (sv->head && e->n_running < e->o->concurrency && sv->next_ok <= now) {
            ajob *aj = svc_pop(sv);
            sv->next_ok = (sv->next_ok > now - sv->interval ? sv->next_ok : now) + sv->interval;
            WT_TRY(req_start(e, aj, s));
        }
    }
    int still;
    if (curl_multi_perform(e->multi, &still) != CURLM_OK)
        return wt_fail(err, "curl_multi_perform failed");
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(e->multi, &left))) {
        if (m->msg != CURLMSG_DONE) continue;
        areq *x = NULL;
        CURL *easy = m->easy_handle;
        CURLcode rc = m->data.result;
        curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&x);
        curl_multi_remove_handle(e->multi, easy);
        for (areq **pp = &e->running; *pp; pp = &(*pp)->next)
            if (*pp == x) {
                *pp = x->next;
                break;
            }
        e->n_running--;
        int r = req_done(e, x, rc);
        req_free(x);
        WT_TRY(r);
    }
    return 0;
}

void archive_engine_wait(archive_engine *e, int ms) {
    double t = next_event(e) - wt_now();
    if (t < ms / 1000.0) ms = t <= 0 ? 0 : (int)(t * 1000) + 1;
    if (ms > 0 || e->n_running) curl_multi_poll(e->multi, NULL, 0, ms, NULL);
}

size_t archive_engine_jobs(const archive_engine *e) {
    return e->jobs;
}

const archive_counts *archive_engine_counts(const archive_engine *e) {
    return &e->counts;
}

static void free_list(ajob *aj) {
    while (aj) {
        ajob *n = aj->next;
        fetch_job_free(aj->job);
        aj_free(aj);
        aj = n;
    }
}

void archive_engine_free(archive_engine *e) {
    if (!e) return;
    while (e->running) {
        areq *x = e->running;
        e->running = x->next;
        curl_multi_remove_handle(e->multi, x->easy);
        fetch_job_free(x->aj->job);
        aj_free(x->aj);
        req_free(x);
    }
    for (int s = 0; s < SVC_COUNT; s++) free_list(e->svc[s].head);
    free_list(e->sleepers);
    if (e->multi) curl_multi_cleanup(e->multi);
    free(e->crawls);
    free(e);
}
