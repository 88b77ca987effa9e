/* Unit tests of lib/url.h: one case per normalisation rule, the rejections
 * with their reasons, host and registered-domain extraction, and the fixed
 * point property normalise(normalise(x)) == normalise(x) on random URLs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crawl_urls_test.h"
#include "url.h"

static void check(const char *in, const char *want) {
    char out[WT_URL_MAX + 1];
    wt_url_status st = wt_url_normalize(in, strlen(in), out);
    if (st != WT_URL_OK)
        fail_msg("'%s': rejected (%s), want '%s'", in, wt_url_status_name(st), want);
    if (strcmp(out, want)) fail_msg("'%s': got '%s', want '%s'", in, out, want);
}

static void check_reject(const char *in, wt_url_status want) {
    char out[WT_URL_MAX + 1];
    wt_url_status st = wt_url_normalize(in, strlen(in), out);
    if (st != want)
        fail_msg("'%s': got %s ('%s'), want %s", in, wt_url_status_name(st), out,
                 wt_url_status_name(want));
    assert_string_equal(out, "");
}

static void test_scheme_and_host_case(void **state) {
    (void)state;
    check("HTTP://WWW.Example.COM/Path", "http://www.example.com/Path"); /* path case kept */
    check("HtTpS://Example.com/", "https://example.com/");
}

static void test_default_ports(void **state) {
    (void)state;
    check("http://example.com:80/a", "http://example.com/a");
    check("https://example.com:443/a", "https://example.com/a");
    check("http://example.com:443/a", "http://example.com:443/a"); /* not the default for http */
    check("https://example.com:80/a", "https://example.com:80/a");
    check("http://example.com:/a", "http://example.com/a");     /* empty port */
    check("http://example.com:0080/a", "http://example.com/a"); /* leading zeros */
    check("http://example.com:8080", "http://example.com:8080/");
}

static void test_fragment_dropped(void **state) {
    (void)state;
    check("http://example.com/a#section", "http://example.com/a");
    check("http://example.com/a?b=1#x?y", "http://example.com/a?b=1");
    check("http://example.com#top", "http://example.com/");
}

static void test_html_entities(void **state) {
    (void)state;
    check("http://example.com/?a=1&amp;b=2", "http://example.com/?a=1&b=2");
    check("http://example.com/?a=1&amp;amp;b=2", "http://example.com/?a=1&b=2"); /* double */
    check("http://example.com/?q=&lt;x&gt;", "http://example.com/?q=%3Cx%3E");
    check("http://example.com/?a&b", "http://example.com/?a&b");             /* a bare & stays */
    check("http://example.com/?x=&ampfoo", "http://example.com/?x=&ampfoo"); /* not an entity */
}

static void test_percent_encoding(void **state) {
    (void)state;
    check("http://example.com/a%2fb", "http://example.com/a%2Fb");   /* hex uppercased */
    check("http://example.com/%7Euser", "http://example.com/~user"); /* unreserved decoded */
    check("http://example.com/%41%62%2D%2E%5F", "http://example.com/Ab-._");
    check("http://example.com/a b", "http://example.com/a%20b");             /* space encoded */
    check("http://example.com/caf\xc3\xa9", "http://example.com/caf%C3%A9"); /* UTF-8 encoded */
    check("http://example.com/100%", "http://example.com/100%25");           /* stray % */
    check("http://example.com/%zz", "http://example.com/%25zz");
    check("http://example.com/?q=%20%2b", "http://example.com/?q=%20%2B");
    check("http://example.com/a\"b<c>", "http://example.com/a%22b%3Cc%3E");
    check("http://example.com/a+b?c+d", "http://example.com/a+b?c+d"); /* '+' kept */
}

static void test_host_rules(void **state) {
    (void)state;
    check("http://example.com./a", "http://example.com/a"); /* trailing dot */
    check("http://example.com../", "http://example.com/");
    check("http://user:pw@example.com/", "http://example.com/"); /* userinfo dropped */
    check("http://EXAMPLE.com:8080@evil.com/", "http://evil.com/");
    check("http://[2001:DB8::1]:8080/x", "http://[2001:db8::1]:8080/x");
    check("http://[2001:0DB8:0:0::0001]/", "http://[2001:db8::1]/"); /* RFC 5952 form */
    check("http://192.168.0.1/", "http://192.168.0.1/");
    check("http://m\xc3\xbcnchen.de/", "http://xn--mnchen-3ya.de/"); /* IDN -> punycode */
    check("http://M\xc3\x9cNCHEN.DE/", "http://xn--mnchen-3ya.de/");
    check("http://xn--mnchen-3ya.de/", "http://xn--mnchen-3ya.de/");
    check("http://my_host.example.com/", "http://my_host.example.com/");
    check("http://ex%41mple.com/", "http://example.com/"); /* percent-encoded host */
}

static void test_path_rules(void **state) {
    (void)state;
    check("http://example.com", "http://example.com/"); /* empty path */
    check("http://example.com?q=1", "http://example.com/?q=1");
    check("http://example.com/a/./b/../c", "http://example.com/a/c");
    check("http://example.com/a/b/..", "http://example.com/a/");
    check("http://example.com/../../x", "http://example.com/x");
    check("http://example.com/a/%2E%2E/b", "http://example.com/b");
    check("http://example.com/a//b/", "http://example.com/a//b/");         /* empty segments kept */
    check("http://example.com/a?", "http://example.com/a");                /* empty query dropped */
    check("http://example.com/a?b=2&a=1", "http://example.com/a?b=2&a=1"); /* order kept */
    check("  http://example.com/a \n", "http://example.com/a");            /* surrounding space */
    check("http://example.com\\a", "http://example.com/%5Ca");
}

static void test_rejections(void **state) {
    (void)state;
    check_reject("", WT_URL_EMPTY);
    check_reject("   ", WT_URL_EMPTY);
    check_reject("ftp://example.com/file", WT_URL_SCHEME);
    check_reject("javascript:alert(1)", WT_URL_SCHEME);
    check_reject("www.example.com/a", WT_URL_SCHEME);
    check_reject("/r/foo/comments/abc", WT_URL_SCHEME);
    check_reject("http:example.com", WT_URL_NO_HOST);
    check_reject("http:///path", WT_URL_NO_HOST);
    check_reject("http://:80/", WT_URL_NO_HOST);
    check_reject("http://.../", WT_URL_NO_HOST);
    check_reject("http://a..b.com/", WT_URL_BAD_HOST);
    check_reject("http://exa mple.com/", WT_URL_BAD_HOST);
    check_reject("http://exa%00mple.com/", WT_URL_BAD_HOST);
    /* IPv6 literals must parse (found by fuzz_url) */
    check_reject("http://[]]]]", WT_URL_BAD_HOST);
    check_reject("http://[[::1]/", WT_URL_BAD_HOST);
    check_reject("http://[1:2:3:4:5:6:7:8:9]/", WT_URL_BAD_HOST);
    check_reject("http://[::1::2]/", WT_URL_BAD_HOST);
    check_reject("http://[]/", WT_URL_BAD_HOST);
    check_reject("http://example.com:99999/", WT_URL_BAD_PORT);
    check_reject("http://example.com:8o/", WT_URL_BAD_PORT);
    char long_url[3000];
    strcpy(long_url, "http://example.com/");
    memset(long_url + 19, 'a', 2100);
    long_url[2119] = '\0';
    check_reject(long_url, WT_URL_TOO_LONG);
    /* exactly 2048 bytes is fine; growing past it by encoding is too long */
    long_url[2048] = '\0';
    char out[WT_URL_MAX + 1];
    assert_int_equal(wt_url_normalize(long_url, 2048, out), WT_URL_OK);
    long_url[1000] = ' ';
    check_reject(long_url, WT_URL_TOO_LONG);
}

static void test_host_and_domain(void **state) {
    (void)state;
    char buf[256];
    assert_int_equal(wt_url_host("http://news.bbc.co.uk:8080/x?y", buf, sizeof buf), 14);
    assert_string_equal(buf, "news.bbc.co.uk");
    assert_int_equal(wt_url_host("http://[::1]:8080/", buf, sizeof buf), 5);
    assert_string_equal(buf, "[::1]");
    assert_int_equal(wt_url_host("http://example.com", buf, 5), -1); /* too small */
    size_t n;
    const char *p = wt_url_path("http://a.b/x/y?q", &n);
    assert_non_null(p);
    assert_int_equal(n, 4);
    assert_memory_equal(p, "/x/y", 4);
    static const char *const cases[][2] = {
        {"news.bbc.co.uk", "bbc.co.uk"},
        {"www.google.com", "google.com"},
        {"google.com", "google.com"},
        {"foo.blogspot.com", "blogspot.com"}, /* private section ignored, as tldextract */
        {"en.m.wikipedia.org", "wikipedia.org"},
        {"a.b.city.kawasaki.jp", "city.kawasaki.jp"}, /* exception rule */
        {"x.y.kawasaki.jp", "x.y.kawasaki.jp"},       /* wildcard rule */
        {"192.168.0.1", "192.168.0.1"},
        {"[::1]", "[::1]"},
        {"localhost", "localhost"},
        {"co.uk", "co.uk"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_true(wt_url_registered_domain(cases[i][0], buf, sizeof buf) > 0);
        if (strcmp(buf, cases[i][1]))
            fail_msg("%s: got %s, want %s", cases[i][0], buf, cases[i][1]);
    }
}

/* Random URLs built from pieces that exercise every rule; each accepted one
 * must be a fixed point, and the normalised form must itself be accepted. */
static void test_idempotent(void **state) {
    (void)state;
    static const char *const pieces[] = {
        "http://", "HTTPS://", "Ex",  "ample", ".com",     ".",    "..",    "/",   "%2e",
        "%2E",     "%41",      "%7e", "%",     "%2",       "%zz",  "&amp;", "&",   "amp;",
        "&lt;",    "lt;",      "#",   "?",     "=",        ":",    "80",    "443", "@",
        "a",       "Z",        " ",   "\\",    "\xc3\xa9", "\xff", "xn--",  "-",   "_",
        "~",       "+",        "[",   "]",     "%25",      "%26",  "%3B",   "\t",
    };
    unsigned long long s = 0x9E3779B97F4A7C15ull;
    int accepted = 0;
    for (int iter = 0; iter < 20000; iter++) {
        char in[256];
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        size_t n = (size_t)snprintf(in, sizeof in, "%s", (s >> 40) & 1 ? "http://" : "https://");
        int k = (int)((s >> 20) % 24);
        for (int j = 0; j < k; j++) {
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            const char *p = pieces[(s >> 33) % (sizeof pieces / sizeof pieces[0])];
            size_t l = strlen(p);
            if (n + l >= sizeof in) break;
            memcpy(in + n, p, l);
            n += l;
        }
        char a[WT_URL_MAX + 1], b[WT_URL_MAX + 1];
        if (wt_url_normalize(in, n, a) != WT_URL_OK) continue;
        accepted++;
        wt_url_status st = wt_url_normalize(a, strlen(a), b);
        if (st != WT_URL_OK || strcmp(a, b))
            fail_msg("not a fixed point: '%.*s' -> '%s' -> '%s' (%s)", (int)n, in, a, b,
                     wt_url_status_name(st));
    }
    assert_true(accepted > 2000); /* the generator does reach the interesting cases */
}

int crawl_url_tests(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scheme_and_host_case), cmocka_unit_test(test_default_ports),
        cmocka_unit_test(test_fragment_dropped),     cmocka_unit_test(test_html_entities),
        cmocka_unit_test(test_percent_encoding),     cmocka_unit_test(test_host_rules),
        cmocka_unit_test(test_path_rules),           cmocka_unit_test(test_rejections),
        cmocka_unit_test(test_host_and_domain),      cmocka_unit_test(test_idempotent),
    };
    return cmocka_run_group_tests_name("lib/url", tests, NULL, NULL);
}
