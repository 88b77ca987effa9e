/* Evidence outside the visible DOM: the `articleBody` of a page's JSON-LD
 * (schema.org Article/NewsArticle/BlogPosting), which publishers fill with
 * the article's plain text. content.c uses it when the visible markup holds
 * little text (pages that render the article with JavaScript). */
#ifndef EX_JSONLD_H
#define EX_JSONLD_H

#include <stddef.h>

#include "buf.h"

/* Appends to out (cleared first) the longest JSON-LD articleBody string of
 * html[0..n), decoded to UTF-8, or nothing. Work is linear in n; a script
 * that is not valid JSON is skipped at the first error. Returns 0, -1 out
 * of memory. */
int ex_jsonld_article_body(const char *html, size_t n, ex_buf *out);

#endif
