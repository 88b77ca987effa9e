/* Per-post rules of `crawl urls` (see urls_post.h). Field access goes through
 * lib's drift-tolerant accessors: numbers may be strings, nulls and missing
 * fields take the documented defaults. */
#include "crawl/urls_post.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "jsonl.h"

/* Copies at most CRAWL_FIELD_MAX bytes of s, cut at a UTF-8 character boundary. */
static void copy_field(char *dst, const char *s) {
    size_t n = strlen(s);
    if (n > CRAWL_FIELD_MAX) {
        n = CRAWL_FIELD_MAX;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
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

crawl_post_verdict crawl_post_classify(const json_t *obj, const crawl_select *sel, crawl_post *p) {
    p->reason = NULL;
    p->url[0] = '\0';
    copy_field(p->id, wt_json_str(obj, "id", ""));
    const char *sub = wt_json_str(obj, "subreddit", NULL);
    p->has_subreddit = sub != NULL;
    copy_field(p->subreddit, sub ? sub : "");
    p->score = wt_json_int(obj, "score", 0);

    json_t *created = json_object_get(obj, "created_utc");
    if (!created || json_is_null(created)) {
        p->reason = "created_utc missing";
        return CRAWL_POST_MALFORMED;
    }
    p->created_utc = wt_json_int(obj, "created_utc", INT64_MIN);
    if (p->created_utc == INT64_MIN) {
        p->reason = "created_utc is not a number";
        return CRAWL_POST_MALFORMED;
    }

    size_t ulen = 0;
    const char *url = wt_json_strn(obj, "url", &ulen);
    p->url_status = url ? wt_url_normalize(url, ulen, p->url) : WT_URL_EMPTY;
    if (wt_json_bool(obj, "is_self", false)) return CRAWL_POST_SELF;
    if (p->url_status == WT_URL_OK &&
        crawl_post_is_own_page(p->url, p->id, wt_json_str(obj, "permalink", NULL)))
        return CRAWL_POST_SELF;
    if (p->created_utc < sel->after || p->created_utc >= sel->before) return CRAWL_POST_DATE;
    if (!sel->keep_nsfw && wt_json_bool(obj, "over_18", false)) return CRAWL_POST_NSFW;
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
