/* Unit tests of charset detection and conversion (extract/charset.c). */
#include "extract_test.h"

#include <stdlib.h>
#include <string.h>

#include "extract/charset.h"

static const char *conv(const char *s, size_t n, const char *hdr, ex_charset_info *info,
                        ex_buf *out) {
    assert_int_equal(ex_charset_to_utf8((const unsigned char *)s, n, hdr, out, info), 0);
    return out->p;
}

static void test_sources(void **state) {
    (void)state;
    ex_charset_info info;
    ex_buf out = {0};
    /* header: Latin-1 byte 0xE9 is é */
    assert_string_equal(conv("caf\xe9", 4, "iso-8859-1", &info, &out), "caf\xc3\xa9");
    assert_string_equal(info.source, "header");
    assert_string_equal(info.name, "windows-1252");
    /* meta prescan */
    const char *m = "<html><head><meta charset=\"windows-1251\"></head>\xcf\xf0\xe8";
    conv(m, strlen(m), "", &info, &out);
    assert_string_equal(info.source, "meta");
    assert_non_null(strstr(out.p, "\xd0\x9f\xd1\x80\xd0\xb8")); /* При */
    const char *he =
        "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">\xe9";
    conv(he, strlen(he), "", &info, &out);
    assert_string_equal(info.source, "meta");
    /* BOM: UTF-16LE "hi" */
    conv("\xff\xfeh\0i\0", 6, "", &info, &out);
    assert_string_equal(info.source, "bom");
    assert_string_equal(out.p, "hi");
    ex_buf_free(&out);
}

static void test_corrections(void **state) {
    (void)state;
    ex_charset_info info;
    ex_buf out = {0};
    /* declared Latin-1, but the bytes are UTF-8: UTF-8 wins */
    assert_string_equal(conv("caf\xc3\xa9 na\xc3\xafve", 12, "iso-8859-1", &info, &out),
                        "caf\xc3\xa9 na\xc3\xafve");
    assert_string_equal(info.name, "utf-8");
    /* an unknown label falls through to detection */
    conv("plain ascii", 11, "x-no-such-charset", &info, &out);
    assert_int_equal(info.unsupported, 1);
    assert_string_equal(out.p, "plain ascii");
    ex_buf_free(&out);
}

static void test_invalid_replaced(void **state) {
    (void)state;
    ex_charset_info info;
    ex_buf out = {0};
    /* declared UTF-8 with a stray byte and a NUL: replaced / dropped, counted */
    const char s[] = "ok \xff ok\0end";
    conv(s, sizeof s - 1, "utf-8", &info, &out);
    assert_string_equal(out.p, "ok \xef\xbf\xbd okend");
    assert_int_equal(info.replaced, 2);
    /* truncated multi-byte sequence at the end */
    conv("ab\xe2\x82", 4, "utf-8", &info, &out);
    assert_int_equal(info.replaced, 2);
    assert_int_equal(strncmp(out.p, "ab", 2), 0);
    ex_buf_free(&out);
}

/* an empty page with a declared charset, into a fresh buffer: crashed bin/extract
 * (docs/hardening.md) */
static void test_empty_with_charset(void **state) {
    (void)state;
    ex_charset_info info;
    ex_buf out = {0};
    assert_int_equal(ex_charset_to_utf8((const unsigned char *)"", 0, "windows-1252", &out, &info),
                     0);
    assert_non_null(out.p);
    assert_int_equal(out.len, 0);
    assert_int_equal(out.p[0], 0);
    ex_buf_free(&out);
    assert_int_equal(ex_charset_to_utf8(NULL, 0, "", &out, &info), 0); /* no bytes at all */
    assert_non_null(out.p);
    assert_string_equal(out.p, "");
    ex_buf_free(&out);
}

/* the meta prescan stays inside the page: no NUL after it is needed */
static void test_meta_without_nul(void **state) {
    (void)state;
    char label[48];
    const char *m = "<meta content=\"text/html\" http-equiv=x>";
    size_t n = strlen(m);
    unsigned char *p = malloc(n);
    assert_non_null(p);
    memcpy(p, m, n);
    assert_int_equal(ex_charset_from_meta(p, n, label, sizeof label), 0);
    free(p);
    const char *c = "<meta content='text/html; charset=koi8-r' http-equiv=x>";
    n = strlen(c);
    p = malloc(n);
    assert_non_null(p);
    memcpy(p, c, n);
    assert_int_equal(ex_charset_from_meta(p, n, label, sizeof label), 1);
    assert_string_equal(label, "koi8-r");
    free(p);
}

int extract_charset_tests(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sources), cmocka_unit_test(test_corrections),
        cmocka_unit_test(test_invalid_replaced), cmocka_unit_test(test_empty_with_charset),
        cmocka_unit_test(test_meta_without_nul)};
    return cmocka_run_group_tests_name("extract_charset", tests, NULL, NULL);
}
