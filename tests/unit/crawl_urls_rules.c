/* Unit tests of `crawl urls`'s per-post rules on hand-written records in the
 * shapes Pushshift drifted through (numbers as strings, nulls, missing fields,
 * "\/" escapes, &amp;), and of the exclusion lists. */
#include <jansson.h>
#include <string.h>

#include "crawl/urls_filters.h"
#include "crawl/urls_post.h"
#include "crawl/urls_scan.h"
#include "crawl_urls_test.h"

typedef struct {
    crawl_list dom, ext;
    crawl_select sel;
} fixture;

static int setup(void **state) {
    static fixture f;
    memset(&f, 0, sizeof f);
    wt_error err;
    if (crawl_list_parse_domains(&f.dom, crawl_default_domains, "built-in", &err) ||
        crawl_list_parse_extensions(&f.ext, crawl_default_extensions, "built-in", &err))
        return -1;
    f.sel = (crawl_select){
        .after = INT64_MIN, .before = 1514764800, .domains = &f.dom, .extensions = &f.ext};
    *state = &f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    crawl_list_free(&f->dom);
    crawl_list_free(&f->ext);
    return 0;
}

static crawl_post_verdict classify(fixture *f, const char *line, crawl_post *p) {
    wt_jscan_field fields[CRAWL_NFIELDS];
    wt_jscan_buf buf = {0};
    wt_error err;
    if (crawl_scan_fields(line, strlen(line), fields, &buf, &err) < 0)
        fail_msg("fixture is not JSON: %s: %s", line, err.msg);
    crawl_post_verdict v = crawl_post_classify(fields, &f->sel, p);
    wt_jscan_buf_free(&buf);
    return v;
}

static void test_schema_drift(void **state) {
    fixture *f = *state;
    crawl_post p;
    /* 2005 v2 schema: "\/" escapes, &amp; in the url */
    assert_int_equal(classify(f,
                              "{\"created_utc\":1119552233,\"id\":\"87\",\"is_self\":false,"
                              "\"over_18\":false,\"score\":5,\"subreddit\":\"reddit.com\","
                              "\"url\":\"http:\\/\\/Example.com\\/a?x=1&amp;y=2#f\"}",
                              &p),
                     CRAWL_POST_KEEP);
    assert_string_equal(p.url, "http://example.com/a?x=1&y=2");
    assert_int_equal(p.score, 5);
    assert_string_equal(p.id, "87");
    assert_true(p.has_subreddit);
    /* numbers and booleans as strings */
    assert_int_equal(classify(f,
                              "{\"created_utc\":\"1400000000\",\"id\":\"abc\",\"is_self\":"
                              "\"false\",\"over_18\":\"false\",\"score\":\"42\","
                              "\"url\":\"http://example.org/\"}",
                              &p),
                     CRAWL_POST_KEEP);
    assert_int_equal(p.score, 42);
    assert_int_equal(p.created_utc, 1400000000);
    assert_false(p.has_subreddit); /* missing: promoted posts */
    /* created_utc as a float, score null, over_18 and is_self missing */
    assert_int_equal(classify(f,
                              "{\"created_utc\":1400000000.0,\"score\":null,\"subreddit\":null,"
                              "\"url\":\"https://example.net/x\"}",
                              &p),
                     CRAWL_POST_KEEP);
    assert_int_equal(p.score, 0);
    assert_string_equal(p.id, "");
    /* created_utc missing or unusable: malformed, with a reason */
    assert_int_equal(classify(f, "{\"url\":\"http://example.com/\",\"score\":5}", &p),
                     CRAWL_POST_MALFORMED);
    assert_non_null(strstr(p.reason, "created_utc"));
    assert_int_equal(classify(f, "{\"created_utc\":null,\"url\":\"http://example.com/\"}", &p),
                     CRAWL_POST_MALFORMED);
    assert_int_equal(classify(f, "{\"created_utc\":\"soon\",\"url\":\"http://example.com/\"}", &p),
                     CRAWL_POST_MALFORMED);
    /* url missing or null: a bad url (empty) */
    assert_int_equal(classify(f, "{\"created_utc\":1400000000,\"url\":null}", &p),
                     CRAWL_POST_BAD_URL);
    assert_int_equal(p.url_status, WT_URL_EMPTY);
    assert_int_equal(classify(f, "{\"created_utc\":1400000000}", &p), CRAWL_POST_BAD_URL);
    assert_int_equal(classify(f, "{\"created_utc\":1400000000,\"url\":42}", &p),
                     CRAWL_POST_BAD_URL);
}

static void test_rule_order(void **state) {
    fixture *f = *state;
    crawl_post p;
    /* self post wins over everything after it */
    assert_int_equal(classify(f,
                              "{\"created_utc\":1600000000,\"is_self\":true,\"over_18\":true,"
                              "\"url\":\"https://www.reddit.com/r/a/comments/x1/t/\"}",
                              &p),
                     CRAWL_POST_SELF);
    /* a link post whose url is its own reddit page is a self post */
    assert_int_equal(classify(f,
                              "{\"created_utc\":1400000000,\"id\":\"x1\",\"is_self\":false,"
                              "\"url\":\"https://www.reddit.com/r/a/comments/x1/title/\"}",
                              &p),
                     CRAWL_POST_SELF);
    /* ... but a link to another reddit post is not: it is an excluded domain */
    assert_int_equal(classify(f,
                              "{\"created_utc\":1400000000,\"id\":\"x1\",\"is_self\":false,"
                              "\"url\":\"https://www.reddit.com/r/a/comments/x12/title/\"}",
                              &p),
                     CRAWL_POST_EXCLUDED_DOMAIN);
    /* date before nsfw: a 2018 NSFW post counts as out of range */
    assert_int_equal(classify(f,
                              "{\"created_utc\":1514764800,\"over_18\":true,"
                              "\"url\":\"http://example.com/\"}",
                              &p),
                     CRAWL_POST_DATE);
    assert_int_equal(classify(f,
                              "{\"created_utc\":1514764799,\"over_18\":true,"
                              "\"url\":\"http://example.com/\"}",
                              &p),
                     CRAWL_POST_NSFW);
    f->sel.keep_nsfw = true;
    assert_int_equal(classify(f,
                              "{\"created_utc\":1514764799,\"over_18\":true,"
                              "\"url\":\"http://example.com/\"}",
                              &p),
                     CRAWL_POST_KEEP);
    f->sel.keep_nsfw = false;
    f->sel.after = 1400000000;
    assert_int_equal(
        classify(f, "{\"created_utc\":1399999999,\"url\":\"http://example.com/\"}", &p),
        CRAWL_POST_DATE);
    f->sel.after = INT64_MIN;
    assert_int_equal(classify(f, "{\"created_utc\":1,\"url\":\"ftp://example.com/\"}", &p),
                     CRAWL_POST_BAD_URL);
    assert_int_equal(p.url_status, WT_URL_SCHEME);
    assert_int_equal(classify(f, "{\"created_utc\":1,\"url\":\"http://i.IMGUR.com/a.html\"}", &p),
                     CRAWL_POST_EXCLUDED_DOMAIN);
    assert_int_equal(
        classify(f, "{\"created_utc\":1,\"url\":\"http://example.com/A.JPG?s=1\"}", &p),
        CRAWL_POST_EXCLUDED_EXTENSION);
    /* Wikipedia stays (dedup removes it, visibly) */
    assert_int_equal(
        classify(f, "{\"created_utc\":1,\"url\":\"https://en.wikipedia.org/wiki/X\"}", &p),
        CRAWL_POST_KEEP);
}

static void test_own_page(void **state) {
    (void)state;
    assert_true(crawl_post_is_own_page("https://www.reddit.com/r/a/comments/abc/", "abc", NULL));
    assert_true(crawl_post_is_own_page("https://old.reddit.com/r/a/comments/abc", "abc", NULL));
    assert_true(crawl_post_is_own_page("https://redd.it/abc", "abc", NULL));
    assert_false(crawl_post_is_own_page("https://redd.it/abcd", "abc", NULL));
    assert_false(crawl_post_is_own_page("https://example.com/r/a/comments/abc/", "abc", NULL));
    assert_false(crawl_post_is_own_page("https://notreddit.com/comments/abc", "abc", NULL));
    assert_true(
        crawl_post_is_own_page("http://www.reddit.com/r/x/comments/q/t", "", "/r/x/comments/q/t/"));
    assert_false(crawl_post_is_own_page("http://www.reddit.com/r/x/", "", "/r/x/comments/q/t/"));
}

static void test_lists(void **state) {
    (void)state;
    wt_error err;
    crawl_list l;
    assert_int_equal(crawl_list_parse_domains(&l,
                                              "# comment\n  Example.COM.  \n*.wild.org\n.dot.net\n"
                                              "example.com # again\n\n",
                                              "t", &err),
                     0);
    assert_int_equal(l.n, 3);
    assert_true(crawl_list_match_host(&l, "example.com"));
    assert_true(crawl_list_match_host(&l, "a.b.example.com"));
    assert_false(crawl_list_match_host(&l, "notexample.com"));
    assert_false(crawl_list_match_host(&l, "example.com.au"));
    assert_true(crawl_list_match_host(&l, "x.wild.org"));
    assert_true(crawl_list_match_host(&l, "dot.net"));
    crawl_list_free(&l);
    assert_int_equal(crawl_list_parse_domains(&l, "two words\n", "t", &err), -1);
    assert_non_null(strstr(err.msg, "line 1"));

    assert_int_equal(crawl_list_parse_extensions(&l, "jpg\n.tar.gz\n.PDF\n", "t", &err), 0);
    const char *yes[] = {"/a.jpg", "/A.JPG", "/x/y.tar.gz", "/doc.pdf", "/a.b.jpg"};
    const char *no[] = {"/", "/a.jpg/", "/jpg", "/a.jpgx", "/a.gz", "/x.jpg.html"};
    for (size_t i = 0; i < 5; i++) assert_true(crawl_list_match_path(&l, yes[i], strlen(yes[i])));
    for (size_t i = 0; i < 6; i++) assert_false(crawl_list_match_path(&l, no[i], strlen(no[i])));
    crawl_list_free(&l);

    /* the built-in lists parse and cover each category */
    assert_int_equal(crawl_list_parse_domains(&l, crawl_default_domains, "b", &err), 0);
    const char *hosts[] = {"www.reddit.com", "i.redd.it",   "i.imgur.com",      "www.youtube.com",
                           "youtu.be",       "twitter.com", "www.facebook.com", "gfycat.com"};
    for (size_t i = 0; i < 8; i++) assert_true(crawl_list_match_host(&l, hosts[i]));
    assert_false(crawl_list_match_host(&l, "en.wikipedia.org"));
    assert_false(crawl_list_match_host(&l, "github.com")); /* in OpenAI's top-1000 list */
    crawl_list_free(&l);
    assert_int_equal(crawl_list_parse_extensions(&l, crawl_default_extensions, "b", &err), 0);
    const char *paths[] = {"/a.png", "/a.gif", "/a.mp4", "/a.mp3", "/a.zip", "/a.exe", "/a.pdf"};
    for (size_t i = 0; i < 7; i++)
        assert_true(crawl_list_match_path(&l, paths[i], strlen(paths[i])));
    assert_false(crawl_list_match_path(&l, "/a.html", 7));
    crawl_list_free(&l);
}

static void test_id_order(void **state) {
    (void)state;
    assert_true(crawl_post_id_cmp("z", "10") < 0); /* base36: shorter is smaller */
    assert_true(crawl_post_id_cmp("87", "88") < 0);
    assert_int_equal(crawl_post_id_cmp("abc", "abc"), 0);
    assert_true(crawl_post_id_cmp("", "0") < 0);
}

int crawl_urls_rules_tests(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_drift), cmocka_unit_test(test_rule_order),
        cmocka_unit_test(test_own_page),     cmocka_unit_test(test_lists),
        cmocka_unit_test(test_id_order),
    };
    return cmocka_run_group_tests_name("crawl urls rules", tests, setup, teardown);
}
