/* Differential tests of the fast line scanner (crawl/urls_scan.h) against
 * jansson: on valid lines, on every truncation and on single-byte mutations of
 * them, the scanner must accept exactly what jansson accepts, and the scanned
 * fields must read (wt_jscan_int/bool/cstrlen) as jansson's tree reads through
 * jsonl.h's accessors (wt_json_int/bool/str/strn). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "crawl/urls_scan.h"
#include "crawl_urls_test.h"
#include "jsonl.h"

static const char *const lines[] = {
    "{\"created_utc\":1119552233,\"id\":\"87\",\"is_self\":false,\"media\":null,\"over_18\":false,"
    "\"preview\":{\"images\":[{\"source\":{\"url\":\"https:\\/\\/i.example.com\\/a.jpg\","
    "\"width\":640}}],\"enabled\":true},\"score\":5,\"subreddit\":\"reddit.com\",\"title\":"
    "\"caf\\u00e9 \\ud83d\\ude00 \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\",\"url\":"
    "\"http:\\/\\/example.com\\/a?x=1&amp;y=2\"}",
    "{\"score\":\"12\",\"created_utc\":\"1400000000\",\"url\":null,\"id\":\"x\",\"edited\":1.5e3,"
    "\"ups\":-0,\"downs\":-12.25E-2,\"gilded\":0,\"list\":[],\"obj\":{},\"nested\":[[1,[2,{\"a\":"
    "[true,false,null]}]]]}",
    "  { \"url\" : \"https://a.b/\\\"q\\\\\\b\\f\\n\\r\\t\" , \"is_self\" : true , \"ur\\u006c\" : "
    "\"http://escaped.key/\" }  \r",
    "{\"id\":\"dup\",\"id\":\"second\",\"permalink\":\"/r/x/comments/dup/t/\",\"over_18\":\"true\","
    "\"subreddit\":\"\\u0000nul\"}",
    "{\"score\":-0,\"created_utc\":1.5e9,\"over_18\":1,\"is_self\":null,\"id\":-12,"
    "\"permalink\":[\"a\",{\"b\":2}],\"subreddit\":{\"x\":\"\\u00e9\"},\"url\":0.25}",
    "{}",
};

static const char *const keys[CRAWL_NFIELDS] = {"created_utc", "id",    "is_self",   "over_18",
                                                "permalink",   "score", "subreddit", "url"};

/* The field read both ways must agree. */
static void same_reading(const json_t *full, const wt_jscan_field *f, const char *key,
                         const char *line, size_t len) {
    json_t *v = json_object_get(full, key);
    if (!v != (f->type == WT_JSCAN_NONE) || json_is_null(v) != (f->type == WT_JSCAN_NULL))
        fail_msg("key %s: presence differs on '%.*s'", key, (int)len, line);
    for (int64_t def = -7; def <= 7; def += 14)
        if (wt_json_int(full, key, def) != wt_jscan_int(f, def))
            fail_msg("key %s: int differs on '%.*s'", key, (int)len, line);
    for (int def = 0; def <= 1; def++)
        if (wt_json_bool(full, key, def) != wt_jscan_bool(f, def))
            fail_msg("key %s: bool differs on '%.*s'", key, (int)len, line);
    const char *cs = wt_json_str(full, key, NULL);
    ptrdiff_t cl = wt_jscan_cstrlen(f);
    if (!cs != (cl < 0) || (cs && ((size_t)cl != strlen(cs) || memcmp(cs, f->str, (size_t)cl))))
        fail_msg("key %s: string differs on '%.*s'", key, (int)len, line);
    size_t n = 0;
    const char *sn = wt_json_strn(full, key, &n);
    if (sn && (n != f->len || memcmp(sn, f->str, n)))
        fail_msg("key %s: string bytes differ on '%.*s'", key, (int)len, line);
}

static void compare(const char *line, size_t len) {
    wt_error err, serr;
    json_t *full = wt_json_parse(line, len, &err);
    wt_jscan_field f[CRAWL_NFIELDS];
    wt_jscan_buf buf = {0};
    bool fast = crawl_scan_fields(line, len, f, &buf, &serr) == 0;
    if (!full != !fast)
        fail_msg("disagree on '%.*s': jansson %s, scanner %s", (int)len, line,
                 full ? "accepts" : "rejects", fast ? "accepts" : "rejects");
    if (full)
        for (int i = 0; i < CRAWL_NFIELDS; i++) same_reading(full, &f[i], keys[i], line, len);
    json_decref(full);
    wt_jscan_buf_free(&buf);
}

/* Scans a line that must be valid; the fields point into *buf. */
static void scan_ok(const char *line, wt_jscan_field *f, wt_jscan_buf *buf) {
    wt_error err;
    assert_int_equal(crawl_scan_fields(line, strlen(line), f, buf, &err), 0);
}

static void test_valid_lines(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) compare(lines[i], strlen(lines[i]));
    wt_jscan_field f[CRAWL_NFIELDS];
    wt_jscan_buf buf = {0};
    scan_ok(lines[2], f, &buf);
    assert_int_equal(f[CRAWL_F_URL].len, strlen("http://escaped.key/"));
    assert_memory_equal(f[CRAWL_F_URL].str, "http://escaped.key/", f[CRAWL_F_URL].len);
    scan_ok(lines[3], f, &buf);
    assert_int_equal(f[CRAWL_F_ID].len, 6);
    assert_memory_equal(f[CRAWL_F_ID].str, "second", 6);
    assert_int_equal(f[CRAWL_F_SUBREDDIT].len, 4);
    wt_jscan_buf_free(&buf);
}

static void test_truncations(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        for (size_t n = 0; n < strlen(lines[i]); n++) compare(lines[i], n);
}

static void test_mutations(void **state) {
    (void)state;
    static const char subst[] = {'"',    '\\',   '{',    '}',    '[',    ']',    ',',    ':',
                                 '0',    '-',    '.',    'e',    'u',    'x',    ' ',    '\t',
                                 '\x01', '\x7f', '\x80', '\xc0', '\xed', '\xf5', '\xff', 'n',
                                 't',    '/',    '+',    'E',    'D',    'd'};
    char buf[1024];
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        size_t n = strlen(lines[i]);
        for (size_t pos = 0; pos < n; pos++)
            for (size_t k = 0; k < sizeof subst; k++) {
                memcpy(buf, lines[i], n);
                buf[pos] = subst[k];
                compare(buf, n);
            }
    }
}

static void test_numbers_and_unicode(void **state) {
    (void)state;
    static const char *const cases[] = {
        "{\"score\":9223372036854775807}",
        "{\"score\":9223372036854775808}",
        "{\"score\":-9223372036854775808}",
        "{\"score\":-9223372036854775809}",
        "{\"score\":1e308}",
        "{\"score\":1e309}",
        "{\"score\":-1e999}",
        "{\"score\":1e-999}",
        "{\"score\":01}",
        "{\"score\":1.}",
        "{\"score\":.5}",
        "{\"score\":+1}",
        "{\"score\":1e}",
        "{\"id\":\"\\ud800\"}",
        "{\"id\":\"\\udc00\"}",
        "{\"id\":\"\\ud800\\u0041\"}",
        "{\"id\":\"\\ud800\\udfff\"}",
        "{\"id\":\"\\u00\"}",
        "{\"id\":\"\\x41\"}",
        "{\"id\":\"\xed\xa0\x80\"}",
        "{\"id\":\"\xe0\x80\xaf\"}",
        "{\"id\":\"\xf4\x90\x80\x80\"}",
        "{\"id\":\"\xf4\x8f\xbf\xbf\"}",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "{,}",
        "[1]",
        "\"s\"",
        "{\"a\":1}x",
        "{\"a\":1} ",
        "{\"a\":truex}",
        "{\"a\":nul}",
        "{\"a\":[1,]}",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) compare(cases[i], strlen(cases[i]));
    /* nesting depth */
    static char deep[2 * 2100 + 16];
    for (int depth = 2045; depth <= 2050; depth++) {
        size_t n = 0;
        deep[n++] = '{';
        memcpy(deep + n, "\"a\":", 4);
        n += 4;
        for (int d = 1; d < depth; d++) deep[n++] = '[';
        for (int d = 1; d < depth; d++) deep[n++] = ']';
        deep[n++] = '}';
        compare(deep, n);
    }
}

int crawl_urls_scan_tests(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_lines),
        cmocka_unit_test(test_truncations),
        cmocka_unit_test(test_mutations),
        cmocka_unit_test(test_numbers_and_unicode),
    };
    return cmocka_run_group_tests_name("crawl urls scanner", tests, NULL, NULL);
}
