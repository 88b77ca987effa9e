/* Unit tests of HTTP response parsing and payload decoding (extract/http.c):
 * chunked framing, gzip and deflate content coding, damaged payloads. */
#include "extract_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "extract/http.h"

/* gzip (wbits 31) or raw deflate (-15) of s into out; returns its length. */
static size_t compress_to(const char *s, size_t n, int wbits, unsigned char *out, size_t cap) {
    z_stream z = {0};
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, wbits, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (unsigned char *)s;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t len = cap - z.avail_out;
    deflateEnd(&z);
    return len;
}

static int decode(const char *block, size_t len, size_t max, ex_buf *out, ex_http *h) {
    assert_int_equal(ex_http_parse((const unsigned char *)block, len, h), 0);
    return ex_http_decode(h, max, out);
}

static void test_plain_and_headers(void **state) {
    (void)state;
    const char *b = "HTTP/1.1 200 OK\r\nContent-Type: text/HTML; charset=\"ISO-8859-1\"\r\n"
                    "Content-Length: 5\r\n\r\nhello";
    ex_http h;
    ex_buf out = {0};
    assert_int_equal(decode(b, strlen(b), 1000, &out, &h), 0);
    assert_int_equal(h.status, 200);
    assert_string_equal(h.mime, "text/html");
    assert_string_equal(h.charset, "iso-8859-1");
    assert_string_equal(out.p, "hello");
    /* a wrong Content-Length is flagged; the WARC block bounds the body */
    const char *w = "HTTP/1.0 200 OK\nContent-Length: 99\n\nshort";
    assert_int_equal(decode(w, strlen(w), 1000, &out, &h), EX_HTTP_LENGTH_MISMATCH);
    assert_string_equal(out.p, "short");
    ex_buf_free(&out);
}

static void test_not_http(void **state) {
    (void)state;
    ex_http h;
    const char *a = "<html>no status line</html>";
    assert_int_equal(ex_http_parse((const unsigned char *)a, strlen(a), &h), -1);
    const char *b = "HTTP/1.1 200 OK\r\nContent-Type: text/html"; /* headers never end */
    assert_int_equal(ex_http_parse((const unsigned char *)b, strlen(b), &h), -1);
}

static void test_chunked(void **state) {
    (void)state;
    const char *b = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n";
    ex_http h;
    ex_buf out = {0};
    assert_int_equal(decode(b, strlen(b), 1000, &out, &h), 0);
    assert_string_equal(out.p, "hello, world");
    /* a last chunk cut short keeps what arrived */
    const char *t = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n20\r\nabc";
    assert_true(decode(t, strlen(t), 1000, &out, &h) & EX_HTTP_BAD_CHUNKING);
    assert_string_equal(out.p, "helloabc");
    ex_buf_free(&out);
}

/* A heap copy of s with nothing after it: a read past the block shows
 * under ASan (the WARC reader's NUL after a block is not promised). */
static unsigned char *exact(const char *s, size_t n) {
    unsigned char *p = malloc(n ? n : 1);
    assert_non_null(p);
    memcpy(p, s, n);
    return p;
}

static void test_block_without_nul(void **state) {
    (void)state;
    ex_http h;
    /* the first space is the block's last byte: no status digit to read */
    const char *a = "HTTP/1.1nten.ab ";
    unsigned char *b = exact(a, strlen(a));
    assert_int_equal(ex_http_parse(b, strlen(a), &h), -1);
    free(b);
    /* a chunk size running to the end of the block */
    const char *c = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfff";
    b = exact(c, strlen(c));
    assert_int_equal(ex_http_parse(b, strlen(c), &h), 0);
    assert_int_equal(h.status, 200);
    ex_buf out = {0};
    assert_true(ex_http_decode(&h, 1000, &out) & EX_HTTP_BAD_CHUNKING);
    assert_non_null(out.p); /* never NULL, even for no payload */
    assert_string_equal(out.p, "");
    ex_buf_free(&out);
    free(b);
    /* a status number longer than 9 digits neither overflows nor passes */
    const char *d = "HTTP/1.1 20000000000000000000 OK\r\n\r\n";
    b = exact(d, strlen(d));
    assert_int_equal(ex_http_parse(b, strlen(d), &h), 0);
    assert_true(h.status > 299);
    free(b);
}

/* chunked + gzip whose framing yields no bytes: an empty payload, not a
 * memcpy from NULL (docs/hardening.md) */
static void test_chunked_gzip_empty(void **state) {
    (void)state;
    const char *b = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n"
                    "\r\n0\r\n\r\n";
    ex_http h;
    ex_buf out = {0};
    assert_int_equal(decode(b, strlen(b), 1000, &out, &h), 0);
    assert_non_null(out.p);
    assert_int_equal(out.len, 0);
    ex_buf_free(&out);
    /* ex_buf_add accepts NULL for no bytes, and allocates */
    assert_int_equal(ex_buf_add(&out, NULL, 0), 0);
    assert_non_null(out.p);
    assert_int_equal(out.len, 0);
    ex_buf_free(&out);
}

static void test_gzip_deflate_and_cap(void **state) {
    (void)state;
    char text[4000];
    for (size_t i = 0; i < sizeof text - 1; i++) text[i] = (char)('a' + i % 26);
    text[sizeof text - 1] = 0;
    unsigned char z[8192];
    char block[16384];
    for (int wbits = 31; wbits >= -15; wbits -= 46) {
        size_t zn = compress_to(text, strlen(text), wbits, z, sizeof z);
        int hl = snprintf(block, sizeof block, "HTTP/1.1 200 OK\r\nContent-Encoding: %s\r\n\r\n",
                          wbits == 31 ? "gzip" : "deflate");
        memcpy(block + hl, z, zn);
        ex_http h;
        ex_buf out = {0};
        assert_int_equal(decode(block, (size_t)hl + zn, 100000, &out, &h), 0);
        assert_int_equal(out.len, strlen(text));
        assert_memory_equal(out.p, text, out.len);
        /* the output cap bounds a decompression bomb */
        assert_true(decode(block, (size_t)hl + zn, 100, &out, &h) & EX_HTTP_CUT);
        assert_int_equal(out.len, 100);
        /* a truncated stream is flagged and what decoded is kept */
        int f = decode(block, (size_t)hl + zn / 2, 100000, &out, &h);
        assert_true(f & EX_HTTP_BAD_ENCODING);
        assert_true(out.len < strlen(text));
        ex_buf_free(&out);
    }
}

static void test_unknown_encoding(void **state) {
    (void)state;
    const char *b = "HTTP/1.1 200 OK\r\nContent-Encoding: compress\r\n\r\nxyz";
    ex_http h;
    ex_buf out = {0};
    assert_true(decode(b, strlen(b), 1000, &out, &h) & EX_HTTP_UNKNOWN_ENCODING);
    ex_buf_free(&out);
}

int extract_http_tests(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_and_headers), cmocka_unit_test(test_not_http),
        cmocka_unit_test(test_chunked),           cmocka_unit_test(test_gzip_deflate_and_cap),
        cmocka_unit_test(test_unknown_encoding),  cmocka_unit_test(test_block_without_nul),
        cmocka_unit_test(test_chunked_gzip_empty)};
    return cmocka_run_group_tests_name("extract_http", tests, NULL, NULL);
}
