/* Domain and file-extension exclusion lists of `crawl urls`: loaded from the
 * text lists (one entry a line, '#' comments), embedded defaults or a user
 * file, and matched against normalised URLs. */
#ifndef CRAWL_URLS_FILTERS_H
#define CRAWL_URLS_FILTERS_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* The lists of crawl/filters/, embedded at build time (crawl/embed_lists.sh). */
extern const char crawl_default_domains[];
extern const char crawl_default_extensions[];

typedef struct crawl_list {
    char **items; /* sorted, lowercase; domains without trailing dot, extensions with leading dot */
    size_t n;
} crawl_list;

/* Parses list text. Domain entries are lowercased, "*." / "." prefixes and
 * trailing dots removed; extension entries get a leading '.'. `what` names
 * the source in errors ("--exclude-domains FILE"). */
int crawl_list_parse_domains(crawl_list *l, const char *text, const char *what, wt_error *err);
int crawl_list_parse_extensions(crawl_list *l, const char *text, const char *what, wt_error *err);
/* Reads a list file (any compression) and parses it as above. */
int crawl_list_load(crawl_list *l, const char *path, bool domains, wt_error *err);
void crawl_list_free(crawl_list *l);

/* True if host (lowercase) or one of its parent domains is listed:
 * "i.imgur.com" matches "imgur.com". */
bool crawl_list_match_host(const crawl_list *l, const char *host);
/* True if the URL path (path[0..len), no query) lowercased ends with a listed extension. */
bool crawl_list_match_path(const crawl_list *l, const char *path, size_t len);

#endif
