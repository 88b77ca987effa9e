/* SURT keys (see surt.h). One pass over the URL's parts; the query's
 * arguments are sorted with qsort over pointers into a copy. */
#include "surt.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SURT_MAX_ARGS 256

typedef struct sbuf {
    char *p;
    size_t len, cap;
    bool over;
} sbuf;

static void put(sbuf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        b->over = true;
        return;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static bool is_ip(const char *h, size_t n) {
    if (n && h[0] == '[') return true; /* IPv6 literal */
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)h[i]) && h[i] != '.') return false;
    return n > 0;
}

/* Is the argument (or path parameter) s[0..n) a session id? */
static bool session_id(const char *s, size_t n) {
    static const char *const names[] = {"jsessionid=", "phpsessid=", "sid=", "cfid=", "cftoken="};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        size_t k = strlen(names[i]);
        if (n >= k && !strncasecmp(s, names[i], k)) return true;
    }
    return n >= 12 && !strncasecmp(s, "aspsessionid", 12);
}

static int cmp_arg(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int wt_surt(const char *url, char *out, size_t n) {
    sbuf b = {out, 0, n, false};
    if (!n) return -1;
    out[0] = '\0';
    while (*url == ' ' || *url == '\t') url++;
    const char *sep = strstr(url, "://");
    if (!sep || sep == url) return -1;
    size_t sn = (size_t)(sep - url);
    bool https = sn == 5 && !strncasecmp(url, "https", 5);
    bool http = sn == 4 && !strncasecmp(url, "http", 4);
    const char *auth = sep + 3;
    size_t an = strcspn(auth, "/?#");
    const char *rest = auth + an;
    /* userinfo */
    const char *at = memchr(auth, '@', an);
    while (at) {
        an -= (size_t)(at + 1 - auth);
        auth = at + 1;
        at = memchr(auth, '@', an);
    }
    /* host and port */
    const char *host = auth, *port = NULL;
    size_t hn = an, pn = 0;
    const char *colon = NULL;
    if (an && auth[0] == '[') {
        const char *rb = memchr(auth, ']', an);
        if (rb && (size_t)(rb + 1 - auth) < an && rb[1] == ':') colon = rb + 1;
    } else {
        colon = memchr(auth, ':', an);
    }
    if (colon) {
        hn = (size_t)(colon - auth);
        port = colon + 1;
        pn = an - hn - 1;
    }
    while (hn && host[hn - 1] == '.') hn--;
    while (hn && host[0] == '.') host++, hn--;
    if (!hn) return -1;
    char h[1024];
    if (hn >= sizeof h) return -1;
    for (size_t i = 0; i < hn; i++) h[i] = (char)tolower((unsigned char)host[i]);
    h[hn] = '\0';
    char *hp = h;
    if (!is_ip(h, hn)) {
        /* a leading "www" or "www" + digits label */
        if (!strncmp(hp, "www", 3)) {
            size_t k = 3;
            while (isdigit((unsigned char)hp[k])) k++;
            if (hp[k] == '.' && hp[k + 1]) hp += k + 1;
        }
        /* labels reversed */
        size_t len = strlen(hp);
        size_t end = len;
        bool first = true;
        for (size_t i = len; i-- > 0;) {
            if (hp[i] == '.' || i == 0) {
                size_t s = hp[i] == '.' ? i + 1 : 0;
                if (!first) put(&b, ",", 1);
                put(&b, hp + s, end - s);
                first = false;
                end = i;
            }
        }
    } else {
        put(&b, h, hn);
    }
    while (pn && port[0] == '0' && pn > 1) port++, pn--;
    bool dflt = !pn || (http && pn == 2 && !memcmp(port, "80", 2)) ||
                (https && pn == 3 && !memcmp(port, "443", 3));
    if (!dflt) {
        put(&b, ":", 1);
        put(&b, port, pn);
    }
    put(&b, ")", 1);
    /* path: drop ";jsessionid=..." style parameters, a trailing '/' */
    size_t path_n = strcspn(rest, "?#");
    const char *q = rest[path_n] == '?' ? rest + path_n + 1 : NULL;
    size_t path_start = b.len;
    if (!path_n) {
        put(&b, "/", 1);
    } else {
        for (size_t i = 0; i < path_n;) {
            size_t k = i + 1;
            while (k < path_n && rest[k] != ';') k++;
            if (!(rest[i] == ';' && session_id(rest + i + 1, k - i - 1))) put(&b, rest + i, k - i);
            i = k;
        }
        if (b.len - path_start > 1 && b.p[b.len - 1] == '/') b.p[--b.len] = '\0';
    }
    /* query: session ids and empty arguments dropped, arguments sorted */
    if (q && !b.over) {
        size_t qn = strcspn(q, "#");
        char *copy = strndup(q, qn);
        char *args[SURT_MAX_ARGS];
        size_t na = 0;
        if (!copy) return -1;
        for (char *save = NULL, *t = strtok_r(copy, "&", &save); t; t = strtok_r(NULL, "&", &save))
            if (*t && !session_id(t, strlen(t))) {
                if (na == SURT_MAX_ARGS) break;
                for (char *c = t; *c; c++) *c = (char)tolower((unsigned char)*c);
                args[na++] = t;
            }
        qsort(args, na, sizeof *args, cmp_arg);
        for (size_t i = 0; i < na; i++) {
            put(&b, i ? "&" : "?", 1);
            put(&b, args[i], strlen(args[i]));
        }
        free(copy);
    }
    if (b.over) return -1;
    for (size_t i = path_start; i < b.len; i++) b.p[i] = (char)tolower((unsigned char)b.p[i]);
    return (int)b.len;
}
