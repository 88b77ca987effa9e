/* One page through the extract pipeline: HTTP payload decoding, binary and
 * size guards, charset to UTF-8, main-content extraction, language, and the
 * document filters. Shared by the WARC driver and the `html` subcommand. */
#ifndef EX_PAGE_H
#define EX_PAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "charset.h"
#include "content.h"
#include "lang.h"

typedef struct ex_opts {
    size_t max_html;  /* HTML bytes parsed per page, e.g. 5 MiB; longer pages are cut */
    int max_depth;    /* element nesting cap, e.g. 1000 */
    int min_words;    /* documents with fewer words are dropped, e.g. 100 */
    size_t max_chars; /* text cut at this many bytes (newspaper's 100,000), 0: no cut */
    char lang[16];    /* language kept ("en"), or "all" */
    bool keep_all;    /* no filter drops anything (reasons still reported) */
    bool whole_page;  /* all visible text instead of the main content */
} ex_opts;

void ex_opts_default(ex_opts *o);

/* Why a page gives no document; the first failing check wins. */
typedef enum {
    EX_KEEP = 0,
    EX_DROP_NOT_HTTP,  /* the response block is not an HTTP response */
    EX_DROP_STATUS,    /* HTTP status not 2xx (newspaper's rule) */
    EX_DROP_NOT_HTML,  /* Content-Type is not HTML */
    EX_DROP_BINARY,    /* payload looks binary */
    EX_DROP_EMPTY,     /* no main text */
    EX_DROP_MIN_WORDS, /* fewer than min_words words */
    EX_DROP_LANG,      /* not the language kept */
    EX_N_REASONS
} ex_reason;

extern const char *const ex_reason_names[EX_N_REASONS]; /* e.g. "min_words" */

typedef struct ex_result {
    ex_reason drop;
    int http_status; /* 0 for plain HTML input */
    int http_flags;  /* EX_HTTP_* */
    bool html_cut;   /* payload longer than max_html, parsed only in part */
    bool depth_cut;  /* nesting cap hit */
    bool text_cut;   /* text cut at max_chars */
    ex_charset_info cs;
    char lang[16]; /* "en", "und", ... */
    size_t words;  /* whitespace-separated words of the text */
} ex_result;

/* Per-thread scratch buffers and the language model. */
typedef struct ex_worker {
    ex_buf body, utf8;
    ex_content content; /* the result's text and title live here */
    ex_lang *lang;
} ex_worker;

int ex_worker_init(ex_worker *w, wt_error *err);
void ex_worker_free(ex_worker *w);

/* A WARC response block ("HTTP/1.1 200 OK ..."). Returns 0 (see res->drop), -1 out of memory. */
int ex_page_from_http(ex_worker *w, const ex_opts *o, const unsigned char *block, size_t len,
                      ex_result *res);
/* Raw HTML bytes with an optional declared charset (NULL: none). */
int ex_page_from_html(ex_worker *w, const ex_opts *o, const unsigned char *html, size_t len,
                      const char *charset, ex_result *res);

#endif
