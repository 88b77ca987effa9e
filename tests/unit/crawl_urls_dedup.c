/* Unit tests of `crawl urls`'s dedup: posts written to partition files and
 * reduced give the same URLs, aggregates and order for any partition count;
 * score aggregation (max, sum) happens before the threshold; the first post
 * is the earliest, ties broken by post id. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include "crawl/urls_part.h"
#include "crawl/urls_reduce.h"
#include "crawl_urls_test.h"

typedef struct {
    const char *url, *id, *sub;
    int64_t score, created;
} post_in;

static const post_in posts[] = {
    {"http://a.com/", "b", "x", 2, 100},  {"http://a.com/", "a", "y", 1, 100}, /* tie: id a wins */
    {"http://b.com/", "c", "x", 5, 50},   {"http://b.com/", "d", "z", 1, 40},  /* d is earlier */
    {"http://c.com/", "e", "x", 1, 10},   {"http://d.com/", "f", NULL, 3, 7},
    {"http://e.com/1", "g", "x", 2, 1},   {"http://e.com/2", "h", "x", 9, 1},
    {"http://a.com/", "zz", "q", 0, 900},
};
#define NPOSTS (sizeof posts / sizeof posts[0])

typedef struct {
    char lines[32][256];
    int n;
    uint64_t last_hash;
} collected;

static int collect(void *ctx, const crawl_url_out *u, wt_error *err) {
    (void)err;
    collected *c = ctx;
    assert_true(c->n < 32);
    assert_true(u->hash >= c->last_hash); /* (hash, url) order across partitions */
    c->last_hash = u->hash;
    snprintf(c->lines[c->n++], 256, "%s %lld %llu %s %s %lld", u->url, (long long)u->score,
             (unsigned long long)u->posts, u->post_id, u->subreddit ? u->subreddit : "-",
             (long long)u->created_utc);
    return 0;
}

static crawl_reduce_counts run(int nparts, int reverse, const crawl_reduce_opts *o, collected *c) {
    char dir[] = "/tmp/wt-crawl-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    wt_error err;
    crawl_parts *ps = crawl_parts_create(dir, nparts, 2, &err);
    assert_non_null(ps);
    for (size_t k = 0; k < NPOSTS; k++) {
        const post_in *in = &posts[reverse ? NPOSTS - 1 - k : k];
        crawl_post p;
        memset(&p, 0, sizeof p);
        strcpy(p.url, in->url);
        strcpy(p.id, in->id);
        strcpy(p.subreddit, in->sub ? in->sub : "");
        p.has_subreddit = in->sub != NULL;
        p.score = in->score;
        p.created_utc = in->created;
        uint64_t h = XXH3_64bits(p.url, strlen(p.url));
        assert_int_equal(crawl_parts_add(ps, (int)(k & 1), &p, h, &err), 0);
    }
    assert_int_equal(crawl_parts_close(ps, &err), 0);
    memset(c, 0, sizeof *c);
    crawl_reduce_counts counts = {0};
    for (int i = 0; i < nparts; i++)
        assert_int_equal(
            crawl_reduce_partition(crawl_parts_path(ps, i), o, collect, c, &counts, &err), 0);
    crawl_parts_destroy(ps);
    assert_int_equal(rmdir(dir), 0); /* the partition files were removed */
    return counts;
}

static const char *find(const collected *c, const char *url_prefix) {
    for (int i = 0; i < c->n; i++)
        if (!strncmp(c->lines[i], url_prefix, strlen(url_prefix))) return c->lines[i];
    return NULL;
}

static void test_max(void **state) {
    (void)state;
    crawl_reduce_opts o = {.min_score = 3, .score_sum = false};
    collected c;
    crawl_reduce_counts k = run(1, 0, &o, &c);
    assert_int_equal(k.posts, NPOSTS);
    assert_int_equal(k.urls, 6);
    /* a.com max 2 (dropped), b.com 5, c.com 1 (dropped), d.com 3, e.com/1 2 (dropped), e.com/2 9 */
    assert_int_equal(k.kept, 3);
    assert_int_equal(k.low_score, 3);
    assert_int_equal(k.low_score_posts, 5);
    assert_string_equal(find(&c, "http://b.com/"), "http://b.com/ 5 2 d z 40");
    assert_string_equal(find(&c, "http://d.com/"), "http://d.com/ 3 1 f - 7");
    assert_null(find(&c, "http://a.com/"));
}

static void test_sum(void **state) {
    (void)state;
    crawl_reduce_opts o = {.min_score = 3, .score_sum = true};
    collected c;
    crawl_reduce_counts k = run(1, 0, &o, &c);
    /* a.com: 2+1+0 = 3 reaches the threshold only after aggregation */
    assert_int_equal(k.kept, 4);
    assert_string_equal(find(&c, "http://a.com/"), "http://a.com/ 3 3 a y 100");
    assert_string_equal(find(&c, "http://b.com/"), "http://b.com/ 6 2 d z 40");
}

static void test_partition_independent(void **state) {
    (void)state;
    crawl_reduce_opts o = {.min_score = 0, .score_sum = true};
    collected one, many, rev;
    run(1, 0, &o, &one);
    run(7, 0, &o, &many);
    run(3, 1, &o, &rev);
    assert_int_equal(one.n, 6);
    assert_int_equal(many.n, one.n);
    assert_int_equal(rev.n, one.n);
    for (int i = 0; i < one.n; i++) {
        assert_string_equal(one.lines[i], many.lines[i]);
        assert_string_equal(one.lines[i], rev.lines[i]);
    }
}

static void test_part_of(void **state) {
    (void)state;
    assert_int_equal(crawl_part_of(0, 5), 0);
    assert_int_equal(crawl_part_of(UINT64_MAX, 5), 4);
    assert_int_equal(crawl_part_of(UINT64_MAX / 2, 2), 0);
    assert_int_equal(crawl_part_of(UINT64_MAX / 2 + 1, 2), 1);
    /* monotonic: partitions in index order visit hashes in increasing order */
    int last = 0;
    for (uint64_t h = 0; h < UINT64_MAX - (UINT64_MAX >> 10); h += UINT64_MAX >> 10) {
        int p = crawl_part_of(h, 13);
        assert_true(p >= last);
        last = p;
    }
}

static void test_corrupt_partition(void **state) {
    (void)state;
    char path[] = "/tmp/wt-crawl-part-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "0123456789", 10), 10); /* shorter than a record header */
    close(fd);
    crawl_reduce_opts o = {.min_score = 3};
    crawl_reduce_counts k = {0};
    collected c = {0};
    wt_error err;
    assert_int_equal(crawl_reduce_partition(path, &o, collect, &c, &k, &err), -1);
    assert_non_null(strstr(err.msg, "truncated"));
    unlink(path);
}

int crawl_urls_dedup_tests(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_max),
        cmocka_unit_test(test_sum),
        cmocka_unit_test(test_partition_independent),
        cmocka_unit_test(test_part_of),
        cmocka_unit_test(test_corrupt_partition),
    };
    return cmocka_run_group_tests_name("crawl urls dedup", tests, NULL, NULL);
}
