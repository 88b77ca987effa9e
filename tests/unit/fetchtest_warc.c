/* Unit tests of the WARC side of `crawl fetch`: SHA-1 against FIPS vectors,
 * base32 digests as Common Crawl writes them, the record writer (one gzip
 * member per record, reopening at an offset) and the checkpoint journal. */
#include "fetchtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "crawl/fetch_journal.h"
#include "warc_write.h"

static void hex(const uint8_t d[20], char out[41]) {
    for (int i = 0; i < 20; i++) sprintf(out + 2 * i, "%02x", d[i]);
}

static void sha1_hex(const void *p, size_t n, char out[41]) {
    wt_sha1 s;
    uint8_t d[20];
    assert_int_equal(wt_sha1_init(&s), 0);
    wt_sha1_update(&s, p, n);
    wt_sha1_final(&s, d);
    hex(d, out);
}

static void test_sha1_vectors(void **state) {
    (void)state;
    char h[41];
    sha1_hex("", 0, h);
    assert_string_equal(h, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    sha1_hex("abc", 3, h);
    assert_string_equal(h, "a9993e364706816aba3e25717850c26c9cd0d89d");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha1_hex(two, strlen(two), h);
    assert_string_equal(h, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    /* a million 'a' fed in uneven pieces exercises the block carry */
    wt_sha1 s;
    uint8_t d[20];
    char a[997];
    memset(a, 'a', sizeof a);
    wt_sha1_init(&s);
    size_t left = 1000000;
    for (size_t k = 1; left; k = k % 997 + 1) {
        size_t n = k < left ? k : left;
        wt_sha1_update(&s, a, n);
        left -= n;
    }
    wt_sha1_final(&s, d);
    hex(d, h);
    assert_string_equal(h, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    char b32[WT_WARC_DIGEST_LEN];
    wt_sha1_init(&s);
    wt_sha1_final(&s, d);
    wt_warc_digest_string(d, b32);
    assert_string_equal(b32, "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"); /* empty payload */
}

static void test_ids_dates(void **state) {
    (void)state;
    char a[WT_WARC_ID_LEN], b[WT_WARC_ID_LEN], d[WT_WARC_DATE_LEN];
    wt_warc_new_id(a);
    wt_warc_new_id(b);
    assert_int_equal(strlen(a), 47);
    assert_memory_equal(a, "<urn:uuid:", 10);
    assert_int_equal(a[24], '4');
    assert_string_not_equal(a, b);
    wt_warc_date(0, d);
    assert_string_equal(d, "1970-01-01T00:00:00Z");
}

/* Inflates one gzip member starting at off; returns its text (malloc'd). */
static char *member_at(const uint8_t *p, size_t n, size_t off, size_t *used) {
    z_stream z = {0};
    assert_int_equal(inflateInit2(&z, 16 + 15), Z_OK);
    size_t cap = 1 << 16;
    char *out = malloc(cap);
    z.next_in = (Bytef *)p + off;
    z.avail_in = (uInt)(n - off);
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap - 1;
    int rc = inflate(&z, Z_FINISH);
    assert_int_equal(rc, Z_STREAM_END); /* the member ends by itself */
    out[z.total_out] = '\0';
    *used = z.total_in;
    inflateEnd(&z);
    return out;
}

static uint8_t *slurp(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    uint8_t *p = malloc(1 << 20);
    *n = fread(p, 1, 1 << 20, f);
    fclose(f);
    return p;
}

static void test_warc_writer(void **state) {
    (void)state;
    char path[] = "/tmp/wt-warc-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    wt_error err;
    wt_warc_writer *w = wt_warc_writer_open(path, 0, 6, &err);
    assert_non_null(w);
    const char *head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n";
    wt_warc_field f[] = {{"WARC-Target-URI", "http://a.test/"}, {"WARC-Skipped", NULL}};
    wt_warc_record rec = {.type = "response",
                          .date = "2026-01-02T03:04:05Z",
                          .content_type = "application/http;msgtype=response",
                          .extra = f,
                          .n_extra = 2,
                          .head = head,
                          .head_len = strlen(head),
                          .body = "abc",
                          .body_len = 3,
                          .has_payload = true};
    char id[WT_WARC_ID_LEN];
    assert_int_equal(wt_warc_writer_add(w, &rec, id, &err), 0);
    assert_int_equal(wt_warc_writer_flush(w, &err), 0);
    uint64_t first_end = wt_warc_writer_offset(w);
    wt_warc_record bad = {
        .type = "metadata", .extra = (wt_warc_field[]){{"X", "a\r\nb"}}, .n_extra = 1};
    assert_int_equal(wt_warc_writer_add(w, &bad, NULL, &err), -1); /* no header injection */
    wt_warc_record torn = {.type = "metadata", .body = "{}", .body_len = 2};
    assert_int_equal(wt_warc_writer_add(w, &torn, NULL, &err), 0);
    assert_int_equal(wt_warc_writer_close(w, true, &err), 0);
    /* reopen at the end of the first record: the second is cut off, a third follows */
    w = wt_warc_writer_open(path, first_end, 1, &err);
    assert_non_null(w);
    wt_warc_record md = {.type = "metadata",
                         .content_type = "application/json",
                         .body = "{\"score\":1}",
                         .body_len = 11};
    assert_int_equal(wt_warc_writer_add(w, &md, NULL, &err), 0);
    assert_int_equal(wt_warc_writer_close(w, false, &err), 0);

    size_t n, used;
    uint8_t *p = slurp(path, &n);
    char *r1 = member_at(p, n, 0, &used);
    assert_int_equal(used, first_end);
    assert_non_null(strstr(r1, "WARC/1.1\r\nWARC-Type: response\r\n"));
    assert_non_null(strstr(r1, id));
    assert_non_null(strstr(r1, "WARC-Date: 2026-01-02T03:04:05Z\r\n"));
    assert_non_null(strstr(r1, "WARC-Target-URI: http://a.test/\r\n"));
    assert_null(strstr(r1, "WARC-Skipped"));
    char want[64];
    snprintf(want, sizeof want, "Content-Length: %zu\r\n\r\n", strlen(head) + 3);
    assert_non_null(strstr(r1, want));
    /* the payload digest covers the body only */
    assert_non_null(strstr(r1, "WARC-Payload-Digest: sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5\r\n"));
    assert_non_null(strstr(r1, "abc\r\n\r\n"));
    char *r2 = member_at(p, n, first_end, &used);
    assert_int_equal(first_end + used, n);
    assert_non_null(strstr(r2, "WARC-Type: metadata\r\n"));
    assert_non_null(strstr(r2, "{\"score\":1}\r\n\r\n"));
    free(r1), free(r2), free(p);
    unlink(path);
}

static void test_journal(void **state) {
    (void)state;
    char path[] = "/tmp/wt-journal-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);
    wt_error err;
    fetch_journal j;
    assert_int_equal(fetch_journal_open(&j, path, "urls-00000.jsonl.zst", 0, 0, &err), 0);
    assert_false(j.has_info);
    assert_int_equal(fetch_journal_add(&j, 0, 100, 0, &err), 0);
    assert_int_equal(fetch_journal_add(&j, 3, 200, 0, &err), 0);
    assert_int_equal(fetch_journal_add(&j, 1, 200, 50, &err), 0);
    assert_int_equal(fetch_journal_add(&j, 200, 300, 50, &err), 0);
    assert_int_equal(fetch_journal_flush(&j, &err), 0);
    fetch_journal_close(&j, false);
    /* a torn last line is ignored */
    FILE *f = fopen(path, "a");
    fputs("7 400", f);
    fclose(f);
    /* the WARC holds only 250 bytes: the entry ending at 300 is not believed */
    assert_int_equal(fetch_journal_open(&j, path, "urls-00000.jsonl.zst", 250, 60, &err), 0);
    assert_true(j.has_info);
    assert_int_equal(j.n_done, 2);
    assert_true(fetch_journal_is_done(&j, 1));
    assert_true(fetch_journal_is_done(&j, 3));
    assert_false(fetch_journal_is_done(&j, 2));
    assert_false(fetch_journal_is_done(&j, 200));
    assert_false(fetch_journal_is_done(&j, 7));
    assert_int_equal(j.warc_end, 200);
    assert_int_equal(j.log_end, 50);
    fetch_journal_close(&j, false);
    /* the file was cut after the last accepted line */
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(fetch_journal_open(&j, path, "urls-00000.jsonl.zst", 1000, 1000, &err), 0);
    assert_int_equal(j.n_done, 2);
    fetch_journal_close(&j, false);
    /* another input's journal is refused */
    assert_int_equal(fetch_journal_open(&j, path, "urls-00001.jsonl.zst", 1000, 1000, &err), -1);
    assert_non_null(strstr(err.msg, "--force"));
    unlink(path);
}

int fetchtest_warc_tests(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha1_vectors),
        cmocka_unit_test(test_ids_dates),
        cmocka_unit_test(test_warc_writer),
        cmocka_unit_test(test_journal),
    };
    return cmocka_run_group_tests_name("fetch warc", tests, NULL, NULL);
}
