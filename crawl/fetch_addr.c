/* Private-address classification (see fetch_addr.h). IPv4-mapped, IPv4-
 * compatible and NAT64 (64:ff9b::/96) IPv6 addresses are judged by the IPv4
 * address they carry, so ::ffff:127.0.0.1 is loopback too. */
#include "crawl/fetch_addr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* a is in host byte order. */
static bool v4_private(uint32_t a) {
    static const struct {
        uint32_t net;
        int bits;
    } nets[] = {
        {0x00000000, 8},  /* 0.0.0.0/8 "this network" */
        {0x0A000000, 8},  /* 10/8 */
        {0x64400000, 10}, /* 100.64/10 CGNAT */
        {0x7F000000, 8},  /* 127/8 loopback */
        {0xA9FE0000, 16}, /* 169.254/16 link-local (cloud metadata) */
        {0xAC100000, 12}, /* 172.16/12 */
        {0xC0000000, 24}, /* 192.0.0/24 protocol assignments */
        {0xC0000200, 24}, /* 192.0.2/24 documentation */
        {0xC0A80000, 16}, /* 192.168/16 */
        {0xC6120000, 15}, /* 198.18/15 benchmarking */
        {0xC6336400, 24}, /* 198.51.100/24 documentation */
        {0xCB007100, 24}, /* 203.0.113/24 documentation */
        {0xE0000000, 4},  /* 224/4 multicast */
        {0xF0000000, 4},  /* 240/4 reserved, broadcast */
    };
    for (size_t i = 0; i < sizeof nets / sizeof nets[0]; i++) {
        uint32_t mask = 0xFFFFFFFFu << (32 - nets[i].bits);
        if ((a & mask) == nets[i].net) return true;
    }
    return false;
}

static bool v6_private(const uint8_t b[16]) {
    static const uint8_t zero[16];
    uint32_t tail = (uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 | (uint32_t)b[14] << 8 | b[15];
    if (!memcmp(b, zero, 12)) return true; /* ::, ::1, IPv4-compatible (deprecated) */
    if (!memcmp(b, zero, 10) && b[10] == 0xff && b[11] == 0xff) return v4_private(tail);
    static const uint8_t nat64[12] = {0x00, 0x64, 0xff, 0x9b};
    if (!memcmp(b, nat64, 12)) return v4_private(tail);
    if ((b[0] & 0xfe) == 0xfc) return true;                 /* fc00::/7 unique local */
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return true; /* fe80::/10 link-local */
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return true; /* fec0::/10 site-local */
    if (b[0] == 0xff) return true;                          /* ff00::/8 multicast */
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return true; /* doc */
    if (b[0] == 0x01 && !memcmp(b + 1, zero, 7)) return true; /* 100::/64 discard */
    return false;
}

bool fetch_addr_is_private(const struct sockaddr *sa) {
    if (sa->sa_family == AF_INET)
        return v4_private(ntohl(((const struct sockaddr_in *)(const void *)sa)->sin_addr.s_addr));
    if (sa->sa_family == AF_INET6)
        return v6_private(((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr.s6_addr);
    return true; /* unix sockets and the like: never a web target */
}

bool fetch_addr_string_is_private(const char *s) {
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, s, &a4) == 1) return v4_private(ntohl(a4.s_addr));
    if (inet_pton(AF_INET6, s, &a6) == 1) return v6_private(a6.s6_addr);
    return false;
}

void fetch_addr_format(const struct sockaddr *sa, char *out, size_t n) {
    const void *a = NULL;
    if (sa->sa_family == AF_INET)
        a = &((const struct sockaddr_in *)(const void *)sa)->sin_addr;
    else if (sa->sa_family == AF_INET6)
        a = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
    if (!a || !inet_ntop(sa->sa_family, a, out, (socklen_t)n)) snprintf(out, n, "%s", "");
}
