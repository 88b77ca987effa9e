/* JSON record scanner (see jscan.h): a recursive-descent validator with
 * jansson's acceptance rules and depth bound; strings are decoded only for
 * the requested top-level fields, and only when they hold escapes. */
#include "jscan.h"

#include "utf8.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct scan {
    const unsigned char *p, *start, *end;
    wt_jscan_buf *buf;
    wt_error *err;
} scan;

static int fail(scan *s, const char *what) {
    return wt_fail(s->err, "line is not valid JSON: %s at column %zu", what,
                   (size_t)(s->p - s->start) + 1);
}

static void skip_ws(scan *s) {
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
        s->p++;
}

static int buf_put(wt_jscan_buf *b, const void *data, size_t n) {
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

static int put_utf8(wt_jscan_buf *b, uint32_t cp) {
    unsigned char u[4];
    return buf_put(b, u, wt_utf8_encode(cp, u));
}

/* The character a one-letter escape stands for, or -1. */
static int escape_char(unsigned e) {
    switch (e) {
    case '"':
    case '\\':
    case '/':
        return (int)e;
    case 'b':
        return '\b';
    case 'f':
        return '\f';
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    case 't':
        return '\t';
    default:
        return -1;
    }
}

/* A \u escape at s->p (on the 'u'), a surrogate pair taken whole: *cp. */
static int scan_unicode(scan *s, uint32_t *cp) {
    if (s->end - s->p < 5 || hex4(s->p + 1, cp) < 0) return fail(s, "invalid \\u escape");
    s->p += 5;
    if (*cp >= 0xDC00 && *cp <= 0xDFFF) return fail(s, "invalid surrogate pair");
    if (*cp >= 0xD800 && *cp <= 0xDBFF) {
        uint32_t lo;
        if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u' || hex4(s->p + 2, &lo) < 0 ||
            lo < 0xDC00 || lo > 0xDFFF)
            return fail(s, "invalid surrogate pair");
        s->p += 6;
        *cp = 0x10000 + ((*cp - 0xD800) << 10) + (lo - 0xDC00);
    }
    return 0;
}

/* Past the bytes that need no attention inside a string: printable ASCII
 * other than '"' and '\\'; eight at a time while none of them does. */
static const unsigned char *skip_plain(const unsigned char *p, const unsigned char *end) {
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    while (end - p >= 8) {
        uint64_t v, q, b;
        memcpy(&v, p, 8);
        q = v ^ (ones * '"');
        b = v ^ (ones * '\\');
        /* a byte < 0x20, == '"', == '\\' or >= 0x80 sets its high bit (exact
         * as a whole when no byte is >= 0x80, and those stop the loop anyway) */
        if ((((v - ones * 0x20) & ~v) | ((q - ones) & ~q) | ((b - ones) & ~b) | v) & highs) break;
        p += 8;
    }
    while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\') p++;
    return p;
}

/* What scan_string reports about a string (with `decode`). */
typedef struct span {
    const char *str; /* into the line when the string has no escapes */
    size_t len;
    size_t boff; /* SIZE_MAX, or the decoded bytes' offset in s->buf */
} span;

/* A string at s->p (on the opening quote). With `out`, decodes it; `key`
 * rejects \u0000, as jansson does in object keys. */
static int scan_string(scan *s, span *out, bool key) {
    s->p++;
    const unsigned char *begin = s->p;
    const unsigned char *run = begin; /* start of the unescaped run not yet copied */
    size_t off = s->buf->len;
    bool escaped = false, oom = false;
    for (;;) {
        s->p = skip_plain(s->p, s->end);
        if (s->p >= s->end) return fail(s, "unterminated string");
        unsigned c = *s->p;
        if (c == '"') break;
        if (c < 0x20) return fail(s, "control character in a string");
        if (c >= 0x80) {
            uint32_t cp;
            size_t bad, n = wt_utf8_decode(s->p, (size_t)(s->end - s->p), &cp, &bad);
            if (!n) return fail(s, "invalid UTF-8 in a string");
            s->p += n;
            continue;
        }
        /* a backslash */
        escaped = true;
        if (out && s->p > run && buf_put(s->buf, run, (size_t)(s->p - run)) < 0) oom = true;
        if (s->end - s->p < 2) return fail(s, "unterminated string");
        s->p++;
        if (*s->p == 'u') {
            uint32_t cp;
            if (scan_unicode(s, &cp) < 0) return -1;
            if (key && cp == 0) return fail(s, "NUL byte in an object key");
            if (out && put_utf8(s->buf, cp) < 0) oom = true;
        } else {
            int ch = escape_char(*s->p);
            if (ch < 0) return fail(s, "invalid escape");
            s->p++;
            char b = (char)ch;
            if (out && buf_put(s->buf, &b, 1) < 0) oom = true;
        }
        run = s->p;
    }
    if (out) {
        if (!escaped) {
            *out = (span){(const char *)begin, (size_t)(s->p - begin), SIZE_MAX};
        } else {
            if (buf_put(s->buf, run, (size_t)(s->p - run)) < 0) oom = true;
            *out = (span){NULL, s->buf->len - off, off};
        }
    }
    s->p++;
    if (oom) return wt_fail(s->err, "out of memory");
    return 0;
}

/* Whether the number text [p, p+n) fits jansson: an int64 integer, or a real
 * that does not overflow. Short numbers always do, so only long ones and
 * exponents are converted. */
static bool number_fits(const unsigned char *p, size_t n, bool real, bool exp) {
    size_t digits = n - (*p == '-');
    if (!real ? digits <= 18 : !exp && digits < 300) return true;
    char tmp[64], *num = n < sizeof tmp ? tmp : malloc(n + 1);
    if (!num) return false;
    memcpy(num, p, n);
    num[n] = '\0';
    errno = 0;
    bool ok;
    if (real) {
        double d = strtod(num, NULL);
        ok = !(errno == ERANGE && (d == HUGE_VAL || d == -HUGE_VAL));
    } else {
        (void)strtoll(num, NULL, 10);
        ok = errno != ERANGE;
    }
    if (num != tmp) free(num);
    return ok;
}

static bool is_digit(const scan *s, const unsigned char *p) {
    return p < s->end && *p >= '0' && *p <= '9';
}

/* A number at s->p; *real says whether it has a fraction or exponent. */
static int scan_number(scan *s, bool *real) {
    const unsigned char *p = s->p;
    bool frac = false, exp = false;
    if (p < s->end && *p == '-') p++;
    if (p < s->end && *p == '0')
        p++;
    else if (is_digit(s, p))
        while (is_digit(s, p)) p++;
    else
        return fail(s, "invalid number");
    if (p < s->end && *p == '.') {
        frac = true;
        if (!is_digit(s, ++p)) return fail(s, "invalid number");
        while (is_digit(s, p)) p++;
    }
    if (p < s->end && (*p == 'e' || *p == 'E')) {
        exp = true;
        p++;
        if (p < s->end && (*p == '+' || *p == '-')) p++;
        if (!is_digit(s, p)) return fail(s, "invalid number");
        while (is_digit(s, p)) p++;
    }
    if (!number_fits(s->p, (size_t)(p - s->p), frac || exp, exp))
        return fail(s, "number out of range");
    s->p = p;
    *real = frac || exp;
    return 0;
}

static int scan_literal(scan *s, const char *lit) {
    size_t n = strlen(lit);
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, lit, n) != 0) return fail(s, "invalid value");
    s->p += n;
    return 0;
}

static int scan_value(scan *s, int depth, wt_jscan_field *f);

/* An object or array at s->p that would sit at nesting `depth`. */
static int scan_container(scan *s, int depth, bool object) {
    if (depth > WT_JSCAN_MAX_DEPTH) return fail(s, "nesting too deep");
    unsigned char close = object ? '}' : ']';
    s->p++;
    skip_ws(s);
    if (s->p < s->end && *s->p == close) {
        s->p++;
        return 0;
    }
    for (;;) {
        if (object) {
            if (s->p >= s->end || *s->p != '"') return fail(s, "object key expected");
            if (scan_string(s, NULL, true) < 0) return -1;
            skip_ws(s);
            if (s->p >= s->end || *s->p != ':') return fail(s, "':' expected");
            s->p++;
            skip_ws(s);
        }
        if (scan_value(s, depth + 1, NULL) < 0) return -1;
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

/* A value at s->p (a container in it would sit at `depth`); with f, records
 * its type and text (a string's is set by the caller). */
static int scan_value(scan *s, int depth, wt_jscan_field *f) {
    if (s->p >= s->end) return fail(s, "value expected");
    const unsigned char *v = s->p;
    wt_jscan_type type;
    bool real = false;
    int rc;
    switch (*s->p) {
    case '{':
        type = WT_JSCAN_OBJECT, rc = scan_container(s, depth, true);
        break;
    case '[':
        type = WT_JSCAN_ARRAY, rc = scan_container(s, depth, false);
        break;
    case '"':
        type = WT_JSCAN_STRING, rc = scan_string(s, NULL, false);
        break;
    case 't':
        type = WT_JSCAN_TRUE, rc = scan_literal(s, "true");
        break;
    case 'f':
        type = WT_JSCAN_FALSE, rc = scan_literal(s, "false");
        break;
    case 'n':
        type = WT_JSCAN_NULL, rc = scan_literal(s, "null");
        break;
    default:
        type = WT_JSCAN_NUMBER, rc = scan_number(s, &real);
        break;
    }
    if (rc == 0 && f)
        *f = (wt_jscan_field){f->key, type, (const char *)v, (size_t)(s->p - v), real};
    return rc;
}

/* The requested field named by the decoded key [k, k+n), or NULL. */
static wt_jscan_field *find_field(wt_jscan_field *fields, size_t nfields, const char *k, size_t n) {
    for (size_t i = 0; i < nfields; i++)
        if (strncmp(fields[i].key, k, n) == 0 && fields[i].key[n] == '\0') return &fields[i];
    return NULL;
}

/* The members of the top-level object, s->p just past its '{'; boff[i]:
 * where field i's decoded string lies in buf (SIZE_MAX: not there). */
static int scan_members(scan *s, wt_jscan_field *fields, size_t nfields, size_t *boff) {
    skip_ws(s);
    if (s->p < s->end && *s->p == '}') {
        s->p++;
        return 0;
    }
    for (;;) {
        if (s->p >= s->end || *s->p != '"') return fail(s, "object key expected");
        span k;
        if (scan_string(s, &k, true) < 0) return -1;
        if (k.boff != SIZE_MAX) k.str = s->buf->data + k.boff; /* escaped key: compared decoded */
        wt_jscan_field *f = find_field(fields, nfields, k.str, k.len);
        if (k.boff != SIZE_MAX) s->buf->len = k.boff; /* the key's bytes are no longer needed */
        skip_ws(s);
        if (s->p >= s->end || *s->p != ':') return fail(s, "':' expected");
        s->p++;
        skip_ws(s);
        if (f && s->p < s->end && *s->p == '"') {
            span v;
            if (scan_string(s, &v, false) < 0) return -1;
            *f = (wt_jscan_field){f->key, WT_JSCAN_STRING, v.str, v.len, false};
            boff[f - fields] = v.boff;
        } else {
            if (scan_value(s, 2, f) < 0) return -1;
            if (f) boff[f - fields] = SIZE_MAX;
        }
        skip_ws(s);
        if (s->p < s->end && *s->p == ',') {
            s->p++;
            skip_ws(s);
            continue;
        }
        if (s->p < s->end && *s->p == '}') {
            s->p++;
            return 0;
        }
        return fail(s, "',' or '}' expected");
    }
}

int wt_jscan_object(const char *line, size_t len, wt_jscan_field *fields, size_t nfields,
                    wt_jscan_buf *buf, wt_error *err) {
    scan s = {.p = (const unsigned char *)line,
              .start = (const unsigned char *)line,
              .end = (const unsigned char *)line + len,
              .buf = buf,
              .err = err};
    size_t boff_small[32];
    size_t *boff = nfields <= 32 ? boff_small : malloc(nfields * sizeof *boff);
    if (!boff) return wt_fail(err, "out of memory");
    buf->len = 0;
    for (size_t i = 0; i < nfields; i++) {
        fields[i] = (wt_jscan_field){.key = fields[i].key};
        boff[i] = SIZE_MAX;
    }
    int rc = -1;
    skip_ws(&s);
    if (s.p >= s.end || *s.p != '{') {
        if (s.p < s.end &&
            (*s.p == '[' || *s.p == '"' || *s.p == '-' || (*s.p >= '0' && *s.p <= '9') ||
             *s.p == 't' || *s.p == 'f' || *s.p == 'n'))
            wt_fail(err, "line is not a JSON object");
        else
            fail(&s, "'{' expected");
        goto out;
    }
    s.p++;
    if (scan_members(&s, fields, nfields, boff) < 0) goto out;
    skip_ws(&s);
    if (s.p != s.end) {
        fail(&s, "trailing bytes");
        goto out;
    }
    /* decoded strings: pointers into buf are fixed only now that it has stopped growing */
    for (size_t i = 0; i < nfields; i++)
        if (fields[i].type == WT_JSCAN_STRING && boff[i] != SIZE_MAX)
            fields[i].str = buf->data + boff[i];
    rc = 0;
out:
    if (boff != boff_small) free(boff);
    return rc;
}

void wt_jscan_buf_free(wt_jscan_buf *b) {
    free(b->data);
    *b = (wt_jscan_buf){0};
}

/* The text of a NUMBER field, or of a STRING field up to its first NUL, as a
 * C string in buf; false when it does not fit or the field is neither. */
static bool field_cstr(const wt_jscan_field *f, char *buf, size_t n) {
    if (f->type != WT_JSCAN_NUMBER && f->type != WT_JSCAN_STRING) return false;
    size_t len = f->len;
    const char *nul = f->type == WT_JSCAN_STRING ? memchr(f->str, 0, len) : NULL;
    if (nul) len = (size_t)(nul - f->str);
    if (len >= n) return false;
    memcpy(buf, f->str, len);
    buf[len] = 0;
    return true;
}

/* As jsonl.c: a number, or a string holding one ("123", "1.5e3"); NaN otherwise. */
static double field_double(const wt_jscan_field *f) {
    char buf[400];
    if (!field_cstr(f, buf, sizeof buf)) return NAN;
    char *end;
    errno = 0;
    double d = strtod(buf, &end);
    if (f->type == WT_JSCAN_NUMBER) return d; /* as jansson's real: underflow gives 0 */
    if (end == buf || errno) return NAN;
    while (*end == ' ') end++;
    return *end ? NAN : d;
}

int64_t wt_jscan_int(const wt_jscan_field *f, int64_t def) {
    char buf[64];
    if (f->type == WT_JSCAN_NUMBER && !f->real && field_cstr(f, buf, sizeof buf))
        return strtoll(buf, NULL, 10); /* the scanner checked it fits int64 */
    double d = field_double(f);
    if (isnan(d) || d < -9.2e18 || d > 9.2e18) return def;
    return (int64_t)d;
}

bool wt_jscan_bool(const wt_jscan_field *f, bool def) {
    char buf[8];
    if (f->type == WT_JSCAN_TRUE || f->type == WT_JSCAN_FALSE) return f->type == WT_JSCAN_TRUE;
    if (f->type == WT_JSCAN_NUMBER && !f->real)
        return !(f->len == 1 && f->str[0] == '0') && !(f->len == 2 && !memcmp(f->str, "-0", 2));
    if (f->type == WT_JSCAN_STRING && field_cstr(f, buf, sizeof buf)) {
        if (!strcmp(buf, "true") || !strcmp(buf, "True") || !strcmp(buf, "1")) return true;
        if (!strcmp(buf, "false") || !strcmp(buf, "False") || !strcmp(buf, "0")) return false;
    }
    return def;
}

ptrdiff_t wt_jscan_cstrlen(const wt_jscan_field *f) {
    if (f->type != WT_JSCAN_STRING) return -1;
    const char *nul = memchr(f->str, 0, f->len);
    return nul ? nul - f->str : (ptrdiff_t)f->len;
}
