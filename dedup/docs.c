/* Record iteration and parsing for dedup (see docs.h). */
#include "docs.h"

#include "url.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

static bool line_blank(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') return false;
    return true;
}

int dedup_next_record(wt_reader *r, char **line, size_t *len, wt_error *err) {
    for (;;) {
        int rc = wt_reader_getline(r, line, len, err);
        if (rc <= 0) return rc;
        if (!line_blank(*line, *len)) return 1;
    }
}

size_t dedup_url_host(const char *url, size_t len, char *buf, size_t cap) {
    const char *p = url, *end = url + len;
    const char *sep = memmem(url, len, "://", 3);
    if (sep)
        p = sep + 3;
    else if (len >= 2 && url[0] == '/' && url[1] == '/')
        p = url + 2;
    const char *h = p;
    while (p < end && *p != '/' && *p != '?' && *p != '#') p++;
    const char *hend = p;
    for (const char *q = h; q < hend; q++)
        if (*q == '@') h = q + 1;
    if (h < hend && *h == '[') { /* IPv6 literal: keep as is */
        const char *rb = memchr(h, ']', (size_t)(hend - h));
        if (rb) hend = rb + 1;
    } else {
        const char *colon = memchr(h, ':', (size_t)(hend - h));
        if (colon) hend = colon;
    }
    while (hend > h && hend[-1] == '.') hend--;
    size_t n = (size_t)(hend - h);
    if (n >= cap) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = h[i];
        buf[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    buf[n] = '\0';
    return n;
}

int dedup_domain_status(const dedup_params *p, const char *host, size_t len) {
    for (size_t i = 0; i < p->ndrop; i++) {
        const char *d = p->drop_domains[i];
        size_t dl = strlen(d);
        if (len < dl || memcmp(host + len - dl, d, dl) != 0) continue;
        if (len == dl || host[len - dl - 1] == '.')
            return strcmp(d, "wikipedia.org") == 0 ? DEDUP_WIKIPEDIA : DEDUP_DOMAIN;
    }
    return DEDUP_KEEP;
}

static bool parse_hex64(const char *s, size_t n, uint64_t *out) {
    if (n == 0 || n > 16) return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0) return false;
        v = v << 4 | (uint64_t)d;
    }
    *out = v;
    return true;
}

static void doc_bad(dedup_doc *d, const char *why) {
    d->status = DEDUP_BAD;
    if (why != d->why) snprintf(d->why, sizeof d->why, "%s", why);
    d->url = d->text = NULL;
}

/* A number, or a string holding one (schema drift); NaN otherwise. */
static double field_number(const wt_jscan_field *f) {
    if (f->type != WT_JSCAN_NUMBER && f->type != WT_JSCAN_STRING) return NAN;
    char tmp[64];
    if (f->len == 0 || f->len >= sizeof tmp) return NAN;
    memcpy(tmp, f->str, f->len);
    tmp[f->len] = '\0';
    char *end;
    double v = strtod(tmp, &end);
    return *end == '\0' ? v : NAN;
}

void dedup_doc_parse(dedup_doc *d, const char *line, size_t len, bool truncated,
                     const dedup_params *p) {
    *d = (dedup_doc){.status = DEDUP_KEEP, .score = -INFINITY};
    d->line_hash = XXH3_64bits(line, len);
    if (truncated) return doc_bad(d, "line longer than the reader's maximum");
    enum { F_ID, F_URL, F_TEXT, F_SCORE, F_DOMAIN, F_N };
    wt_jscan_field f[F_N] = {
        {.key = "id"}, {.key = "url"}, {.key = "text"}, {.key = "score"}, {.key = "domain"}};
    wt_error err;
    if (wt_jscan_object(line, len, f, F_N, &d->buf, &err) < 0) {
        snprintf(d->why, sizeof d->why, "%.*s", (int)sizeof d->why - 1, err.msg);
        return doc_bad(d, d->why);
    }
    if (f[F_ID].type != WT_JSCAN_STRING || f[F_ID].len == 0)
        return doc_bad(d, "missing string field \"id\"");
    if (f[F_URL].type != WT_JSCAN_STRING) return doc_bad(d, "missing string field \"url\"");
    if (f[F_TEXT].type != WT_JSCAN_STRING) return doc_bad(d, "missing string field \"text\"");
    if (!parse_hex64(f[F_ID].str, f[F_ID].len, &d->id))
        d->id = XXH3_64bits(f[F_ID].str, f[F_ID].len);
    d->url = f[F_URL].str;
    d->url_len = f[F_URL].len;
    d->text = f[F_TEXT].str;
    d->text_len = f[F_TEXT].len;
    double score = field_number(&f[F_SCORE]);
    d->score = isfinite(score) ? score : -INFINITY;
    char host[1024], norm[WT_URL_MAX + 1];
    size_t hn = 0;
    /* URL key: XXH3-64 of the normalised URL (what the id is meant to be); the id
     * itself when the URL does not normalise */
    d->url_key = d->id;
    if (wt_url_normalize(d->url, d->url_len, norm) == WT_URL_OK) {
        d->url_key = XXH3_64bits(norm, strlen(norm));
        int n = wt_url_host(norm, host, sizeof host);
        hn = n > 0 ? (size_t)n : 0;
    }
    if (hn == 0) hn = dedup_url_host(d->url, d->url_len, host, sizeof host);
    if (hn == 0 && f[F_DOMAIN].type == WT_JSCAN_STRING) /* no host in the URL: the domain field */
        hn = dedup_url_host(f[F_DOMAIN].str, f[F_DOMAIN].len, host, sizeof host);
    if (hn) d->status = dedup_domain_status(p, host, hn);
}

void dedup_doc_clear(dedup_doc *d) {
    wt_jscan_buf_free(&d->buf);
    d->url = d->text = NULL;
}
