/* Unit tests of the WARC reader (lib/warc_read.c) on a gzip-per-record file
 * written here, with a corrupt member, a wrong Content-Length and a
 * truncated last member: records around the damage are still read, and
 * each record's offset is its gzip member's. */
#include "extract_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "lib/warc_read.h"

/* Appends s as one gzip member; returns the member's offset. */
static long add_member(FILE *f, const char *s, size_t n, size_t cut) {
    long off = ftell(f);
    unsigned char out[65536];
    z_stream z = {0};
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (unsigned char *)s;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = sizeof out;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t len = sizeof out - z.avail_out;
    deflateEnd(&z);
    if (cut) len = cut;
    fwrite(out, 1, len, f);
    return off;
}

static long add_record(FILE *f, const char *type, const char *uri, const char *block,
                       long declared) {
    char rec[8192];
    size_t bl = strlen(block);
    int n = snprintf(rec, sizeof rec,
                     "WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%s>\r\n"
                     "WARC-Target-URI: %s\r\nWARC-Date: 2019-01-01T00:00:00Z\r\n"
                     "Content-Length: %ld\r\n\r\n%s\r\n\r\n",
                     type, uri, uri, declared >= 0 ? declared : (long)bl, block);
    return add_member(f, rec, (size_t)n, 0);
}

static void test_damaged_file(void **state) {
    (void)state;
    char path[] = "/tmp/wt-warc-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    const char *http = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>hi</p>";
    long a = add_record(f, "response", "http://a.example/", http, -1);
    add_record(f, "metadata", "http://a.example/", "{\"score\": 5}", -1);
    /* a corrupt member: gzip header then garbage */
    fwrite("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage-garbage-garbage", 1, 33, f);
    long b = add_record(f, "response", "http://b.example/", http, -1);
    add_record(f, "response", "http://wrong.example/", http, 10); /* declared too short */
    long c = add_record(f, "response", "http://c.example/", http, -1);
    char big[4000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    char rec[5000];
    int n = snprintf(rec, sizeof rec,
                     "WARC/1.1\r\nWARC-Type: response\r\nContent-Length: %zu\r\n\r\n%s",
                     strlen(big), big);
    add_member(f, rec, (size_t)n, 40); /* truncated last member */
    fclose(f);

    wt_error err;
    wt_warc_reader *r = wt_warc_open(path, 0, &err);
    assert_non_null(r);
    wt_warc_rec rec2;
    const char *seen[16];
    uint64_t offs[16];
    int kinds[16], k = 0, rc;
    while ((rc = wt_warc_next(r, &rec2, &err)) > 0 && k < 16) {
        kinds[k] = rc;
        seen[k] = rc == 1 ? strdup(rec2.target_uri) : NULL;
        offs[k] = rc == 1 ? rec2.offset : 0;
        k++;
    }
    assert_int_equal(rc, 0);
    /* a, metadata, damage (corrupt member), b, damage (wrong length: the
     * bytes after it are not a record), c, damage (truncated member) */
    int want_kinds[] = {1, 1, 2, 1, 2, 1, 2};
    assert_int_equal(k, 7);
    for (int i = 0; i < k; i++) assert_int_equal(kinds[i], want_kinds[i]);
    assert_string_equal(seen[0], "http://a.example/");
    assert_string_equal(seen[3], "http://b.example/");
    assert_string_equal(seen[5], "http://c.example/");
    assert_int_equal(offs[0], (uint64_t)a);
    assert_int_equal(offs[3], (uint64_t)b);
    assert_int_equal(offs[5], (uint64_t)c);
    assert_int_equal(wt_warc_get_stats(r)->bad, 3);
    for (int i = 0; i < k; i++) free((char *)seen[i]);
    wt_warc_close(r);
    unlink(path);
}

static void test_plain_and_header_get(void **state) {
    (void)state;
    char path[] = "/tmp/wt-warc-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "wb");
    fputs("WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: <http://x.example/>\r\n"
          "Content-Length: 3\r\n\r\nabc\r\n\r\n",
          f);
    long second = ftell(f);
    fputs("WARC/1.0\r\nWARC-Type: metadata\r\nWARC-Refers-To: <urn:x>\r\nContent-Length: "
          "0\r\n\r\n\r\n\r\n",
          f);
    fclose(f);
    wt_error err;
    wt_warc_reader *r = wt_warc_open(path, 2, &err); /* keep at most 2 block bytes */
    wt_warc_rec rec;
    assert_int_equal(wt_warc_next(r, &rec, &err), 1);
    assert_string_equal(rec.target_uri, "http://x.example/"); /* WARC/1.0 brackets removed */
    assert_int_equal(rec.offset, 0);
    assert_int_equal(rec.block_len, 2);
    assert_true(rec.block_cut);
    assert_int_equal(wt_warc_next(r, &rec, &err), 1);
    assert_string_equal(rec.type, "metadata");
    assert_string_equal(rec.refers_to, "<urn:x>");
    assert_int_equal(rec.offset, (uint64_t)second);
    assert_int_equal(wt_warc_next(r, &rec, &err), 0);
    wt_warc_close(r);
    unlink(path);
    char v[32];
    const char *h = "Content-Type: text/html\r\nX-A:  b  \r\n";
    assert_true(wt_header_get(h, strlen(h), "x-a", v, sizeof v));
    assert_string_equal(v, "b");
    assert_false(wt_header_get(h, strlen(h), "Content", v, sizeof v));
}

int extract_warc_tests(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_damaged_file),
                                       cmocka_unit_test(test_plain_and_header_get)};
    return cmocka_run_group_tests_name("extract_warc", tests, NULL, NULL);
}
