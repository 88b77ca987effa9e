/* SURT keys ("Sort-friendly URI Reordering Transform"), the form Common
 * Crawl's and the Wayback Machine's CDX indexes sort by:
 * "http://www.Example.com/A/?b=2&a=1#f" -> "com,example)/a?a=1&b=2".
 * Rules (the IA canonicaliser's defaults): scheme, userinfo, fragment and a
 * leading "www"/"wwwN." label dropped; host lowercased, trailing dots removed,
 * labels reversed and joined by ','; IP addresses not reversed; a port kept
 * unless it is the scheme's default; empty path -> "/"; a trailing '/'
 * dropped unless the path is "/"; session ids (jsessionid, phpsessid, sid,
 * aspsessionid, cfid/cftoken) removed from path and query; an empty query
 * dropped; query arguments sorted; the path and query lowercased. */
#ifndef WT_SURT_H
#define WT_SURT_H

#include <stddef.h>

/* Writes the key of url into out (size n). Returns its length, or -1 for a
 * URL without "scheme://host" or a key that does not fit. */
int wt_surt(const char *url, char *out, size_t n);

#endif
