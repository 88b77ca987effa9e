/* External line sort (see extsort.h). In memory: one arena of lines
 * ("len:u32, bytes") and an array of pointers, sorted with qsort. Runs are
 * plain text files of sorted lines; the merge keeps one line per run and a
 * binary min-heap of runs. */
#include "extsort.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_RUNS 1000 /* open files at once in the merge */

typedef struct run {
    FILE *f;
    char *line;
    size_t cap;
    ssize_t len;
} run;

struct wt_extsort {
    char *dir;
    size_t budget;
    char *arena; /* lines, each NUL-terminated after a size_t length */
    size_t used, cap;
    size_t *ptrs; /* offsets into arena of the lines' bytes */
    size_t n, ptr_cap;
    uint64_t lines, runs;
    bool finished;
    size_t next_mem; /* in-memory mode: next pointer to yield */
    run *r;          /* merge mode: the runs */
    size_t *heap, heap_n;
};

static size_t line_len(const char *p) {
    size_t n;
    memcpy(&n, p - sizeof n, sizeof n);
    return n;
}

static int cmp_lines(const void *a, const void *b, void *arena) {
    const char *x = (char *)arena + *(const size_t *)a, *y = (char *)arena + *(const size_t *)b;
    size_t xn = line_len(x), yn = line_len(y);
    int c = memcmp(x, y, xn < yn ? xn : yn);
    return c ? c : (xn > yn) - (xn < yn);
}

wt_extsort *wt_extsort_new(const char *tmpdir, size_t mem_bytes, wt_error *err) {
    wt_extsort *s = calloc(1, sizeof *s);
    if (!s || !(s->dir = strdup(tmpdir))) {
        free(s);
        return wt_fail(err, "out of memory"), NULL;
    }
    s->budget = mem_bytes < (1u << 16) ? (1u << 16) : mem_bytes;
    return s;
}

static char *run_path(const wt_extsort *s, uint64_t i, char *buf, size_t n) {
    snprintf(buf, n, "%s/run-%06llu.txt", s->dir, (unsigned long long)i);
    return buf;
}

/* Sorts what is in memory and writes it as the next run. */
static int spill(wt_extsort *s, wt_error *err) {
    if (!s->n) return 0;
    if (s->runs >= MAX_RUNS)
        return wt_fail(err, "external sort: more than %d runs; give it more memory", MAX_RUNS);
    if (mkdir(s->dir, 0777) != 0 && errno != EEXIST)
        return wt_fail_errno(err, "cannot create %s", s->dir);
    qsort_r(s->ptrs, s->n, sizeof *s->ptrs, cmp_lines, s->arena);
    char path[4096];
    run_path(s, s->runs, path, sizeof path);
    FILE *f = fopen(path, "w");
    if (!f) return wt_fail_errno(err, "cannot create %s", path);
    for (size_t i = 0; i < s->n; i++) {
        const char *l = s->arena + s->ptrs[i];
        fwrite(l, 1, line_len(l), f);
        putc('\n', f);
    }
    if (ferror(f) | (fclose(f) != 0)) return wt_fail_errno(err, "cannot write %s", path);
    s->runs++;
    s->n = 0;
    s->used = 0;
    return 0;
}

int wt_extsort_add(wt_extsort *s, const char *line, size_t n, wt_error *err) {
    size_t need = sizeof(size_t) + n + 1;
    need = (need + 7) & ~(size_t)7;
    if (s->used + need + s->n * sizeof(char *) > s->budget && s->n) WT_TRY(spill(s, err));
    if (s->used + need > s->cap) {
        size_t c = s->cap ? s->cap : 1u << 16;
        while (c < s->used + need) c *= 2;
        char *p = realloc(s->arena, c);
        if (!p) return wt_fail(err, "out of memory");
        s->arena = p, s->cap = c;
    }
    if (s->n == s->ptr_cap) {
        size_t c = s->ptr_cap ? s->ptr_cap * 2 : 4096;
        size_t *p = realloc(s->ptrs, c * sizeof *p);
        if (!p) return wt_fail(err, "out of memory");
        s->ptrs = p, s->ptr_cap = c;
    }
    char *at = s->arena + s->used;
    memcpy(at, &n, sizeof n);
    memcpy(at + sizeof n, line, n);
    at[sizeof n + n] = '\0';
    s->ptrs[s->n++] = s->used + sizeof n;
    s->used += need;
    s->lines++;
    return 0;
}

static int run_read(run *r) {
    r->len = getline(&r->line, &r->cap, r->f);
    if (r->len < 0) return 0;
    if (r->len && r->line[r->len - 1] == '\n') r->line[--r->len] = '\0';
    return 1;
}

static bool run_less(const wt_extsort *s, size_t a, size_t b) {
    const run *x = &s->r[a], *y = &s->r[b];
    size_t xn = (size_t)x->len, yn = (size_t)y->len;
    int c = memcmp(x->line, y->line, xn < yn ? xn : yn);
    return c ? c < 0 : xn < yn;
}

static void sift_down(wt_extsort *s, size_t i) {
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < s->heap_n && run_less(s, s->heap[l], s->heap[m])) m = l;
        if (l + 1 < s->heap_n && run_less(s, s->heap[l + 1], s->heap[m])) m = l + 1;
        if (m == i) return;
        size_t t = s->heap[i];
        s->heap[i] = s->heap[m], s->heap[m] = t;
        i = m;
    }
}

int wt_extsort_finish(wt_extsort *s, wt_error *err) {
    s->finished = true;
    if (!s->runs) {
        if (s->n) qsort_r(s->ptrs, s->n, sizeof *s->ptrs, cmp_lines, s->arena);
        return 0;
    }
    WT_TRY(spill(s, err));
    free(s->arena), free(s->ptrs);
    s->arena = NULL, s->ptrs = NULL, s->cap = s->ptr_cap = 0;
    s->r = calloc(s->runs, sizeof *s->r);
    s->heap = calloc(s->runs, sizeof *s->heap);
    if (!s->r || !s->heap) return wt_fail(err, "out of memory");
    char path[4096];
    for (uint64_t i = 0; i < s->runs; i++) {
        run_path(s, i, path, sizeof path);
        if (!(s->r[i].f = fopen(path, "r"))) return wt_fail_errno(err, "cannot open %s", path);
        unlink(path); /* the open handle keeps it until the merge is done */
        if (run_read(&s->r[i])) s->heap[s->heap_n++] = i;
    }
    for (size_t i = s->heap_n / 2; i-- > 0;) sift_down(s, i);
    rmdir(s->dir);
    s->next_mem = (size_t)-1;
    return 0;
}

int wt_extsort_next(wt_extsort *s, const char **line, size_t *n, wt_error *err) {
    if (!s->finished) return wt_fail(err, "external sort: next before finish");
    if (!s->runs) {
        if (s->next_mem >= s->n) return 0;
        *line = s->arena + s->ptrs[s->next_mem];
        *n = line_len(*line);
        s->next_mem++;
        return 1;
    }
    /* merge: the previous top was handed out; advance it now */
    if (s->next_mem != (size_t)-1 && s->heap_n) {
        size_t top = s->heap[0];
        if (!run_read(&s->r[top])) {
            if (ferror(s->r[top].f)) return wt_fail_errno(err, "cannot read a sort run");
            s->heap[0] = s->heap[--s->heap_n];
        }
        sift_down(s, 0);
    }
    s->next_mem = 0;
    if (!s->heap_n) return 0;
    run *r = &s->r[s->heap[0]];
    *line = r->line;
    *n = (size_t)r->len;
    return 1;
}

uint64_t wt_extsort_runs(const wt_extsort *s) {
    return s->runs;
}

uint64_t wt_extsort_lines(const wt_extsort *s) {
    return s->lines;
}

void wt_extsort_free(wt_extsort *s) {
    if (!s) return;
    if (s->r)
        for (uint64_t i = 0; i < s->runs; i++) {
            if (s->r[i].f) fclose(s->r[i].f);
            free(s->r[i].line);
        }
    if (!s->finished && s->runs) {
        char path[4096];
        for (uint64_t i = 0; i < s->runs; i++) unlink(run_path(s, i, path, sizeof path));
        rmdir(s->dir);
    }
    free(s->r), free(s->heap), free(s->arena), free(s->ptrs), free(s->dir);
    free(s);
}
