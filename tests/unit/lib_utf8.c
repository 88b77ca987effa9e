/* lib/utf8: strict decoding, the valid prefix, encoding, and the two
 * replacement policies (per maximal subpart, per byte, NUL dropped). */
#include "lib_test.h"

#include <string.h>

#include "utf8.h"

static int collect(void *ctx, const void *p, size_t n) {
    strncat(ctx, p, n);
    return 0;
}

static long clean(const char *in, size_t n, int flags, char *out) {
    out[0] = 0;
    return wt_utf8_clean((const unsigned char *)in, n, flags, collect, out);
}

static void test_decode(void **s) {
    (void)s;
    uint32_t cp;
    size_t bad = 0;
    assert_int_equal(wt_utf8_decode((const unsigned char *)"\xe2\x82\xac", 3, &cp, &bad), 3);
    assert_int_equal(cp, 0x20AC);
    assert_int_equal(wt_utf8_decode((const unsigned char *)"\xf0\x9f\x98\x80", 4, &cp, &bad), 4);
    assert_int_equal(cp, 0x1F600);
    /* overlong, surrogate, above U+10FFFF, cut short: invalid, with the subpart length */
    assert_int_equal(wt_utf8_decode((const unsigned char *)"\xc0\xaf", 2, &cp, &bad), 0);
    assert_int_equal(bad, 1);
    assert_int_equal(wt_utf8_decode((const unsigned char *)"\xed\xa0\x80", 3, &cp, &bad), 0);
    assert_int_equal(bad, 1);
    assert_int_equal(wt_utf8_decode((const unsigned char *)"\xf4\x90\x80\x80", 4, &cp, &bad), 0);
    assert_int_equal(bad, 1);
    assert_int_equal(wt_utf8_decode((const unsigned char *)"\xe2\x82", 2, &cp, &bad), 0);
    assert_int_equal(bad, 2);
    assert_int_equal(wt_utf8_decode((const unsigned char *)"\xf0\x9f\x98x", 4, &cp, &bad), 0);
    assert_int_equal(bad, 3);
}

static void test_prefix_encode(void **s) {
    (void)s;
    assert_int_equal(wt_utf8_valid_prefix((const unsigned char *)"ab\xc3\xa9z", 5), 5);
    assert_int_equal(wt_utf8_valid_prefix((const unsigned char *)"ab\xc3", 3), 2);
    unsigned char u[4];
    uint32_t cps[] = {0x41, 0xE9, 0x20AC, 0x1F600, 0x10FFFF};
    for (size_t i = 0; i < sizeof cps / sizeof *cps; i++) {
        size_t n = wt_utf8_encode(cps[i], u), bad;
        uint32_t back;
        assert_int_equal(wt_utf8_decode(u, n, &back, &bad), n);
        assert_int_equal(back, cps[i]);
    }
}

static void test_clean_policies(void **s) {
    (void)s;
    char out[64];
    /* a cut 3-byte sequence is one subpart, two bytes */
    assert_int_equal(clean("a\xe2\x82z", 4, WT_UTF8_PER_SUBPART, out), 1);
    assert_string_equal(out, "a\xef\xbf\xbdz");
    assert_int_equal(clean("a\xe2\x82z", 4, WT_UTF8_PER_BYTE, out), 2);
    assert_string_equal(out, "a\xef\xbf\xbd\xef\xbf\xbdz");
    /* NUL kept, or dropped and counted */
    assert_int_equal(clean("a\0b", 3, WT_UTF8_PER_SUBPART, out), 0);
    assert_int_equal(clean("a\0b", 3, WT_UTF8_PER_BYTE | WT_UTF8_DROP_NUL, out), 1);
    assert_string_equal(out, "ab");
    assert_int_equal(clean("valid \xc3\xa9", 8, WT_UTF8_PER_SUBPART, out), 0);
    assert_string_equal(out, "valid \xc3\xa9");
}

int lib_utf8_tests(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_decode),
                                       cmocka_unit_test(test_prefix_encode),
                                       cmocka_unit_test(test_clean_policies)};
    return cmocka_run_group_tests_name("lib_utf8", tests, NULL, NULL);
}
