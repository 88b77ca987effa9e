/* Tests of the thread pool, CLI parsing helpers and shard names. */
#include "lib_test.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pool.h"
#include "warc_read.h"

typedef struct {
    atomic_int *hits;
    atomic_int workers_seen[8];
} pool_ctx;

static void pool_mark(void *ctx, size_t i, int worker) {
    pool_ctx *c = ctx;
    atomic_fetch_add(&c->hits[i], 1);
    atomic_fetch_add(&c->workers_seen[worker], 1);
}

static void test_pool_each_item_once(void **s) {
    (void)s;
    for (int threads = 1; threads <= 4; threads++) {
        wt_pool *p = wt_pool_create(threads);
        assert_non_null(p);
        for (int round = 0; round < 20; round++) {
            size_t n = 1000 + (size_t)round * 37;
            pool_ctx c = {.hits = calloc(n, sizeof(atomic_int))};
            wt_pool_for(p, n, (size_t)round % 5, pool_mark, &c);
            for (size_t i = 0; i < n; i++) assert_int_equal(c.hits[i], 1);
            free(c.hits);
        }
        wt_pool_destroy(p);
    }
}

static void test_parse_numbers(void **s) {
    (void)s;
    int64_t v;
    assert_int_equal(wt_parse_i64("t", "--n", "42", 0, 100, &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(wt_parse_i64("t", "--n", "0x10", 0, 100, &v), 0);
    assert_int_equal(v, 16);
    assert_int_equal(wt_parse_i64("t", "--n", "101", 0, 100, &v), -1);
    assert_int_equal(wt_parse_i64("t", "--n", "4x", 0, 100, &v), -1);
    assert_int_equal(wt_parse_i64("t", "--n", "", 0, 100, &v), -1);
    double d;
    assert_int_equal(wt_parse_double("t", "--p", "0.5", 0, 1, &d), 0);
    assert_true(d == 0.5);
    assert_int_equal(wt_parse_double("t", "--p", "nan", 0, 1, &d), -1);
    assert_true(wt_threads(0) >= 1);
    assert_int_equal(wt_threads(3), 3);
}

static void test_shard_names(void **s) {
    (void)s;
    char buf[256];
    wt_shard_path(buf, sizeof buf, "out", "tokens", 12, "bin.zst");
    assert_string_equal(buf, "out/tokens-00012.bin.zst");
    assert_int_equal(wt_shard_index("a/b-c/docs-00012.jsonl.zst"), 12);
    assert_int_equal(wt_shard_index("urls-7.jsonl"), 7);
    assert_int_equal(wt_shard_index("docs.jsonl"), -1);
    assert_int_equal(wt_shard_index("docs-x1.jsonl"), -1);
}

static void test_mkdir_p(void **s) {
    (void)s;
    char *dir = tu_tmpdir(), path[512];
    snprintf(path, sizeof path, "%s/a/b/c", dir);
    wt_error err = {0};
    assert_int_equal(wt_mkdir_p(path, &err), 0);
    assert_int_equal(wt_mkdir_p(path, &err), 0);
    assert_true(wt_file_exists(path));
    tu_rmdir(dir);
}

static void test_bad_record_counting(void **s) {
    (void)s;
    wt_badrec b = {.stage = "test", .max_print = 2};
    wt_error err = {0};
    for (int i = 0; i < 5; i++) assert_int_equal(wt_bad_record(&b, &err, "f.jsonl", 3, "x"), 0);
    assert_int_equal(b.count, 5);
    b.strict = true;
    assert_int_equal(wt_bad_record(&b, &err, "f.jsonl", 9, "broken %d", 7), -1);
    assert_string_equal(err.msg, "f.jsonl:9: broken 7 (--strict)");
    wt_fail(&err, "inner");
    wt_error_context(&err, "outer %d", 1);
    assert_string_equal(err.msg, "outer 1: inner");
}

/* An empty WARC header block arrives as (NULL, 0): no header, no UB (fuzz_warc). */
static void test_header_get_empty(void **s) {
    (void)s;
    char v[16] = "x";
    assert_false(wt_header_get(NULL, 0, "Content-Type", v, sizeof v));
    assert_string_equal(v, "");
    const char *h = "Content-Type: text/html\r\nX: 1\r\n";
    assert_true(wt_header_get(h, strlen(h), "content-type", v, sizeof v));
    assert_string_equal(v, "text/html");
}

int lib_misc_tests(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pool_each_item_once), cmocka_unit_test(test_parse_numbers),
        cmocka_unit_test(test_shard_names),         cmocka_unit_test(test_mkdir_p),
        cmocka_unit_test(test_bad_record_counting), cmocka_unit_test(test_header_get_empty),
    };
    return cmocka_run_group_tests_name("lib_misc", tests, NULL, NULL);
}
