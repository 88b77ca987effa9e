/* Per-post rules of `crawl urls` (see urls_post.h). Field access goes through
 * lib's drift-tolerant accessors (jscan.h, the same answers as jsonl.h's):
 * numbers may be strings, nulls and missing fields take the documented
 * defaults. */
#include "crawl/urls_post.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Copies a string field (up to a NUL in it) into dst, at most CRAWL_FIELD_MAX
 * bytes cut at a UTF-8 character boundary; false (dst = "") when f is not a
 * string. */
static bool copy_field(char *dst, const wt_jscan_field *f) {
    ptrdiff_t len = wt_jscan_cstrlen(f);
    const char *s = f->str;
    size_t n = len < 0 ? 0 : (size_t)len;
    if (n > CRAWL_FIELD_MAX) {
        n = CRAWL_FIELD_MAX;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    }
    if (n) memcpy(dst, s, n);
    dst[n] = '\0';
    return len >= 0;
}

/* The permalink string (up to a NUL in it) as a C string; false when it is not
 * a string or does not fit (no permalink that long is a reddit path). */
static bool copy_permalink(char *dst, size_t n, const wt_jscan_field *f) {
    ptrdiff_t len = wt_jscan_cstrlen(f);
    if (len < 0 || (size_t)len >= n) return false;
    memcpy(dst, f->str, (size_t)len);
    dst[len] = '\0';
    return true;
}

static bool host_is_reddit(const char *host) {
    size_t n = strlen(host);
    static const char *const hosts[] = {"reddit.com", "redd.it"};
    for (size_t i = 0; i < 2; i++) {
        size_t m = strlen(hosts[i]);
        if (n == m && !strcmp(host, hosts[i])) return true;
        if (n > m && host[n - m - 1] == '.' && !strcmp(host + n - m, hosts[i])) return true;
    }
    return false;
}

bool crawl_post_is_own_page(const char *url, const char *id, const char *permalink) {
    char host[256];
    size_t plen;
    if (wt_url_host(url, host, sizeof host) < 0 || !host_is_reddit(host)) return false;
    const char *path = wt_url_path(url, &plen);
    if (!path) return false;
    size_t idn = strlen(id);
    if (idn > 0) {
        /* ".../comments/ID" followed by '/' or the end of the path */
        for (const char *c = path; (c = strstr(c, "/comments/")) && c < path + plen; c++) {
            const char *q = c + 10;
            if ((size_t)(path + plen - q) >= idn && !strncasecmp(q, id, idn) &&
                (q + idn == path + plen || q[idn] == '/'))
                return true;
        }
        if (!strcmp(host, "redd.it") && plen == idn + 1 && !strncasecmp(path + 1, id, idn))
            return true;
    }
    if (permalink && permalink[0] == '/') {
        size_t n = strlen(permalink);
        while (n > 1 && permalink[n - 1] == '/') n--;
        size_t m = plen;
        while (m > 1 && path[m - 1] == '/') m--;
        if (n == m && !strncasecmp(path, permalink, n)) return true;
    }
    return false;
}

int crawl_post_id_cmp(const char *a, const char *b) {
    size_t na = strlen(a), nb = strlen(b);
    if (na != nb) return na < nb ? -1 : 1;
    return strcmp(a, b);
}

crawl_post_verdict crawl_post_classify(const wt_jscan_field *f, const crawl_select *sel,
                                       crawl_post *p) {
    p->reason = NULL;
    p->url[0] = '\0';
    copy_field(p->id, &f[CRAWL_F_ID]);
    p->has_subreddit = copy_field(p->subreddit, &f[CRAWL_F_SUBREDDIT]);
    p->score = wt_jscan_int(&f[CRAWL_F_SCORE], 0);

    const wt_jscan_field *created = &f[CRAWL_F_CREATED_UTC];
    if (created->type == WT_JSCAN_NONE || created->type == WT_JSCAN_NULL) {
        p->reason = "created_utc missing";
        return CRAWL_POST_MALFORMED;
    }
    p->created_utc = wt_jscan_int(created, INT64_MIN);
    if (p->created_utc == INT64_MIN) {
        p->reason = "created_utc is not a number";
        return CRAWL_POST_MALFORMED;
    }

    const wt_jscan_field *url = &f[CRAWL_F_URL];
    p->url_status =
        url->type == WT_JSCAN_STRING ? wt_url_normalize(url->str, url->len, p->url) : WT_URL_EMPTY;
    if (wt_jscan_bool(&f[CRAWL_F_IS_SELF], false)) return CRAWL_POST_SELF;
    if (p->url_status == WT_URL_OK) {
        char permalink[4096];
        bool has_permalink = copy_permalink(permalink, sizeof permalink, &f[CRAWL_F_PERMALINK]);
        if (crawl_post_is_own_page(p->url, p->id, has_permalink ? permalink : NULL))
            return CRAWL_POST_SELF;
    }
    if (p->created_utc < sel->after || p->created_utc >= sel->before) return CRAWL_POST_DATE;
    if (!sel->keep_nsfw && wt_jscan_bool(&f[CRAWL_F_OVER_18], false)) return CRAWL_POST_NSFW;
    if (p->url_status != WT_URL_OK) return CRAWL_POST_BAD_URL;

    char host[256];
    if (wt_url_host(p->url, host, sizeof host) < 0) {
        p->url_status = WT_URL_BAD_HOST;
        return CRAWL_POST_BAD_URL;
    }
    if (sel->domains && crawl_list_match_host(sel->domains, host))
        return CRAWL_POST_EXCLUDED_DOMAIN;
    size_t plen;
    const char *path = wt_url_path(p->url, &plen);
    if (sel->extensions && path && crawl_list_match_path(sel->extensions, path, plen))
        return CRAWL_POST_EXCLUDED_EXTENSION;
    return CRAWL_POST_KEEP;
}
