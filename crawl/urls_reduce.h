/* The reduce step of `crawl urls`'s dedup: all posts of one partition are
 * merged by normalised URL in a hash table (score max or sum, post count,
 * first post), then the URLs are emitted in (hash, url) order, those whose
 * aggregated score reaches the threshold as kept. */
#ifndef CRAWL_URLS_REDUCE_H
#define CRAWL_URLS_REDUCE_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

typedef struct crawl_reduce_opts {
    int64_t min_score; /* e.g. 3: keep URLs whose aggregated score >= it */
    bool score_sum;    /* false: max over posts (default), true: sum */
} crawl_reduce_opts;

/* One deduplicated URL. Strings are valid during the emit call only. */
typedef struct crawl_url_out {
    uint64_t hash;         /* XXH3-64 of url */
    const char *url;       /* normalised */
    int64_t score;         /* aggregated */
    uint64_t posts;        /* posts merged into this URL */
    const char *post_id;   /* first post: earliest created_utc, ties by id */
    const char *subreddit; /* of the first post; NULL if it had none */
    int64_t created_utc;   /* of the first post */
} crawl_url_out;

typedef struct crawl_reduce_counts {
    uint64_t posts;            /* records read from partitions */
    uint64_t urls;             /* distinct URLs */
    uint64_t low_score;        /* URLs below min_score */
    uint64_t low_score_posts;  /* posts of those URLs */
    uint64_t kept;             /* URLs emitted */
    uint64_t peak_table_bytes; /* largest table + arena held for one partition */
} crawl_reduce_counts;

typedef int (*crawl_emit_fn)(void *ctx, const crawl_url_out *u, wt_error *err);

/* Reduces the partition file at `path`, calling emit for every kept URL in
 * increasing (hash, url) order; adds to *counts. */
int crawl_reduce_partition(const char *path, const crawl_reduce_opts *o, crawl_emit_fn emit,
                           void *ctx, crawl_reduce_counts *counts, wt_error *err);

#endif
