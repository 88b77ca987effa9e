/* Index answers of the web archives (see archive.h): Common Crawl's CDX JSON
 * lines, the Wayback CDX API's rows, and the choice of a capture. */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "crawl/archive.h"

void arc_captures_clear(arc_captures *c) {
    for (size_t i = 0; i < c->n; i++) {
        free(c->v[i].url), free(c->v[i].mime), free(c->v[i].filename), free(c->v[i].redirect);
    }
    c->n = 0;
}

void arc_captures_free(arc_captures *c) {
    arc_captures_clear(c);
    free(c->v);
    *c = (arc_captures){0};
}

int64_t arc_ts_time(const char *ts) {
    char d[15] = "00000101000000"; /* year 0, January 1st: padding for short stamps */
    size_t n = strlen(ts);
    if (n < 4 || n > 14) return -1;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)ts[i])) return -1;
    memcpy(d, ts, n);
    static const int pos[6] = {0, 4, 6, 8, 10, 12}, width[6] = {4, 2, 2, 2, 2, 2};
    int v[6];
    for (int i = 0; i < 6; i++) {
        v[i] = 0;
        for (int k = 0; k < width[i]; k++) v[i] = v[i] * 10 + (d[pos[i] + k] - '0');
    }
    struct tm tm = {0};
    tm.tm_year = v[0] - 1900, tm.tm_mon = v[1] - 1, tm.tm_mday = v[2];
    tm.tm_hour = v[3], tm.tm_min = v[4], tm.tm_sec = v[5];
    return (int64_t)timegm(&tm);
}

void arc_time_ts(int64_t t, char out[16]) {
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 16, "%Y%m%d%H%M%S", &tm);
}

static arc_capture *cap_push(arc_captures *c) {
    if (c->n == c->cap) {
        size_t k = c->cap ? c->cap * 2 : 8;
        arc_capture *v = realloc(c->v, k * sizeof *v);
        if (!v) return NULL;
        c->v = v, c->cap = k;
    }
    arc_capture *x = &c->v[c->n++];
    memset(x, 0, sizeof *x);
    return x;
}

/* A JSON value that is a string or number, as text. */
static const char *jtext(json_t *o, const char *key, char *buf, size_t n) {
    json_t *v = json_object_get(o, key);
    if (json_is_string(v)) return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(buf, n, "%lld", (long long)json_integer_value(v));
        return buf;
    }
    return NULL;
}

static int cap_fill(arc_capture *x, const char *ts, const char *url, const char *status,
                    const char *mime) {
    snprintf(x->ts, sizeof x->ts, "%s", ts);
    x->time = arc_ts_time(x->ts);
    x->status = status && isdigit((unsigned char)status[0]) ? atoi(status) : 0;
    x->url = strdup(url);
    x->mime = strdup(mime ? mime : "");
    return x->url && x->mime && x->time >= 0 ? 0 : -1;
}

int arc_parse_cc(const char *text, size_t n, const char *crawl, arc_captures *out, size_t *bad,
                 wt_error *err) {
    for (size_t i = 0; i < n;) {
        const char *nl = memchr(text + i, '\n', n - i);
        size_t len = nl ? (size_t)(nl - (text + i)) : n - i;
        const char *line = text + i;
        i += len + 1;
        while (len && (line[len - 1] == '\r' || line[len - 1] == ' ')) len--;
        if (!len) continue;
        /* a zipnum/CDXJ line is "KEY TIMESTAMP {json}": take the object */
        const char *brace = memchr(line, '{', len);
        if (!brace) {
            (*bad)++;
            continue;
        }
        json_t *o = json_loadb(brace, len - (size_t)(brace - line), 0, NULL);
        char b1[32], b2[32], b3[32], b4[32];
        const char *ts = o ? jtext(o, "timestamp", b1, sizeof b1) : NULL;
        const char *url = o ? jtext(o, "url", b2, sizeof b2) : NULL;
        if (!json_is_object(o) || !ts || !url) {
            json_decref(o);
            (*bad)++;
            continue;
        }
        arc_capture *x = cap_push(out);
        if (!x) {
            json_decref(o);
            return wt_fail(err, "out of memory");
        }
        const char *off = jtext(o, "offset", b3, sizeof b3),
                   *lenv = jtext(o, "length", b4, sizeof b4);
        const char *fn = json_string_value(json_object_get(o, "filename"));
        const char *cr = json_string_value(json_object_get(o, "crawl"));
        char sb[16];
        const char *st = jtext(o, "status", sb, sizeof sb);
        int rc = cap_fill(x, ts, url, st, json_string_value(json_object_get(o, "mime")));
        if (rc == 0 && fn && off && lenv) {
            x->filename = strdup(fn);
            x->offset = strtoull(off, NULL, 10);
            x->length = strtoull(lenv, NULL, 10);
            if (!x->filename) rc = -1;
        }
        snprintf(x->crawl, sizeof x->crawl, "%s", cr ? cr : crawl ? crawl : "");
        const char *rd = json_string_value(json_object_get(o, "redirect"));
        if (rc == 0 && rd && *rd && !(x->redirect = strdup(rd))) rc = -1;
        json_decref(o);
        if (rc < 0) { /* a bad timestamp (or out of memory): drop it */
            free(x->url), free(x->mime), free(x->filename), free(x->redirect);
            out->n--;
            (*bad)++;
        }
    }
    return 0;
}

int arc_parse_wayback(const char *text, size_t n, arc_captures *out, wt_error *err) {
    json_error_t je;
    json_t *a = json_loadb(text, n, 0, &je);
    if (!a) {
        /* an empty answer is an empty list */
        size_t k = 0;
        while (k < n && isspace((unsigned char)text[k])) k++;
        if (k == n) return 0;
        return wt_fail(err, "Wayback CDX answer is not JSON: %s", je.text);
    }
    if (!json_is_array(a)) {
        json_decref(a);
        return wt_fail(err, "Wayback CDX answer is not a JSON array");
    }
    int its = -1, iurl = -1, ist = -1, imime = -1;
    json_t *hdr = json_array_get(a, 0);
    for (size_t k = 0; json_is_array(hdr) && k < json_array_size(hdr); k++) {
        const char *f = json_string_value(json_array_get(hdr, k));
        if (!f) continue;
        if (!strcmp(f, "timestamp")) its = (int)k;
        if (!strcmp(f, "original")) iurl = (int)k;
        if (!strcmp(f, "statuscode")) ist = (int)k;
        if (!strcmp(f, "mimetype")) imime = (int)k;
    }
    if (json_array_size(a) > 0 && (its < 0 || iurl < 0)) {
        json_decref(a);
        return wt_fail(err, "Wayback CDX answer: the first row names no timestamp/original");
    }
    for (size_t r = 1; r < json_array_size(a); r++) {
        json_t *row = json_array_get(a, r);
        const char *ts = json_string_value(json_array_get(row, (size_t)its));
        const char *url = json_string_value(json_array_get(row, (size_t)iurl));
        if (!ts || !url) continue;
        const char *st = ist >= 0 ? json_string_value(json_array_get(row, (size_t)ist)) : NULL;
        const char *mime =
            imime >= 0 ? json_string_value(json_array_get(row, (size_t)imime)) : NULL;
        arc_capture *x = cap_push(out);
        if (!x) {
            json_decref(a);
            return wt_fail(err, "out of memory");
        }
        if (cap_fill(x, ts, url, st, mime) < 0) {
            free(x->url), free(x->mime);
            out->n--;
        }
    }
    json_decref(a);
    return 0;
}

static bool text_type(const char *mime) {
    if (!mime || !*mime || !strcmp(mime, "unk") || !strcmp(mime, "-")) return true;
    size_t n = strcspn(mime, "; ");
    return (n == 9 && !strncasecmp(mime, "text/html", 9)) ||
           (n == 10 && !strncasecmp(mime, "text/plain", 10)) ||
           (n == 21 && !strncasecmp(mime, "application/xhtml+xml", 21));
}

long arc_choose(const arc_captures *c, int64_t created, bool *redirect) {
    long best = -1, best3 = -1;
    int64_t bd = 0, bd3 = 0;
    *redirect = false;
    for (size_t i = 0; i < c->n; i++) {
        const arc_capture *x = &c->v[i];
        int64_t d =
            created > 0 ? (x->time > created ? x->time - created : created - x->time) : x->time;
        if (x->status == 200 && text_type(x->mime)) {
            if (best < 0 || d < bd || (d == bd && x->time < c->v[best].time))
                best = (long)i, bd = d;
        } else if (x->status >= 300 && x->status < 400) {
            if (best3 < 0 || d < bd3 || (d == bd3 && x->time < c->v[best3].time))
                best3 = (long)i, bd3 = d;
        }
    }
    if (best >= 0) return best;
    *redirect = best3 >= 0;
    return best3;
}

void arc_summary(const arc_captures *c, char *out, size_t n) {
    /* groups of (status, mime), at most 6 listed */
    int st[6];
    const char *mi[6];
    size_t cnt[6], ng = 0, more = 0;
    for (size_t i = 0; i < c->n; i++) {
        const arc_capture *x = &c->v[i];
        size_t g = 0;
        while (g < ng && !(st[g] == x->status && !strcmp(mi[g], x->mime))) g++;
        if (g == ng) {
            if (ng == 6) {
                more++;
                continue;
            }
            st[ng] = x->status, mi[ng] = x->mime, cnt[ng] = 0, ng++;
        }
        cnt[g]++;
    }
    int k = snprintf(out, n, "%zu capture%s", c->n, c->n == 1 ? "" : "s");
    for (size_t g = 0; g < ng && k >= 0 && (size_t)k < n; g++)
        k += snprintf(out + k, n - (size_t)k, "%s %d %s x%zu", g ? "," : ":", st[g],
                      *mi[g] ? mi[g] : "-", cnt[g]);
    if (more && k >= 0 && (size_t)k < n) snprintf(out + k, n - (size_t)k, ", %zu more", more);
}
