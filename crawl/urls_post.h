/* One Pushshift submission record -> a verdict of `crawl urls`'s per-post
 * rules (self post, date window, NSFW, URL validity, excluded domain or
 * extension) and, for a kept post, the fields the dedup step needs. */
#ifndef CRAWL_URLS_POST_H
#define CRAWL_URLS_POST_H

#include <stdbool.h>
#include <stdint.h>

#include "crawl/urls_filters.h"
#include "crawl/urls_scan.h"
#include "url.h"

/* The rules, applied in this order; a record is counted under the first that
 * drops it. */
typedef enum {
    CRAWL_POST_KEEP = 0,
    CRAWL_POST_MALFORMED,          /* created_utc missing or not a number */
    CRAWL_POST_SELF,               /* is_self, or the url is the post's own reddit page */
    CRAWL_POST_DATE,               /* created_utc outside [after, before) */
    CRAWL_POST_NSFW,               /* over_18 (unless keep_nsfw) */
    CRAWL_POST_BAD_URL,            /* see wt_url_status */
    CRAWL_POST_EXCLUDED_DOMAIN,    /* host or a parent domain is listed */
    CRAWL_POST_EXCLUDED_EXTENSION, /* the path ends with a listed extension */
} crawl_post_verdict;

typedef struct crawl_select {
    int64_t after, before; /* keep created_utc in [after, before), seconds UTC */
    bool keep_nsfw;
    const crawl_list *domains, *extensions;
} crawl_select;

#define CRAWL_FIELD_MAX 255 /* post_id and subreddit are cut to this many bytes */

typedef struct crawl_post {
    char url[WT_URL_MAX + 1]; /* normalised */
    wt_url_status url_status; /* why the url was bad (CRAWL_POST_BAD_URL) */
    int64_t score;            /* null or missing: 0 */
    int64_t created_utc;
    char id[CRAWL_FIELD_MAX + 1];        /* base36, e.g. "7ni3a2"; "" if missing */
    char subreddit[CRAWL_FIELD_MAX + 1]; /* "" if missing */
    bool has_subreddit;
    const char *reason; /* for CRAWL_POST_MALFORMED: what was wrong */
} crawl_post;

/* Classifies one record from its scanned fields (crawl_scan_fields). */
crawl_post_verdict crawl_post_classify(const wt_jscan_field *f, const crawl_select *sel,
                                       crawl_post *p);

/* True if the normalised url is the reddit page of post `id` itself
 * (reddit.com/.../comments/ID[/...] or redd.it/ID), or equals its permalink. */
bool crawl_post_is_own_page(const char *url, const char *id, const char *permalink);

/* Base36 post ids compare as numbers: shorter first, then bytewise. */
int crawl_post_id_cmp(const char *a, const char *b);

#endif
