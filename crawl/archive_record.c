/* What the archives send back (see archive.h): a Common Crawl byte range
 * checked before anything of it is stored, and a Wayback raw capture's
 * original header block restored. */
#include <ctype.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "crawl/archive.h"

bool arc_header(const char *head, size_t n, const char *name, char *out, size_t out_n) {
    size_t k = strlen(name);
    for (size_t i = 0; i < n;) {
        const char *line = head + i;
        const char *nl = memchr(line, '\n', n - i);
        size_t len = nl ? (size_t)(nl - line) : n - i;
        i += len + 1;
        if (len > k && line[k] == ':' && !strncasecmp(line, name, k)) {
            const char *v = line + k + 1;
            size_t vn = len - k - 1;
            while (vn && (*v == ' ' || *v == '\t')) v++, vn--;
            while (vn && (v[vn - 1] == '\r' || v[vn - 1] == ' ')) vn--;
            if (vn >= out_n) vn = out_n - 1;
            memcpy(out, v, vn);
            out[vn] = '\0';
            return true;
        }
    }
    return false;
}

char *arc_resolve(const char *base, const char *location) {
    CURLU *u = curl_url();
    char *s = NULL, *r = NULL;
    if (u && curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_URL, location, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK)
        r = strdup(s);
    curl_free(s);
    curl_url_cleanup(u);
    return r;
}

#define WHY(...) snprintf(why, why_n, __VA_ARGS__)

int arc_check_cc_record(const void *data, size_t n, const char *want_uri, size_t max_out,
                        arc_record *rec, char *why, size_t why_n) {
    memset(rec, 0, sizeof *rec);
    const unsigned char *p = data;
    if (n < 18 || p[0] != 0x1f || p[1] != 0x8b) return WHY("not a gzip member"), -1;
    z_stream z = {0};
    if (inflateInit2(&z, 16 + 15) != Z_OK) return WHY("zlib init failed"), -1;
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    int zrc = Z_OK;
    z.next_in = (unsigned char *)p;
    z.avail_in = (uInt)n;
    while (out && zrc == Z_OK) {
        if (cap - len < 4096) {
            if (cap >= max_out) break;
            char *q = realloc(out, cap * 2);
            if (!q) break;
            out = q, cap *= 2;
        }
        z.next_out = (unsigned char *)out + len;
        z.avail_out = (uInt)(cap - len - 1);
        zrc = inflate(&z, Z_NO_FLUSH);
        len = cap - 1 - z.avail_out;
        if (zrc == Z_BUF_ERROR && z.avail_in == 0) break;
        if (zrc == Z_BUF_ERROR) zrc = Z_OK;
    }
    size_t left = z.avail_in;
    inflateEnd(&z);
    int rc = -1;
    if (!out) {
        WHY("out of memory");
    } else if (zrc != Z_STREAM_END) {
        WHY(zrc == Z_OK || zrc == Z_BUF_ERROR ? "gzip member cut short (or over %zu bytes)"
                                              : "gzip data corrupt",
            max_out);
    } else if (left) {
        WHY("%zu bytes after the first gzip member", left);
    } else {
        out[len] = '\0';
        /* the WARC header */
        const char *end = strstr(out, "\r\n\r\n");
        char v[4096];
        if (len < 8 || strncmp(out, "WARC/1.", 7) || !end) {
            WHY("not a WARC record");
        } else {
            size_t hn = (size_t)(end - out) + 2, body_at = hn + 2;
            long long cl = -1;
            if (arc_header(out, hn, "Content-Length", v, sizeof v) && isdigit((unsigned char)v[0]))
                cl = strtoll(v, NULL, 10);
            if (!arc_header(out, hn, "WARC-Type", v, sizeof v) || strcmp(v, "response")) {
                WHY("WARC-Type is not response");
            } else if (cl < 0 || (size_t)cl + body_at + 4 != len ||
                       memcmp(out + len - 4, "\r\n\r\n", 4)) {
                WHY("not exactly one WARC record (Content-Length %lld, %zu bytes)", cl, len);
            } else if (!arc_header(out, hn, "WARC-Target-URI", v, sizeof v) ||
                       strcmp(v, want_uri)) {
                WHY("WARC-Target-URI is %.200s, not the URL asked for", v);
            } else {
                arc_header(out, hn, "WARC-Record-ID", rec->id, sizeof rec->id);
                arc_header(out, hn, "WARC-Date", rec->date, sizeof rec->date);
                const char *http = out + body_at;
                size_t bn = (size_t)cl;
                const char *hend = memmem(http, bn, "\r\n\r\n", 4);
                size_t hlen = hend ? (size_t)(hend - http) + 2 : bn;
                if (bn > 12 && !strncmp(http, "HTTP/", 5)) {
                    const char *sp = memchr(http, ' ', hlen);
                    if (sp) rec->http_status = atoi(sp + 1);
                }
                if (arc_header(http, hlen, "Location", v, sizeof v)) rec->location = strdup(v);
                rc = 0;
            }
        }
    }
    free(out);
    return rc;
}

static bool starts_ci(const char *s, size_t n, const char *prefix) {
    size_t k = strlen(prefix);
    return n >= k && !strncasecmp(s, prefix, k);
}

static int add(char **b, size_t *len, size_t *cap, const char *s, size_t n) {
    if (*len + n + 1 > *cap) {
        size_t c = *cap ? *cap : 1024;
        while (c < *len + n + 1) c *= 2;
        char *q = realloc(*b, c);
        if (!q) return -1;
        *b = q, *cap = c;
    }
    memcpy(*b + *len, s, n);
    *len += n;
    (*b)[*len] = '\0';
    return 0;
}

char *arc_wayback_head(const char *head, size_t head_len, int status, size_t body_len,
                       size_t *out_len) {
    char *b = NULL, line[64];
    size_t len = 0, cap = 0;
    const char *reason = status == 200 ? "OK" : "";
    int k = snprintf(line, sizeof line, "HTTP/1.1 %d %s\r\n", status, reason);
    if (add(&b, &len, &cap, line, (size_t)k) < 0) return NULL;
    bool has_type = false;
    for (size_t i = 0; i < head_len;) {
        const char *l = head + i;
        const char *nl = memchr(l, '\n', head_len - i);
        size_t n = nl ? (size_t)(nl - l) + 1 : head_len - i;
        i += n;
        size_t m = n;
        while (m && (l[m - 1] == '\n' || l[m - 1] == '\r')) m--;
        if (!starts_ci(l, m, "X-Archive-Orig-")) continue;
        const char *h = l + 15;
        size_t hn = m - 15;
        if (starts_ci(h, hn, "content-encoding:") || starts_ci(h, hn, "transfer-encoding:") ||
            starts_ci(h, hn, "content-length:")) {
            if (add(&b, &len, &cap, "X-Crawler-", 10) < 0) goto oom;
        }
        if (starts_ci(h, hn, "content-type:")) has_type = true;
        if (add(&b, &len, &cap, h, hn) < 0 || add(&b, &len, &cap, "\r\n", 2) < 0) goto oom;
    }
    char v[512];
    if (!has_type && arc_header(head, head_len, "Content-Type", v, sizeof v)) {
        k = snprintf(line, sizeof line, "Content-Type: ");
        if (add(&b, &len, &cap, line, (size_t)k) < 0 || add(&b, &len, &cap, v, strlen(v)) < 0 ||
            add(&b, &len, &cap, "\r\n", 2) < 0)
            goto oom;
    }
    k = snprintf(line, sizeof line, "Content-Length: %zu\r\n\r\n", body_len);
    if (add(&b, &len, &cap, line, (size_t)k) < 0) goto oom;
    *out_len = len;
    return b;
oom:
    free(b);
    return NULL;
}
