/* Charset detection and conversion (see charset.h). UTF-8 input, by far the
 * most common, is validated in place without iconv; other charsets go through
 * iconv with invalid sequences replaced by U+FFFD and counted. */
#include "charset.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include <uchardet.h>

#include "utf8.h"

/* Length of the valid UTF-8 sequence at s (1-4), or 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n) {
    uint32_t cp;
    size_t bad;
    return wt_utf8_decode(s, n, &cp, &bad);
}

static int add_run(void *out, const void *p, size_t n) {
    return ex_buf_add(out, p, n);
}

static void utf8_survey(const unsigned char *s, size_t n, size_t *invalid, size_t *multi);

int64_t ex_utf8_clean(const unsigned char *s, size_t n, ex_buf *out) {
    if (ex_buf_reserve(out, n) < 0) return -1;
    if (n == 0) return 0; /* s may be NULL then */
    size_t invalid, multi;
    utf8_survey(s, n, &invalid, &multi);
    if (invalid == 0 && !memchr(s, 0, n)) return ex_buf_add(out, s, n) < 0 ? -1 : 0;
    /* one U+FFFD per bad byte; NUL bytes dropped (they end C strings downstream) */
    return wt_utf8_clean(s, n, WT_UTF8_PER_BYTE | WT_UTF8_DROP_NUL, add_run, out);
}

/* Counts invalid UTF-8 sequences and multi-byte characters in s. */
static void utf8_survey(const unsigned char *s, size_t n, size_t *invalid, size_t *multi) {
    *invalid = *multi = 0;
    for (size_t i = 0; i < n;) {
        /* skip ASCII eight bytes at a time */
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (w & 0x8080808080808080ull) break;
            i += 8;
        }
        if (i >= n) break;
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = utf8_seq(s + i, n - i);
        if (k)
            *multi += 1, i += k;
        else
            *invalid += 1, i++;
    }
}

/* Maps common labels to the names iconv knows, following the WHATWG
 * Encoding Standard's aliases (latin1 and ascii mean windows-1252). */
static void normalize_label(char *name, size_t n) {
    for (char *p = name; *p; p++) *p = (char)tolower((unsigned char)*p);
    static const char *map[][2] = {
        {"utf8", "utf-8"},
        {"unicode-1-1-utf-8", "utf-8"},
        {"iso-8859-1", "windows-1252"},
        {"iso8859-1", "windows-1252"},
        {"latin1", "windows-1252"},
        {"l1", "windows-1252"},
        {"us-ascii", "windows-1252"},
        {"ascii", "windows-1252"},
        {"cp1252", "windows-1252"},
        {"iso_8859-1", "windows-1252"},
        {"gb2312", "gb18030"},
        {"gbk", "gb18030"},
        {"x-gbk", "gb18030"},
        {"x-sjis", "shift_jis"},
        {"shift-jis", "shift_jis"},
        {"sjis", "shift_jis"},
        {"ks_c_5601-1987", "euc-kr"},
        {"unicode", "utf-16le"},
        {"iso-8859-9", "windows-1254"},
        {"tis-620", "windows-874"},
        {"x-mac-roman", "macintosh"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(name, map[i][0])) {
            snprintf(name, n, "%s", map[i][1]);
            return;
        }
}

static bool label_ok(const char *label) {
    if (!label[0]) return false;
    if (!strcmp(label, "utf-8")) return true;
    iconv_t cd = iconv_open("UTF-8", label);
    if (cd == (iconv_t)-1) return false;
    iconv_close(cd);
    return true;
}

/* Value of attribute `name` among the attributes in [p, e) (a tag's text after
 * its name), or NULL. Walks attribute by attribute, so that a name inside
 * another one's value (content="text/html; charset=x") is not taken for one. */
static const char *attr_in(const char *p, const char *e, const char *name, size_t *len) {
    size_t nl = strlen(name);
    const char *q = p;
    while (q < e) {
        while (q < e && (isspace((unsigned char)*q) || *q == '/')) q++;
        const char *ns = q;
        while (q < e && !isspace((unsigned char)*q) && *q != '=' && *q != '/') q++;
        size_t nlen = (size_t)(q - ns);
        while (q < e && isspace((unsigned char)*q)) q++;
        const char *v = NULL, *ve = NULL;
        if (q < e && *q == '=') {
            q++;
            while (q < e && isspace((unsigned char)*q)) q++;
            char quote = (q < e && (*q == '"' || *q == '\'')) ? *q++ : 0;
            v = q;
            while (q < e && (quote ? *q != quote : !isspace((unsigned char)*q))) q++;
            ve = q;
            if (quote && q < e) q++;
        }
        if (v && nlen == nl && strncasecmp(ns, name, nl) == 0) {
            *len = (size_t)(ve - v);
            return v;
        }
    }
    return NULL;
}

/* First case-insensitive occurrence of needle in s[0..n), or NULL (no NUL needed). */
static const char *find_ci(const char *s, size_t n, const char *needle) {
    size_t nl = strlen(needle);
    for (size_t i = 0; i + nl <= n; i++)
        if (strncasecmp(s + i, needle, nl) == 0) return s + i;
    return NULL;
}

int ex_charset_from_meta(const unsigned char *s, size_t n, char *out, size_t out_n) {
    if (n == 0) return 0; /* s may be NULL then */
    const char *p = (const char *)s, *end = p + (n < 4096 ? n : 4096);
    while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
        if (end - p < 6) break;
        if (strncasecmp(p, "<meta", 5) != 0 || !(isspace((unsigned char)p[5]) || p[5] == '/')) {
            p++;
            continue;
        }
        const char *e = memchr(p, '>', (size_t)(end - p));
        if (!e) break;
        size_t len;
        const char *v = attr_in(p + 5, e, "charset", &len);
        if (!v) {
            const char *c = attr_in(p + 5, e, "content", &len);
            const char *he = attr_in(p + 5, e, "http-equiv", &(size_t){0});
            if (c && he) {
                /* within the attribute value: the page need not end in a NUL */
                const char *cs = find_ci(c, len, "charset=");
                if (cs) {
                    v = cs + 8;
                    size_t k = 0, left = (size_t)(c + len - v);
                    while (k < left && !strchr("\"'; >", v[k])) k++;
                    len = k;
                }
            }
        }
        if (v && len && len < out_n) {
            memcpy(out, v, len);
            out[len] = 0;
            normalize_label(out, out_n);
            return 1;
        }
        p = e;
    }
    return 0;
}

static void guess_uchardet(const unsigned char *s, size_t n, char *out, size_t out_n) {
    out[0] = 0;
    uchardet_t ud = uchardet_new();
    if (!ud) return;
    uchardet_handle_data(ud, (const char *)s, n < 65536 ? n : 65536);
    uchardet_data_end(ud);
    const char *cs = uchardet_get_charset(ud);
    if (cs && cs[0]) snprintf(out, out_n, "%s", cs);
    uchardet_delete(ud);
    normalize_label(out, out_n);
}

static int convert(const unsigned char *s, size_t n, const char *from, ex_buf *out,
                   uint64_t *replaced) {
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1) return 1;
    char *in = (char *)s;
    size_t in_left = n;
    /* allocate even for empty input: out->p is written below */
    if (ex_buf_reserve(out, 0) < 0) {
        iconv_close(cd);
        return -1;
    }
    while (in_left > 0) {
        if (ex_buf_reserve(out, in_left * 2 + 16) < 0) {
            iconv_close(cd);
            return -1;
        }
        char *o = out->p + out->len;
        size_t o_left = out->cap - out->len - 1;
        size_t r = iconv(cd, &in, &in_left, &o, &o_left);
        out->len = (size_t)(o - out->p);
        out->p[out->len] = 0;
        if (r != (size_t)-1) break;
        if (errno == E2BIG) continue;
        /* EILSEQ, or EINVAL (incomplete sequence at the end) */
        if (ex_buf_add(out, "\xef\xbf\xbd", 3) < 0) {
            iconv_close(cd);
            return -1;
        }
        (*replaced)++;
        in++, in_left--;
    }
    iconv_close(cd);
    /* NUL characters (from UTF-16 input, say) carry no text: drop them */
    size_t w = 0;
    for (size_t i = 0; i < out->len; i++)
        if (out->p[i])
            out->p[w++] = out->p[i];
        else
            (*replaced)++;
    out->len = w;
    out->p[w] = 0;
    return 0;
}

int ex_charset_to_utf8(const unsigned char *s, size_t n, const char *header_charset, ex_buf *out,
                       ex_charset_info *info) {
    ex_buf_clear(out);
    memset(info, 0, sizeof *info);
    char label[48] = "";
    if (n >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf) {
        snprintf(label, sizeof label, "utf-8");
        info->source = "bom";
        s += 3, n -= 3;
    } else if (n >= 2 && s[0] == 0xff && s[1] == 0xfe) {
        snprintf(label, sizeof label, "utf-16le");
        info->source = "bom";
        s += 2, n -= 2;
    } else if (n >= 2 && s[0] == 0xfe && s[1] == 0xff) {
        snprintf(label, sizeof label, "utf-16be");
        info->source = "bom";
        s += 2, n -= 2;
    }
    if (!label[0] && header_charset && header_charset[0]) {
        snprintf(label, sizeof label, "%s", header_charset);
        normalize_label(label, sizeof label);
        info->source = "header";
        if (!label_ok(label)) info->unsupported = 1, label[0] = 0;
    }
    if (!label[0] && ex_charset_from_meta(s, n, label, sizeof label)) {
        info->source = "meta";
        if (!label_ok(label)) info->unsupported = 1, label[0] = 0;
    }
    size_t sample = n < (1 << 20) ? n : (1 << 20), invalid, multi;
    if (strcmp(info->source ? info->source : "", "bom") != 0) {
        utf8_survey(s, sample, &invalid, &multi);
        bool valid_utf8 = invalid == 0 || invalid * 50 < multi; /* a few stray bytes allowed */
        if (!label[0]) {
            if (valid_utf8) {
                snprintf(label, sizeof label, "utf-8");
                info->source = "utf8";
            } else {
                guess_uchardet(s, n, label, sizeof label);
                info->source = "uchardet";
                if (!label_ok(label))
                    snprintf(label, sizeof label, "windows-1252"), info->source = "default";
            }
        } else if (strcmp(label, "utf-8") != 0 && multi > 0 && valid_utf8 &&
                   strncmp(label, "utf-16", 6) != 0) {
            /* declared single/multi-byte legacy charset, but the bytes are UTF-8 */
            snprintf(label, sizeof label, "utf-8");
            info->source = "utf8";
        } else if (!strcmp(label, "utf-8") && invalid > 16 && invalid * 4 > multi) {
            /* declared UTF-8 but clearly is not: guess */
            char g[48];
            guess_uchardet(s, n, g, sizeof g);
            if (g[0] && strcmp(g, "utf-8") && label_ok(g)) {
                snprintf(label, sizeof label, "%s", g);
                info->source = "uchardet";
            }
        }
    }
    snprintf(info->name, sizeof info->name, "%s", label);
    if (!strcmp(label, "utf-8")) {
        int64_t bad = ex_utf8_clean(s, n, out);
        if (bad < 0) return -1;
        info->replaced = (uint64_t)bad;
        return 0;
    }
    int rc = convert(s, n, label, out, &info->replaced);
    if (rc < 0) return -1;
    if (rc > 0) { /* should not happen after label_ok; fall back */
        int64_t bad = ex_utf8_clean(s, n, out);
        if (bad < 0) return -1;
        info->replaced = (uint64_t)bad;
        snprintf(info->name, sizeof info->name, "utf-8");
    }
    return 0;
}
