/* JSON record scanner (see jscan.h): a recursive-descent validator with a
 * depth bound; string decoding only for the requested top-level fields. */
#include "jscan.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 512

typedef struct scan {
    const unsigned char *p, *start, *end;
    jscan_buf *buf;
    char *why;
    size_t whylen;
} scan;

static int fail(scan *s, const char *what) {
    snprintf(s->why, s->whylen, "line is not valid JSON: %s at column %zu", what,
             (size_t)(s->p - s->start) + 1);
    return -1;
}

static void skip_ws(scan *s) {
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
        s->p++;
}

static int buf_put(jscan_buf *b, const void *data, size_t n) {
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n) cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d) return -1;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, n);
    b->len += n;
    return 0;
}

/* Length of the valid UTF-8 sequence at p (non-ASCII lead byte), 0 if invalid. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end) {
    unsigned c = p[0];
    size_t n;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, cp = c & 0x07;
    else
        return 0;
    if ((size_t)(end - p) < n) return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        cp = cp << 6 | (p[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

static int hex4(const unsigned char *p, uint32_t *out) {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned c = p[i];
        int d = c >= '0' && c <= '9'   ? (int)c - '0'
                : c >= 'a' && c <= 'f' ? (int)c - 'a' + 10
                : c >= 'A' && c <= 'F' ? (int)c - 'A' + 10
                                       : -1;
        if (d < 0) return -1;
        v = v << 4 | (uint32_t)d;
    }
    *out = v;
    return 0;
}

static void put_utf8(jscan_buf *b, uint32_t cp, int *oom) {
    unsigned char u[4];
    size_t n;
    if (cp < 0x80)
        u[0] = (unsigned char)cp, n = 1;
    else if (cp < 0x800)
        u[0] = (unsigned char)(0xC0 | cp >> 6), u[1] = (unsigned char)(0x80 | (cp & 0x3F)), n = 2;
    else if (cp < 0x10000)
        u[0] = (unsigned char)(0xE0 | cp >> 12), u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F)),
        u[2] = (unsigned char)(0x80 | (cp & 0x3F)), n = 3;
    else
        u[0] = (unsigned char)(0xF0 | cp >> 18), u[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F)),
        u[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F)), u[3] = (unsigned char)(0x80 | (cp & 0x3F)),
        n = 4;
    if (buf_put(b, u, n) < 0) *oom = 1;
}

/* A string at s->p (on the opening quote). With str, decodes it: the bytes
 * are the line's when it has no escapes (*boff = SIZE_MAX), else s->buf's from
 * *boff on. */
static int scan_string(scan *s, const char **str, size_t *len, size_t *boff) {
    s->p++;
    const unsigned char *begin = s->p;
    bool escaped = false;
    int oom = 0;
    size_t off = s->buf ? s->buf->len : 0;
    const unsigned char *run = begin; /* start of the unescaped run not yet copied */
    while (s->p < s->end) {
        unsigned c = *s->p;
        if (c == '"') break;
        if (c < 0x20) return fail(s, "control character in a string");
        if (c >= 0x80) {
            size_t n = utf8_len(s->p, s->end);
            if (!n) return fail(s, "invalid UTF-8 in a string");
            s->p += n;
            continue;
        }
        if (c != '\\') {
            s->p++;
            continue;
        }
        escaped = true;
        if (str && s->p > run && buf_put(s->buf, run, (size_t)(s->p - run)) < 0) oom = 1;
        if (s->end - s->p < 2) return fail(s, "unterminated string");
        unsigned e = s->p[1];
        s->p += 2;
        uint32_t cp;
        char ch = 0;
        switch (e) {
        case '"':
            ch = '"';
            break;
        case '\\':
            ch = '\\';
            break;
        case '/':
            ch = '/';
            break;
        case 'b':
            ch = '\b';
            break;
        case 'f':
            ch = '\f';
            break;
        case 'n':
            ch = '\n';
            break;
        case 'r':
            ch = '\r';
            break;
        case 't':
            ch = '\t';
            break;
        case 'u':
            if (s->end - s->p < 4 || hex4(s->p, &cp) < 0) return fail(s, "invalid \\u escape");
            s->p += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                uint32_t lo;
                if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u' ||
                    hex4(s->p + 2, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF)
                    return fail(s, "invalid surrogate pair");
                s->p += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                return fail(s, "invalid surrogate pair");
            }
            if (str) put_utf8(s->buf, cp, &oom);
            run = s->p;
            continue;
        default:
            return fail(s, "invalid escape");
        }
        if (str && buf_put(s->buf, &ch, 1) < 0) oom = 1;
        run = s->p;
    }
    if (s->p >= s->end) return fail(s, "unterminated string");
    if (str) {
        if (!escaped) {
            *str = (const char *)begin;
            *len = (size_t)(s->p - begin);
            *boff = SIZE_MAX;
        } else {
            if (buf_put(s->buf, run, (size_t)(s->p - run)) < 0) oom = 1;
            *boff = off;
            *len = s->buf->len - off;
        }
    }
    s->p++;
    if (oom) {
        snprintf(s->why, s->whylen, "out of memory");
        return -1;
    }
    return 0;
}

static int scan_number(scan *s) {
    const unsigned char *p = s->p;
    if (p < s->end && *p == '-') p++;
    if (p >= s->end) return fail(s, "invalid number");
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        while (p < s->end && *p >= '0' && *p <= '9') p++;
    else
        return fail(s, "invalid number");
    if (p < s->end && *p == '.') {
        p++;
        if (p >= s->end || *p < '0' || *p > '9') return fail(s, "invalid number");
        while (p < s->end && *p >= '0' && *p <= '9') p++;
    }
    if (p < s->end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < s->end && (*p == '+' || *p == '-')) p++;
        if (p >= s->end || *p < '0' || *p > '9') return fail(s, "invalid number");
        while (p < s->end && *p >= '0' && *p <= '9') p++;
    }
    s->p = p;
    return 0;
}

static int scan_value(scan *s, int depth);

static int scan_container(scan *s, int depth, bool object) {
    if (depth > MAX_DEPTH) return fail(s, "nesting too deep");
    char close = object ? '}' : ']';
    s->p++;
    skip_ws(s);
    if (s->p < s->end && *s->p == close) {
        s->p++;
        return 0;
    }
    for (;;) {
        if (object) {
            if (s->p >= s->end || *s->p != '"') return fail(s, "object key expected");
            if (scan_string(s, NULL, NULL, NULL) < 0) return -1;
            skip_ws(s);
            if (s->p >= s->end || *s->p != ':') return fail(s, "':' expected");
            s->p++;
            skip_ws(s);
        }
        if (scan_value(s, depth + 1) < 0) return -1;
        skip_ws(s);
        if (s->p < s->end && *s->p == ',') {
            s->p++;
            skip_ws(s);
            continue;
        }
        if (s->p < s->end && *s->p == close) {
            s->p++;
            return 0;
        }
        return fail(s, object ? "',' or '}' expected" : "',' or ']' expected");
    }
}

static int scan_literal(scan *s, const char *lit) {
    size_t n = strlen(lit);
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, lit, n) != 0) return fail(s, "invalid value");
    s->p += n;
    return 0;
}

static int scan_value(scan *s, int depth) {
    if (s->p >= s->end) return fail(s, "value expected");
    switch (*s->p) {
    case '{':
        return scan_container(s, depth, true);
    case '[':
        return scan_container(s, depth, false);
    case '"':
        return scan_string(s, NULL, NULL, NULL);
    case 't':
        return scan_literal(s, "true");
    case 'f':
        return scan_literal(s, "false");
    case 'n':
        return scan_literal(s, "null");
    default:
        return scan_number(s);
    }
}

int jscan_object(const char *line, size_t len, jscan_field *fields, size_t nfields, jscan_buf *buf,
                 char *why, size_t whylen) {
    scan s = {.p = (const unsigned char *)line,
              .start = (const unsigned char *)line,
              .end = (const unsigned char *)line + len,
              .buf = buf,
              .why = why,
              .whylen = whylen};
    size_t *boff = calloc(nfields ? nfields : 1, sizeof *boff);
    if (!boff) return snprintf(why, whylen, "out of memory"), -1;
    buf->len = 0;
    for (size_t i = 0; i < nfields; i++) fields[i].type = JSCAN_NONE, boff[i] = SIZE_MAX;
    int rc = -1;
    skip_ws(&s);
    if (s.p >= s.end || *s.p != '{') {
        if (s.p < s.end &&
            (*s.p == '[' || *s.p == '"' || *s.p == '-' || (*s.p >= '0' && *s.p <= '9') ||
             *s.p == 't' || *s.p == 'f' || *s.p == 'n'))
            snprintf(why, whylen, "line is not a JSON object");
        else
            fail(&s, "'{' expected");
        goto out;
    }
    s.p++;
    skip_ws(&s);
    bool first = true;
    for (;;) {
        if (first && s.p < s.end && *s.p == '}') {
            s.p++;
            break;
        }
        first = false;
        if (s.p >= s.end || *s.p != '"') {
            fail(&s, "object key expected");
            goto out;
        }
        const char *key;
        size_t klen, koff;
        if (scan_string(&s, &key, &klen, &koff) < 0) goto out;
        if (koff != SIZE_MAX) key = buf->data + koff; /* escaped key: compared decoded */
        jscan_field *f = NULL;
        size_t fi = 0;
        for (; fi < nfields; fi++)
            if (strlen(fields[fi].key) == klen && memcmp(fields[fi].key, key, klen) == 0) {
                f = &fields[fi];
                break;
            }
        if (koff != SIZE_MAX) buf->len = koff; /* the key's bytes are no longer needed */
        skip_ws(&s);
        if (s.p >= s.end || *s.p != ':') {
            fail(&s, "':' expected");
            goto out;
        }
        s.p++;
        skip_ws(&s);
        if (f && s.p < s.end && *s.p == '"') {
            f->type = JSCAN_STRING;
            if (scan_string(&s, &f->str, &f->len, &boff[fi]) < 0) goto out;
        } else {
            const unsigned char *v = s.p;
            if (scan_value(&s, 1) < 0) goto out;
            if (f) {
                bool num = *v == '-' || (*v >= '0' && *v <= '9');
                f->type = num ? JSCAN_NUMBER : JSCAN_OTHER;
                f->str = (const char *)v;
                f->len = (size_t)(s.p - v);
                boff[fi] = SIZE_MAX;
            }
        }
        skip_ws(&s);
        if (s.p < s.end && *s.p == ',') {
            s.p++;
            skip_ws(&s);
            continue;
        }
        if (s.p < s.end && *s.p == '}') {
            s.p++;
            break;
        }
        fail(&s, "',' or '}' expected");
        goto out;
    }
    skip_ws(&s);
    if (s.p != s.end) {
        fail(&s, "trailing bytes");
        goto out;
    }
    /* decoded strings: pointers into buf are fixed only now that it has stopped growing */
    for (size_t i = 0; i < nfields; i++)
        if (fields[i].type == JSCAN_STRING && boff[i] != SIZE_MAX)
            fields[i].str = buf->data + boff[i];
    rc = 0;
out:
    free(boff);
    return rc;
}

void jscan_buf_free(jscan_buf *b) {
    free(b->data);
    *b = (jscan_buf){0};
}
