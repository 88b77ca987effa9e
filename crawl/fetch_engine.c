/* The fetch loop (see fetch_engine.h). Invariant that keeps it from
 * stalling: a host with queued jobs is in the heap unless it is at its
 * per-host limit or fetching robots.txt, and those transfers' completion puts
 * it back. Addresses are checked in CURLOPT_OPENSOCKETFUNCTION, on the very
 * address about to be connected (after DNS, --resolve and on every hop), so
 * DNS rebinding cannot slip a private address past the check. */
#include "crawl/fetch_engine.h"
#include "crawl/fetch_curl.h"

#include <ctype.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "crawl/archive_engine.h"
#include "crawl/fetch_addr.h"
#include "crawl/fetch_hosts.h"

#define BODY_KEEP (1u << 20) /* a transfer's body buffer above this is freed after use */

typedef struct buf {
    char *p;
    size_t len, cap;
} buf;

typedef struct xfer {
    struct xfer *next_free;           /* in the free list */
    struct xfer *run_prev, *run_next; /* in the running list */
    fetch_engine *e;
    CURL *easy;
    fetch_job *job; /* NULL: a robots.txt fetch */
    fetch_host *host;
    buf head, req, body;
    size_t body_max;
    bool head_done; /* the final response's blank line was seen */
    bool truncated, non_text, blocked;
} xfer;

struct fetch_engine {
    const fetch_opts *o;
    fetch_output *out;
    CURLM *multi;
    fetch_hosts hosts;
    struct curl_slist *headers, *resolve;
    char **accept; /* lower-case media types; a trailing "/\*" is a wildcard */
    size_t n_accept;
    xfer *free_xfers;
    xfer *run_list; /* transfers in the multi handle */
    int running;
    size_t in_mem; /* jobs alive */
    fetch_counts counts;
    wt_error *err; /* where callbacks report fatal errors */
    bool failed;
    /* --resolve entries live in the multi handle's DNS cache (permanent
     * there) once a transfer has loaded them: curl parses the whole list
     * again for every transfer that sets it, 64 entries in the benchmark.
     * Entries that expire ("+HOST:...") or remove ("-HOST:...") are set on
     * every transfer. */
    bool resolve_loaded, resolve_each;
    fetch_pass_fn pass; /* a failed job with a later source goes here */
    void *pass_ctx;
};

static int buf_add(buf *b, const void *p, size_t n) {
    if (b->cap - b->len < n + 1) {
        size_t c = b->cap ? b->cap : 2048;
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

/* ---- accept list ---- */

static int accept_init(fetch_engine *e, const char *list) {
    char *copy = strdup(list), *save = NULL;
    if (!copy) return -1;
    for (char *t = strtok_r(copy, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
        char **p = realloc(e->accept, (e->n_accept + 1) * sizeof *p);
        if (!p) break;
        e->accept = p;
        for (char *c = t; *c; c++) *c = (char)tolower((unsigned char)*c);
        if (!(e->accept[e->n_accept] = strdup(t))) break;
        e->n_accept++;
    }
    free(copy);
    return 0;
}

/* Is a Content-Type value (e.g. "text/html; charset=utf-8") kept? A missing
 * one is: the page is judged by extract. */
static bool accept_type(const fetch_engine *e, const char *ct) {
    if (!ct || !*ct) return true;
    char t[128];
    size_t n = 0;
    while (*ct == ' ') ct++;
    while (ct[n] && ct[n] != ';' && ct[n] != ' ' && n + 1 < sizeof t)
        t[n] = (char)tolower((unsigned char)ct[n]), n++;
    t[n] = '\0';
    for (size_t i = 0; i < e->n_accept; i++) {
        const char *a = e->accept[i];
        size_t an = strlen(a);
        if (!strcmp(a, "*/*") || !strcmp(a, t)) return true;
        if (an >= 2 && !strcmp(a + an - 2, "/*") && !strncmp(a, t, an - 1)) return true;
    }
    return false;
}

/* ---- curl callbacks ---- */

static size_t on_header(char *p, size_t size, size_t n, void *ud) {
    xfer *x = ud;
    size_t len = size * n;
    if (len >= 5 && !memcmp(p, "HTTP/", 5)) x->head.len = 0, x->head_done = false;
    if (x->head_done) return len; /* trailers */
    if (buf_add(&x->head, p, len) < 0) return 0;
    if (!(len <= 2 && (p[0] == '\r' || p[0] == '\n'))) return len;
    long code = 0;
    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &code);
    if (code < 200) return len; /* 1xx: another response follows */
    x->head_done = true;
    if (x->job && code < 300) {
        char *ct = NULL;
        curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ct);
        if (!accept_type(x->e, ct)) {
            x->non_text = true;
            return 0; /* abort: no need for the body */
        }
    }
    return len;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud) {
    xfer *x = ud;
    size_t len = size * n, room = x->body_max - x->body.len;
    if (len > room) {
        if (room && buf_add(&x->body, p, room) < 0) return 0;
        x->truncated = true;
        return 0; /* stop the transfer: the stored body is cut here */
    }
    return buf_add(&x->body, p, len) < 0 ? 0 : len;
}

/* Captures the request header block as curl sends it (verbose mode is on
 * for this alone; other message types are ignored). */
static int on_debug(CURL *easy, curl_infotype type, char *p, size_t n, void *ud) {
    (void)easy;
    xfer *x = ud;
    if (type == CURLINFO_HEADER_OUT) buf_add(&x->req, p, n);
    return 0;
}

static bool addr_allowed(const fetch_opts *o, const struct sockaddr *sa, char *ip, size_t n) {
    fetch_addr_format(sa, ip, n);
    if (o->allow_private || !fetch_addr_is_private(sa)) return true;
    for (size_t i = 0; i < o->n_allow_addr; i++)
        if (!strcmp(o->allow_addr[i], ip)) return true;
    return false;
}

static curl_socket_t on_opensocket(void *ud, curlsocktype purpose, struct curl_sockaddr *a) {
    xfer *x = ud;
    char ip[64];
    if (purpose != CURLSOCKTYPE_IPCXN || !addr_allowed(x->e->o, &a->addr, ip, sizeof ip)) {
        x->blocked = true;
        return CURL_SOCKET_BAD;
    }
    return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

/* ---- transfers ---- */

/* Options every transfer shares, set after each curl_easy_reset (reusing a
 * handle without the reset was no measurable gain, and it keeps per-handle
 * state such as curl's count of dead-connection retries across transfers). */
static void xfer_configure(fetch_engine *e, xfer *x) {
    const fetch_opts *o = e->o;
    CURL *c = x->easy;
    curl_easy_setopt(c, CURLOPT_PRIVATE, x);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_PROXY, ""); /* never a proxy from the environment */
    curl_easy_setopt(c, CURLOPT_USERAGENT, o->user_agent);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, e->headers);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, ""); /* every encoding curl decodes */
    curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)o->timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)o->connect_timeout_ms);
    curl_easy_setopt(c, CURLOPT_DNS_CACHE_TIMEOUT, 600L);
    if (o->cacert) curl_easy_setopt(c, CURLOPT_CAINFO, o->cacert);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, on_opensocket);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, x);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, x);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, on_debug); /* called only when verbose */
    curl_easy_setopt(c, CURLOPT_DEBUGDATA, x);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L); /* robots.txt only: pages follow none */
}

static xfer *xfer_get(fetch_engine *e) {
    xfer *x = e->free_xfers;
    if (x) {
        e->free_xfers = x->next_free;
        curl_easy_reset(x->easy);
    } else {
        x = calloc(1, sizeof *x);
        if (!x) return NULL;
        x->e = e;
        if (!(x->easy = curl_easy_init())) {
            free(x);
            return NULL;
        }
    }
    xfer_configure(e, x);
    x->head.len = x->req.len = x->body.len = 0;
    x->head_done = x->truncated = x->non_text = x->blocked = false;
    x->next_free = NULL;
    return x;
}

static void xfer_put(fetch_engine *e, xfer *x) {
    if (x->body.cap > BODY_KEEP) {
        free(x->body.p);
        x->body = (buf){0};
    }
    x->job = NULL;
    x->host = NULL;
    x->next_free = e->free_xfers;
    e->free_xfers = x;
}

static void xfer_free(xfer *x) {
    curl_easy_cleanup(x->easy);
    free(x->head.p), free(x->req.p), free(x->body.p);
    free(x);
}

static int xfer_start(fetch_engine *e, fetch_host *h, fetch_job *job, const char *url) {
    const fetch_opts *o = e->o;
    xfer *x = xfer_get(e);
    if (!x) return wt_fail(e->err, "out of memory");
    x->job = job;
    x->host = h;
    x->body_max = job ? o->max_body : FETCH_ROBOTS_MAX_BYTES;
    CURL *c = x->easy;
    curl_easy_setopt(c, CURLOPT_URL, url);
    /* wait for HTTP/2 multiplexing only where it can happen (TLS): with HTTP/1.1
     * PIPEWAIT holds transfers back for a busy connection instead of a new one */
    curl_easy_setopt(c, CURLOPT_PIPEWAIT, strncasecmp(url, "https:", 6) ? 0L : 1L);
    curl_easy_setopt(c, CURLOPT_RESOLVE, e->resolve_loaded ? NULL : e->resolve);
    /* pages: hops are ours (robots + limits), and the request as sent is
     * captured by on_debug; robots.txt: RFC 9309 says follow at least 5 */
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, job ? 0L : 1L);
    curl_easy_setopt(c, CURLOPT_VERBOSE, job ? 1L : 0L);
    if (job) {
        job->attempts++;
        job->tries++;
    }
    if (curl_multi_add_handle(e->multi, c) != CURLM_OK) {
        xfer_put(e, x);
        return wt_fail(e->err, "curl_multi_add_handle failed");
    }
    e->running++;
    x->run_next = e->run_list;
    x->run_prev = NULL;
    if (e->run_list) e->run_list->run_prev = x;
    e->run_list = x;
    h->active++;
    if (job)
        e->counts.requests++;
    else
        e->counts.robots_fetches++;
    return 0;
}

/* ---- jobs ---- */

static int job_fail(fetch_engine *e, fetch_job *job, fetch_reason r, long status,
                    const char *detail) {
    if (e->pass && fetch_job_next_source(job, e->o, r, status, detail)) {
        e->in_mem--;
        free(job->path);
        job->path = NULL;
        if (job->cur != job->url) free(job->cur);
        job->cur = job->url;
        job->hops = 0;
        job->tries = 0;
        return e->pass(e->pass_ctx, job, e->err);
    }
    int rc = fetch_output_failure(e->out, job, r, status, detail, e->err);
    fetch_job_free(job);
    e->in_mem--;
    e->counts.done++;
    return rc;
}

/* Host key ("https://example.com", ":PORT" when not the default) and the
 * path+query of url, from curl's URL parser. Returns 0, or -1 for a URL that
 * is not http(s) or does not parse. */
static int url_split(const char *url, char *key, size_t kn, char **path) {
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL, *p = NULL, *q = NULL;
    int rc = -1;
    if (!u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) goto out;
    if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_PATH, &p, 0) != CURLUE_OK)
        goto out;
    if (strcasecmp(scheme, "http") && strcasecmp(scheme, "https")) goto out;
    curl_url_get(u, CURLUPART_QUERY, &q, 0);
    for (char *c = host; *c; c++) *c = (char)tolower((unsigned char)*c);
    for (char *c = scheme; *c; c++) *c = (char)tolower((unsigned char)*c);
    bool dflt = (!strcmp(scheme, "http") && !strcmp(port, "80")) ||
                (!strcmp(scheme, "https") && !strcmp(port, "443"));
    int k = snprintf(key, kn, "%s://%s%s%s", scheme, host, dflt ? "" : ":", dflt ? "" : port);
    if (k < 0 || (size_t)k >= kn) goto out;
    size_t pn = strlen(p), qn = q ? strlen(q) : 0;
    *path = malloc(pn + qn + 2);
    if (!*path) goto out;
    memcpy(*path, p, pn);
    if (q)
        (*path)[pn] = '?', memcpy(*path + pn + 1, q, qn + 1);
    else
        (*path)[pn] = '\0';
    rc = 0;
out:
    curl_free(scheme), curl_free(host), curl_free(port), curl_free(p), curl_free(q);
    curl_url_cleanup(u);
    return rc;
}

static double max_d(double a, double b) {
    return a > b ? a : b;
}

/* Puts a job (new, retried or redirected) in its host's queue. */
static int job_route(fetch_engine *e, fetch_job *job, bool front, double now) {
    char key[2048];
    free(job->path);
    job->path = NULL;
    if (url_split(job->cur, key, sizeof key, &job->path) < 0)
        return job_fail(e, job, FR_BAD_URL, 0, job->hops ? "redirect to a bad URL" : NULL);
    fetch_host *h = fetch_hosts_get(&e->hosts, key);
    if (!h) return wt_fail(e->err, "out of memory");
    fetch_host_enqueue(h, job, front);
    if (h->robots_state != ROBOTS_FETCHING && h->active < e->o->per_host &&
        fetch_hosts_schedule(&e->hosts, h, max_d(now, h->next_ok)) < 0)
        return wt_fail(e->err, "out of memory");
    fetch_hosts_touch(&e->hosts, h);
    return 0;
}

/* Starts what can start on host h (popped from the heap). */
static int host_run(fetch_engine *e, fetch_host *h, double now) {
    const fetch_opts *o = e->o;
    if (o->ignore_robots && h->robots_state == ROBOTS_UNKNOWN) h->robots_state = ROBOTS_READY;
    if (h->robots_state == ROBOTS_UNKNOWN) {
        char url[2100];
        snprintf(url, sizeof url, "%s/robots.txt", h->key);
        h->robots_state = ROBOTS_FETCHING;
        h->next_ok = now + o->delay_ms / 1000.0;
        return xfer_start(e, h, NULL, url);
    }
    if (h->robots_state != ROBOTS_READY) return 0;
    for (fetch_job *job; (job = h->qhead);) {
        if (h->fail_reason >= 0) {
            WT_TRY(job_fail(e, fetch_host_dequeue(h), (fetch_reason)h->fail_reason, 0,
                            h->fail_detail));
        } else if (h->robots && !fetch_robots_allowed(h->robots, job->path)) {
            WT_TRY(job_fail(e, fetch_host_dequeue(h), FR_ROBOTS, 0, h->fail_detail));
        } else {
            break;
        }
    }
    if (!h->qhead || h->active >= o->per_host) return 0;
    if (h->next_ok > now) return fetch_hosts_schedule(&e->hosts, h, h->next_ok);
    fetch_job *job = fetch_host_dequeue(h);
    h->next_ok = now + o->delay_ms / 1000.0;
    if (xfer_start(e, h, job, job->cur) < 0) {
        fetch_job_free(job);
        e->in_mem--;
        return -1;
    }
    if (h->qhead && h->active < o->per_host)
        return fetch_hosts_schedule(&e->hosts, h, max_d(now, h->next_ok));
    return 0;
}

/* ---- completions ---- */

/* The failure's reason; timeouts and dropped connections are worth a retry. */
static fetch_reason curl_reason(CURLcode rc, bool *retry) {
    fetch_reason r = fetch_curl_reason(rc);
    *retry = r == FR_TIMEOUT || r == FR_RESET;
    return r;
}

/* curl_reason for a finished transfer: a timeout before any address was
 * tried is a DNS failure (resolver unreachable), not worth retrying. */
static fetch_reason xfer_reason(xfer *x, CURLcode rc, bool *retry) {
    fetch_reason r = curl_reason(rc, retry);
    char *ip = NULL;
    if (r == FR_TIMEOUT && curl_easy_getinfo(x->easy, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK &&
        (!ip || !*ip)) {
        *retry = false;
        return FR_DNS;
    }
    return r;
}

static void robots_done(fetch_engine *e, xfer *x, CURLcode rc) {
    fetch_host *h = x->host;
    long code = 0;
    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &code);
    bool got = rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && x->truncated);
    bool retry;
    char detail[96] = "";
    if (got && code >= 200 && code < 300) {
        h->robots = fetch_robots_parse(x->body.p ? x->body.p : "", x->body.len, e->o->agent_token);
    } else if (got && (code == 429 || code >= 500)) { /* unreachable: disallow all */
        h->robots = fetch_robots_fixed(false);
        snprintf(detail, sizeof detail, "robots.txt status %ld", code);
    } else if (got) { /* 3xx left over, 4xx: no rules */
        h->robots = fetch_robots_fixed(true);
    } else if (x->blocked && rc == CURLE_COULDNT_CONNECT) {
        h->fail_reason = FR_PRIVATE_ADDRESS;
    } else {
        fetch_reason r = xfer_reason(x, rc, &retry);
        if (r == FR_ERROR || r == FR_BAD_URL) {
            h->robots = fetch_robots_fixed(false);
            snprintf(detail, sizeof detail, "robots.txt: %s", curl_easy_strerror(rc));
        } else {
            h->fail_reason = (int)r;
            snprintf(detail, sizeof detail, "robots.txt: %s", curl_easy_strerror(rc));
        }
    }
    if (*detail) h->fail_detail = strdup(detail);
    if (h->fail_reason < 0 && !h->robots) h->robots = fetch_robots_fixed(true); /* out of memory */
    h->robots_state = ROBOTS_READY;
}

/* Where a 2xx response goes: the WARC. */
static int job_store(fetch_engine *e, xfer *x, fetch_job *job) {
    char *ip = NULL;
    curl_easy_getinfo(x->easy, CURLINFO_PRIMARY_IP, &ip);
    fetch_response r = {.target = job->cur,
                        .ip = ip,
                        .req = x->req.p ? x->req.p : "",
                        .req_len = x->req.len,
                        .head = x->head.p ? x->head.p : "",
                        .head_len = x->head.len,
                        .body = x->body.p ? x->body.p : "",
                        .body_len = x->body.len,
                        .truncated = x->truncated};
    int rc = fetch_output_response(e->out, job, &r, e->err);
    fetch_job_free(job);
    e->in_mem--;
    e->counts.done++;
    return rc;
}

/* Retries job later if it has tries left; returns 1 if requeued. */
static int job_retry(fetch_engine *e, xfer *x, fetch_job *job, double now) {
    const fetch_opts *o = e->o;
    if (job->tries > o->retries) return 0;
    int doublings = job->tries - 1 < 16 ? job->tries - 1 : 16;
    double wait = o->retry_base_ms / 1000.0 * (double)(1u << doublings);
    curl_off_t ra = 0;
    if (curl_easy_getinfo(x->easy, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0) {
        if (ra > o->max_retry_after_s) return 0;
        wait = (double)ra;
    }
    fetch_host *h = x->host;
    h->next_ok = max_d(h->next_ok, now + wait);
    e->counts.retries++;
    return job_route(e, job, true, now) < 0 ? -1 : 1;
}

static int job_done(fetch_engine *e, xfer *x, CURLcode rc, double now) {
    fetch_job *job = x->job;
    long code = 0;
    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &code);
    if (x->non_text) return job_fail(e, job, FR_NON_TEXT, code, NULL);
    bool got = rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && x->truncated);
    if (!got) {
        if (x->blocked && rc == CURLE_COULDNT_CONNECT)
            return job_fail(e, job, FR_PRIVATE_ADDRESS, 0, NULL);
        bool retry;
        fetch_reason r = xfer_reason(x, rc, &retry);
        if (retry) {
            int k = job_retry(e, x, job, now);
            if (k != 0) return k < 0 ? -1 : 0;
        }
        return job_fail(e, job, r, 0, curl_easy_strerror(rc));
    }
    if (code >= 200 && code < 300) return job_store(e, x, job);
    if (code >= 300 && code < 400) {
        char *loc = NULL;
        curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_URL, &loc);
        if (!loc) return job_fail(e, job, FR_HTTP_3XX, code, "no Location");
        if (job->hops >= e->o->max_redirects)
            return job_fail(e, job, FR_TOO_MANY_REDIRECTS, code, NULL);
        char *next = strdup(loc);
        if (!next) return wt_fail(e->err, "out of memory");
        if (job->cur != job->url) free(job->cur);
        job->cur = next;
        job->hops++;
        job->tries = 0;
        e->counts.redirects++;
        return job_route(e, job, false, now);
    }
    if (code == 429 || code >= 500) {
        int k = job_retry(e, x, job, now);
        if (k != 0) return k < 0 ? -1 : 0;
    }
    return job_fail(e, job,
                    code >= 500   ? FR_HTTP_5XX
                    : code >= 400 ? FR_HTTP_4XX
                                  : FR_ERROR,
                    code, NULL);
}

static int on_done(fetch_engine *e, CURL *easy, CURLcode rc, double now) {
    xfer *x = NULL;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&x);
    curl_multi_remove_handle(e->multi, easy);
    if (!e->resolve_each) e->resolve_loaded = true; /* it loaded the --resolve entries */
    e->running--;
    if (x->run_prev)
        x->run_prev->run_next = x->run_next;
    else
        e->run_list = x->run_next;
    if (x->run_next) x->run_next->run_prev = x->run_prev;
    fetch_host *h = x->host;
    h->active--;
    h->next_ok = max_d(h->next_ok, now + e->o->delay_ms / 1000.0);
    int res = 0;
    if (x->job)
        res = job_done(e, x, rc, now);
    else
        robots_done(e, x, rc);
    xfer_put(e, x);
    if (res < 0) return -1;
    if (h->qhead && h->active < e->o->per_host && h->robots_state != ROBOTS_FETCHING &&
        fetch_hosts_schedule(&e->hosts, h, max_d(now, h->next_ok)) < 0)
        return wt_fail(e->err, "out of memory");
    fetch_hosts_touch(&e->hosts, h);
    return 0;
}

/* ---- the loop ---- */

fetch_engine *fetch_engine_new(const fetch_opts *o, fetch_output *out, wt_error *err) {
    fetch_engine *e = calloc(1, sizeof *e);
    if (!e) return wt_fail(err, "out of memory"), NULL;
    e->o = o;
    e->out = out;
    e->multi = curl_multi_init();
    if (!e->multi || fetch_hosts_init(&e->hosts, o->max_hosts) < 0 ||
        accept_init(e, o->accept) < 0) {
        fetch_engine_free(e);
        return wt_fail(err, "out of memory"), NULL;
    }
    curl_multi_setopt(e->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)o->per_host);
    curl_multi_setopt(e->multi, CURLMOPT_MAXCONNECTS, (long)o->concurrency * 2);
    curl_multi_setopt(e->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
    e->headers = curl_slist_append(NULL, "Accept: text/html,application/xhtml+xml,text/plain;q=0.9,"
                                         "*/*;q=0.5");
    e->headers = curl_slist_append(e->headers, "Accept-Language: en,*;q=0.5");
    for (size_t i = 0; i < o->n_resolve; i++) {
        e->resolve = curl_slist_append(e->resolve, o->resolve[i]);
        if (o->resolve[i][0] == '+' || o->resolve[i][0] == '-') e->resolve_each = true;
    }
    if (!e->headers) {
        fetch_engine_free(e);
        return wt_fail(err, "out of memory"), NULL;
    }
    return e;
}

/* Reads jobs from the source while the window has room. */
static int refill(fetch_engine *e, fetch_next_fn next, void *ctx, bool *eof, double now) {
    while (!*eof && e->in_mem < e->o->window) {
        fetch_job *job = NULL;
        int rc = next(ctx, &job, e->err);
        if (rc < 0) return -1;
        if (rc == 0) {
            *eof = true;
            break;
        }
        e->in_mem++;
        WT_TRY(job_route(e, job, false, now));
    }
    return 0;
}

void fetch_engine_set_pass(fetch_engine *e, fetch_pass_fn pass, void *ctx) {
    e->pass = pass;
    e->pass_ctx = ctx;
}

int fetch_engine_submit(fetch_engine *e, fetch_job *job, wt_error *err) {
    e->err = err;
    e->in_mem++;
    return job_route(e, job, false, wt_now());
}

size_t fetch_engine_jobs(const fetch_engine *e) {
    return e->in_mem;
}

int fetch_engine_step(fetch_engine *e, wt_error *err) {
    e->err = err;
    double now = wt_now();
    fetch_host *h;
    while (e->running < e->o->concurrency && (h = fetch_hosts_pop(&e->hosts, now))) {
        WT_TRY(host_run(e, h, now));
        fetch_hosts_touch(&e->hosts, h);
    }
    int still = 0;
    if (curl_multi_perform(e->multi, &still) != CURLM_OK)
        return wt_fail(err, "curl_multi_perform failed");
    CURLMsg *m;
    int left;
    now = wt_now();
    while ((m = curl_multi_info_read(e->multi, &left)))
        if (m->msg == CURLMSG_DONE) WT_TRY(on_done(e, m->easy_handle, m->data.result, now));
    return 0;
}

void fetch_engine_wait(fetch_engine *e, int ms) {
    if (!e->running && !e->in_mem) return;
    double wait = fetch_hosts_next(&e->hosts) - wt_now();
    if (wait * 1000 < ms) ms = wait > 0 ? (int)(wait * 1000) + 1 : 0;
    if (e->running > 0 || ms > 0) curl_multi_poll(e->multi, NULL, 0, ms, NULL);
}

int fetch_engine_run(fetch_engine *e, fetch_next_fn next, void *ctx, volatile sig_atomic_t *stop,
                     wt_progress *progress, wt_error *err) {
    e->err = err;
    bool eof = false;
    for (;;) {
        if (stop && *stop) return 1;
        double now = wt_now();
        WT_TRY(refill(e, next, ctx, &eof, now));
        if (e->running == 0 && e->in_mem == 0 && eof) break;
        WT_TRY(fetch_engine_step(e, err));
        WT_TRY(fetch_output_check(e->out, err));
        if (progress) wt_progress_set(progress, e->counts.done);
        if (e->running == 0 && e->in_mem == 0 && eof) break; /* not another 0.1 s poll */
        double wait = fetch_hosts_next(&e->hosts) - wt_now();
        if (e->running >= e->o->concurrency || wait > 0.1) wait = 0.1;
        if (wait > 0 || e->running > 0) {
            int ms = wait > 0 ? (int)(wait * 1000) + 1 : 0;
            if (e->in_mem < e->o->window && !eof) ms = 0; /* more input to read */
            if (e->running > 0 || ms > 0) curl_multi_poll(e->multi, NULL, 0, ms, NULL);
        }
    }
    return fetch_output_drain(e->out, err);
}

const fetch_counts *fetch_engine_counts(const fetch_engine *e) {
    return &e->counts;
}

void fetch_engine_free(fetch_engine *e) {
    if (!e) return;
    /* transfers still running (an interrupted run) */
    while (e->run_list) {
        xfer *x = e->run_list;
        e->run_list = x->run_next;
        curl_multi_remove_handle(e->multi, x->easy);
        fetch_job_free(x->job);
        xfer_free(x);
    }
    while (e->free_xfers) {
        xfer *x = e->free_xfers;
        e->free_xfers = x->next_free;
        xfer_free(x);
    }
    fetch_hosts_free(&e->hosts);
    if (e->multi) curl_multi_cleanup(e->multi);
    curl_slist_free_all(e->headers);
    curl_slist_free_all(e->resolve);
    for (size_t i = 0; i < e->n_accept; i++) free(e->accept[i]);
    free(e->accept);
    free(e);
}
