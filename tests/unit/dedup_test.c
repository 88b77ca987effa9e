/* Unit tests for dedup: text normalisation and words, MinHash, URL hosts and
 * the domain filter, record parsing, the step file format, Bloom filter and
 * exact set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dedup/dedup.h"
#include "dedup/docs.h"
#include "dedup/format.h"
#include "dedup/minhash.h"
#include "dedup/ngramset.h"
#include "dedup/text.h"

static char *norm(const char *s) {
    dedup_buf b = {0};
    assert_int_equal(dedup_text_normalize(s, strlen(s), &b), 0);
    char *r = strdup(b.data);
    dedup_buf_free(&b);
    return r;
}

static void test_normalize(void **state) {
    (void)state;
    char *a = norm("  Hello \t\n  WORLD  ");
    assert_string_equal(a, "hello world");
    free(a);
    /* NFC: e + combining acute equals precomposed; case folding */
    char *b = norm("CAFE\xCC\x81  ok"), *c = norm("caf\xC3\xA9 ok");
    assert_string_equal(b, c);
    free(b), free(c);
    /* Unicode whitespace (no-break space, ideographic space) collapses */
    char *d = norm("a\xC2\xA0\xC2\xA0"
                   "b\xE3\x80\x80"
                   "c");
    assert_string_equal(d, "a b c");
    free(d);
    /* invalid UTF-8 still normalises (ASCII rules), no crash */
    char *e = norm("AB\xFF\xFE  CD");
    assert_string_equal(e, "ab\xFF\xFE cd");
    free(e);
}

static size_t count_words(const char *s) {
    dedup_words w = {0};
    assert_int_equal(dedup_text_words(s, strlen(s), &w), 0);
    size_t n = w.len;
    dedup_words_free(&w);
    return n;
}

static void test_words(void **state) {
    (void)state;
    assert_int_equal(count_words("hello, world! 3.14"), 4);
    assert_int_equal(count_words("na\xC3\xAFve caf\xC3\xA9 -- \xE2\x80\x94"), 2);
    assert_int_equal(count_words(""), 0);
    assert_int_equal(count_words("@-@ ,,, "), 0);
    dedup_words a = {0}, b = {0};
    dedup_text_words("the cat", 7, &a);
    dedup_text_words("THE; cat!", 9, &b);
    /* words hash their bytes: case is the normaliser's job */
    assert_int_equal(a.len, 2);
    assert_true(a.hash[1] == b.hash[1]);
    dedup_words_free(&a), dedup_words_free(&b);
}

static void words_of(const char *prefix, int n, int change_every, dedup_words *w) {
    w->len = 0;
    char buf[64];
    for (int i = 0; i < n; i++) {
        int len = snprintf(buf, sizeof buf, "%s%d",
                           change_every && i % change_every == 0 ? "x" : prefix, i);
        dedup_text_words(buf, (size_t)len, w);
    }
}

static void test_minhash(void **state) {
    (void)state;
    dedup_minhash m;
    assert_int_equal(dedup_minhash_init(&m, 0, 5, 5, 1), -1);
    assert_int_equal(dedup_minhash_init(&m, 20, 5, 5, 1), 0);
    assert_int_equal(m.k, 100);
    assert_int_equal(m.k_pad, 104);
    uint32_t s1[DEDUP_MAX_HASHES], s2[DEDUP_MAX_HASHES];
    dedup_words a = {0}, b = {0};
    words_of("w", 400, 0, &a);
    words_of("w", 400, 0, &b);
    assert_int_equal(dedup_minhash_sign(&m, a.hash, a.len, s1), 396);
    dedup_minhash_sign(&m, b.hash, b.len, s2);
    assert_true(dedup_minhash_similarity(&m, s1, s2) == 1.0);
    uint64_t k1[20], k2[20];
    dedup_minhash_band_keys(&m, s1, k1);
    dedup_minhash_band_keys(&m, s2, k2);
    assert_memory_equal(k1, k2, sizeof k1);
    /* every 20th word changed: 5-gram Jaccard about 0.6; the estimate is close */
    words_of("w", 4000, 20, &b);
    words_of("w", 4000, 0, &a);
    dedup_minhash_sign(&m, a.hash, a.len, s1);
    dedup_minhash_sign(&m, b.hash, b.len, s2);
    double shared = 4000 - 5 + 1 - 200 * 5; /* shingles untouched by a change */
    double jac = shared / (2 * (4000 - 5 + 1) - shared);
    double est = dedup_minhash_similarity(&m, s1, s2);
    assert_true(fabs(est - jac) < 0.15);
    /* unrelated texts */
    words_of("v", 400, 0, &b);
    dedup_minhash_sign(&m, b.hash, b.len, s2);
    assert_true(dedup_minhash_similarity(&m, s1, s2) < 0.1);
    /* fewer words than the shingle: one shingle; no words: none */
    assert_int_equal(dedup_minhash_sign(&m, a.hash, 3, s1), 1);
    assert_int_equal(dedup_minhash_sign(&m, a.hash, 0, s1), 0);
    dedup_words_free(&a), dedup_words_free(&b);
}

static int domain_of(const dedup_params *p, const char *url) {
    char host[256];
    size_t n = dedup_url_host(url, strlen(url), host, sizeof host);
    return n ? dedup_domain_status(p, host, n) : -1;
}

static void test_domains(void **state) {
    (void)state;
    dedup_params p;
    dedup_params_default(&p);
    char host[256];
    const char *u = "https://User:pw@EN.Example.COM.:8080/a?b#c";
    assert_int_equal(dedup_url_host(u, strlen(u), host, 256), 14);
    assert_string_equal(host, "en.example.com");
    assert_int_equal(domain_of(&p, "https://en.wikipedia.org/wiki/Cat"), DEDUP_WIKIPEDIA);
    assert_int_equal(domain_of(&p, "http://EN.M.WikiPedia.ORG./wiki/Cat"), DEDUP_WIKIPEDIA);
    assert_int_equal(domain_of(&p, "https://wikipedia.org"), DEDUP_WIKIPEDIA);
    assert_int_equal(domain_of(&p, "//de.wikipedia.org:443/x"), DEDUP_WIKIPEDIA);
    assert_int_equal(domain_of(&p, "https://notwikipedia.org/x"), DEDUP_KEEP);
    assert_int_equal(domain_of(&p, "https://wikipedia.org.evil.com/x"), DEDUP_KEEP);
    assert_int_equal(domain_of(&p, "https://en.wikipedia.com/x"), DEDUP_KEEP);
    assert_int_equal(domain_of(&p, "https://www.wikiwand.com/en/Cat"), DEDUP_KEEP);
    char tmp[] = "/tmp/dedup-domainsXXXXXX";
    int fd = mkstemp(tmp);
    assert_true(fd >= 0);
    const char *list = "# comment\nExample.COM.\n\n  wikiwand.com  # mirror\n";
    assert_int_equal(write(fd, list, strlen(list)), (ssize_t)strlen(list));
    close(fd);
    wt_error err;
    assert_int_equal(dedup_params_add_domains(&p, tmp, &err), 0);
    unlink(tmp);
    assert_int_equal(p.ndrop, 3);
    assert_int_equal(domain_of(&p, "https://www.wikiwand.com/en/Cat"), DEDUP_DOMAIN);
    assert_int_equal(domain_of(&p, "https://a.b.example.com/"), DEDUP_DOMAIN);
    assert_int_equal(domain_of(&p, "https://en.wikipedia.org/"), DEDUP_WIKIPEDIA);
    uint64_t fp = dedup_params_fingerprint(&p);
    p.bands++;
    assert_true(fp != dedup_params_fingerprint(&p));
    dedup_params_free(&p);
}

static void test_doc_parse(void **state) {
    (void)state;
    dedup_params p;
    dedup_params_default(&p);
    dedup_doc d;
    const char *ok = "{\"id\":\"00000000000000ff\",\"url\":\"http://a.com/x\",\"text\":\"Hi\","
                     "\"score\":\"7\",\"extra\":[1,2]}";
    dedup_doc_parse(&d, ok, strlen(ok), false, &p);
    assert_int_equal(d.status, DEDUP_KEEP);
    assert_true(d.id == 0xff);
    assert_true(d.score == 7.0);
    assert_int_equal(d.text_len, 2);
    assert_memory_equal(d.url, "http://a.com/x", 14);
    dedup_doc_clear(&d);
    const char *bad[] = {"{\"id\":\"1\",\"url\":\"http://a.com\"",
                         "[1,2]",
                         "{\"id\":\"1\",\"url\":\"http://a.com\"}",
                         "{\"id\":\"1\",\"url\":\"http://a.com\",\"text\":5}",
                         "{\"url\":\"http://a.com\",\"text\":\"x\"}",
                         "{\"id\":\"zz\",\"text\":\"x\"}"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        dedup_doc_parse(&d, bad[i], strlen(bad[i]), false, &p);
        assert_int_equal(d.status, DEDUP_BAD);
        assert_true(d.why[0] != '\0');
        dedup_doc_clear(&d);
    }
    /* one URL key for URLs equal after wt_url_normalize; the id when it fails */
    const char *u1 =
        "{\"id\":\"1\",\"url\":\"HTTPS://Site.Example.com:443/a/./b#frag\",\"text\":\"x\"}";
    const char *u2 = "{\"id\":\"2\",\"url\":\"https://site.example.com/a/b\",\"text\":\"y\"}";
    const char *u3 = "{\"id\":\"3\",\"url\":\"not a url\",\"text\":\"z\"}";
    dedup_doc_parse(&d, u1, strlen(u1), false, &p);
    uint64_t k1 = d.url_key;
    dedup_doc_clear(&d);
    dedup_doc_parse(&d, u2, strlen(u2), false, &p);
    assert_true(d.url_key == k1);
    dedup_doc_clear(&d);
    dedup_doc_parse(&d, u3, strlen(u3), false, &p);
    assert_int_equal(d.status, DEDUP_KEEP);
    assert_true(d.url_key == 3);
    dedup_doc_clear(&d);
    dedup_doc_parse(&d, ok, strlen(ok), true, &p);
    assert_int_equal(d.status, DEDUP_BAD);
    const char *wiki =
        "{\"id\":\"abc\",\"url\":\"https://FR.Wikipedia.org/wiki/X\",\"text\":\"t\"}";
    dedup_doc_parse(&d, wiki, strlen(wiki), false, &p);
    assert_int_equal(d.status, DEDUP_WIKIPEDIA);
    assert_true(isinf(d.score) && d.score < 0);
    dedup_doc_clear(&d);
    dedup_params_free(&p);
}

static void test_format(void **state) {
    (void)state;
    char *dir = tu_tmpdir();
    char path[256];
    snprintf(path, sizeof path, "%s/t.bin", dir);
    wt_error err;
    dedup_table_writer w;
    assert_int_equal(dedup_tw_open(&w, path, DEDUP_FILE_REMOVE, sizeof(dedup_removal), 42, 3, &err),
                     0);
    for (uint32_t i = 0; i < 100; i++) {
        dedup_removal r = {.ord = i * 2, .reason = DEDUP_NEAR};
        assert_int_equal(dedup_tw_append(&w, &r, 1, &err), 0);
    }
    assert_int_equal(dedup_tw_commit(&w, &err), 0);
    dedup_table t;
    assert_int_equal(dedup_table_open(&t, path, DEDUP_FILE_REMOVE, sizeof(dedup_removal), 42, &err),
                     0);
    assert_int_equal(t.count, 100);
    assert_int_equal(((const dedup_removal *)t.recs)[99].ord, 198);
    dedup_table_close(&t);
    assert_false(dedup_table_complete(path, DEDUP_FILE_REMOVE, sizeof(dedup_removal), 43));
    assert_false(dedup_table_complete(path, DEDUP_FILE_EDGES, sizeof(dedup_edge), 42));
    assert_int_equal(truncate(path, 40 + 8 * 50), 0);
    assert_int_equal(dedup_table_open(&t, path, DEDUP_FILE_REMOVE, sizeof(dedup_removal), 42, &err),
                     -1);
    assert_non_null(strstr(err.msg, "HINT"));
    tu_rmdir(dir);
}

static void test_bloom(void **state) {
    (void)state;
    dedup_bloom b;
    wt_error err;
    assert_int_equal(dedup_bloom_init(&b, 10000, 1e-8, 1u << 30, &err), 0);
    assert_true(b.k >= 26 && b.k <= 28);
    assert_true(dedup_bloom_fpr(&b, 10000) <= 1.1e-8);
    dedup_hashset s = {0};
    uint64_t st = 12345;
    for (int i = 0; i < 10000; i++) {
        st = st * 6364136223846793005ull + 1442695040888963407ull;
        dedup_bloom_add(&b, st, st * 31 + 7);
        assert_int_equal(dedup_hashset_add(&s, st), 0);
    }
    assert_int_equal(s.len, 10000);
    st = 12345;
    for (int i = 0; i < 10000; i++) {
        st = st * 6364136223846793005ull + 1442695040888963407ull;
        assert_true(dedup_bloom_has(&b, st, st * 31 + 7));
        assert_true(dedup_hashset_has(&s, st));
    }
    int fp = 0;
    for (uint64_t i = 1; i <= 100000; i++) fp += dedup_bloom_has(&b, i * 0x9E3779B97F4A7C15ull, i);
    for (uint64_t i = 1; i <= 1000; i++) fp += dedup_hashset_has(&s, i);
    assert_int_equal(fp, 0);
    dedup_bloom big;
    assert_int_equal(dedup_bloom_init(&big, 1ull << 40, 1e-8, 1u << 20, &err), -1);
    dedup_bloom_free(&b);
    dedup_hashset_free(&s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalize), cmocka_unit_test(test_words),
        cmocka_unit_test(test_minhash),   cmocka_unit_test(test_domains),
        cmocka_unit_test(test_doc_parse), cmocka_unit_test(test_format),
        cmocka_unit_test(test_bloom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
