/* LAMBADA readers: OpenAI's JSON Lines copy ({"text": ...} per line) or the
 * original plain-text release (one passage per line), each passage split into
 * the context and the target " " + last word. */
#include "eval/lambada_data.h"

#include <stdlib.h>
#include <string.h>

#include "jsonl.h"
#include "stream.h"

static bool is_ws(char c) {
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

int lambada_split(const char *text, size_t len, size_t *ctx_len) {
    while (len > 0 && is_ws(text[len - 1])) len--;
    size_t sp = len;
    while (sp > 0 && text[sp - 1] != ' ') sp--;
    if (sp <= 1) return -1; /* no space, or nothing before it */
    *ctx_len = sp - 1;
    return (int)(len - *ctx_len); /* the target: " " + last word */
}

static int push(lambada_set *s, const char *text, size_t len, uint64_t line, const char *path,
                wt_error *err) {
    size_t cl;
    int tl = lambada_split(text, len, &cl);
    if (tl < 0)
        return wt_fail(err, "%s:%llu: passage has no context before its last word", path,
                       (unsigned long long)line);
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        lambada_example *v = realloc(s->v, cap * sizeof *v);
        if (!v) return wt_fail(err, "out of memory reading %s", path);
        s->v = v, s->cap = cap;
    }
    lambada_example *e = &s->v[s->n];
    e->text = malloc(cl + (size_t)tl + 1);
    if (!e->text) return wt_fail(err, "out of memory reading %s", path);
    memcpy(e->text, text, cl + (size_t)tl);
    e->text[cl + (size_t)tl] = 0;
    e->ctx_len = cl, e->len = cl + (size_t)tl, e->line = line;
    s->n++;
    return 0;
}

int lambada_read(const char *path, int64_t limit, lambada_set *s, wt_error *err) {
    memset(s, 0, sizeof *s);
    size_t pl = strlen(path);
    bool json = pl >= 6 && strcmp(path + pl - 6, ".jsonl") == 0;
    json = json || (pl >= 10 && strstr(path, ".jsonl.") != NULL);
    wt_reader *r = wt_reader_open(path, err);
    if (!r) return -1;
    char *line;
    size_t len;
    int rc = 0;
    while ((limit <= 0 || (int64_t)s->n < limit) &&
           (rc = wt_reader_getline(r, &line, &len, err)) > 0) {
        uint64_t no = wt_reader_line_no(r);
        if (wt_reader_line_truncated(r)) {
            rc = wt_fail(err, "%s:%llu: line too long", path, (unsigned long long)no);
            break;
        }
        if (len == 0 || (len == 1 && line[0] == '\r')) continue;
        if (!json) {
            if ((rc = push(s, line, len, no, path, err)) < 0) break;
            continue;
        }
        wt_error perr;
        json_t *o = wt_json_parse(line, len, &perr);
        if (!o) {
            rc = wt_fail(err, "%s:%llu: %s", path, (unsigned long long)no, perr.msg);
            break;
        }
        size_t tl;
        const char *t = wt_json_strn(o, "text", &tl);
        if (!t) {
            json_decref(o);
            rc = wt_fail(err, "%s:%llu: no \"text\" string field", path, (unsigned long long)no);
            break;
        }
        rc = push(s, t, tl, no, path, err);
        json_decref(o);
        if (rc < 0) break;
    }
    wt_reader_close(r);
    rc = rc < 0 ? -1 : 0;
    if (rc < 0) {
        lambada_free(s);
        return -1;
    }
    if (s->n == 0) return wt_fail(err, "%s: no passages", path);
    return 0;
}

void lambada_free(lambada_set *s) {
    for (size_t i = 0; i < s->n; i++) free(s->v[i].text);
    free(s->v);
    memset(s, 0, sizeof *s);
}
