/* zipnum index pieces for `crawl cc-lookup` (see cclookup_index.h). */
#include "crawl/cclookup_index.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Compares the SURT part of a (key or line) with key. */
static int key_cmp(const char *a, const char *key) {
    size_t an = strcspn(a, " \t");
    size_t kn = strlen(key);
    int c = memcmp(a, key, an < kn ? an : kn);
    return c ? c : (an > kn) - (an < kn);
}

int cc_index_parse(cc_index *ix, const char *path, const char *text, size_t n, wt_error *err) {
    memset(ix, 0, sizeof *ix);
    size_t cap = 0, lineno = 0;
    for (size_t i = 0; i < n;) {
        const char *line = text + i;
        const char *nl = memchr(line, '\n', n - i);
        size_t len = nl ? (size_t)(nl - line) : n - i;
        i += len + 1;
        lineno++;
        if (!len) continue;
        /* KEY TS \t FILE \t OFFSET \t LENGTH [\t SEQ] */
        const char *t1 = memchr(line, '\t', len);
        const char *t2 = t1 ? memchr(t1 + 1, '\t', len - (size_t)(t1 + 1 - line)) : NULL;
        const char *t3 = t2 ? memchr(t2 + 1, '\t', len - (size_t)(t2 + 1 - line)) : NULL;
        char *e1 = NULL, *e2 = NULL;
        unsigned long long off = t3 ? strtoull(t2 + 1, &e1, 10) : 0;
        unsigned long long ln = t3 ? strtoull(t3 + 1, &e2, 10) : 0;
        if (!t3 || e1 != t3 || !e2 || e2 == t3 + 1 || ln == 0 ||
            (*e2 != '\t' && e2 != line + len)) {
            cc_index_free(ix);
            return wt_fail(err,
                           "%s:%zu: not a cluster.idx line (KEY TS<TAB>FILE<TAB>OFFSET<TAB>LENGTH)",
                           path, lineno);
        }
        if (ix->n == cap) {
            cap = cap ? cap * 2 : 1024;
            cc_block *b = realloc(ix->b, cap * sizeof *b);
            if (!b) return cc_index_free(ix), wt_fail(err, "out of memory");
            ix->b = b;
        }
        size_t kn = strcspn(line, " \t");
        size_t fn = (size_t)(t2 - t1 - 1);
        /* files come in order: reuse the last name when it repeats */
        uint32_t f = (uint32_t)ix->n_files;
        if (ix->n_files && strlen(ix->files[ix->n_files - 1]) == fn &&
            !memcmp(ix->files[ix->n_files - 1], t1 + 1, fn))
            f = (uint32_t)(ix->n_files - 1);
        else {
            char **fs = realloc(ix->files, (ix->n_files + 1) * sizeof *fs);
            if (!fs) return cc_index_free(ix), wt_fail(err, "out of memory");
            ix->files = fs;
            if (!(fs[ix->n_files] = strndup(t1 + 1, fn)))
                return cc_index_free(ix), wt_fail(err, "out of memory");
            if (strstr(fs[ix->n_files], "..") || strchr(fs[ix->n_files], '?')) {
                ix->n_files++;
                cc_index_free(ix);
                return wt_fail(err, "%s:%zu: bad file name", path, lineno);
            }
            ix->n_files++;
        }
        cc_block *b = &ix->b[ix->n];
        b->key = strndup(line, kn);
        if (!b->key) return cc_index_free(ix), wt_fail(err, "out of memory");
        b->file = f, b->offset = off, b->length = ln;
        if (ix->n && key_cmp(ix->b[ix->n - 1].key, b->key) > 0) {
            ix->n++;
            cc_index_free(ix);
            return wt_fail(err, "%s:%zu: keys out of order", path, lineno);
        }
        ix->n++;
    }
    return 0;
}

void cc_index_free(cc_index *ix) {
    for (size_t i = 0; i < ix->n; i++) free(ix->b[i].key);
    for (size_t i = 0; i < ix->n_files; i++) free(ix->files[i]);
    free(ix->b), free(ix->files);
    memset(ix, 0, sizeof *ix);
}

bool cc_index_blocks(const cc_index *ix, const char *key, size_t *first, size_t *last) {
    /* lo = number of blocks whose key < key; hi = number whose key <= key */
    size_t a = 0, b = ix->n;
    while (a < b) {
        size_t m = (a + b) / 2;
        if (key_cmp(ix->b[m].key, key) < 0)
            a = m + 1;
        else
            b = m;
    }
    size_t lo = a;
    b = ix->n;
    while (a < b) {
        size_t m = (a + b) / 2;
        if (key_cmp(ix->b[m].key, key) <= 0)
            a = m + 1;
        else
            b = m;
    }
    size_t hi = a;
    /* lines of key run from the last block starting below it to the last starting at it */
    if (hi == 0) return false;
    *first = lo ? lo - 1 : 0;
    *last = hi - 1;
    return true;
}

int cc_lines_set(cc_lines *l, char *text, size_t n, wt_error *err) {
    free(l->text);
    l->text = text;
    l->n = 0;
    for (size_t i = 0; i < n;) {
        char *line = text + i;
        char *nl = memchr(line, '\n', n - i);
        size_t len = nl ? (size_t)(nl - line) : n - i;
        i += len + 1;
        line[len] = '\0'; /* text has room: n + 1 bytes */
        if (len && line[len - 1] == '\r') line[len - 1] = '\0';
        if (!len) continue;
        if (l->n == l->cap) {
            size_t c = l->cap ? l->cap * 2 : 4096;
            char **p = realloc(l->line, c * sizeof *p);
            if (!p) return wt_fail(err, "out of memory");
            l->line = p, l->cap = c;
        }
        l->line[l->n++] = line;
    }
    return 0;
}

void cc_lines_free(cc_lines *l) {
    free(l->text), free(l->line);
    memset(l, 0, sizeof *l);
}

void cc_lines_find(const cc_lines *l, const char *key, size_t *from, size_t *to) {
    size_t a = 0, b = l->n;
    while (a < b) {
        size_t m = (a + b) / 2;
        if (key_cmp(l->line[m], key) < 0)
            a = m + 1;
        else
            b = m;
    }
    *from = a;
    while (a < l->n && key_cmp(l->line[a], key) == 0) a++;
    *to = a;
}

int cc_gunzip(const void *data, size_t n, size_t max_out, char **out, size_t *out_n,
              wt_error *err) {
    z_stream z = {0};
    if (inflateInit2(&z, 16 + 15) != Z_OK) return wt_fail(err, "zlib init failed");
    size_t cap = n * 4 + 4096, len = 0;
    char *o = malloc(cap + 1);
    z.next_in = (unsigned char *)data;
    z.avail_in = (uInt)n;
    int rc = Z_OK;
    while (o) {
        if (cap - len < 4096) {
            if (cap >= max_out) {
                rc = Z_MEM_ERROR;
                break;
            }
            char *q = realloc(o, cap * 2 + 1);
            if (!q) break;
            o = q, cap *= 2;
        }
        z.next_out = (unsigned char *)o + len;
        z.avail_out = (uInt)(cap - len);
        rc = inflate(&z, Z_NO_FLUSH);
        len = cap - z.avail_out;
        if (rc == Z_STREAM_END) {
            if (!z.avail_in) break;
            if (inflateReset(&z) != Z_OK) break; /* another member follows */
            rc = Z_OK;
            continue;
        }
        if (rc != Z_OK && !(rc == Z_BUF_ERROR && z.avail_in)) break;
        if (rc == Z_BUF_ERROR) rc = Z_OK;
    }
    inflateEnd(&z);
    if (!o) return wt_fail(err, "out of memory");
    if (rc != Z_STREAM_END) {
        free(o);
        return wt_fail(err, "block is not complete gzip data");
    }
    o[len] = '\0';
    *out = o;
    *out_n = len;
    return 0;
}
