/* Address policy for `crawl fetch`: which IPv4/IPv6 destinations are private
 * (loopback, RFC 1918, CGNAT, link-local, multicast, unique-local, reserved)
 * and so refused unless --allow-private. Checked on the address a socket is
 * about to connect to, after DNS and on every redirect hop. */
#ifndef CRAWL_FETCH_ADDR_H
#define CRAWL_FETCH_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* True for any address that is not globally routable unicast. */
bool fetch_addr_is_private(const struct sockaddr *sa);
/* Same, for a numeric address string ("10.0.0.1", "::1"); false if not numeric. */
bool fetch_addr_string_is_private(const char *s);
/* The numeric form of sa ("127.0.0.1", "::1") into out; "" if unknown family. */
void fetch_addr_format(const struct sockaddr *sa, char *out, size_t n);

#endif
