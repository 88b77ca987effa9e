/* Reduce of one partition (see urls_reduce.h): an open-addressing table of
 * entry indices (linear probing, load <= 1/2) over an entry array; strings
 * live in one growing arena addressed by offsets. */
#include "crawl/urls_reduce.h"

#include <stdlib.h>
#include <string.h>

#include "crawl/urls_part.h"

typedef struct {
    uint64_t hash;
    int64_t score, created_utc;
    uint64_t posts;
    uint64_t url_off, id_off, sub_off; /* into the arena */
    uint16_t url_len;
    uint8_t id_len, sub_len, has_sub;
} entry;

typedef struct {
    entry *e;
    size_t n, cap;
    uint32_t *slots; /* entry index + 1; 0 = empty */
    size_t nslots;   /* power of two */
    char *arena;
    size_t used, acap;
} table;

static int arena_put(table *t, const char *s, size_t n, uint64_t *off, wt_error *err) {
    if (t->used + n + 1 > t->acap) {
        size_t nc = t->acap ? t->acap * 2 : 1u << 16;
        while (nc < t->used + n + 1) nc *= 2;
        char *p = realloc(t->arena, nc);
        if (!p) return wt_fail(err, "out of memory (partition arena of %zu bytes)", nc);
        t->arena = p;
        t->acap = nc;
    }
    memcpy(t->arena + t->used, s, n);
    t->arena[t->used + n] = '\0';
    *off = t->used;
    t->used += n + 1;
    return 0;
}

static int table_grow(table *t, wt_error *err) {
    size_t ns = t->nslots ? t->nslots * 2 : 1u << 12;
    if (ns > UINT32_MAX) return wt_fail(err, "partition too large: use more --partitions");
    uint32_t *s = calloc(ns, sizeof *s);
    if (!s) return wt_fail(err, "out of memory (partition table)");
    for (size_t i = 0; i < t->n; i++) {
        size_t j = t->e[i].hash & (ns - 1);
        while (s[j]) j = (j + 1) & (ns - 1);
        s[j] = (uint32_t)(i + 1);
    }
    free(t->slots);
    t->slots = s;
    t->nslots = ns;
    return 0;
}

/* first post: earliest created_utc, ties by the smaller id */
static bool is_earlier(const crawl_part_rec *r, const entry *e, const char *arena) {
    if (r->created_utc != e->created_utc) return r->created_utc < e->created_utc;
    return crawl_post_id_cmp(r->id, arena + e->id_off) < 0;
}

static int table_add(table *t, const crawl_part_rec *r, bool sum, wt_error *err) {
    if (2 * (t->n + 1) > t->nslots) WT_TRY(table_grow(t, err));
    size_t j = r->hash & (t->nslots - 1);
    for (; t->slots[j]; j = (j + 1) & (t->nslots - 1)) {
        entry *e = &t->e[t->slots[j] - 1];
        if (e->hash != r->hash || e->url_len != r->url_len ||
            memcmp(t->arena + e->url_off, r->url, r->url_len))
            continue;
        e->posts++;
        if (!sum)
            e->score = r->score > e->score ? r->score : e->score;
        else if (__builtin_add_overflow(e->score, r->score, &e->score))
            e->score = r->score > 0 ? INT64_MAX : INT64_MIN; /* saturate */
        if (is_earlier(r, e, t->arena)) {
            e->created_utc = r->created_utc;
            WT_TRY(arena_put(t, r->id, r->id_len, &e->id_off, err));
            WT_TRY(arena_put(t, r->subreddit, r->sub_len, &e->sub_off, err));
            e->id_len = r->id_len;
            e->sub_len = r->sub_len;
            e->has_sub = r->has_subreddit;
        }
        return 0;
    }
    if (t->n == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 1024;
        entry *p = realloc(t->e, nc * sizeof *p);
        if (!p) return wt_fail(err, "out of memory (partition entries)");
        t->e = p;
        t->cap = nc;
    }
    entry *e = &t->e[t->n];
    memset(e, 0, sizeof *e);
    e->hash = r->hash;
    e->score = r->score;
    e->created_utc = r->created_utc;
    e->posts = 1;
    e->url_len = r->url_len;
    e->id_len = r->id_len;
    e->sub_len = r->sub_len;
    e->has_sub = r->has_subreddit;
    WT_TRY(arena_put(t, r->url, r->url_len, &e->url_off, err));
    WT_TRY(arena_put(t, r->id, r->id_len, &e->id_off, err));
    WT_TRY(arena_put(t, r->subreddit, r->sub_len, &e->sub_off, err));
    t->slots[j] = (uint32_t)(++t->n);
    return 0;
}

static int cmp_entry(const void *a, const void *b, void *arena) {
    const entry *x = a, *y = b;
    if (x->hash != y->hash) return x->hash < y->hash ? -1 : 1;
    return strcmp((const char *)arena + x->url_off, (const char *)arena + y->url_off);
}

static void table_free(table *t) {
    free(t->e);
    free(t->slots);
    free(t->arena);
}

int crawl_reduce_partition(const char *path, const crawl_reduce_opts *o, crawl_emit_fn emit,
                           void *ctx, crawl_reduce_counts *c, wt_error *err) {
    table t = {0};
    crawl_part_reader r;
    int rc = -1;
    if (crawl_part_open(&r, path, err) < 0) return -1;
    crawl_part_rec rec;
    int got;
    while ((got = crawl_part_next(&r, &rec, err)) > 0) {
        c->posts++;
        if (table_add(&t, &rec, o->score_sum, err) < 0) goto done;
    }
    if (got < 0) goto done;
    uint64_t bytes = t.cap * sizeof *t.e + t.nslots * sizeof *t.slots + t.acap;
    if (bytes > c->peak_table_bytes) c->peak_table_bytes = bytes;
    free(t.slots); /* not needed for the sort and emit */
    t.slots = NULL;
    if (t.n) qsort_r(t.e, t.n, sizeof *t.e, cmp_entry, t.arena);
    c->urls += t.n;
    for (size_t i = 0; i < t.n; i++) {
        const entry *e = &t.e[i];
        if (e->score < o->min_score) {
            c->low_score++;
            c->low_score_posts += e->posts;
            continue;
        }
        crawl_url_out u = {
            .hash = e->hash,
            .url = t.arena + e->url_off,
            .score = e->score,
            .posts = e->posts,
            .post_id = t.arena + e->id_off,
            .subreddit = e->has_sub ? t.arena + e->sub_off : NULL,
            .created_utc = e->created_utc,
        };
        if (emit(ctx, &u, err) < 0) goto done;
        c->kept++;
    }
    rc = 0;
done:
    crawl_part_close(&r);
    table_free(&t);
    return rc;
}
