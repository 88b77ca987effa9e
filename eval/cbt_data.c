/* Children's Book Test reader: validates the numbered-line layout strictly,
 * since a silently misread example would change the accuracy. */
#include "eval/cbt_data.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "stream.h"

static void example_free(cbt_example *e) {
    for (int i = 0; i < CBT_CONTEXT_LINES; i++) free(e->context[i]);
    free(e->query);
    for (int i = 0; i < e->ncand; i++) free(e->candidates[i]);
    memset(e, 0, sizeof *e);
}

/* Parses the leading "N " of a line; returns N and sets *rest, or -1. */
static int line_number(const char *line, size_t len, size_t *rest) {
    int n = 0;
    size_t i = 0;
    while (i < len && line[i] >= '0' && line[i] <= '9' && n < 1000) n = n * 10 + (line[i++] - '0');
    if (i == 0 || i == len || line[i] != ' ') return -1;
    *rest = i + 1;
    return n;
}

static char *dup_n(const char *p, size_t n) {
    char *s = malloc(n + 1);
    if (s) memcpy(s, p, n), s[n] = 0;
    return s;
}

/* "query\tanswer\t\tc1|c2|..." after the number 21. */
static int parse_query(cbt_example *e, const char *p, size_t n, const char *path, uint64_t no,
                       wt_error *err) {
    const char *t1 = memchr(p, '\t', n);
    if (!t1)
        return wt_fail(err, "%s:%llu: question line has no TAB before the answer", path,
                       (unsigned long long)no);
    const char *a = t1 + 1, *end = p + n;
    const char *t2 = memchr(a, '\t', (size_t)(end - a));
    if (!t2)
        return wt_fail(err, "%s:%llu: question line has no TAB after the answer", path,
                       (unsigned long long)no);
    const char *c = t2 + 1;
    while (c < end && *c == '\t') c++;
    if (!memmem(p, (size_t)(t1 - p), "XXXXX", 5))
        return wt_fail(err, "%s:%llu: question has no XXXXX blank", path, (unsigned long long)no);
    e->query = dup_n(p, (size_t)(t1 - p));
    e->answer = -1;
    while (c < end) {
        const char *bar = memchr(c, '|', (size_t)(end - c));
        const char *ce = bar ? bar : end;
        while (ce > c && (ce[-1] == '\r' || ce[-1] == ' ')) ce--;
        if (ce == c) return wt_fail(err, "%s:%llu: empty candidate", path, (unsigned long long)no);
        if (e->ncand == CBT_MAX_CANDIDATES)
            return wt_fail(err, "%s:%llu: more than %d candidates", path, (unsigned long long)no,
                           CBT_MAX_CANDIDATES);
        char *cand = dup_n(c, (size_t)(ce - c));
        if (!cand || !e->query) return wt_fail(err, "out of memory");
        e->candidates[e->ncand] = cand;
        if ((size_t)(t2 - a) == strlen(cand) && memcmp(a, cand, strlen(cand)) == 0)
            e->answer = e->ncand;
        e->ncand++;
        c = bar ? bar + 1 : end;
    }
    if (e->ncand < 2)
        return wt_fail(err, "%s:%llu: fewer than 2 candidates", path, (unsigned long long)no);
    if (e->answer < 0)
        return wt_fail(err, "%s:%llu: answer is not among the candidates", path,
                       (unsigned long long)no);
    return 0;
}

static int set_push(cbt_set *s, cbt_example *e, wt_error *err) {
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        cbt_example *v = realloc(s->v, cap * sizeof *v);
        if (!v) return wt_fail(err, "out of memory");
        s->v = v, s->cap = cap;
    }
    s->v[s->n++] = *e;
    memset(e, 0, sizeof *e);
    return 0;
}

int cbt_read(const char *path, int64_t limit, cbt_set *s, wt_error *err) {
    memset(s, 0, sizeof *s);
    wt_reader *r = wt_reader_open(path, err);
    if (!r) return -1;
    cbt_example e = {0};
    int expect = 1, rc = 0;
    char *line;
    size_t len;
    while ((limit <= 0 || (int64_t)s->n < limit) &&
           (rc = wt_reader_getline(r, &line, &len, err)) > 0) {
        uint64_t no = wt_reader_line_no(r);
        while (len > 0 && line[len - 1] == '\r') len--;
        if (len == 0 || (len == 1 && line[0] == ' ')) {
            if (expect != 1) {
                rc = wt_fail(err, "%s:%llu: example ends after sentence %d (expected 21 lines)",
                             path, (unsigned long long)no, expect - 1);
                break;
            }
            continue;
        }
        size_t rest;
        int num = line_number(line, len, &rest);
        if (num != expect) {
            rc = wt_fail(err, "%s:%llu: expected a line numbered %d, found \"%.40s\"", path,
                         (unsigned long long)no, expect, line);
            break;
        }
        if (num == 1) e.line = no;
        if (num <= CBT_CONTEXT_LINES) {
            if (memchr(line + rest, '\t', len - rest)) {
                rc = wt_fail(err, "%s:%llu: context sentence %d contains a TAB", path,
                             (unsigned long long)no, num);
                break;
            }
            if (!(e.context[num - 1] = dup_n(line + rest, len - rest))) {
                rc = wt_fail(err, "out of memory");
                break;
            }
            expect++;
            continue;
        }
        if ((rc = parse_query(&e, line + rest, len - rest, path, no, err)) < 0) break;
        if ((rc = set_push(s, &e, err)) < 0) break;
        expect = 1;
    }
    rc = rc < 0 ? -1 : 0;
    if (rc == 0 && expect != 1 && (limit <= 0 || (int64_t)s->n < limit))
        rc = wt_fail(err, "%s: file ends inside an example (after sentence %d)", path, expect - 1);
    example_free(&e);
    wt_reader_close(r);
    if (rc == 0 && s->n == 0) rc = wt_fail(err, "%s: no examples", path);
    if (rc < 0) cbt_free(s);
    return rc;
}

void cbt_free(cbt_set *s) {
    for (size_t i = 0; i < s->n; i++) example_free(&s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}
