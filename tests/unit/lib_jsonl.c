/* Tests of JSON Lines reading/writing and the drift-tolerant accessors. */
#include "lib_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonl.h"

static void test_accessors_drift(void **s) {
    (void)s;
    const char *line =
        "{\"score\":\"42\",\"n\":null,\"f\":1.5,\"b\":\"true\",\"u\":\"a\\/b&amp;c\","
        "\"z\":\"x\\u0000y\"}";
    wt_error err = {0};
    json_t *o = wt_json_parse(line, strlen(line), &err);
    assert_non_null(o);
    assert_int_equal(wt_json_int(o, "score", -1), 42);
    assert_int_equal(wt_json_int(o, "n", -1), -1);
    assert_int_equal(wt_json_int(o, "missing", 7), 7);
    assert_true(wt_json_num(o, "f", 0) == 1.5);
    assert_true(wt_json_bool(o, "b", false));
    assert_string_equal(wt_json_str(o, "u", NULL), "a/b&amp;c");
    size_t n;
    const char *z = wt_json_strn(o, "z", &n);
    assert_int_equal(n, 3);
    assert_memory_equal(z, "x\0y", 3);
    json_decref(o);
}

static void test_parse_errors(void **s) {
    (void)s;
    wt_error err = {0};
    assert_null(wt_json_parse("{\"a\":", 5, &err));
    assert_non_null(strstr(err.msg, "not valid JSON"));
    assert_null(wt_json_parse("[1,2]", 5, &err));
    assert_non_null(strstr(err.msg, "not a JSON object"));
    assert_null(wt_json_parse("{} x", 4, &err));
    json_t *o = wt_json_parse("{}\r", 3, &err);
    assert_non_null(o);
    json_decref(o);
}

static void test_jsonl_stream(void **s) {
    (void)s;
    char *dir = tu_tmpdir(), path[512];
    snprintf(path, sizeof path, "%s/docs-00003.jsonl.zst", dir);
    wt_error err = {0};
    wt_writer *w = wt_writer_open(path, NULL, &err);
    assert_non_null(w);
    for (int i = 0; i < 5; i++) {
        json_t *o = json_pack("{s:i,s:s}", "id", i, "text", "h\xc3\xa9llo \"q\"\n");
        assert_int_equal(wt_jsonl_write(w, o, &err), 0);
        json_decref(o);
        if (i == 2) assert_int_equal(wt_writer_write(w, "{bad json\n\n", 11, &err), 0);
    }
    assert_int_equal(wt_writer_commit(w, &err), 0);

    wt_reader *r = wt_reader_open(path, &err);
    assert_non_null(r);
    wt_badrec bad = {.stage = "test", .max_print = 1};
    json_t *o;
    int got = 0;
    while (wt_jsonl_next(r, &bad, &o, &err) == 1) {
        assert_int_equal(wt_json_int(o, "id", -1), got);
        assert_string_equal(wt_json_str(o, "text", ""), "h\xc3\xa9llo \"q\"\n");
        json_decref(o);
        got++;
    }
    assert_int_equal(got, 5);
    assert_int_equal(bad.count, 1);
    wt_reader_close(r);

    /* --strict: the bad line is fatal and named */
    r = wt_reader_open(path, &err);
    wt_badrec strict = {.stage = "test", .strict = true};
    int rc;
    while ((rc = wt_jsonl_next(r, &strict, &o, &err)) == 1) json_decref(o);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(err.msg, "docs-00003.jsonl.zst:4:"));
    wt_reader_close(r);
    tu_rmdir(dir);
}

int lib_jsonl_tests(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accessors_drift),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_jsonl_stream),
    };
    return cmocka_run_group_tests_name("lib_jsonl", tests, NULL, NULL);
}
