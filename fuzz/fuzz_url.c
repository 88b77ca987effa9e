/* Fuzz target: the URL normaliser. Properties: never crashes, the result is a
 * fixed point (normalise(normalise(x)) == normalise(x)), wt_url_host agrees
 * with an independent reading of the host, whose registered domain is a suffix. */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "url.h"

/* The host of a normalised URL found independently of wt_url_host: between
 * "://" and the first '/', without the port (IPv6 brackets kept). */
static size_t host_of(const char *url, char *out) {
    const char *a = strstr(url, "://");
    if (!a) abort();
    a += 3;
    const char *e = a + strcspn(a, "/?#");
    const char *colon = NULL;
    if (*a == '[') {
        const char *rb = memchr(a, ']', (size_t)(e - a));
        if (!rb) abort();
        colon = rb + 1 < e ? rb + 1 : NULL;
    } else {
        colon = memchr(a, ':', (size_t)(e - a));
    }
    if (colon) e = colon;
    memcpy(out, a, (size_t)(e - a));
    out[e - a] = 0;
    return (size_t)(e - a);
}

/* True unless host is "[...]" without an IPv6 address inside. Known bug
 * (docs/hardening.md, tests/faults/pending/url_ipv6_brackets.txt): lib/url.c
 * accepts any hex digits, ':', '.', '[' and ']' between the brackets, so
 * "http://[]]]]" normalises to a "valid" URL. Until it is fixed such hosts are
 * only checked for idempotence. */
static bool bracket_host_ok(const char *host, size_t n) {
    if (n == 0 || host[0] != '[') return true;
    char in[WT_URL_MAX + 1];
    unsigned char addr[16];
    if (n < 2 || host[n - 1] != ']') return false;
    memcpy(in, host + 1, n - 2);
    in[n - 2] = 0;
    return inet_pton(AF_INET6, in, addr) == 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char out[WT_URL_MAX + 1], again[WT_URL_MAX + 1];
    wt_url_status s = wt_url_normalize((const char *)data, size, out);
    if (s >= WT_URL_NREASONS || !wt_url_status_name(s)) abort();
    if (s != WT_URL_OK) {
        if (out[0]) abort(); /* a rejected URL leaves an empty string */
        return 0;
    }
    size_t n = strlen(out);
    if (n > WT_URL_MAX) abort();
    if (wt_url_normalize(out, n, again) != WT_URL_OK || strcmp(out, again)) abort();
    char host[WT_URL_MAX + 1], reg[WT_URL_MAX + 1];
    int hl = wt_url_host(out, host, sizeof host);
    if (hl <= 0 || (size_t)hl != strlen(host)) abort(); /* a valid URL has a host */
    if (!bracket_host_ok(host, (size_t)hl)) abort();    /* an accepted IPv6 literal must parse */
    char host2[WT_URL_MAX + 1];
    if (host_of(out, host2) != (size_t)hl || strcmp(host, host2)) abort();
    int rl = wt_url_registered_domain(host, reg, sizeof reg);
    if (rl < 0 || (size_t)rl > (size_t)hl || strcmp(host + hl - rl, reg)) abort();
    size_t pl;
    const char *path = wt_url_path(out, &pl);
    if (!path || pl == 0 || path[0] != '/' || path + pl > out + n) abort();
    return 0;
}
