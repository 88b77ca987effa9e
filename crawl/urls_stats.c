/* stats.json of `crawl urls` (see urls_stats.h for the invariant). */
#include "crawl/urls_stats.h"

void crawl_urls_counts_add(crawl_urls_counts *to, const crawl_urls_counts *c) {
    to->records_read += c->records_read;
    to->malformed += c->malformed;
    to->self_posts += c->self_posts;
    to->date_out_of_range += c->date_out_of_range;
    to->nsfw += c->nsfw;
    to->bad_url += c->bad_url;
    for (int i = 0; i < WT_URL_NREASONS; i++) to->bad_url_reasons[i] += c->bad_url_reasons[i];
    to->excluded_domain += c->excluded_domain;
    to->excluded_extension += c->excluded_extension;
    to->candidates += c->candidates;
}

json_t *crawl_urls_stats_json(const crawl_urls_counts *c, const crawl_reduce_counts *r) {
    json_t *reasons = json_object();
    for (int i = 1; i < WT_URL_NREASONS; i++)
        json_object_set_new(reasons, wt_url_status_name((wt_url_status)i),
                            json_integer((json_int_t)c->bad_url_reasons[i]));
#define I(x) ((json_int_t)(x))
    return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
                     "s:I, s:I}",
                     "records_read", I(c->records_read), "malformed", I(c->malformed), "self_posts",
                     I(c->self_posts), "date_out_of_range", I(c->date_out_of_range), "nsfw",
                     I(c->nsfw), "bad_url", I(c->bad_url), "bad_url_reasons", reasons,
                     "excluded_domain", I(c->excluded_domain), "excluded_extension",
                     I(c->excluded_extension), "duplicate_urls_merged", I(c->candidates - r->urls),
                     "low_score", I(r->low_score), "kept", I(r->kept), "posts_to_dedup",
                     I(c->candidates), "unique_urls", I(r->urls), "low_score_posts",
                     I(r->low_score_posts), "peak_partition_bytes", I(r->peak_table_bytes));
#undef I
}
