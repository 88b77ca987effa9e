/* Unit tests of the fetch policies: robots.txt groups and longest-match rules
 * (RFC 9309 examples and edge cases) and the private-address classifier. */
#include "fetchtest.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "crawl/fetch_addr.h"
#include "crawl/fetch_robots.h"

static bool allowed(const char *txt, const char *agent, const char *path) {
    fetch_robots *r = fetch_robots_parse(txt, strlen(txt), agent);
    assert_non_null(r);
    bool ok = fetch_robots_allowed(r, path);
    fetch_robots_free(r);
    return ok;
}

static void test_robots_groups(void **state) {
    (void)state;
    const char *txt = "User-agent: *\nDisallow: /\n\n"
                      "User-Agent: WebText\nUser-agent: other\nDisallow: /private\n"
                      "Sitemap: https://x/sitemap.xml\nAllow: /private/ok\n\n"
                      "user-agent: webtext\ndisallow: /also # comment\n";
    /* our token matches case-insensitively: only our groups (merged) apply */
    assert_true(allowed(txt, "webtext", "/"));
    assert_false(allowed(txt, "webtext", "/private/x"));
    assert_true(allowed(txt, "webtext", "/private/ok/1"));
    assert_false(allowed(txt, "webtext", "/also/x"));
    /* another crawler falls back to '*' */
    assert_false(allowed(txt, "somebot", "/anything"));
    assert_true(allowed(txt, "somebot", "/robots.txt"));
    /* no group at all, empty file, disallow with no value */
    assert_true(allowed("", "webtext", "/x"));
    assert_true(allowed("User-agent: *\nDisallow:\n", "webtext", "/x"));
    /* rules before any user-agent line belong to no group */
    assert_true(allowed("Disallow: /\nUser-agent: x\nDisallow: /y\n", "webtext", "/a"));
    /* a product token is a whole word, not a prefix */
    assert_true(allowed("User-agent: webtextbot\nDisallow: /\n", "webtext", "/a"));
    assert_false(allowed("User-agent: webtext/2.0\nDisallow: /\n", "webtext", "/a"));
    /* CRLF line ends and a BOM */
    assert_false(allowed("\xEF\xBB\xBFUser-agent: *\r\nDisallow: /a\r\n", "webtext", "/a"));
}

static void test_robots_longest_match(void **state) {
    (void)state;
    const char *txt = "User-agent: *\n"
                      "Allow: /p\nDisallow: /\n"
                      "Disallow: /*.php$\nAllow: /x/*.php$\n"
                      "Disallow: /fish*\nAllow: /fish/salmon\n"
                      "Disallow: /q?a=1\n"
                      "Disallow: /tie\nAllow: /tie\n"
                      "Disallow: /%7Etilde\nDisallow: /caf%C3%A9\n";
    assert_true(allowed(txt, "webtext", "/page")); /* /p (2) beats / (1) */
    assert_false(allowed(txt, "webtext", "/other"));
    assert_false(allowed(txt, "webtext", "/pa/b.php")); /* the .php$ rule (7) beats /p */
    assert_true(allowed(txt, "webtext", "/pa/b.php5")); /* $ anchors the end */
    assert_true(allowed(txt, "webtext", "/x/y.php"));   /* longer allow wins */
    assert_false(allowed(txt, "webtext", "/fish.html"));
    assert_true(allowed(txt, "webtext", "/fish/salmon/1"));
    assert_false(allowed(txt, "webtext", "/q?a=1&b"));
    assert_true(allowed(txt, "webtext", "/tie"));        /* equal length: allow */
    assert_false(allowed(txt, "webtext", "/~tilde/x"));  /* %7E is '~' */
    assert_false(allowed(txt, "webtext", "/caf%c3%a9")); /* hex case does not matter */
    assert_false(allowed("User-agent: *\nDisallow: /café\n", "webtext", "/caf%C3%A9"));
    /* pathological wildcards stay fast and right */
    assert_false(allowed("User-agent: *\nDisallow: /*a*a*a*a*a*a*b$\n", "webtext",
                         "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"));
    assert_true(allowed("User-agent: *\nDisallow: /*a*a*a*a*a*a*b$\n", "webtext",
                        "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac"));
}

static void test_robots_fixed_and_token(void **state) {
    (void)state;
    fetch_robots *all = fetch_robots_fixed(true), *none = fetch_robots_fixed(false);
    assert_true(fetch_robots_allowed(all, "/x"));
    assert_false(fetch_robots_allowed(none, "/x"));
    fetch_robots_free(all);
    fetch_robots_free(none);
    char tok[64];
    fetch_robots_token("webtext/1.0 (+https://example.org)", tok, sizeof tok);
    assert_string_equal(tok, "webtext");
    fetch_robots_token("My_Bot-2", tok, sizeof tok);
    assert_string_equal(tok, "My_Bot-");
}

static void test_private_addresses(void **state) {
    (void)state;
    const char *priv[] = {"127.0.0.1",
                          "127.1.2.3",
                          "10.1.2.3",
                          "172.16.0.1",
                          "172.31.255.255",
                          "192.168.1.1",
                          "169.254.169.254",
                          "100.64.0.1",
                          "0.0.0.0",
                          "224.0.0.1",
                          "239.255.255.250",
                          "255.255.255.255",
                          "::1",
                          "::",
                          "fe80::1",
                          "fc00::1",
                          "fd12:3456::1",
                          "ff02::1",
                          "::ffff:127.0.0.1",
                          "::ffff:10.0.0.1",
                          "64:ff9b::a9fe:a9fe",
                          "2001:db8::1"};
    const char *pub[] = {"8.8.8.8",       "1.1.1.1",         "172.32.0.1",     "100.128.0.1",
                         "93.184.216.34", "2606:4700::1111", "::ffff:8.8.8.8", "2a00:1450:4001::1"};
    for (size_t i = 0; i < sizeof priv / sizeof *priv; i++) {
        if (!fetch_addr_string_is_private(priv[i])) fail_msg("%s should be private", priv[i]);
    }
    for (size_t i = 0; i < sizeof pub / sizeof *pub; i++) {
        if (fetch_addr_string_is_private(pub[i])) fail_msg("%s should be public", pub[i]);
    }
    struct sockaddr_in6 s6 = {.sin6_family = AF_INET6};
    inet_pton(AF_INET6, "::1", &s6.sin6_addr);
    assert_true(fetch_addr_is_private((struct sockaddr *)&s6));
    char ip[64];
    fetch_addr_format((struct sockaddr *)&s6, ip, sizeof ip);
    assert_string_equal(ip, "::1");
    struct sockaddr_in s4 = {.sin_family = AF_INET};
    inet_pton(AF_INET, "93.184.216.34", &s4.sin_addr);
    assert_false(fetch_addr_is_private((struct sockaddr *)&s4));
    fetch_addr_format((struct sockaddr *)&s4, ip, sizeof ip);
    assert_string_equal(ip, "93.184.216.34");
}

int fetchtest_policy_tests(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_robots_groups),
        cmocka_unit_test(test_robots_longest_match),
        cmocka_unit_test(test_robots_fixed_and_token),
        cmocka_unit_test(test_private_addresses),
    };
    return cmocka_run_group_tests_name("fetch policy", tests, NULL, NULL);
}
