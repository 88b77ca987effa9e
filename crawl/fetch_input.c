/* Streaming reader of URL files for `crawl fetch` (see fetch_input.h). Only
 * the window of jobs the engine asks for is ever in memory. */
#include "crawl/fetch_input.h"

#include <stdlib.h>
#include <string.h>

#include "jsonl.h"

int fetch_input_open(fetch_input *in, const char *path, const fetch_output *out, bool strict,
                     wt_error *err) {
    memset(in, 0, sizeof *in);
    in->bad = (wt_badrec){.stage = "crawl fetch", .strict = strict};
    in->out = out;
    in->r = wt_reader_open(path, err);
    return in->r ? 0 : -1;
}

static fetch_job *job_new(uint64_t index, const char *url, size_t n, char *meta) {
    fetch_job *job = calloc(1, sizeof *job);
    if (!job || !(job->url = strndup(url, n))) {
        free(job);
        free(meta);
        return NULL;
    }
    job->cur = job->url;
    job->index = index;
    job->meta = meta;
    return job;
}

/* A job from a JSON object line; NULL with *bad set for a line without a URL. */
static fetch_job *job_from_json(uint64_t index, const char *line, size_t len, char *why,
                                size_t why_n, wt_error *err) {
    wt_error perr;
    json_t *obj = wt_json_parse(line, len, &perr);
    if (!obj) {
        snprintf(why, why_n, "%s", perr.msg);
        return NULL;
    }
    size_t un = 0;
    const char *url = wt_json_strn(obj, "url", &un);
    fetch_job *job = NULL;
    if (!url || un == 0 || memchr(url, '\0', un)) {
        snprintf(why, why_n, "no \"url\" string");
    } else {
        char *meta = json_dumps(obj, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER);
        job = meta ? job_new(index, url, un, meta) : NULL;
        if (!job) wt_fail(err, "out of memory");
        if (job) job->created = wt_json_int(obj, "created_utc", 0);
    }
    json_decref(obj);
    return job;
}

/* True when s[0..n) is UTF-8 text without NUL or other C0 controls. */
static bool url_text_ok(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) return false;
    json_t *probe = json_stringn(s, n); /* jansson validates UTF-8 */
    json_decref(probe);
    return probe != NULL;
}

/* A job from a plain-text line: the URL is its first word. NULL with *why set
 * for a URL that is not UTF-8 text (a record error, not a fatal one). */
static fetch_job *job_from_text(uint64_t index, const char *line, size_t len, char *why,
                                size_t why_n, wt_error *err) {
    size_t a = 0, b;
    while (a < len && (line[a] == ' ' || line[a] == '\t')) a++;
    for (b = a; b < len && line[b] != ' ' && line[b] != '\t' && line[b] != '\r'; b++) {
    }
    if (!url_text_ok(line + a, b - a)) {
        snprintf(why, why_n, "URL is not UTF-8 text (invalid bytes or control characters)");
        return NULL;
    }
    json_t *obj = json_pack("{s:s%}", "url", line + a, b - a);
    char *meta = obj ? json_dumps(obj, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(obj);
    fetch_job *job = meta ? job_new(index, line + a, b - a, meta) : NULL;
    if (!job) wt_fail(err, "out of memory");
    return job;
}

static bool blank(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') return false;
    return true;
}

int fetch_input_next(void *ctx, fetch_job **job, wt_error *err) {
    fetch_input *in = ctx;
    for (;;) {
        char *line;
        size_t len;
        int rc = wt_reader_getline(in->r, &line, &len, err);
        if (rc <= 0) return rc;
        in->lines++;
        uint64_t no = wt_reader_line_no(in->r);
        if (blank(line, len)) continue;
        if (fetch_output_is_done(in->out, no)) {
            in->skipped++;
            continue;
        }
        const char *path = wt_reader_path(in->r);
        if (wt_reader_line_truncated(in->r)) {
            WT_TRY(wt_bad_record(&in->bad, err, path, no, "line longer than the limit"));
            continue;
        }
        size_t k = 0;
        while (k < len && (line[k] == ' ' || line[k] == '\t')) k++;
        char why[1100] = "";
        *job = line[k] == '{' ? job_from_json(no, line, len, why, sizeof why, err)
                              : job_from_text(no, line, len, why, sizeof why, err);
        if (*job) return 1;
        if (!*why) return -1; /* out of memory */
        WT_TRY(wt_bad_record(&in->bad, err, path, no, "%s", why));
    }
}

void fetch_input_close(fetch_input *in) {
    wt_reader_close(in->r);
    in->r = NULL;
}
