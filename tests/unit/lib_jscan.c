/* Tests of the JSON record scanner (lib/jscan.h): every line is checked
 * against wt_json_parse (jansson): the same lines valid or invalid, the same
 * type and value for each requested field. */
#include "lib_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jscan.h"
#include "jsonl.h"

static const char *LINES[] = {
    "{\"id\":\"a\",\"text\":\"plain\"}",
    "  {\"text\" : \"tab\\there \\\"q\\\" \\\\ \\/ \\b\\f\\n\\r\", \"id\": \"x\"}  \r",
    "{\"text\":\"\\u00e9\\u4e2d\\ud83d\\ude00 caf\xc3\xa9\"}",
    "{\"text\":\"nul\\u0000inside\"}",
    "{\"text\":\"a\",\"text\":\"last wins\"}",
    "{\"text\":\"a\\n\",\"text\":7}",
    "{\"t\\u0065xt\":\"escaped key\"}",
    "{\"score\":-12.5e+2,\"n\":[1,2,{\"a\":[true,false,null]}],\"o\":{}}",
    "{\"score\":\"7\",\"text\":null}",
    "{\"score\":[1,{\"x\":\"\\u00e9\"}],\"text\":true}",
    "{\"score\":{\"a\":[]},\"text\":false}",
    "{}",
    "{\"a\":[]}",
    "{\"score\":9223372036854775807}",
    "{\"score\":-9223372036854775808}",
    "{\"score\":1e308}",
    "{\"score\":1e-999}",
    "{\"score\":-0}",
    /* invalid ones */
    "",
    "   ",
    "[1,2]",
    "\"str\"",
    "{\"text\":\"unterminated}",
    "{\"text\":\"bad \\x escape\"}",
    "{\"text\":\"lone \\ud800 surrogate\"}",
    "{\"text\":\"lone \\udc00 low\"}",
    "{\"text\":\"bad pair \\ud800\\u0041\"}",
    "{\"text\":\"short \\u00\"}",
    "{\"text\":\"ctrl \x01 char\"}",
    "{\"text\":\"bad utf8 \xff\"}",
    "{\"text\":\"overlong \xc0\xaf\"}",
    "{\"text\":\"overlong \xe0\x80\xaf\"}",
    "{\"text\":\"too high \xf4\x90\x80\x80\"}",
    "{\"text\":\"surrogate utf8 \xed\xa0\x80\"}",
    "{\"a\\u0000b\":1}",
    "{\"o\":{\"\\u0000\":1}}",
    "{\"score\":9223372036854775808}",
    "{\"score\":-9223372036854775809}",
    "{\"score\":1e309}",
    "{\"score\":-1e999}",
    "{\"a\":01}",
    "{\"a\":1.}",
    "{\"a\":.5}",
    "{\"a\":+1}",
    "{\"a\":-}",
    "{\"a\":1e}",
    "{\"a\":tru}",
    "{\"a\":truex}",
    "{\"a\":1,}",
    "{\"a\":[1,]}",
    "{\"a\" 1}",
    "{,}",
    "{a:1}",
    "{\"a\":1} x",
    "{\"a\":[1,2}",
    "{\"a\":1}{\"b\":2}",
    "{\"text\":\"a\"",
};

/* Checks one field against jansson's value of the same key. */
static void check_field(const wt_jscan_field *f, json_t *v) {
    if (!v) {
        assert_int_equal(f->type, WT_JSCAN_NONE);
        return;
    }
    switch (json_typeof(v)) {
    case JSON_STRING:
        assert_int_equal(f->type, WT_JSCAN_STRING);
        assert_int_equal(f->len, json_string_length(v));
        assert_memory_equal(f->str, json_string_value(v), f->len);
        return;
    case JSON_INTEGER:
    case JSON_REAL: {
        assert_int_equal(f->type, WT_JSCAN_NUMBER);
        assert_int_equal(f->real, json_is_real(v));
        char tmp[64];
        assert_true(f->len < sizeof tmp);
        memcpy(tmp, f->str, f->len);
        tmp[f->len] = '\0';
        assert_true(strtod(tmp, NULL) == json_number_value(v));
        return;
    }
    case JSON_TRUE:
        assert_int_equal(f->type, WT_JSCAN_TRUE);
        return;
    case JSON_FALSE:
        assert_int_equal(f->type, WT_JSCAN_FALSE);
        return;
    case JSON_NULL:
        assert_int_equal(f->type, WT_JSCAN_NULL);
        return;
    case JSON_ARRAY:
    case JSON_OBJECT: {
        assert_int_equal(f->type, json_is_array(v) ? WT_JSCAN_ARRAY : WT_JSCAN_OBJECT);
        json_t *w = json_loadb(f->str, f->len, JSON_ALLOW_NUL, NULL);
        assert_non_null(w);
        assert_true(json_equal(v, w));
        json_decref(w);
        return;
    }
    }
}

static void compare(const char *l, size_t n, wt_jscan_buf *buf) {
    wt_error je = {{0}}, err = {{0}};
    json_t *j = wt_json_parse(l, n, &je);
    wt_jscan_field f[3] = {{.key = "text"}, {.key = "score"}, {.key = "id"}};
    int rc = wt_jscan_object(l, n, f, 3, buf, &err);
    if ((rc == 0) != (j != NULL))
        fail_msg("disagree on '%.*s': jansson %s (%s), jscan %s (%s)", (int)n, l,
                 j ? "accepts" : "rejects", je.msg, rc ? "rejects" : "accepts", err.msg);
    if (j) {
        for (size_t i = 0; i < 3; i++) check_field(&f[i], json_object_get(j, f[i].key));
    } else {
        assert_true(strlen(err.msg) > 0);
    }
    json_decref(j);
}

static void test_against_jansson(void **state) {
    (void)state;
    wt_jscan_buf buf = {0};
    for (size_t i = 0; i < sizeof LINES / sizeof *LINES; i++)
        compare(LINES[i], strlen(LINES[i]), &buf);
    wt_jscan_buf_free(&buf);
}

/* Every truncation and every single-byte substitution of the valid lines. */
static void test_mutations(void **state) {
    (void)state;
    static const char subst[] = {'"',    '\\',   '{',    '}',    '[',    ']',    ',',    ':',
                                 '0',    '-',    '.',    'e',    'u',    'x',    ' ',    '\t',
                                 '\x01', '\x7f', '\x80', '\xc0', '\xed', '\xf5', '\xff', 'n',
                                 't',    '/',    '+',    'E',    'D',    '9',    '\0'};
    wt_jscan_buf buf = {0};
    char tmp[256];
    for (size_t i = 0; i < 18; i++) { /* the valid part of LINES */
        size_t n = strlen(LINES[i]);
        assert_true(n < sizeof tmp);
        for (size_t k = 0; k < n; k++) compare(LINES[i], k, &buf);
        for (size_t pos = 0; pos < n; pos++)
            for (size_t k = 0; k < sizeof subst; k++) {
                memcpy(tmp, LINES[i], n);
                tmp[pos] = subst[k];
                compare(tmp, n, &buf);
            }
    }
    wt_jscan_buf_free(&buf);
}

/* Long strings, scanned eight bytes at a time: every byte value at every
 * position of a 40-byte string. */
static void test_long_strings(void **state) {
    (void)state;
    wt_jscan_buf buf = {0};
    char tmp[64];
    const char *l = "{\"text\":\"abcdefghijklmnopqrstuvwxyz0123456789ABCD\"}";
    size_t n = strlen(l);
    for (size_t pos = 9; pos < n - 2; pos++)
        for (int c = 0; c < 256; c++) {
            memcpy(tmp, l, n);
            tmp[pos] = (char)c;
            compare(tmp, n, &buf);
            if (pos + 1 < n - 2) { /* and with a continuation byte after it */
                tmp[pos + 1] = (char)0xA9;
                compare(tmp, n, &buf);
            }
        }
    wt_jscan_buf_free(&buf);
}

static void test_values(void **state) {
    (void)state;
    const char *l = "{\"t\\u0065xt\":\"a\\u0000b\",\"id\":\"plain\",\"score\":-1.5e3}";
    wt_jscan_field f[3] = {{.key = "text"}, {.key = "id"}, {.key = "score"}};
    wt_jscan_buf buf = {0};
    wt_error err;
    assert_int_equal(wt_jscan_object(l, strlen(l), f, 3, &buf, &err), 0);
    assert_int_equal(f[0].len, 3);
    assert_memory_equal(f[0].str, "a\0b", 3);
    assert_ptr_equal(f[1].str, strstr(l, "plain")); /* no escapes: points into the line */
    assert_int_equal(f[2].len, 6);
    assert_true(f[2].real);
    wt_jscan_buf_free(&buf);
}

static void test_nesting(void **state) {
    (void)state;
    enum { N = 100000 };
    static char deep[6 * N + 16];
    size_t k = 0;
    memcpy(deep, "{\"a\":", 5), k = 5;
    for (int i = 0; i < N; i++) deep[k++] = '[';
    for (int i = 0; i < N; i++) deep[k++] = ']';
    deep[k++] = '}';
    wt_jscan_buf buf = {0};
    wt_jscan_field f = {.key = "text"};
    wt_error err;
    assert_int_equal(wt_jscan_object(deep, k, &f, 1, &buf, &err), -1);
    assert_non_null(strstr(err.msg, "deep"));
    /* around the bound, nested arrays and objects: the same verdict as jansson */
    for (int depth = WT_JSCAN_MAX_DEPTH - 3; depth <= WT_JSCAN_MAX_DEPTH + 2; depth++)
        for (int obj = 0; obj < 2; obj++) {
            k = 0; /* {"a":[[...]]} or {"a":{"a":{...}}}: `depth` containers in all */
            deep[k++] = '{';
            if (!obj) memcpy(deep + k, "\"a\":", 4), k += 4;
            for (int d = 1; d < depth; d++) {
                if (obj) memcpy(deep + k, "\"a\":", 4), k += 4;
                deep[k++] = obj ? '{' : '[';
            }
            for (int d = 1; d < depth; d++) deep[k++] = obj ? '}' : ']';
            deep[k++] = '}';
            compare(deep, k, &buf);
        }
    wt_jscan_buf_free(&buf);
}

int lib_jscan_tests(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_jansson), cmocka_unit_test(test_mutations),
        cmocka_unit_test(test_long_strings),    cmocka_unit_test(test_values),
        cmocka_unit_test(test_nesting),
    };
    return cmocka_run_group_tests_name("lib_jscan", tests, NULL, NULL);
}
