/* Unit tests for dedup's JSON record scanner: every line is checked against
 * jansson (the same lines valid or invalid, the same decoded fields). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <string.h>

#include "dedup/jscan.h"

int dedup_jscan_tests(void);

static const char *LINES[] = {
    "{\"id\":\"a\",\"text\":\"plain\"}",
    "  {\"text\" : \"tab\\there \\\"q\\\" \\\\ \\/ \\b\\f\\n\\r\", \"id\": \"x\"}  \r",
    "{\"text\":\"\\u00e9\\u4e2d\\ud83d\\ude00 caf\xc3\xa9\"}",
    "{\"text\":\"nul\\u0000inside\"}",
    "{\"text\":\"a\",\"text\":\"last wins\"}",
    "{\"t\\u0065xt\":\"escaped key\"}",
    "{\"score\":-12.5e+2,\"n\":[1,2,{\"a\":[true,false,null]}],\"o\":{}}",
    "{\"score\":\"7\",\"text\":null}",
    "{}",
    "{\"a\":[]}",
    /* invalid ones */
    "",
    "   ",
    "[1,2]",
    "\"str\"",
    "{\"text\":\"unterminated}",
    "{\"text\":\"bad \\x escape\"}",
    "{\"text\":\"lone \\ud800 surrogate\"}",
    "{\"text\":\"lone \\udc00 low\"}",
    "{\"text\":\"ctrl \x01 char\"}",
    "{\"text\":\"bad utf8 \xff\"}",
    "{\"text\":\"overlong \xc0\xaf\"}",
    "{\"text\":\"surrogate utf8 \xed\xa0\x80\"}",
    "{\"a\":01}",
    "{\"a\":1.}",
    "{\"a\":-}",
    "{\"a\":1e}",
    "{\"a\":tru}",
    "{\"a\":1,}",
    "{\"a\" 1}",
    "{a:1}",
    "{\"a\":1} x",
    "{\"a\":[1,2}",
    "{\"a\":1}{\"b\":2}",
    "{\"text\":\"a\"",
};

static void test_against_jansson(void **state) {
    (void)state;
    jscan_buf buf = {0};
    for (size_t i = 0; i < sizeof LINES / sizeof *LINES; i++) {
        const char *l = LINES[i];
        size_t n = strlen(l);
        json_error_t je;
        json_t *j = json_loadb(l, n, JSON_ALLOW_NUL | JSON_DISABLE_EOF_CHECK, &je);
        bool jvalid = j && json_is_object(j);
        if (j) { /* jansson with EOF check disabled: only whitespace may follow */
            for (size_t k = je.position; k < n; k++)
                if (!strchr(" \t\r\n", l[k])) jvalid = false;
        }
        jscan_field f[2] = {{.key = "text"}, {.key = "score"}};
        char why[160];
        int rc = jscan_object(l, n, f, 2, &buf, why, sizeof why);
        print_message("line %zu: jansson %d, jscan %d (%s)\n", i, jvalid, rc == 0, rc ? why : "");
        assert_int_equal(rc == 0, jvalid);
        if (jvalid) {
            json_t *t = json_object_get(j, "text");
            if (json_is_string(t)) {
                assert_int_equal(f[0].type, JSCAN_STRING);
                assert_int_equal(f[0].len, json_string_length(t));
                assert_memory_equal(f[0].str, json_string_value(t), f[0].len);
            } else {
                assert_true(f[0].type != JSCAN_STRING);
            }
        } else {
            assert_true(strlen(why) > 0);
        }
        json_decref(j);
    }
    jscan_buf_free(&buf);
}

static void test_deep_nesting(void **state) {
    (void)state;
    enum { N = 100000 };
    static char deep[2 * N + 16];
    size_t k = 0;
    memcpy(deep, "{\"a\":", 5), k = 5;
    for (int i = 0; i < N; i++) deep[k++] = '[';
    for (int i = 0; i < N; i++) deep[k++] = ']';
    deep[k++] = '}';
    jscan_buf buf = {0};
    jscan_field f = {.key = "text"};
    char why[160];
    assert_int_equal(jscan_object(deep, k, &f, 1, &buf, why, sizeof why), -1);
    assert_non_null(strstr(why, "deep"));
    jscan_buf_free(&buf);
}

int dedup_jscan_tests(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_against_jansson),
                                       cmocka_unit_test(test_deep_nesting)};
    return cmocka_run_group_tests_name("dedup_jscan", tests, NULL, NULL);
}
