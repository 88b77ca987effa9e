/* One-pass validating scanner for a JSON object line (see urls_scan.h). It
 * follows jansson's acceptance rules: RFC 8259 grammar, strict UTF-8 (no
 * overlongs, surrogates or > U+10FFFF), paired \u surrogates, \u0000 allowed,
 * integers within int64 and finite reals, nesting depth <= 2048. Values of the
 * wanted keys are located here and decoded by jansson itself. */
#include "crawl/urls_scan.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SCAN_MAX_DEPTH 2048
#define SCAN_MAX_WANTED 16

const char *const crawl_scan_keys[] = {
    "created_utc", "id", "is_self", "over_18", "permalink", "score", "subreddit", "url", NULL};

typedef struct {
    const char *p, *end;
    int depth;
} scan;

static void skip_ws(scan *s) {
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
        s->p++;
}

static bool hex4(const char *p, const char *end, unsigned *v) {
    if (end - p < 4) return false;
    *v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                            : 16u;
        if (d == 16) return false;
        *v = *v * 16 + d;
    }
    return true;
}

/* Length of the valid UTF-8 sequence at p (2..4 bytes), or 0. */
static size_t utf8_seq(const unsigned char *p, const unsigned char *end) {
    unsigned c = p[0], n, v;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2, v = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, v = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, v = c & 0x07;
    else
        return 0;
    if ((size_t)(end - p) < n) return 0;
    for (unsigned i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (p[i] & 0x3F);
    }
    if ((n == 3 && v < 0x800) || (n == 4 && v < 0x10000) || v > 0x10FFFF ||
        (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    return n;
}

/* At '"': skips the string; *escaped says whether it held a backslash. */
static bool skip_string(scan *s, bool *escaped) {
    *escaped = false;
    s->p++;
    while (s->p < s->end) {
        unsigned char c = (unsigned char)*s->p;
        if (c == '"') {
            s->p++;
            return true;
        }
        if (c < 0x20) return false;
        if (c == '\\') {
            *escaped = true;
            if (++s->p >= s->end) return false;
            c = (unsigned char)*s->p;
            if (c == 'u') {
                unsigned v, w;
                if (!hex4(s->p + 1, s->end, &v)) return false;
                s->p += 5;
                if (v >= 0xDC00 && v <= 0xDFFF) return false;
                if (v >= 0xD800 && v <= 0xDBFF) {
                    if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u' ||
                        !hex4(s->p + 2, s->end, &w) || w < 0xDC00 || w > 0xDFFF)
                        return false;
                    s->p += 6;
                }
                continue;
            }
            if (!memchr("\"\\/bfnrt", c, 8)) return false;
            s->p++;
        } else if (c < 0x80) {
            s->p++;
        } else {
            size_t n = utf8_seq((const unsigned char *)s->p, (const unsigned char *)s->end);
            if (!n) return false;
            s->p += n;
        }
    }
    return false;
}

static bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

/* Skips a number and checks that jansson can represent it. */
static bool skip_number(scan *s) {
    const char *q = s->p, *e = s->end;
    bool real = false;
    if (q < e && *q == '-') q++;
    if (q >= e) return false;
    if (*q == '0')
        q++;
    else if (is_digit(*q))
        while (q < e && is_digit(*q)) q++;
    else
        return false;
    if (q < e && *q == '.') {
        real = true;
        if (++q >= e || !is_digit(*q)) return false;
        while (q < e && is_digit(*q)) q++;
    }
    if (q < e && (*q == 'e' || *q == 'E')) {
        real = true;
        q++;
        if (q < e && (*q == '+' || *q == '-')) q++;
        if (q >= e || !is_digit(*q)) return false;
        while (q < e && is_digit(*q)) q++;
    }
    size_t n = (size_t)(q - s->p);
    char buf[64], *num = n < sizeof buf ? buf : malloc(n + 1);
    if (!num) return false;
    memcpy(num, s->p, n);
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
    if (num != buf) free(num);
    s->p = q;
    return ok;
}

static bool skip_literal(scan *s, const char *lit) {
    size_t n = strlen(lit);
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, lit, n)) return false;
    s->p += n;
    return true;
}

static bool skip_value(scan *s);

/* At '{' or '[': skips the container. */
static bool skip_container(scan *s, char close) {
    if (++s->depth > SCAN_MAX_DEPTH) return false;
    s->p++;
    skip_ws(s);
    if (s->p < s->end && *s->p == close) {
        s->p++;
        s->depth--;
        return true;
    }
    for (;;) {
        bool esc;
        if (close == '}') {
            if (s->p >= s->end || *s->p != '"' || !skip_string(s, &esc)) return false;
            skip_ws(s);
            if (s->p >= s->end || *s->p != ':') return false;
            s->p++;
            skip_ws(s);
        }
        if (!skip_value(s)) return false;
        skip_ws(s);
        if (s->p >= s->end) return false;
        if (*s->p == ',') {
            s->p++;
            skip_ws(s);
            continue;
        }
        if (*s->p != close) return false;
        s->p++;
        s->depth--;
        return true;
    }
}

static bool skip_value(scan *s) {
    if (s->p >= s->end) return false;
    bool esc;
    switch (*s->p) {
    case '"':
        return skip_string(s, &esc);
    case '{':
        return skip_container(s, '}');
    case '[':
        return skip_container(s, ']');
    case 't':
        return skip_literal(s, "true");
    case 'f':
        return skip_literal(s, "false");
    case 'n':
        return skip_literal(s, "null");
    default:
        return skip_number(s);
    }
}

/* Index in keys of the key token [k, k+n) (quotes included), or -1. */
static int key_index(const char *k, size_t n, bool escaped, const char *const *keys) {
    const char *name = k + 1;
    size_t len = n - 2;
    json_t *dec = NULL;
    if (escaped) { /* rare: let jansson decode the key */
        dec = json_loadb(k, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
        if (!json_is_string(dec)) {
            json_decref(dec);
            return -1;
        }
        name = json_string_value(dec);
        len = json_string_length(dec);
    }
    int found = -1;
    for (int i = 0; keys[i] && found < 0; i++)
        if (strlen(keys[i]) == len && !memcmp(keys[i], name, len)) found = i;
    json_decref(dec);
    return found;
}

/* A validated value: plain strings, integers and literals directly, the
 * rest (escapes, reals, containers) through jansson. */
static json_t *decode_value(const char *v, size_t n) {
    if (v[0] == '"' && !memchr(v + 1, '\\', n - 2)) return json_stringn_nocheck(v + 1, n - 2);
    if (v[0] == 't') return json_true();
    if (v[0] == 'f') return json_false();
    if (v[0] == 'n') return json_null();
    if ((v[0] == '-' || is_digit(v[0])) && n < 24 && !memchr(v, '.', n) && !memchr(v, 'e', n) &&
        !memchr(v, 'E', n)) {
        char buf[24];
        memcpy(buf, v, n);
        buf[n] = '\0';
        return json_integer(strtoll(buf, NULL, 10));
    }
    return json_loadb(v, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
}

json_t *crawl_scan_fields(const char *line, size_t len, const char *const *keys) {
    scan s = {line, line + len, 1};
    struct {
        const char *v;
        size_t n;
    } at[SCAN_MAX_WANTED] = {{0}};
    skip_ws(&s);
    if (s.p >= s.end || *s.p != '{') return NULL;
    s.p++;
    skip_ws(&s);
    if (s.p < s.end && *s.p == '}') {
        s.p++;
    } else {
        for (;;) {
            const char *k = s.p;
            bool esc;
            if (s.p >= s.end || *s.p != '"' || !skip_string(&s, &esc)) return NULL;
            int idx = key_index(k, (size_t)(s.p - k), esc, keys);
            skip_ws(&s);
            if (s.p >= s.end || *s.p != ':') return NULL;
            s.p++;
            skip_ws(&s);
            const char *v = s.p;
            if (!skip_value(&s)) return NULL;
            if (idx >= 0 && idx < SCAN_MAX_WANTED) { /* a later duplicate wins, as in jansson */
                at[idx].v = v;
                at[idx].n = (size_t)(s.p - v);
            }
            skip_ws(&s);
            if (s.p >= s.end) return NULL;
            if (*s.p == ',') {
                s.p++;
                skip_ws(&s);
                continue;
            }
            if (*s.p != '}') return NULL;
            s.p++;
            break;
        }
    }
    skip_ws(&s);
    if (s.p != s.end) return NULL;

    json_t *obj = json_object();
    if (!obj) return NULL;
    for (int i = 0; keys[i] && i < SCAN_MAX_WANTED; i++) {
        if (!at[i].v) continue;
        json_t *val = decode_value(at[i].v, at[i].n);
        if (!val || json_object_set_new(obj, keys[i], val) < 0) {
            json_decref(obj);
            return NULL;
        }
    }
    return obj;
}
