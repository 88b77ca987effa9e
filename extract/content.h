/* Main-content extraction: parses UTF-8 HTML with gumbo and returns the
 * article text (paragraphs, headings, lists, quotes and table text in reading
 * order, blocks separated by blank lines) without navigation, headers,
 * footers, comments, share bars, related links, cookie notices or ads.
 * The heuristics are described in extract/README.md. */
#ifndef EX_CONTENT_H
#define EX_CONTENT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

typedef struct ex_content_opts {
    int max_depth;   /* element nesting cap applied before parsing, e.g. 1000 */
    bool whole_page; /* skip main-content selection: all visible text (debugging) */
} ex_content_opts;

typedef struct ex_content {
    ex_buf text;        /* the main text, UTF-8 */
    ex_buf title;       /* og:title, else <title>; "" if none */
    char html_lang[16]; /* <html lang>, lowercased, e.g. "en-us"; "" if none */
    bool depth_cut;     /* the markup was cut at the nesting cap */
    size_t nodes;       /* elements and text nodes seen */
} ex_content;

/* Extracts from html[0..len) (UTF-8). Returns 0, or -1 when out of memory
 * (gumbo aborts on allocation failure; this only covers our own buffers). */
int ex_content_extract(const char *html, size_t len, const ex_content_opts *opts, ex_content *out);
void ex_content_free(ex_content *c);

#endif
