/* JSON-LD articleBody (see jsonld.h). The scripts are not parsed into a
 * tree: each `<script type="application/ld+json">` body is scanned for the
 * key "articleBody" followed by a string, which is decoded in place. */
#include "jsonld.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

/* First case-insensitive occurrence of needle (lowercase, starting with a
 * letter or '<') in [p, end), or NULL. */
static const char *find_ci(const char *p, const char *end, const char *needle) {
    size_t l = strlen(needle);
    char lo = needle[0], up = (char)toupper((unsigned char)needle[0]);
    for (; p + l <= end; p++) {
        if (*p != lo && *p != up) continue;
        if (strncasecmp(p, needle, l) == 0) return p;
    }
    return NULL;
}

static int hex4(const char *p, const char *end) {
    if (end - p < 4) return -1;
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char ch = p[i];
        int d = ch >= '0' && ch <= '9'   ? ch - '0'
                : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                         : -1;
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    return v;
}

static int put_utf8(ex_buf *b, uint32_t cp) {
    char u[4];
    size_t n;
    if (cp < 0x80)
        u[0] = (char)cp, n = 1;
    else if (cp < 0x800)
        u[0] = (char)(0xc0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
    else if (cp < 0x10000)
        u[0] = (char)(0xe0 | cp >> 12), u[1] = (char)(0x80 | ((cp >> 6) & 0x3f)),
        u[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
    else
        u[0] = (char)(0xf0 | cp >> 18), u[1] = (char)(0x80 | ((cp >> 12) & 0x3f)),
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), u[3] = (char)(0x80 | (cp & 0x3f)), n = 4;
    return ex_buf_add(b, u, n);
}

/* Decodes the JSON string starting after its opening quote at p into out.
 * Returns 1 when complete, 0 when malformed, -1 out of memory. */
static int decode_string(const char *p, const char *end, ex_buf *out) {
    while (p < end) {
        const char *q = p;
        while (q < end && *q != '"' && *q != '\\') q++;
        if (ex_buf_add(out, p, (size_t)(q - p)) < 0) return -1;
        if (q >= end) return 0;
        if (*q == '"') return 1;
        if (q + 1 >= end) return 0;
        char e = q[1];
        p = q + 2;
        int rc = 0;
        switch (e) {
        case 'n':
            rc = ex_buf_addc(out, '\n');
            break;
        case 't':
        case 'r':
        case 'f':
        case 'b':
            rc = ex_buf_addc(out, ' ');
            break;
        case 'u': {
            int v = hex4(p, end);
            if (v < 0) return 0;
            p += 4;
            uint32_t cp = (uint32_t)v;
            if (cp >= 0xd800 && cp < 0xdc00 && end - p >= 6 && p[0] == '\\' && p[1] == 'u') {
                int lo = hex4(p + 2, end);
                if (lo >= 0xdc00 && lo < 0xe000) {
                    cp = 0x10000 + ((cp - 0xd800) << 10) + ((uint32_t)lo - 0xdc00);
                    p += 6;
                }
            }
            if (cp >= 0xd800 && cp < 0xe000) cp = 0xfffd; /* lone surrogate */
            if (cp == 0) cp = ' ';
            rc = put_utf8(out, cp);
            break;
        }
        default:
            rc = ex_buf_addc(out, e); /* \" \\ \/ */
        }
        if (rc < 0) return -1;
    }
    return 0;
}

int ex_jsonld_article_body(const char *html, size_t n, ex_buf *out) {
    ex_buf_clear(out);
    ex_buf cur = {0};
    const char *p = html, *end = html + n;
    int rc = 0;
    while ((p = find_ci(p, end, "application/ld+json")) != NULL) {
        const char *gt = memchr(p, '>', (size_t)(end - p));
        if (!gt) break;
        const char *close = find_ci(gt, end, "</script");
        const char *se = close ? close : end;
        const char *k = gt;
        while ((k = memmem(k, (size_t)(se - k), "\"articleBody\"", 13)) != NULL) {
            k += 13;
            while (k < se && (*k == ' ' || *k == '\t' || *k == '\n' || *k == '\r')) k++;
            if (k >= se || *k != ':') continue;
            k++;
            while (k < se && (*k == ' ' || *k == '\t' || *k == '\n' || *k == '\r')) k++;
            if (k >= se || *k != '"') continue;
            ex_buf_clear(&cur);
            int d = decode_string(k + 1, se, &cur);
            if (d < 0) {
                rc = -1;
                goto done;
            }
            if (d == 1 && cur.len > out->len) {
                ex_buf_clear(out);
                if (ex_buf_add(out, cur.p, cur.len) < 0) {
                    rc = -1;
                    goto done;
                }
            }
        }
        if (!close) break; /* an unterminated script runs to the end: one scan */
        p = se;
    }
done:
    ex_buf_free(&cur);
    return rc;
}
