/* Counters of `crawl urls` and their stats.json form. Every record read is
 * counted under exactly one outcome:
 * records_read = malformed + self_posts + date_out_of_range + nsfw + bad_url
 *   + excluded_domain + excluded_extension + duplicate_urls_merged + low_score + kept */
#ifndef CRAWL_URLS_STATS_H
#define CRAWL_URLS_STATS_H

#include <jansson.h>
#include <stdint.h>

#include "crawl/urls_reduce.h"
#include "url.h"

/* Per-post outcomes of the map step (summed over inputs). */
typedef struct crawl_urls_counts {
    uint64_t records_read; /* non-blank lines */
    uint64_t malformed, self_posts, date_out_of_range, nsfw;
    uint64_t bad_url, bad_url_reasons[WT_URL_NREASONS];
    uint64_t excluded_domain, excluded_extension;
    uint64_t candidates; /* posts that passed every per-post rule */
} crawl_urls_counts;

void crawl_urls_counts_add(crawl_urls_counts *to, const crawl_urls_counts *c);

/* The statistics object: the per-reason counts above plus the dedup ones
 * (duplicate_urls_merged = candidates - unique_urls, low_score in URLs). */
json_t *crawl_urls_stats_json(const crawl_urls_counts *c, const crawl_reduce_counts *r);

#endif
