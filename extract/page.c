/* Per-page pipeline (see page.h). Every step is bounded: the decoded payload
 * is capped at max_html, binary payloads never reach the parser, and the
 * parser sees at most max_depth levels of nesting. */
#include "page.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "guard.h"
#include "words.h"
#include "http.h"

const char *const ex_reason_names[EX_N_REASONS] = {"kept",   "not_http", "http_status", "not_html",
                                                   "binary", "empty",    "min_words",   "language"};

void ex_opts_default(ex_opts *o) {
    memset(o, 0, sizeof *o);
    o->max_html = (size_t)5 << 20;
    o->max_depth = 1000;
    o->min_words = 100;
    o->max_chars = 100000;
    snprintf(o->lang, sizeof o->lang, "en");
}

int ex_worker_init(ex_worker *w, wt_error *err) {
    memset(w, 0, sizeof *w);
    w->lang = ex_lang_open(NULL, err);
    return w->lang ? 0 : -1;
}

void ex_worker_free(ex_worker *w) {
    ex_buf_free(&w->body);
    ex_buf_free(&w->utf8);
    ex_content_free(&w->content);
    ex_lang_close(w->lang);
    memset(w, 0, sizeof *w);
}

static bool html_mime(const char *m) {
    return !m[0] || !strcmp(m, "text/html") || !strcmp(m, "application/xhtml+xml") ||
           !strcmp(m, "application/xml") || !strcmp(m, "text/xml") ||
           !strcmp(m, "application/html");
}

/* Cuts text at max bytes, at a UTF-8 boundary. */
static bool cut_text(ex_buf *t, size_t max) {
    if (!max || t->len <= max) return false;
    size_t n = max;
    while (n > 0 && ((unsigned char)t->p[n] & 0xc0) == 0x80) n--;
    t->len = n;
    t->p[n] = 0;
    return true;
}

/* Sets res->drop unless an earlier reason is already set. */
static void drop(ex_result *res, ex_reason r) {
    if (res->drop == EX_KEEP) res->drop = r;
}

int ex_page_from_html(ex_worker *w, const ex_opts *o, const unsigned char *html, size_t len,
                      const char *charset, ex_result *res) {
    ex_buf_clear(&w->content.text);
    ex_buf_clear(&w->content.title);
    w->content.html_lang[0] = 0;
    snprintf(res->lang, sizeof res->lang, "und");
    if (len > o->max_html) {
        len = o->max_html;
        res->html_cut = true;
    }
    if (ex_guard_is_binary(html, len)) {
        res->drop = EX_DROP_BINARY;
        return 0; /* binary bytes never reach the parser, even under --keep-all */
    }
    if (ex_charset_to_utf8(html, len, charset ? charset : "", &w->utf8, &res->cs) < 0) return -1;
    ex_content_opts co = {.max_depth = o->max_depth, .whole_page = o->whole_page};
    if (ex_content_extract(w->utf8.p ? w->utf8.p : "", w->utf8.len, &co, &w->content) < 0)
        return -1;
    res->depth_cut = w->content.depth_cut;
    ex_buf *t = &w->content.text;
    if (!o->keep_all) res->text_cut = cut_text(t, o->max_chars);
    res->words = ex_count_words(t->p ? t->p : "", t->len);
    if (t->len == 0)
        drop(res, EX_DROP_EMPTY);
    else if (res->words < (size_t)o->min_words)
        drop(res, EX_DROP_MIN_WORDS);
    if (t->len) ex_lang_identify(w->lang, t->p, t->len, res->lang, sizeof res->lang);
    if (t->len && strcmp(o->lang, "all") != 0 && strcmp(o->lang, res->lang) != 0)
        drop(res, EX_DROP_LANG);
    return 0;
}

int ex_page_from_http(ex_worker *w, const ex_opts *o, const unsigned char *block, size_t len,
                      ex_result *res) {
    memset(res, 0, sizeof *res);
    snprintf(res->lang, sizeof res->lang, "und");
    ex_buf_clear(&w->content.text);
    ex_buf_clear(&w->content.title);
    ex_http h;
    if (ex_http_parse(block, len, &h) < 0) {
        res->drop = EX_DROP_NOT_HTTP;
        return 0;
    }
    res->http_status = h.status;
    if (h.status < 200 || h.status > 299) drop(res, EX_DROP_STATUS);
    if (!html_mime(h.mime)) drop(res, EX_DROP_NOT_HTML);
    if (res->drop != EX_KEEP && !o->keep_all) return 0;
    /* decode a little past max_html so that a cut is detected */
    int f = ex_http_decode(&h, o->max_html + 1, &w->body);
    if (f < 0) return -1;
    res->http_flags = f & ~EX_HTTP_CUT;
    ex_reason early = res->drop;
    res->drop = EX_KEEP;
    int rc = ex_page_from_html(w, o, (const unsigned char *)w->body.p, w->body.len, h.charset, res);
    if (early != EX_KEEP) res->drop = early;
    if (f & EX_HTTP_CUT) res->html_cut = true;
    return rc;
}
