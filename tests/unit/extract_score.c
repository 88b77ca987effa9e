/* Unit tests of the benchmark metric (extract/score.c): the per-page cases
 * of the upstream evaluation and Unicode word tokens. */
#include "extract_test.h"

#include <stdlib.h>
#include <string.h>

#include "extract/score.h"
#include "extract/snippet.h"

static ex_page_score page(const char *truth, const char *pred) {
    ex_page_score p;
    assert_int_equal(ex_score_page(truth, strlen(truth), pred, strlen(pred), &p), 0);
    return p;
}

static void test_identical(void **state) {
    (void)state;
    ex_page_score p = page("one two three four five", "one, two; three four five!");
    assert_true(p.exact);
    assert_true(p.tp == 1.0 && p.fp == 0 && p.fn == 0);
    ex_score_total t;
    ex_score_total_of(&p, 1, &t);
    assert_true(t.f1 == 1.0 && t.accuracy == 1.0);
}

static void test_partial(void **state) {
    (void)state;
    /* truth: 3 shingles; prediction adds one token: 4 shingles, 3 shared */
    ex_page_score p = page("a b c d e f", "a b c d e f g");
    assert_false(p.exact);
    assert_true(p.tp > 0.74 && p.tp < 0.76); /* 3 / (3 + 1 + 0) */
    assert_true(p.fp > 0.24 && p.fp < 0.26);
    assert_true(p.fn == 0);
}

static void test_empty_and_short(void **state) {
    (void)state;
    ex_page_score p = page("only two", "");
    assert_true(p.fn == 1.0 && p.tp == 0 && p.fp == 0); /* one shingle of all tokens */
    ex_score_total t;
    ex_score_total_of(&p, 1, &t);
    /* precision over pages with tp+fp > 0: none, so 0; recall 0 */
    assert_true(t.precision == 0 && t.recall == 0 && t.f1 == 0);
    ex_page_score q = page("", "");
    assert_true(q.tp == 0 && q.fp == 0 && q.fn == 0);
}

static void test_unicode_words(void **state) {
    (void)state;
    /* é and Cyrillic letters are word characters; the em dash is not */
    ex_page_score p = page("caf\xc3\xa9\xe2\x80\x94\xd0\xbc\xd0\xb8\xd1\x80 x y",
                           "caf\xc3\xa9 \xd0\xbc\xd0\xb8\xd1\x80 x y");
    assert_true(p.exact);
    ex_page_score q = page("cafe mir x y", "caf\xc3\xa9 mir x y");
    assert_false(q.exact);
}

/* trafilatura's metric: Unicode whitespace runs (NBSP, ideographic space,
 * line separator) become one space; counts are summed over pages. */
static void test_snippets(void **state) {
    (void)state;
    const char *txt = "  Eins\xc2\xa0 zwei\n\ndrei\xe3\x80\x80vier \xe2\x80\xa8"
                      "f\xc3\xbcnf  ";
    char *norm = ex_snip_normalize(txt, strlen(txt));
    assert_non_null(norm);
    assert_string_equal(norm, "Eins zwei drei vier f\xc3\xbcnf");
    const char *with[] = {"zwei drei", "vier\tf\xc3\xbcnf", "sechs"};
    const char *without[] = {"Eins", "sieben"};
    ex_snip_counts c = {0};
    assert_int_equal(ex_snip_count(norm, with, 3, without, 2, &c), 0);
    assert_true(c.tp == 2 && c.fn == 1 && c.fp == 1 && c.tn == 1);
    assert_int_equal(ex_snip_count("", with, 3, without, 2, &c), 0); /* no output: nothing found */
    assert_true(c.tp == 2 && c.fn == 4 && c.fp == 1 && c.tn == 3);
    ex_snip_total t;
    ex_snip_total_of(&c, &t);
    assert_true(t.precision > 0.666 && t.precision < 0.667);
    assert_true(t.recall > 0.333 && t.recall < 0.334);
    assert_true(t.f1 > 0.444 && t.f1 < 0.445); /* 4 / 9 */
    assert_true(t.accuracy > 0.499 && t.accuracy < 0.501);
    free(norm);
}

int extract_score_tests(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identical), cmocka_unit_test(test_partial),
        cmocka_unit_test(test_empty_and_short), cmocka_unit_test(test_unicode_words),
        cmocka_unit_test(test_snippets)};
    return cmocka_run_group_tests_name("extract_score", tests, NULL, NULL);
}
