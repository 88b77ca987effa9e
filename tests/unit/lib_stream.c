/* Tests of wt_reader / wt_writer: every codec round trip, concatenated
 * members, truncation errors, long lines, and atomic commit/abort. */
#include "lib_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stream.h"

static char *make_text(size_t n) {
    char *t = malloc(n);
    assert_non_null(t);
    uint32_t x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        t[i] = (x >> 16) % 13 == 0 ? '\n' : (char)('a' + (x >> 16) % 26);
    }
    return t;
}

static void read_all(const char *path, char **out, size_t *n) {
    wt_error err = {0};
    assert_int_equal(wt_read_file(path, out, n, (size_t)1 << 30, &err), 0);
}

static void roundtrip(const char *name, const char *codec) {
    char *dir = tu_tmpdir(), path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t n = 3 << 20;
    char *text = make_text(n);
    wt_error err = {0};
    wt_writer *w = wt_writer_open(path, NULL, &err);
    assert_non_null(w);
    for (size_t off = 0; off < n; off += 70001)
        assert_int_equal(wt_writer_write(w, text + off, off + 70001 < n ? 70001 : n - off, &err),
                         0);
    assert_int_equal(wt_writer_commit(w, &err), 0);
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    assert_false(access(tmp, F_OK) == 0);

    wt_reader *r = wt_reader_open(path, &err);
    assert_non_null(r);
    assert_string_equal(wt_reader_codec(r), codec);
    wt_reader_close(r);
    char *back;
    size_t m;
    read_all(path, &back, &m);
    assert_int_equal(m, n);
    assert_memory_equal(back, text, n);
    free(back);
    free(text);
    tu_rmdir(dir);
}

static void test_roundtrip_plain(void **s) {
    (void)s;
    roundtrip("a.txt", "plain");
}
static void test_roundtrip_gzip(void **s) {
    (void)s;
    roundtrip("a.txt.gz", "gzip");
}
static void test_roundtrip_zstd(void **s) {
    (void)s;
    roundtrip("a.jsonl.zst", "zstd");
}

/* xz and bzip2 are read-only codecs here: write them with the tools. */
static void external_codec(const char *tool, const char *ext, const char *codec) {
    char *dir = tu_tmpdir(), cmd[1024], path[512];
    snprintf(
        cmd, sizeof cmd,
        "cd %s && printf 'one\\ntwo\\n' > a && printf 'three' > b && %s -c a > f.%s && %s -c b "
        ">> f.%s",
        dir, tool, ext, tool, ext);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/f.%s", dir, ext);
    wt_error err = {0};
    wt_reader *r = wt_reader_open(path, &err);
    assert_non_null(r);
    assert_string_equal(wt_reader_codec(r), codec);
    const char *want[] = {"one", "two", "three"};
    char *line;
    size_t len;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(wt_reader_getline(r, &line, &len, &err), 1);
        assert_int_equal(len, strlen(want[i]));
        assert_memory_equal(line, want[i], len);
        assert_int_equal(wt_reader_line_no(r), (uint64_t)i + 1);
    }
    assert_int_equal(wt_reader_getline(r, &line, &len, &err), 0);
    wt_reader_close(r);
    tu_rmdir(dir);
}

static void test_xz_concatenated(void **s) {
    (void)s;
    external_codec("xz", "xz", "xz");
}
static void test_bzip2_concatenated(void **s) {
    (void)s;
    external_codec("bzip2", "bz2", "bzip2");
}
static void test_gzip_concatenated(void **s) {
    (void)s;
    external_codec("gzip", "gz", "gzip");
}
static void test_zstd_concatenated(void **s) {
    (void)s;
    external_codec("zstd -q", "zst", "zstd");
}

static void truncated(const char *tool, const char *ext) {
    char *dir = tu_tmpdir(), cmd[1024], path[512];
    snprintf(cmd, sizeof cmd,
             "cd %s && head -c 200000 /dev/urandom | base64 > a && %s -c a > full && "
             "head -c $(( $(stat -c %%s full) / 2 )) full > f.%s",
             dir, tool, ext);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/f.%s", dir, ext);
    char *data;
    size_t n;
    wt_error err = {0};
    assert_int_equal(wt_read_file(path, &data, &n, (size_t)1 << 30, &err), -1);
    assert_non_null(strstr(err.msg, path));
    assert_true(strstr(err.msg, "truncated") || strstr(err.msg, "corrupt"));
    tu_rmdir(dir);
}

static void test_truncated_streams(void **s) {
    (void)s;
    truncated("gzip", "gz");
    truncated("zstd -q", "zst");
    truncated("xz", "xz");
    truncated("bzip2", "bz2");
}

static void test_getline_edges(void **s) {
    (void)s;
    char *dir = tu_tmpdir(), path[512];
    snprintf(path, sizeof path, "%s/lines.txt", dir);
    /* a 3 MB line spans buffer refills; CRLF keeps its \r; no final newline */
    size_t big = 3u << 20;
    char *data = malloc(big + 64);
    assert_non_null(data);
    memcpy(data, "short\r\n", 7);
    memset(data + 7, 'x', big);
    memcpy(data + 7 + big, "\nlast", 5);
    wt_error err = {0};
    assert_int_equal(wt_write_file_atomic(path, data, 12 + big, &err), 0);
    wt_reader *r = wt_reader_open(path, &err);
    assert_non_null(r);
    char *line;
    size_t len;
    assert_int_equal(wt_reader_getline(r, &line, &len, &err), 1);
    assert_int_equal(len, 6);
    assert_memory_equal(line, "short\r", 6);
    assert_int_equal(wt_reader_getline(r, &line, &len, &err), 1);
    assert_int_equal(len, big);
    assert_false(wt_reader_line_truncated(r));
    assert_int_equal(wt_reader_getline(r, &line, &len, &err), 1);
    assert_int_equal(len, 4);
    assert_string_equal(line, "last");
    assert_int_equal(wt_reader_getline(r, &line, &len, &err), 0);
    wt_reader_close(r);

    r = wt_reader_open(path, &err);
    wt_reader_set_max_line(r, 1000);
    assert_int_equal(wt_reader_getline(r, &line, &len, &err), 1);
    assert_int_equal(wt_reader_getline(r, &line, &len, &err), 1);
    assert_int_equal(len, 1000);
    assert_true(wt_reader_line_truncated(r));
    assert_int_equal(wt_reader_getline(r, &line, &len, &err), 1);
    assert_string_equal(line, "last");
    assert_int_equal(wt_reader_line_no(r), 3);
    wt_reader_close(r);
    free(data);
    tu_rmdir(dir);
}

static void test_abort_leaves_nothing(void **s) {
    (void)s;
    char *dir = tu_tmpdir(), path[512], tmp[600];
    snprintf(path, sizeof path, "%s/out.jsonl.zst", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    wt_error err = {0};
    wt_writer *w = wt_writer_open(path, NULL, &err);
    assert_non_null(w);
    assert_int_equal(wt_writer_write(w, "hello", 5, &err), 0);
    assert_true(access(tmp, F_OK) == 0);
    assert_false(access(path, F_OK) == 0);
    wt_writer_abort(w);
    assert_false(access(tmp, F_OK) == 0);
    assert_false(access(path, F_OK) == 0);
    tu_rmdir(dir);
}

static void test_open_errors(void **s) {
    (void)s;
    wt_error err = {0};
    assert_null(wt_reader_open("/nonexistent/file.zst", &err));
    assert_non_null(strstr(err.msg, "/nonexistent/file.zst"));
    assert_null(wt_writer_open("/nonexistent/dir/out.zst", NULL, &err));
    assert_non_null(strstr(err.msg, "/nonexistent/dir/out.zst"));
}

static void test_gzip_members(void **s) {
    (void)s;
    char *dir = tu_tmpdir(), path[512];
    snprintf(path, sizeof path, "%s/rec.warc.gz", dir);
    wt_error err = {0};
    wt_writer *w = wt_writer_open(path, NULL, &err);
    assert_non_null(w);
    int64_t offs[3];
    for (int i = 0; i < 3; i++) {
        offs[i] = (int64_t)wt_writer_offset(w);
        assert_int_equal(wt_writer_printf(w, &err, "record %d\n", i), 0);
        assert_true(wt_writer_gzip_member(w, &err) > offs[i]);
    }
    assert_int_equal(wt_writer_commit(w, &err), 0);
    /* each member decodes alone from its offset */
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "tail -c +%lld %s | gzip -dc 2>/dev/null | head -n 1 | grep -qx 'record 1'",
             (long long)offs[1] + 1, path);
    assert_int_equal(system(cmd), 0);
    char *data;
    size_t n;
    read_all(path, &data, &n);
    assert_int_equal(n, 27);
    free(data);
    tu_rmdir(dir);
}

static void test_pushshift_long_window(void **s) {
    (void)s;
    char zst[512], plain[512];
    TU_NEED_DATA("pushshift-sample/RS_v2_2005-06.long31.zst", zst, sizeof zst);
    TU_NEED_DATA("pushshift-sample/RS_v2_2005-06.ndjson", plain, sizeof plain);
    char *a, *b;
    size_t na, nb;
    read_all(zst, &a, &na);
    read_all(plain, &b, &nb);
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, na);
    free(a);
    free(b);
}

int lib_stream_tests(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_plain),       cmocka_unit_test(test_roundtrip_gzip),
        cmocka_unit_test(test_roundtrip_zstd),        cmocka_unit_test(test_xz_concatenated),
        cmocka_unit_test(test_bzip2_concatenated),    cmocka_unit_test(test_gzip_concatenated),
        cmocka_unit_test(test_zstd_concatenated),     cmocka_unit_test(test_truncated_streams),
        cmocka_unit_test(test_getline_edges),         cmocka_unit_test(test_abort_leaves_nothing),
        cmocka_unit_test(test_open_errors),           cmocka_unit_test(test_gzip_members),
        cmocka_unit_test(test_pushshift_long_window),
    };
    return cmocka_run_group_tests_name("lib_stream", tests, NULL, NULL);
}
