/* The project's one URL normalisation (used for dedup keys, for fetching and
 * for document ids), host extraction and registered domains (libpsl). Every
 * stage that compares or hashes URLs goes through wt_url_normalize. */
#ifndef WT_URL_H
#define WT_URL_H

#include <stddef.h>

#define WT_URL_MAX 2048 /* longer URLs (input or normalised) are rejected */

/* Why a URL was rejected; WT_URL_OK when it was not. */
typedef enum {
    WT_URL_OK = 0,
    WT_URL_EMPTY,    /* empty or only whitespace */
    WT_URL_TOO_LONG, /* more than WT_URL_MAX bytes */
    WT_URL_SCHEME,   /* no scheme, or not http/https */
    WT_URL_NO_HOST,  /* no "//" authority or an empty host */
    WT_URL_BAD_HOST, /* bad characters, empty labels, IDN conversion failed, > 253 bytes */
    WT_URL_BAD_PORT, /* not digits or > 65535 */
    WT_URL_NREASONS
} wt_url_status;

/* Short stable name of a status, used as a statistics key: "ok", "empty",
 * "too_long", "scheme", "no_host", "bad_host", "bad_port". */
const char *wt_url_status_name(wt_url_status s);

/* Normalises `in` (len bytes, need not be NUL-terminated) into out[WT_URL_MAX+1]:
 * - surrounding whitespace trimmed; HTML entities &amp; (repeatedly), &lt;,
 *   &gt;, &quot;, &#39; decoded (Reddit escapes URLs this way);
 * - scheme lowercased, only http and https accepted;
 * - userinfo dropped; host lowercased, trailing dots removed, non-ASCII
 *   (IDN) hosts converted to punycode (IDNA 2008 via libidn2);
 * - default port (80 / 443) and an empty port dropped, leading zeros removed;
 * - empty path becomes "/"; "." and ".." segments removed (RFC 3986 5.2.4);
 * - percent-encoding: hex uppercased, unreserved characters (A-Z a-z 0-9 -._~)
 *   decoded, bytes not allowed in a URL (space, controls, non-ASCII, "<>\^`{|})
 *   encoded, a stray '%' encoded as %25; an empty query ("?") dropped,
 *   the query's order kept;
 * - the fragment dropped.
 * The result is a fixed point: normalising it again gives it back.
 * Returns WT_URL_OK, or the reason (out is then an empty string). */
wt_url_status wt_url_normalize(const char *in, size_t len, char *out);

/* The host of a normalised URL (no port, no brackets for IPv6 removed: they
 * are kept) into buf; returns its length, or -1 if it does not fit or the URL
 * has no host. */
int wt_url_host(const char *url, char *buf, size_t n);

/* The path of a normalised URL without query: pointer into url and its length
 * (for "http://a.b/x?y" gives "/x", 2). Returns NULL if there is no path. */
const char *wt_url_path(const char *url, size_t *len);

/* The registered (registrable) domain of a lowercase host per the Public
 * Suffix List (libpsl's built-in list, ICANN and private sections), e.g.
 * "news.bbc.co.uk" -> "bbc.co.uk". A host that has none (an IP address, a
 * public suffix itself, a single label) gives the host itself. Returns the
 * length written to buf, or -1 if it does not fit. */
int wt_url_registered_domain(const char *host, char *buf, size_t n);

#endif
