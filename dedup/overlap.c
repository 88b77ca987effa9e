/* N-gram scanning for the overlap analysis (see overlap.h). */
#include "overlap.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "docs.h"
#include "jsonl.h"
#include "stream.h"
#include "text.h"

#define MAX_N 64

int dedup_overlap_detect(const char *path, bool *jsonl, wt_error *err) {
    wt_reader *r = wt_reader_open(path, err);
    if (!r) return -1;
    char *line;
    size_t len;
    int rc = dedup_next_record(r, &line, &len, err);
    *jsonl = false;
    if (rc == 1 && len && line[0] == '{') {
        wt_error perr;
        json_t *o = wt_json_parse(line, len, &perr);
        *jsonl = o && json_is_string(json_object_get(o, "text"));
        json_decref(o);
    }
    wt_reader_close(r);
    return rc < 0 ? -1 : 0;
}

typedef struct scan_state {
    uint64_t win[MAX_N];
    int n, have;
    dedup_buf norm;
    dedup_words words;
} scan_state;

static int scan_text(scan_state *s, const char *text, size_t len, dedup_ngram_fn fn, void *ctx,
                     dedup_scan *st, wt_error *err) {
    if (dedup_text_normalize(text, len, &s->norm) < 0) return wt_fail(err, "out of memory");
    s->words.len = 0;
    if (dedup_text_words(s->norm.data, s->norm.len, &s->words) < 0)
        return wt_fail(err, "out of memory");
    for (size_t i = 0; i < s->words.len; i++) {
        if (s->have < s->n) {
            s->win[s->have++] = s->words.hash[i];
            if (s->have < s->n) continue;
        } else {
            memmove(s->win, s->win + 1, (size_t)(s->n - 1) * sizeof *s->win);
            s->win[s->n - 1] = s->words.hash[i];
        }
        XXH128_hash_t h = XXH3_128bits(s->win, (size_t)s->n * sizeof *s->win);
        st->ngrams++;
        WT_TRY(fn(ctx, h.low64, h.high64, err));
    }
    return 0;
}

int dedup_overlap_scan(const char *path, int n, bool quiet, dedup_ngram_fn fn, void *ctx,
                       dedup_scan *st, wt_error *err) {
    *st = (dedup_scan){0};
    if (n < 1 || n > MAX_N) return wt_fail(err, "n-gram size must be in [1, %d]", MAX_N);
    WT_TRY(dedup_overlap_detect(path, &st->jsonl, err));
    wt_reader *r = wt_reader_open(path, err);
    if (!r) return -1;
    scan_state s = {.n = n};
    wt_badrec bad = {.stage = "dedup overlap", .max_print = quiet ? 1 : 0};
    char *line;
    size_t len;
    int rc;
    while ((rc = st->jsonl ? dedup_next_record(r, &line, &len, err)
                           : wt_reader_getline(r, &line, &len, err)) == 1) {
        if (!st->jsonl) {
            if ((rc = scan_text(&s, line, len, fn, ctx, st, err)) < 0) break;
            continue;
        }
        wt_error perr;
        json_t *o = wt_json_parse(line, len, &perr);
        json_t *t = o ? json_object_get(o, "text") : NULL;
        if (!json_is_string(t)) {
            st->bad++;
            json_decref(o);
            if ((rc = wt_bad_record(&bad, err, path, wt_reader_line_no(r), "%s",
                                    o ? "missing string field \"text\"" : perr.msg)) < 0)
                break;
            continue;
        }
        s.have = 0; /* n-grams do not cross documents */
        st->docs++;
        rc = scan_text(&s, json_string_value(t), json_string_length(t), fn, ctx, st, err);
        json_decref(o);
        if (rc < 0) break;
    }
    if (!st->jsonl && rc == 0) st->docs = 1;
    wt_reader_close(r);
    dedup_buf_free(&s.norm);
    dedup_words_free(&s.words);
    return rc < 0 ? -1 : 0;
}
