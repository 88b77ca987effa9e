/* Unit tests of the archive pieces: SURT keys, the external sort (in memory
 * and through runs on disk, against qsort), capture parsing and choice, the
 * Common Crawl record check and the Wayback header restoration, and the
 * zipnum block ranges. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "crawl/archive.h"
#include "crawl/cclookup_index.h"
#include "extsort.h"
#include "fetchtest.h"
#include "surt.h"

static void test_surt(void **state) {
    (void)state;
    static const char *const cases[][2] = {
        {"http://www.Example.com/A/?b=2&a=1#frag", "com,example)/a?a=1&b=2"},
        {"https://example.com", "com,example)/"},
        {"https://example.com:443/", "com,example)/"},
        {"http://example.com:8080/x", "com,example:8080)/x"},
        {"http://user:pw@www2.example.co.uk./p/", "uk,co,example)/p"},
        {"http://example.com/x;jsessionid=ABC?sid=1&z=2", "com,example)/x?z=2"},
        {"http://10.1.2.3/a", "10.1.2.3)/a"},
        {"http://www/", "www)/"},
        {"http://example.com/?", "com,example)/"},
    };
    char out[256];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_true(wt_surt(cases[i][0], out, sizeof out) > 0);
        assert_string_equal(out, cases[i][1]);
    }
    assert_int_equal(wt_surt("no-scheme", out, sizeof out), -1);
    assert_int_equal(wt_surt("http://example.com/long", out, 8), -1);
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sort_check(size_t mem, size_t n) {
    char dir[] = "/tmp/wt-extsort-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char sub[64];
    snprintf(sub, sizeof sub, "%s/runs", dir);
    wt_error err;
    wt_extsort *s = wt_extsort_new(sub, mem, &err);
    assert_non_null(s);
    char **want = malloc(n * sizeof *want);
    unsigned x = 12345;
    for (size_t i = 0; i < n; i++) {
        char line[64];
        x = x * 1103515245u + 12345u;
        int k = snprintf(line, sizeof line, "k%u-%zu", x % 5000, i % 7);
        want[i] = strdup(line);
        assert_int_equal(wt_extsort_add(s, line, (size_t)k, &err), 0);
    }
    assert_int_equal(wt_extsort_finish(s, &err), 0);
    qsort(want, n, sizeof *want, cmp_str);
    const char *line;
    size_t len, got = 0;
    int rc;
    while ((rc = wt_extsort_next(s, &line, &len, &err)) > 0) {
        assert_true(got < n);
        assert_int_equal(len, strlen(want[got]));
        assert_memory_equal(line, want[got], len);
        got++;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(got, n);
    if (mem < 100000 && n) assert_true(wt_extsort_runs(s) > 1);
    wt_extsort_free(s);
    for (size_t i = 0; i < n; i++) free(want[i]);
    free(want);
    assert_int_equal(rmdir(dir), 0); /* the runs are gone */
}

static void test_extsort(void **state) {
    (void)state;
    sort_check(1 << 24, 20000); /* in memory */
    sort_check(1 << 16, 20000); /* runs on disk */
    sort_check(1 << 16, 0);
}

static void test_captures(void **state) {
    (void)state;
    const char *cc =
        "{\"timestamp\":\"20171020000000\",\"url\":\"http://a/\",\"status\":\"404\","
        "\"mime\":\"text/html\",\"filename\":\"f.gz\",\"offset\":\"1\",\"length\":\"2\"}\n"
        "garbage\n"
        "com,a)/ 20171025000000 {\"timestamp\":\"20171025000000\",\"url\":\"http://a/"
        "\",\"status\":\"200\",\"mime\":\"text/html\",\"filename\":\"f.gz\","
        "\"offset\":\"10\",\"length\":\"20\",\"crawl\":\"CC-MAIN-2017-43\"}\n"
        "{\"timestamp\":\"20171001000000\",\"url\":\"http://a/\",\"status\":\"200\","
        "\"mime\":\"image/png\"}\n"
        "{\"timestamp\":\"20171021000000\",\"url\":\"http://a/\",\"status\":\"301\"}\n";
    arc_captures c = {0};
    size_t bad = 0;
    wt_error err;
    assert_int_equal(arc_parse_cc(cc, strlen(cc), "CC-X", &c, &bad, &err), 0);
    assert_int_equal(c.n, 4);
    assert_int_equal(bad, 1);
    assert_string_equal(c.v[0].crawl, "CC-X");
    assert_string_equal(c.v[1].crawl, "CC-MAIN-2017-43");
    assert_int_equal(c.v[1].offset, 10);
    bool redirect;
    int64_t t = arc_ts_time("20171020000000");
    assert_int_equal(arc_choose(&c, t, &redirect), 1); /* the only 200 text one */
    assert_false(redirect);
    c.v[1].status = 500;
    assert_int_equal(arc_choose(&c, t, &redirect), 3);
    assert_true(redirect);
    char sum[200];
    arc_summary(&c, sum, sizeof sum);
    assert_string_equal(sum, "4 captures: 404 text/html x1, 500 text/html x1, 200 image/png x1, "
                             "301 - x1");
    arc_captures_free(&c);
    const char *wb = "[[\"urlkey\",\"timestamp\",\"original\",\"mimetype\",\"statuscode\"],"
                     "[\"a\",\"20170101000000\",\"http://a/\",\"text/html\",\"200\"],"
                     "[\"a\",\"20171231000000\",\"http://a/\",\"text/html\",\"200\"]]";
    assert_int_equal(arc_parse_wayback(wb, strlen(wb), &c, &err), 0);
    assert_int_equal(c.n, 2);
    assert_int_equal(arc_choose(&c, arc_ts_time("20171001"), &redirect), 1);
    arc_captures_free(&c);
    assert_int_equal(arc_parse_wayback("[]", 2, &c, &err), 0);
    assert_int_equal(arc_parse_wayback("", 0, &c, &err), 0);
    assert_int_equal(c.n, 0);
    assert_int_equal(arc_parse_wayback("{", 1, &c, &err), -1);
    char ts[16];
    arc_time_ts(arc_ts_time("20171231235959"), ts);
    assert_string_equal(ts, "20171231235959");
}

static size_t gz(const char *s, size_t n, unsigned char *out, size_t cap) {
    z_stream z = {0};
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (unsigned char *)s;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t k = cap - z.avail_out;
    deflateEnd(&z);
    return k;
}

static void test_cc_record(void **state) {
    (void)state;
    const char *http = "HTTP/1.1 301 Moved\r\nLocation: /next\r\n\r\n";
    char rec[1024];
    int n = snprintf(rec, sizeof rec,
                     "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:x>\r\n"
                     "WARC-Date: 2017-10-20T00:00:00Z\r\nWARC-Target-URI: http://a/b\r\n"
                     "Content-Length: %zu\r\n\r\n%s\r\n\r\n",
                     strlen(http), http);
    unsigned char m[2048];
    size_t mn = gz(rec, (size_t)n, m, sizeof m);
    arc_record r;
    char why[300];
    assert_int_equal(arc_check_cc_record(m, mn, "http://a/b", 1 << 20, &r, why, sizeof why), 0);
    assert_string_equal(r.id, "<urn:uuid:x>");
    assert_int_equal(r.http_status, 301);
    assert_string_equal(r.location, "/next");
    free(r.location);
    assert_int_equal(arc_check_cc_record(m, mn, "http://a/c", 1 << 20, &r, why, sizeof why), -1);
    assert_non_null(strstr(why, "WARC-Target-URI"));
    assert_int_equal(arc_check_cc_record(m, mn - 5, "http://a/b", 1 << 20, &r, why, sizeof why),
                     -1);
    unsigned char two[4096];
    memcpy(two, m, mn);
    memcpy(two + mn, m, mn);
    assert_int_equal(arc_check_cc_record(two, 2 * mn, "http://a/b", 1 << 20, &r, why, sizeof why),
                     -1);
    assert_non_null(strstr(why, "after the first gzip member"));
    char *res = arc_resolve("http://a/b/c", "../d?x=1");
    assert_string_equal(res, "http://a/d?x=1");
    free(res);
}

static void test_wayback_head(void **state) {
    (void)state;
    const char *h = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Archive-Orig-Server: s\r\n"
                    "X-Archive-Orig-Content-Encoding: gzip\r\nX-Archive-Orig-Content-Length: 9\r\n"
                    "Memento-Datetime: x\r\n\r\n";
    size_t n;
    char *out = arc_wayback_head(h, strlen(h), 200, 42, &n);
    assert_string_equal(out, "HTTP/1.1 200 OK\r\nServer: s\r\nX-Crawler-Content-Encoding: gzip\r\n"
                             "X-Crawler-Content-Length: 9\r\nContent-Type: text/html\r\n"
                             "Content-Length: 42\r\n\r\n");
    assert_int_equal(n, strlen(out));
    free(out);
}

static void test_zipnum_blocks(void **state) {
    (void)state;
    const char *idx = "com,a)/ 2017\tcdx-00000.gz\t0\t100\t1\n"
                      "com,b)/ 2017\tcdx-00000.gz\t100\t100\t2\n"
                      "com,b)/ 2018\tcdx-00000.gz\t200\t100\t3\n"
                      "com,c)/ 2017\tcdx-00001.gz\t0\t100\t4\n";
    cc_index ix;
    wt_error err;
    assert_int_equal(cc_index_parse(&ix, "cluster.idx", idx, strlen(idx), &err), 0);
    assert_int_equal(ix.n, 4);
    assert_int_equal(ix.n_files, 2);
    size_t f, l;
    assert_false(cc_index_blocks(&ix, "br,x)/", &f, &l));
    assert_true(cc_index_blocks(&ix, "com,a)/", &f, &l));
    assert_int_equal(f, 0), assert_int_equal(l, 0);
    assert_true(cc_index_blocks(&ix, "com,a)/x", &f, &l));
    assert_int_equal(f, 0), assert_int_equal(l, 0);
    assert_true(cc_index_blocks(&ix, "com,b)/", &f, &l)); /* may end block 0, fills 1 and 2 */
    assert_int_equal(f, 0), assert_int_equal(l, 2);
    assert_true(cc_index_blocks(&ix, "org,z)/", &f, &l));
    assert_int_equal(f, 3), assert_int_equal(l, 3);
    cc_index_free(&ix);
    assert_int_equal(cc_index_parse(&ix, "cluster.idx", "x\ty\n", 4, &err), -1);
    assert_non_null(strstr(err.msg, "cluster.idx:1"));
    const char *rev = "com,b)/ 1\tf\t0\t1\ncom,a)/ 1\tf\t1\t1\n";
    assert_int_equal(cc_index_parse(&ix, "c.idx", rev, strlen(rev), &err), -1);
    assert_non_null(strstr(err.msg, "out of order"));
}

int fetchtest_archive_tests(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_surt),         cmocka_unit_test(test_extsort),
        cmocka_unit_test(test_captures),     cmocka_unit_test(test_cc_record),
        cmocka_unit_test(test_wayback_head), cmocka_unit_test(test_zipnum_blocks),
    };
    return cmocka_run_group_tests_name("fetch archive", tests, NULL, NULL);
}
