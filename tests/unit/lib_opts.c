/* lib/opts: defaults applied, ranges checked, short-only and repeatable
 * (callback) options, operands mixed with options, and --help generated from
 * the same table. */
#include "lib_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opts.h"

typedef struct parsed {
    const char *out, *mode;
    int64_t n;
    int level, threads;
    double rate;
    bool quiet;
    int calls;
} parsed;

static int count_call(void *dest, const char *arg) {
    parsed *p = dest;
    if (!strcmp(arg, "bad")) return -1;
    p->calls++;
    p->mode = arg;
    return 0;
}

static int parse(parsed *p, int argc, char **argv, int *code) {
    memset(p, 0, sizeof *p);
    const wt_opt table[] = {WT_STR("output", 'o', &p->out, "DIR", NULL, "output"),
                            WT_INT(NULL, 'n', &p->n, "N", "50", 0, 100, "count"),
                            WT_INT32("level", 0, &p->level, "L", "3", 1, 19, "level"),
                            WT_NUM("rate", 0, &p->rate, "R", "0.5", 0, 1, "rate"),
                            WT_THREADS(&p->threads),
                            WT_FLAG("quiet", 'q', &p->quiet, "quiet"),
                            WT_CALL("mode", 0, p, count_call, "M", "repeatable"),
                            WT_OPTS_END};
    const wt_cmd_spec spec = {"test cmd", "[options] IN...", "About.\n", table, NULL};
    return wt_opts_parse(&spec, argc, argv, code);
}

static void test_defaults_and_values(void **s) {
    (void)s;
    parsed p;
    int code = -1;
    char *a1[] = {"cmd",    "in1", "-o",       "dir", "-n",  "7",
                  "--mode", "x",   "--mode=y", "-q",  "in2", NULL};
    int first = parse(&p, 11, a1, &code);
    assert_true(first >= 0);
    assert_int_equal(11 - first, 2); /* operands were permuted to the end */
    assert_string_equal(a1[first], "in1");
    assert_string_equal(p.out, "dir");
    assert_int_equal(p.n, 7);
    assert_int_equal(p.level, 3);
    assert_true(p.rate == 0.5);
    assert_true(p.quiet);
    assert_int_equal(p.calls, 2);
    assert_string_equal(p.mode, "y");
}

static void test_errors(void **s) {
    (void)s;
    parsed p;
    int code = -1;
    char *a1[] = {"cmd", "--level", "20", NULL};
    assert_int_equal(parse(&p, 3, a1, &code), -1);
    assert_int_equal(code, 2);
    char *a2[] = {"cmd", "--nope", NULL};
    assert_int_equal(parse(&p, 2, a2, &code), -1);
    assert_int_equal(code, 2);
    char *a3[] = {"cmd", "--mode", "bad", NULL};
    assert_int_equal(parse(&p, 3, a3, &code), -1);
    assert_int_equal(code, 2);
    char *a4[] = {"cmd", "--rate", "1.5", NULL};
    assert_int_equal(parse(&p, 3, a4, &code), -1);
    char *a5[] = {"cmd", "--help", NULL};
    assert_int_equal(parse(&p, 2, a5, &code), -1);
    assert_int_equal(code, 0);
}

static void test_help_from_table(void **s) {
    (void)s;
    const char *out = NULL;
    bool q = false;
    const wt_opt table[] = {WT_STR("output", 'o', &out, "DIR", "x", "where it goes\nsecond line"),
                            WT_SECTION("a heading"), WT_FLAG("quiet", 0, &q, "no noise"),
                            WT_OPTS_END};
    const wt_cmd_spec spec = {"prog sub", "[options]", NULL, table, NULL};
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    assert_non_null(f);
    wt_opts_help(&spec, f);
    fclose(f);
    assert_non_null(strstr(buf, "usage: prog sub [options]\n"));
    assert_non_null(strstr(buf, "  -o, --output DIR    where it goes\n"
                                "                      second line (default: x)\n"));
    assert_non_null(strstr(buf, "a heading\n  --quiet             no noise\n"));
    assert_non_null(strstr(buf, "--help"));
    free(buf);
}

int lib_opts_tests(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_defaults_and_values),
                                       cmocka_unit_test(test_errors),
                                       cmocka_unit_test(test_help_from_table)};
    return cmocka_run_group_tests_name("lib_opts", tests, NULL, NULL);
}
