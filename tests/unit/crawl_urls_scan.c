/* Differential tests of the fast line scanner (crawl/urls_scan.h) against
 * jansson: on valid lines, on every truncation and on single-byte mutations of
 * them, the scanner must accept exactly what jansson accepts and return the
 * same values for the wanted keys. */
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

static void compare(const char *line, size_t len) {
    wt_error err;
    json_t *full = wt_json_parse(line, len, &err);
    json_t *fast = crawl_scan_fields(line, len, crawl_scan_keys);
    if (!full != !fast)
        fail_msg("disagree on '%.*s': jansson %s, scanner %s", (int)len, line,
                 full ? "accepts" : "rejects", fast ? "accepts" : "rejects");
    if (full) {
        for (int i = 0; crawl_scan_keys[i]; i++) {
            json_t *a = json_object_get(full, crawl_scan_keys[i]);
            json_t *b = json_object_get(fast, crawl_scan_keys[i]);
            if (!a != !b || (a && !json_equal(a, b)))
                fail_msg("key %s differs on '%.*s'", crawl_scan_keys[i], (int)len, line);
        }
    }
    json_decref(full);
    json_decref(fast);
}

static void test_valid_lines(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        json_t *o = crawl_scan_fields(lines[i], strlen(lines[i]), crawl_scan_keys);
        assert_non_null(o);
        json_decref(o);
        compare(lines[i], strlen(lines[i]));
    }
    json_t *o = crawl_scan_fields(lines[2], strlen(lines[2]), crawl_scan_keys);
    assert_string_equal(json_string_value(json_object_get(o, "url")), "http://escaped.key/");
    json_decref(o);
    o = crawl_scan_fields(lines[3], strlen(lines[3]), crawl_scan_keys);
    assert_string_equal(json_string_value(json_object_get(o, "id")), "second");
    assert_int_equal(json_string_length(json_object_get(o, "subreddit")), 4);
    json_decref(o);
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
