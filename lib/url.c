/* URL normalisation (see url.h for the rules). A hand-written RFC 3986 pass
 * rather than libcurl's parser, so that every rule is explicit and the result
 * is a fixed point; libidn2 converts IDN hosts, libpsl gives registered domains. */
#include "url.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <idn2.h>
#include <libpsl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static const char *const status_names[WT_URL_NREASONS] = {
    "ok", "empty", "too_long", "scheme", "no_host", "bad_host", "bad_port",
};

const char *wt_url_status_name(wt_url_status s) {
    return (unsigned)s < WT_URL_NREASONS ? status_names[s] : "unknown";
}

/* A bounded output buffer; `over` is set when more than cap bytes were put. */
typedef struct {
    char *p;
    size_t n, cap;
    bool over;
} ubuf;

static void ub_putc(ubuf *b, char c) {
    if (b->n < b->cap)
        b->p[b->n++] = c;
    else
        b->over = true;
}

static void ub_put(ubuf *b, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) ub_putc(b, s[i]);
}

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static bool is_unreserved(int c) {
    return isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/* Bytes kept literally in a path or query: unreserved, sub-delims, ":@/?" and
 * '%' (handled separately). Everything else is percent-encoded. */
static bool is_url_char(int c) {
    return is_unreserved(c) || strchr("!$&'()*+,;=:@/?", c) != NULL;
}

/* Percent-normalises s[0..n) into b: "%xx" gets uppercase hex, or is decoded
 * when it stands for an unreserved character; other bytes are encoded unless
 * allowed ('#' never reaches here: the fragment was cut off before). */
static void pct_normalize(ubuf *b, const char *s, size_t n) {
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            int v = hexval(s[i + 1]) * 16 + hexval(s[i + 2]);
            if (is_unreserved(v)) {
                ub_putc(b, (char)v);
            } else {
                char e[3] = {'%', hex[v >> 4], hex[v & 15]};
                ub_put(b, e, 3);
            }
            i += 2;
        } else if (c < 0x80 && is_url_char(c)) {
            ub_putc(b, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            ub_put(b, e, 3);
        }
    }
}

/* RFC 3986 5.2.4 remove_dot_segments on an absolute path p[0..n) (starts with
 * '/'), in place; returns the new length. Works on segments so that "%2E"
 * (already decoded to '.') is treated like '.'. */
static size_t remove_dot_segments(char *p, size_t n) {
    size_t out = 0; /* p[0..out) is the output path */
    size_t i = 0;
    while (i < n) {
        /* the input segment: p[i] == '/', then up to the next '/' */
        size_t j = i + 1;
        while (j < n && p[j] != '/') j++;
        size_t seglen = j - i - 1;
        const char *seg = p + i + 1;
        bool last = (j == n);
        if (seglen == 1 && seg[0] == '.') {
            if (last) p[out++] = '/';
        } else if (seglen == 2 && seg[0] == '.' && seg[1] == '.') {
            /* drop the last output segment ("/seg") */
            while (out > 0 && p[out - 1] != '/') out--;
            if (out > 0) out--;
            if (last) p[out++] = '/';
        } else {
            memmove(p + out, p + i, j - i);
            out += j - i;
        }
        i = j;
    }
    if (out == 0) p[out++] = '/';
    return out;
}

/* Decodes Reddit's HTML escaping: "&amp;" repeatedly (so "&amp;amp;" -> "&"),
 * then &lt; &gt; &quot; &#39; &#x27;. dst gets at most n bytes. */
static size_t html_unescape(const char *s, size_t n, char *dst) {
    size_t m = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] == '&') {
            size_t k = i + 1, amps = 0;
            while (k + 4 <= n && !memcmp(s + k, "amp;", 4)) k += 4, amps++;
            static const struct {
                const char *name;
                char c;
            } ents[] = {
                {"lt;", '<'}, {"gt;", '>'}, {"quot;", '"'}, {"#39;", '\''}, {"#x27;", '\''}};
            bool done = false;
            for (size_t e = 0; e < sizeof ents / sizeof ents[0] && !done; e++) {
                size_t l = strlen(ents[e].name);
                if (k + l <= n && !memcmp(s + k, ents[e].name, l)) {
                    dst[m++] = ents[e].c;
                    i = k + l;
                    done = true;
                }
            }
            if (!done) {
                dst[m++] = '&';
                i = amps ? k : i + 1;
            }
        } else {
            dst[m++] = s[i++];
        }
    }
    return m;
}

/* Normalises the host s[0..n) (userinfo and port already removed) into b. */
static wt_url_status host_normalize(ubuf *b, const char *s, size_t n) {
    if (n > 0 && s[0] == '[') { /* IPv6 literal: must parse; written in RFC 5952 form */
        if (s[n - 1] != ']' || n < 4 || n > 64) return WT_URL_BAD_HOST;
        char inner[64], canon[INET6_ADDRSTRLEN];
        memcpy(inner, s + 1, n - 2);
        inner[n - 2] = '\0';
        struct in6_addr addr;
        if (inet_pton(AF_INET6, inner, &addr) != 1 ||
            !inet_ntop(AF_INET6, &addr, canon, sizeof canon))
            return WT_URL_BAD_HOST;
        ub_putc(b, '[');
        for (const char *p = canon; *p; p++) ub_putc(b, *p);
        ub_putc(b, ']');
        return WT_URL_OK;
    }
    char host[WT_URL_MAX + 1];
    size_t m = 0;
    bool ascii = true;
    for (size_t i = 0; i < n; i++) { /* percent-decode and lowercase */
        int c = (unsigned char)s[i];
        if (c == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            c = hexval(s[i + 1]) * 16 + hexval(s[i + 2]);
            i += 2;
        }
        if (c >= 0x80) ascii = false;
        host[m++] = (char)tolower(c);
    }
    while (m > 0 && host[m - 1] == '.') m--;
    host[m] = '\0';
    if (m == 0) return WT_URL_NO_HOST;
    char *idn = NULL;
    const char *h = host;
    if (!ascii) {
        if (memchr(host, '\0', m)) return WT_URL_BAD_HOST;
        int rc = idn2_to_ascii_8z(host, &idn, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
        if (rc != IDN2_OK) rc = idn2_to_ascii_8z(host, &idn, IDN2_TRANSITIONAL | IDN2_NFC_INPUT);
        if (rc != IDN2_OK) return WT_URL_BAD_HOST;
        h = idn;
        m = strlen(idn);
        for (size_t i = 0; i < m; i++) idn[i] = (char)tolower((unsigned char)idn[i]);
        while (m > 0 && idn[m - 1] == '.') m--;
    }
    wt_url_status st = WT_URL_OK;
    if (m == 0)
        st = WT_URL_NO_HOST;
    else if (m > 253 || h[0] == '.')
        st = WT_URL_BAD_HOST;
    for (size_t i = 0; i < m && st == WT_URL_OK; i++) {
        int c = (unsigned char)h[i];
        if (!(isalnum(c) || c == '-' || c == '_' || c == '.')) st = WT_URL_BAD_HOST;
        if (c == '.' && h[i + 1] == '.') st = WT_URL_BAD_HOST;
    }
    if (st == WT_URL_OK) ub_put(b, h, m);
    free(idn);
    return st;
}

/* Port s[0..n) (without ':'); appends ":port" unless empty or the default. */
static wt_url_status port_normalize(ubuf *b, const char *s, size_t n, bool https) {
    unsigned long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) return WT_URL_BAD_PORT;
        v = v * 10 + (unsigned long)(s[i] - '0');
        if (v > 65535) return WT_URL_BAD_PORT;
    }
    if (n == 0 || v == (https ? 443u : 80u)) return WT_URL_OK;
    char p[8];
    int k = snprintf(p, sizeof p, ":%lu", v);
    ub_put(b, p, (size_t)k);
    return WT_URL_OK;
}

/* One normalisation pass of s[0..n) into out (see url.h). */
static wt_url_status normalize_once(const char *s, size_t n, char *out) {
    while (n > 0 && (unsigned char)s[0] <= ' ') s++, n--;
    while (n > 0 && (unsigned char)s[n - 1] <= ' ') n--;
    if (n == 0) return WT_URL_EMPTY;
    if (n > WT_URL_MAX) return WT_URL_TOO_LONG;
    char buf[WT_URL_MAX + 1];
    n = html_unescape(s, n, buf);
    s = buf;

    /* scheme */
    size_t i = 0;
    while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.'))
        i++;
    if (i == 0 || i >= n || s[i] != ':') return WT_URL_SCHEME;
    bool https;
    if (i == 4 && !strncasecmp(s, "http", 4))
        https = false;
    else if (i == 5 && !strncasecmp(s, "https", 5))
        https = true;
    else
        return WT_URL_SCHEME;
    i++;
    if (i + 2 > n || s[i] != '/' || s[i + 1] != '/') return WT_URL_NO_HOST;
    i += 2;

    ubuf b = {out, 0, WT_URL_MAX, false};
    ub_put(&b, https ? "https://" : "http://", https ? 8 : 7);

    /* authority: [userinfo@]host[:port] up to '/', '?', '#' */
    size_t a0 = i;
    while (i < n && s[i] != '/' && s[i] != '?' && s[i] != '#' && s[i] != '\\') i++;
    size_t a1 = i;
    for (size_t k = a1; k > a0; k--)
        if (s[k - 1] == '@') {
            a0 = k;
            break;
        }
    size_t h1 = a1; /* end of host: the ':' of the port, outside an IPv6 literal */
    for (size_t k = a1; k > a0; k--) {
        if (s[k - 1] == ']') break;
        if (s[k - 1] == ':') {
            h1 = k - 1;
            break;
        }
    }
    wt_url_status st = host_normalize(&b, s + a0, h1 - a0);
    if (st != WT_URL_OK) return st;
    if (h1 < a1) {
        st = port_normalize(&b, s + h1 + 1, a1 - h1 - 1, https);
        if (st != WT_URL_OK) return st;
    }

    /* path, then query; the fragment is dropped */
    size_t p0 = i;
    while (i < n && s[i] != '?' && s[i] != '#') i++;
    size_t path_start = b.n;
    if (p0 == i || s[p0] != '/') ub_putc(&b, '/');
    pct_normalize(&b, s + p0, i - p0);
    if (!b.over) b.n = path_start + remove_dot_segments(out + path_start, b.n - path_start);
    if (i < n && s[i] == '?') {
        size_t q0 = ++i;
        while (i < n && s[i] != '#') i++;
        if (i > q0) {
            ub_putc(&b, '?');
            pct_normalize(&b, s + q0, i - q0);
        }
    }
    if (b.over) return WT_URL_TOO_LONG;
    out[b.n] = '\0';
    return WT_URL_OK;
}

wt_url_status wt_url_normalize(const char *in, size_t len, char *out) {
    /* Passes repeat until nothing changes, so that a rule whose output feeds
     * another (a decoded "%61" completing an "&amp;", a backslash turned into
     * "%5C") cannot leave a non-fixed point. Real URLs converge in one pass,
     * confirmed by the second. */
    char tmp[WT_URL_MAX + 1];
    wt_url_status st = normalize_once(in, len, out);
    for (int pass = 0; st == WT_URL_OK && pass < 4; pass++) {
        size_t n = strlen(out);
        st = normalize_once(out, n, tmp);
        if (st != WT_URL_OK) break;
        if (!strcmp(tmp, out)) return WT_URL_OK;
        memcpy(out, tmp, strlen(tmp) + 1);
    }
    if (st == WT_URL_OK) st = WT_URL_BAD_HOST; /* did not converge: treat as unusable */
    out[0] = '\0';
    return st;
}

int wt_url_host(const char *url, char *buf, size_t n) {
    const char *p = strstr(url, "://");
    if (!p) return -1;
    p += 3;
    size_t len = strcspn(p, "/?#");
    const char *at = memchr(p, '@', len);
    if (at) len -= (size_t)(at + 1 - p), p = at + 1;
    size_t h = len;
    for (size_t k = len; k > 0; k--) {
        if (p[k - 1] == ']') break;
        if (p[k - 1] == ':') {
            h = k - 1;
            break;
        }
    }
    if (h == 0 || h + 1 > n) return -1;
    memcpy(buf, p, h);
    buf[h] = '\0';
    return (int)h;
}

const char *wt_url_path(const char *url, size_t *len) {
    const char *p = strstr(url, "://");
    if (!p) return NULL;
    p += 3;
    p += strcspn(p, "/?#");
    if (*p != '/') return NULL;
    *len = strcspn(p, "?#");
    return p;
}

static bool is_ip_literal(const char *host) {
    if (host[0] == '[') return true;
    for (const char *c = host; *c; c++)
        if (!isdigit((unsigned char)*c) && *c != '.') return false;
    return true;
}

int wt_url_registered_domain(const char *host, char *buf, size_t n) {
    /* The ICANN section only (as tldextract's default, which the WebText
     * reproductions used): "foo.blogspot.com" -> "blogspot.com". The longest
     * public suffix is found from the left; the registered domain is it plus
     * one label. */
    const char *res = host;
    if (!is_ip_literal(host)) {
        const psl_ctx_t *psl = psl_builtin();
        const char *prev = NULL;
        for (const char *s = host; s; prev = s, s = strchr(s, '.'), s = s ? s + 1 : NULL) {
            if (psl && psl_is_public_suffix2(psl, s, PSL_TYPE_ICANN)) {
                res = prev ? prev : host;
                break;
            }
        }
    }
    size_t len = strlen(res);
    if (len + 1 > n) return -1;
    memcpy(buf, res, len + 1);
    return (int)len;
}
