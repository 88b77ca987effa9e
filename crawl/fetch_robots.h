/* robots.txt (RFC 9309) for `crawl fetch`: parses a file down to the rules of
 * the one group that applies to our product token (merged when several match,
 * else the `*` groups), and answers allow/disallow for a path by longest match
 * with `*` and `$`, Allow winning ties. */
#ifndef CRAWL_FETCH_ROBOTS_H
#define CRAWL_FETCH_ROBOTS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct fetch_robots fetch_robots;

/* Max robots.txt bytes parsed (RFC 9309 asks for at least 500 KiB). */
#define FETCH_ROBOTS_MAX_BYTES (512u * 1024)

/* Parses `n` bytes of robots.txt for the product token `agent` (e.g.
 * "webtext"; matched case-insensitively). NULL only when out of memory. */
fetch_robots *fetch_robots_parse(const char *txt, size_t n, const char *agent);
/* Robots answers for a missing file (4xx: allow all) or an unreachable one
 * (5xx: disallow all). */
fetch_robots *fetch_robots_fixed(bool allow_all);
/* Is `path` (the URL's path and query, percent-encoded, e.g. "/a/b?x=1") allowed? */
bool fetch_robots_allowed(const fetch_robots *r, const char *path);
/* Rule count, for tests and statistics. */
size_t fetch_robots_rules(const fetch_robots *r);
void fetch_robots_free(fetch_robots *r);

/* The product token of a user agent: its leading [A-Za-z_-] characters,
 * e.g. "webtext" from "webtext/1.0 (+https://x)". Writes at most n-1 bytes. */
void fetch_robots_token(const char *user_agent, char *out, size_t n);

#endif
