/* Word-level perplexity tasks (WikiText-2, WikiText-103, PTB, 1BW): the data
 * set's tokenization is detokenized line by line, the lines joined with '\n',
 * scored with the sliding window, and the negative log-likelihood divided by
 * the original word count (whitespace tokens plus one end-of-line per line). */
#include "eval/eval.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eval/detok.h"
#include "stream.h"

static eval_detok_kind kind_for(const char *name) {
    if (strncmp(name, "wikitext", 8) == 0) return DETOK_WIKITEXT;
    if (strcmp(name, "ptb") == 0) return DETOK_PTB;
    return DETOK_1BW;
}

typedef struct words_text {
    tok_bytes text; /* detokenized lines, each followed by '\n' */
    uint64_t lines, words, bytes;
} words_text;

/* Reads the first c->limit lines (0: all) into *w. */
static int words_read(eval_ctx *c, const char *path, eval_detok_kind k, words_text *w,
                      wt_error *err) {
    wt_reader *r = wt_reader_open(path, err);
    if (!r) return -1;
    char *line;
    size_t len;
    int rc = 0;
    while ((c->limit <= 0 || (int64_t)w->lines < c->limit) &&
           (rc = wt_reader_getline(r, &line, &len, err)) > 0) {
        uint64_t no = wt_reader_line_no(r);
        size_t bad = eval_utf8_check((const unsigned char *)line, len);
        if (wt_reader_line_truncated(r))
            rc = wt_fail(err, "%s:%llu: line too long", path, (unsigned long long)no);
        else if (bad < len)
            rc = wt_fail(err, "%s:%llu: invalid UTF-8 or NUL byte at column %zu", path,
                         (unsigned long long)no, bad + 1);
        if (rc < 0) break;
        w->lines++;
        w->words += eval_count_words(line, len) + 1;
        w->bytes += len + 1;
        if (eval_detok_line(k, line, len, &w->text, NULL, 0) < 0 ||
            tok_bytes_append(&w->text, "\n", 1) < 0) {
            rc = wt_fail(err, "out of memory reading %s", path);
            break;
        }
    }
    wt_reader_close(r);
    rc = rc < 0 ? -1 : 0;
    if (rc == 0 && w->lines == 0) rc = wt_fail(err, "%s: no lines", path);
    return rc;
}

int eval_task_words(eval_ctx *c, const char *name, const char *path, json_t *out, wt_error *err) {
    double t0 = wt_now();
    uint64_t fwd0 = c->fwd_tokens;
    eval_detok_kind k = kind_for(name);
    words_text w = {0};
    eval_text_score sc;
    int rc = words_read(c, path, k, &w, err);
    if (rc == 0) rc = eval_score_text(c, name, path, w.text.p, w.text.n, &sc, err);
    if (rc == 0) {
        double nll = sc.nll;
        uint64_t ntok = sc.tokens, unscored = sc.unscored;
        json_t *m = json_object();
        json_object_set_new(m, "word_ppl", json_real(exp(nll / (double)w.words)));
        json_object_set_new(m, "token_ppl", json_real(exp(nll / (double)ntok)));
        json_object_set_new(out, "metrics", m);
        json_object_set_new(out, "examples", json_integer((json_int_t)w.lines));
        json_object_set_new(out, "lines", json_integer((json_int_t)w.lines));
        json_object_set_new(out, "words", json_integer((json_int_t)w.words));
        json_object_set_new(out, "tokens", json_integer((json_int_t)ntok));
        json_object_set_new(out, "bytes", json_integer((json_int_t)w.bytes));
        json_object_set_new(out, "detok_bytes", json_integer((json_int_t)w.text.n));
        json_object_set_new(out, "unscored_tokens", json_integer((json_int_t)unscored));
        json_object_set_new(out, "nll", json_real(nll));
        json_t *meth = json_object();
        json_object_set_new(meth, "protocol",
                            json_string("lines detokenized and joined with \\n (each line ends "
                                        "with one), one <|endoftext|> prefix, sliding window; "
                                        "word_ppl = exp(NLL / words), token_ppl = exp(NLL / "
                                        "tokens)"));
        json_object_set_new(meth, "words",
                            json_string("whitespace tokens of the original file plus one "
                                        "end-of-line per line (blank lines included)"));
        json_object_set_new(meth, "detokenizer", json_string(eval_detok_name(k)));
        eval_add_window(meth, c);
        json_object_set_new(meth, "limit",
                            json_string(c->limit > 0 ? "first N lines" : "all lines"));
        json_object_set_new(out, "method", meth);
        eval_add_timing(out, c, fwd0, ntok, wt_now() - t0);
    }
    tok_bytes_free(&w.text);
    return rc;
}
