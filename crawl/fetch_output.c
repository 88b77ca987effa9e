/* The WARC, the fetch log and the journal of `crawl fetch` (see
 * fetch_output.h). Stored responses are self-consistent: when curl removed a
 * Content-Encoding (or chunked Transfer-Encoding), those headers and the
 * original Content-Length are kept renamed with an "X-Crawler-" prefix and a
 * Content-Length of the stored payload is added (Common Crawl's convention). */
#include "crawl/fetch_output.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "progress.h"

#define FLUSH_BYTES (1u << 20) /* staged WARC bytes that force a write */
#define FLUSH_SECONDS 0.25
#define SYNC_SECONDS 5.0

static const char *const reason_names[FR_COUNT] = {
    "robots",          "dns",
    "connect",         "timeout",
    "reset",           "tls",
    "http_3xx",        "http_4xx",
    "http_5xx",        "too_many_redirects",
    "private_address", "non_text",
    "bad_url",         "error",
    "not_archived",    "bad_range",
};

const char *fetch_source_name(fetch_source s) {
    static const char *const names[SRC_COUNT] = {"live", "cc", "wayback"};
    return s < SRC_COUNT ? names[s] : "?";
}

const char *fetch_reason_name(fetch_reason r) {
    return r < FR_COUNT ? reason_names[r] : "error";
}

void fetch_job_free(fetch_job *job) {
    if (!job) return;
    if (job->cur != job->url) free(job->cur);
    free(job->url);
    free(job->path);
    free(job->meta);
    free(job->captures);
    free(job->trail);
    free(job);
}

char *fetch_output_log_path(const char *out) {
    size_t n = strlen(out);
    static const char *const exts[] = {".warc.gz", ".warc.zst", ".warc"};
    for (size_t i = 0; i < 3; i++) {
        size_t e = strlen(exts[i]);
        if (n > e && !strcmp(out + n - e, exts[i])) {
            n -= e;
            break;
        }
    }
    char *p = malloc(n + sizeof ".log.jsonl");
    if (p) {
        memcpy(p, out, n);
        memcpy(p + n, ".log.jsonl", sizeof ".log.jsonl");
    }
    return p;
}

static char *concat(const char *a, const char *b) {
    size_t na = strlen(a), nb = strlen(b);
    char *p = malloc(na + nb + 1);
    if (p) memcpy(p, a, na), memcpy(p + na, b, nb + 1);
    return p;
}

static uint64_t file_size(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

static int output_flush(fetch_output *o, bool force, wt_error *err);
static void *writer_main(void *arg);

static int write_info(fetch_output *o, const char *info, wt_error *err) {
    char *copy = strdup(o->warc_path);
    if (!copy) return wt_fail(err, "out of memory");
    wt_warc_field f[] = {{"WARC-Filename", basename(copy)}};
    wt_warc_record rec = {.type = "warcinfo",
                          .content_type = "application/warc-fields",
                          .extra = f,
                          .n_extra = 1,
                          .body = info,
                          .body_len = strlen(info)};
    int rc = wt_warc_writer_add(o->warc, &rec, o->info_id, err);
    free(copy);
    WT_TRY(rc);
    WT_TRY(fetch_journal_add(&o->journal, 0, wt_warc_writer_offset(o->warc), o->log_written, err));
    return output_flush(o, true, err);
}

int fetch_output_open(fetch_output *o, const char *out, const char *log, const char *input,
                      bool force, int gzip_level, const char *info, wt_error *err) {
    memset(o, 0, sizeof *o);
    o->log_fd = -1;
    o->journal.fd = -1;
    o->warc_path = strdup(out);
    o->warc_tmp = concat(out, ".tmp");
    o->log_path = log ? strdup(log) : fetch_output_log_path(out);
    o->log_tmp = o->log_path ? concat(o->log_path, ".tmp") : NULL;
    char *jpath = concat(out, ".done");
    if (!o->warc_path || !o->warc_tmp || !o->log_path || !o->log_tmp || !jpath) {
        free(jpath);
        return wt_fail(err, "out of memory");
    }
    if (force) unlink(o->warc_tmp), unlink(o->log_tmp), unlink(jpath);
    /* a crash between the two final renames left the log under its final name */
    if (access(jpath, F_OK) == 0 && access(o->log_tmp, F_OK) != 0 && access(o->log_path, F_OK) == 0)
        rename(o->log_path, o->log_tmp);
    char *copy = strdup(input);
    int rc = copy ? fetch_journal_open(&o->journal, jpath, basename(copy), file_size(o->warc_tmp),
                                       file_size(o->log_tmp), err)
                  : wt_fail(err, "out of memory");
    free(copy);
    free(jpath);
    WT_TRY(rc);
    if (!o->journal.has_info) o->journal.warc_end = o->journal.log_end = 0;
    o->warc = wt_warc_writer_open(o->warc_tmp, o->journal.warc_end, gzip_level, err);
    if (!o->warc) return -1;
    o->log_fd = open(o->log_tmp, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
    if (o->log_fd < 0 || ftruncate(o->log_fd, (off_t)o->journal.log_end) != 0 ||
        lseek(o->log_fd, (off_t)o->journal.log_end, SEEK_SET) < 0)
        return wt_fail_errno(err, "cannot open %s", o->log_tmp);
    o->log_written = o->journal.log_end;
    o->last_flush = o->last_sync = wt_now();
    if (!o->journal.has_info) WT_TRY(write_info(o, info, err));
    /* the main thread's copy of the done set: the writer thread grows the journal's */
    o->resumed = o->journal.n_done;
    o->skip_words = o->journal.done_words;
    if (o->skip_words) {
        o->skip = malloc(o->skip_words * sizeof *o->skip);
        if (!o->skip) return wt_fail(err, "out of memory");
        memcpy(o->skip, o->journal.done, o->skip_words * sizeof *o->skip);
    }
    pthread_mutex_init(&o->mu, NULL);
    pthread_cond_init(&o->can_put, NULL);
    pthread_cond_init(&o->can_get, NULL);
    o->mu_ready = true;
    if (pthread_create(&o->thread, NULL, writer_main, o) != 0)
        return wt_fail(err, "cannot start the writer thread");
    o->started = true;
    return 0;
}

bool fetch_output_is_done(const fetch_output *o, uint64_t index) {
    size_t w = (size_t)(index / 64);
    return w < o->skip_words && (o->skip[w] >> (index % 64) & 1);
}

uint64_t fetch_output_resumed(const fetch_output *o) {
    return o->resumed;
}

/* Grows a string buffer. */
static int sb_add(char **buf, size_t *len, size_t *cap, const void *p, size_t n) {
    if (*cap - *len < n + 1) {
        size_t c = *cap ? *cap : 4096;
        while (c - *len < n + 1) c *= 2;
        char *q = realloc(*buf, c);
        if (!q) return -1;
        *buf = q, *cap = c;
    }
    memcpy(*buf + *len, p, n);
    *len += n;
    (*buf)[*len] = '\0';
    return 0;
}

static bool name_is(const char *line, size_t n, const char *name) {
    size_t k = strlen(name);
    return n > k && line[k] == ':' && !strncasecmp(line, name, k);
}

/* The response header block to store (see the top). Returns a malloc'd
 * block in *out, or NULL out when the original can be stored as is. */
static int fix_headers(const fetch_response *r, char **out, size_t *out_len) {
    *out = NULL;
    bool encoded = false;
    for (size_t i = 0; i < r->head_len;) {
        const char *line = r->head + i;
        const char *nl = memchr(line, '\n', r->head_len - i);
        size_t n = nl ? (size_t)(nl - line) + 1 : r->head_len - i;
        if (name_is(line, n, "content-encoding") || name_is(line, n, "transfer-encoding"))
            encoded = true;
        i += n;
    }
    if (!encoded) return 0;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (size_t i = 0; i < r->head_len;) {
        const char *line = r->head + i;
        const char *nl = memchr(line, '\n', r->head_len - i);
        size_t n = nl ? (size_t)(nl - line) + 1 : r->head_len - i;
        i += n;
        if (n <= 2 && (line[0] == '\r' || line[0] == '\n')) continue; /* the blank line */
        if (name_is(line, n, "content-encoding") || name_is(line, n, "transfer-encoding") ||
            name_is(line, n, "content-length")) {
            if (sb_add(&buf, &len, &cap, "X-Crawler-", 10) < 0) goto oom;
        }
        if (sb_add(&buf, &len, &cap, line, n) < 0) goto oom;
    }
    char cl[64];
    int k = snprintf(cl, sizeof cl, "Content-Length: %zu\r\n\r\n", r->body_len);
    if (sb_add(&buf, &len, &cap, cl, (size_t)k) < 0) goto oom;
    *out = buf;
    *out_len = len;
    return 0;
oom:
    free(buf);
    return -1;
}

/* A finished URL, copied into one allocation for the writer thread. */
struct fetch_item {
    fetch_item *next;
    uint64_t index;
    size_t bytes; /* the allocation's size, for the queue bound */
    bool truncated;
    char date[WT_WARC_DATE_LEN];
    const char *target, *ip, *meta; /* response: NUL-terminated */
    const char *req, *head, *body;  /* response: the three blocks */
    size_t req_len, head_len, body_len;
    const char *line; /* failure: the log line with its '\n' */
    size_t line_len;
    int kind;        /* ITEM_LIVE, ITEM_CC or ITEM_WAYBACK */
    const char *raw; /* ITEM_CC: the archive's gzip member */
    size_t raw_len;
    const char *refers_id, *refers_date; /* ITEM_CC: its record's ID and date */
};

enum { ITEM_LIVE, ITEM_CC, ITEM_WAYBACK };

/* Copies n bytes to *p and advances it. */
static const char *put(char **p, const void *src, size_t n) {
    char *at = *p;
    if (n) memcpy(at, src, n);
    at[n] = '\0';
    *p += n + 1;
    return at;
}

static int submit(fetch_output *o, fetch_item *it, wt_error *err) {
    pthread_mutex_lock(&o->mu);
    while (!o->failed && o->q_bytes > FETCH_QUEUE_BYTES) pthread_cond_wait(&o->can_put, &o->mu);
    bool failed = o->failed;
    if (!failed) {
        it->next = NULL;
        if (o->qtail)
            o->qtail->next = it;
        else
            o->qhead = it;
        o->qtail = it;
        o->q_bytes += it->bytes;
        pthread_cond_signal(&o->can_get);
    }
    pthread_mutex_unlock(&o->mu);
    if (failed) {
        free(it);
        *err = o->werr;
        return -1;
    }
    return 0;
}

int fetch_output_response(fetch_output *o, const fetch_job *job, const fetch_response *r,
                          wt_error *err) {
    char *head;
    size_t head_len;
    if (fix_headers(r, &head, &head_len) < 0) return wt_fail(err, "out of memory");
    const char *h = head ? head : r->head;
    size_t hn = head ? head_len : r->head_len;
    const char *ip = r->ip ? r->ip : "", *meta = job->meta ? job->meta : "{}";
    size_t tn = strlen(r->target), in = strlen(ip), mn = strlen(meta);
    size_t bytes = sizeof(fetch_item) + tn + in + mn + r->req_len + hn + r->body_len + 6;
    fetch_item *it = malloc(bytes);
    if (!it) {
        free(head);
        return wt_fail(err, "out of memory");
    }
    memset(it, 0, sizeof *it);
    char *p = (char *)(it + 1);
    it->index = job->index;
    it->bytes = bytes;
    it->truncated = r->truncated;
    wt_warc_date(time(NULL), it->date);
    it->target = put(&p, r->target, tn);
    it->ip = put(&p, ip, in);
    it->meta = put(&p, meta, mn);
    it->req = put(&p, r->req, r->req_len), it->req_len = r->req_len;
    it->head = put(&p, h, hn), it->head_len = hn;
    it->body = put(&p, r->body, r->body_len), it->body_len = r->body_len;
    free(head);
    o->responses++;
    o->by_source[SRC_LIVE]++;
    o->truncated += r->truncated;
    o->body_bytes += r->body_len;
    return submit(o, it, err);
}

int fetch_output_archived(fetch_output *o, const fetch_job *job, const fetch_archived *a,
                          wt_error *err) {
    const char *meta = a->meta ? a->meta : "{}";
    const char *rid = a->refers_id ? a->refers_id : "",
               *rdate = a->refers_date ? a->refers_date : "";
    size_t tn = strlen(a->target), mn = strlen(meta), idn = strlen(rid), dn = strlen(rdate);
    size_t bytes =
        sizeof(fetch_item) + tn + mn + idn + dn + a->raw_len + a->head_len + a->body_len + 8;
    fetch_item *it = malloc(bytes);
    if (!it) return wt_fail(err, "out of memory");
    memset(it, 0, sizeof *it);
    char *p = (char *)(it + 1);
    it->kind = a->raw ? ITEM_CC : ITEM_WAYBACK;
    it->index = job->index;
    it->bytes = bytes;
    it->truncated = a->truncated;
    if (a->date)
        snprintf(it->date, sizeof it->date, "%s", a->date);
    else
        wt_warc_date(time(NULL), it->date);
    it->target = put(&p, a->target, tn);
    it->ip = "";
    it->meta = put(&p, meta, mn);
    it->refers_id = put(&p, rid, idn);
    it->refers_date = put(&p, rdate, dn);
    it->raw = put(&p, a->raw, a->raw_len), it->raw_len = a->raw_len;
    it->head = put(&p, a->head, a->head_len), it->head_len = a->head_len;
    it->body = put(&p, a->body, a->body_len), it->body_len = a->body_len;
    o->responses++;
    o->by_source[it->kind == ITEM_CC ? SRC_CC : SRC_WAYBACK]++;
    o->truncated += a->truncated;
    o->body_bytes += a->raw ? a->raw_len : a->body_len;
    return submit(o, it, err);
}

int fetch_output_failure(fetch_output *o, const fetch_job *job, fetch_reason reason, long status,
                         const char *detail, wt_error *err) {
    char date[WT_WARC_DATE_LEN];
    wt_warc_date(time(NULL), date);
    json_t *obj = json_object();
    if (!obj) return wt_fail(err, "out of memory");
    json_object_set_new(obj, "line", json_integer((json_int_t)job->index));
    json_object_set_new(obj, "url", json_string(job->url));
    json_object_set_new(obj, "reason", json_string(fetch_reason_name(reason)));
    if (status) json_object_set_new(obj, "status", json_integer(status));
    json_object_set_new(obj, "attempts", json_integer(job->attempts));
    json_object_set_new(obj, "time", json_string(date));
    if (job->cur && strcmp(job->cur, job->url))
        json_object_set_new(obj, "final_url", json_string(job->cur));
    if (job->hops) json_object_set_new(obj, "redirects", json_integer(job->hops));
    if (detail) json_object_set_new(obj, "detail", json_string(detail));
    if (o->archives)
        json_object_set_new(obj, "source", json_string(fetch_source_name(job->source)));
    if (job->trail) json_object_set_new(obj, "sources", json_string(job->trail));
    char *line = json_dumps(obj, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(obj);
    if (!line) return wt_fail(err, "out of memory");
    size_t n = strlen(line), bytes = sizeof(fetch_item) + n + 2;
    fetch_item *it = malloc(bytes);
    if (!it) {
        free(line);
        return wt_fail(err, "out of memory");
    }
    memset(it, 0, sizeof *it);
    char *p = (char *)(it + 1);
    it->index = job->index;
    it->bytes = bytes;
    memcpy(p, line, n);
    p[n] = '\n';
    p[n + 1] = '\0';
    it->line = p;
    it->line_len = n + 1;
    free(line);
    o->failures[reason < FR_COUNT ? reason : FR_ERROR]++;
    o->fail_by_source[job->source < SRC_COUNT ? job->source : SRC_LIVE]
                     [reason < FR_COUNT ? reason : FR_ERROR]++;
    return submit(o, it, err);
}

/* The response record of an item (payload: its HTTP head and body), with the
 * given WARC fields; its id goes to id. */
static int add_response(fetch_output *o, const fetch_item *it, const wt_warc_field *f, size_t n,
                        char *id, wt_error *err) {
    wt_warc_record resp = {.type = "response",
                           .date = it->date,
                           .content_type = "application/http;msgtype=response",
                           .extra = f,
                           .n_extra = n,
                           .head = it->head,
                           .head_len = it->head_len,
                           .body = it->body,
                           .body_len = it->body_len,
                           .has_payload = true};
    return wt_warc_writer_add(o->warc, &resp, id, err);
}

/* Writer thread: an archived page. Common Crawl's record is copied as it
 * came (its own ID, date and digests); a Wayback capture becomes a response
 * record dated as the capture. Then the metadata record pointing to it. */
static int archived_apply(fetch_output *o, const fetch_item *it, wt_error *err) {
    char resp_id[WT_WARC_ID_LEN + 80], md_date[WT_WARC_DATE_LEN];
    const char *refers_date = it->refers_date;
    if (it->kind == ITEM_CC) {
        WT_TRY(wt_warc_writer_add_raw(o->warc, it->raw, it->raw_len, err));
        snprintf(resp_id, sizeof resp_id, "%s", it->refers_id);
    } else {
        wt_warc_field pf[] = {{"WARC-Target-URI", it->target},
                              {"WARC-Warcinfo-ID", o->info_id},
                              {"WARC-Truncated", it->truncated ? "length" : NULL}};
        WT_TRY(add_response(o, it, pf, 3, resp_id, err));
        refers_date = it->date;
    }
    wt_warc_date(time(NULL), md_date);
    wt_warc_field mf[] = {{"WARC-Target-URI", it->target},
                          {"WARC-Warcinfo-ID", o->info_id},
                          {"WARC-Refers-To", resp_id},
                          {"WARC-Refers-To-Target-URI", it->target},
                          {"WARC-Refers-To-Date", *refers_date ? refers_date : NULL}};
    wt_warc_record md = {.type = "metadata",
                         .date = md_date,
                         .content_type = "application/json",
                         .extra = mf,
                         .n_extra = 5,
                         .body = it->meta,
                         .body_len = strlen(it->meta)};
    return wt_warc_writer_add(o->warc, &md, NULL, err);
}

/* Writer thread: stages one item's records or log line, then its journal entry. */
static int item_apply(fetch_output *o, const fetch_item *it, wt_error *err) {
    if (it->line) {
        if (sb_add(&o->log_buf, &o->log_len, &o->log_cap, it->line, it->line_len) < 0)
            return wt_fail(err, "out of memory");
    } else if (it->kind != ITEM_LIVE) {
        WT_TRY(archived_apply(o, it, err));
    } else {
        char req_id[WT_WARC_ID_LEN], resp_id[WT_WARC_ID_LEN];
        const char *ip = *it->ip ? it->ip : NULL;
        wt_warc_field rf[] = {{"WARC-Target-URI", it->target},
                              {"WARC-Warcinfo-ID", o->info_id},
                              {"WARC-IP-Address", ip}};
        wt_warc_record req = {.type = "request",
                              .date = it->date,
                              .content_type = "application/http;msgtype=request",
                              .extra = rf,
                              .n_extra = 3,
                              .head = it->req,
                              .head_len = it->req_len};
        WT_TRY(wt_warc_writer_add(o->warc, &req, req_id, err));
        wt_warc_field pf[] = {{"WARC-Target-URI", it->target},
                              {"WARC-Warcinfo-ID", o->info_id},
                              {"WARC-IP-Address", ip},
                              {"WARC-Concurrent-To", req_id},
                              {"WARC-Truncated", it->truncated ? "length" : NULL}};
        WT_TRY(add_response(o, it, pf, 5, resp_id, err));
        wt_warc_field mf[] = {{"WARC-Target-URI", it->target},
                              {"WARC-Warcinfo-ID", o->info_id},
                              {"WARC-Refers-To", resp_id}};
        wt_warc_record md = {.type = "metadata",
                             .date = it->date,
                             .content_type = "application/json",
                             .extra = mf,
                             .n_extra = 3,
                             .body = it->meta,
                             .body_len = strlen(it->meta)};
        WT_TRY(wt_warc_writer_add(o->warc, &md, NULL, err));
    }
    return fetch_journal_add(&o->journal, it->index, wt_warc_writer_offset(o->warc),
                             o->log_written + o->log_len, err);
}

static int log_flush(fetch_output *o, wt_error *err) {
    size_t off = 0;
    while (off < o->log_len) {
        ssize_t k = write(o->log_fd, o->log_buf + off, o->log_len - off);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) return wt_fail_errno(err, "cannot write %s", o->log_tmp);
        off += (size_t)k;
    }
    o->log_written += o->log_len;
    o->log_len = 0;
    return 0;
}

/* Writes what is staged (WARC, then log, then journal) when enough is staged
 * or time has passed; fsyncs every few seconds. Writer thread only. */
static int output_flush(fetch_output *o, bool force, wt_error *err) {
    double now = wt_now();
    if (!force && wt_warc_writer_pending(o->warc) < FLUSH_BYTES &&
        now - o->last_flush < FLUSH_SECONDS)
        return 0;
    o->last_flush = now;
    WT_TRY(wt_warc_writer_flush(o->warc, err));
    WT_TRY(log_flush(o, err));
    if (now - o->last_sync >= SYNC_SECONDS) {
        o->last_sync = now;
        WT_TRY(wt_warc_writer_sync(o->warc, err));
        if (fsync(o->log_fd) != 0) return wt_fail_errno(err, "cannot sync %s", o->log_tmp);
        return fetch_journal_sync(&o->journal, err);
    }
    return fetch_journal_flush(&o->journal, err);
}

static void *writer_main(void *arg) {
    fetch_output *o = arg;
    wt_error err;
    pthread_mutex_lock(&o->mu);
    for (;;) {
        fetch_item *it = o->qhead;
        if (!it) {
            if (o->stop) break;
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_nsec += (long)(FLUSH_SECONDS * 1e9);
            if (ts.tv_nsec >= 1000000000L) ts.tv_sec++, ts.tv_nsec -= 1000000000L;
            pthread_cond_timedwait(&o->can_get, &o->mu, &ts);
            if (!o->qhead && !o->failed) { /* idle: write what is staged */
                pthread_mutex_unlock(&o->mu);
                int rc = output_flush(o, false, &err);
                pthread_mutex_lock(&o->mu);
                if (rc < 0) o->werr = err, o->failed = true;
            }
            continue;
        }
        o->qhead = it->next;
        if (!o->qhead) o->qtail = NULL;
        o->q_bytes -= it->bytes;
        pthread_cond_signal(&o->can_put);
        bool failed = o->failed;
        pthread_mutex_unlock(&o->mu);
        int rc = failed ? 0 : item_apply(o, it, &err);
        if (rc == 0 && !failed) rc = output_flush(o, false, &err);
        free(it);
        pthread_mutex_lock(&o->mu);
        if (rc < 0 && !o->failed) {
            o->werr = err;
            o->failed = true;
            pthread_cond_broadcast(&o->can_put);
        }
    }
    pthread_mutex_unlock(&o->mu);
    return NULL;
}

int fetch_output_check(fetch_output *o, wt_error *err) {
    pthread_mutex_lock(&o->mu);
    bool failed = o->failed;
    if (failed) *err = o->werr;
    pthread_mutex_unlock(&o->mu);
    return failed ? -1 : 0;
}

int fetch_output_drain(fetch_output *o, wt_error *err) {
    if (o->started) {
        pthread_mutex_lock(&o->mu);
        o->stop = true;
        pthread_cond_signal(&o->can_get);
        pthread_mutex_unlock(&o->mu);
        pthread_join(o->thread, NULL);
        o->started = false;
    }
    if (o->failed) {
        *err = o->werr;
        return -1;
    }
    return output_flush(o, true, err);
}

static void sync_dir(const char *path) {
    char *copy = strdup(path);
    if (!copy) return;
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(copy);
    if (fd >= 0) fsync(fd), close(fd);
}

int fetch_output_finish(fetch_output *o, wt_error *err) {
    WT_TRY(fetch_output_drain(o, err));
    int rc = wt_warc_writer_close(o->warc, false, err);
    o->warc = NULL;
    WT_TRY(rc);
    if (fsync(o->log_fd) != 0) return wt_fail_errno(err, "cannot sync %s", o->log_tmp);
    close(o->log_fd);
    o->log_fd = -1;
    if (rename(o->log_tmp, o->log_path) != 0)
        return wt_fail_errno(err, "cannot rename %s", o->log_tmp);
    if (rename(o->warc_tmp, o->warc_path) != 0)
        return wt_fail_errno(err, "cannot rename %s", o->warc_tmp);
    sync_dir(o->warc_path);
    fetch_journal_close(&o->journal, true);
    fetch_output_close(o);
    return 0;
}

void fetch_output_close(fetch_output *o) {
    wt_error err;
    if (o->started) { /* an interrupted run: keep what the writer has */
        fetch_output_drain(o, &err);
    }
    if (o->mu_ready) {
        for (fetch_item *it = o->qhead, *next; it; it = next) next = it->next, free(it);
        o->qhead = o->qtail = NULL;
        pthread_mutex_destroy(&o->mu);
        pthread_cond_destroy(&o->can_put);
        pthread_cond_destroy(&o->can_get);
        o->mu_ready = false;
    }
    if (o->warc) {
        /* write what is staged, so that the journal keeps the finished URLs */
        if (wt_warc_writer_flush(o->warc, &err) == 0 && o->log_fd >= 0 && log_flush(o, &err) == 0 &&
            o->journal.fd >= 0)
            fetch_journal_flush(&o->journal, &err);
        wt_warc_writer_close(o->warc, true, &err);
        o->warc = NULL;
    }
    if (o->log_fd >= 0) close(o->log_fd);
    o->log_fd = -1;
    fetch_journal_close(&o->journal, false);
    free(o->warc_path), free(o->warc_tmp), free(o->log_path), free(o->log_tmp), free(o->log_buf);
    free(o->skip);
    o->skip = NULL;
    o->warc_path = o->warc_tmp = o->log_path = o->log_tmp = o->log_buf = NULL;
}
