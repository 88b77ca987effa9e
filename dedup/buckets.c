/* Step 2 (per key partition): load partition q's keys from every shard,
 * sort them by (kind, key, shard, record), and for each run of equal keys
 * emit edges from its first document to every other one. Memory: 24 bytes
 * per key of the partition. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dedup.h"
#include "format.h"
#include "pool.h"
#include "progress.h"
#include "stepstats.h"

#define SMALL_BUCKET 8

typedef struct bkey {
    uint64_t key;
    uint32_t kind, shard, ord;
} bkey; /* 24 bytes with padding */

static int bkey_cmp(const void *a, const void *b) {
    const bkey *x = a, *y = b;
    if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    if (x->shard != y->shard) return x->shard < y->shard ? -1 : 1;
    return x->ord < y->ord ? -1 : x->ord > y->ord;
}

static int load_partition(const dedup_params *p, const dedup_shards *s, const char *work,
                          uint32_t part, bkey **out, size_t *nout, wt_error *err) {
    uint64_t fp = dedup_params_fingerprint(p);
    size_t total = 0;
    dedup_table *t = calloc(s->n ? s->n : 1, sizeof *t);
    if (!t) return wt_fail(err, "out of memory");
    int rc = 0;
    size_t opened = 0;
    for (; opened < s->n; opened++) {
        char path[4096];
        dedup_path_keys(path, sizeof path, work, s->index[opened], part);
        if (dedup_table_open(&t[opened], path, DEDUP_FILE_KEYS, sizeof(dedup_key), fp, err) < 0) {
            rc = wt_error_context(err, "HINT: run `dedup signatures` for %s first",
                                  s->paths[opened]);
            break;
        }
        total += t[opened].count;
    }
    bkey *keys = NULL;
    if (rc == 0 && !(keys = malloc((total ? total : 1) * sizeof *keys)))
        rc = wt_fail(err, "out of memory (%zu keys in partition %u)", total, part);
    size_t n = 0;
    for (size_t i = 0; i < opened; i++) {
        const dedup_key *k = t[i].recs;
        for (uint64_t j = 0; rc == 0 && j < t[i].count; j++)
            keys[n++] =
                (bkey){.key = k[j].key, .kind = k[j].kind, .shard = s->index[i], .ord = k[j].ord};
        dedup_table_close(&t[i]);
    }
    free(t);
    if (rc < 0) {
        free(keys);
        return -1;
    }
    *out = keys;
    *nout = n;
    return 0;
}

static int bucket_partition(const dedup_params *p, const dedup_shards *s, const char *work,
                            uint32_t part, bool force, json_t **stat, wt_error *err) {
    uint64_t fp = dedup_shards_fingerprint(s, dedup_params_fingerprint(p));
    char path[4096];
    dedup_path_edges(path, sizeof path, work, part);
    char stats_path[4096];
    dedup_path_edge_stats(stats_path, sizeof stats_path, work, part);
    if (!force && dedup_table_complete(path, DEDUP_FILE_EDGES, sizeof(dedup_edge), fp) &&
        (*stat = dedup_stats_load(stats_path, fp)))
        return 0; /* complete: the statistics of the run that did it */
    double t0 = wt_now();
    bkey *keys = NULL;
    size_t n = 0;
    WT_TRY(load_partition(p, s, work, part, &keys, &n, err));
    qsort(keys, n, sizeof *keys, bkey_cmp);
    dedup_table_writer w;
    if (dedup_tw_open(&w, path, DEDUP_FILE_EDGES, sizeof(dedup_edge), fp, part, err) < 0) {
        free(keys);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n;) {
        size_t end = i + 1;
        while (end < n && keys[end].kind == keys[i].kind && keys[end].key == keys[i].key) end++;
        /* a small band bucket gets every pair, so that one false member that
         * fails verification cannot hide a true pair; larger ones a star */
        size_t heads = keys[i].kind >= DEDUP_KIND_BAND && end - i <= SMALL_BUCKET ? end - i : 1;
        for (size_t a = i; rc == 0 && a < i + heads; a++)
            for (size_t b = a + 1; b < end; b++) {
                dedup_edge e = {.shard_a = keys[a].shard,
                                .ord_a = keys[a].ord,
                                .shard_b = keys[b].shard,
                                .ord_b = keys[b].ord,
                                .kind = keys[i].kind};
                if ((rc = dedup_tw_append(&w, &e, 1, err)) < 0) break;
            }
        i = end;
    }
    uint64_t edges = w.count;
    free(keys);
    if (rc < 0) {
        dedup_tw_abort(&w);
        return -1;
    }
    json_t *st = json_pack("{s:i, s:I, s:I, s:f}", "partition", part, "keys", (json_int_t)n,
                           "edges", (json_int_t)edges, "seconds", wt_now() - t0);
    /* the statistics before the edges: a complete partition always has them */
    rc = st ? dedup_stats_save(stats_path, fp, st, err) : wt_fail(err, "out of memory");
    if (rc == 0)
        rc = dedup_tw_commit(&w, err);
    else
        dedup_tw_abort(&w);
    if (rc < 0) {
        json_decref(st);
        return -1;
    }
    *stat = st;
    return 0;
}

typedef struct bucket_job {
    const dedup_params *p;
    const dedup_shards *s;
    const char *work;
    bool force;
    uint32_t *parts;
    json_t **stats;
    int *rc;
    wt_error *errs;
} bucket_job;

static void bucket_one(void *ctx, size_t i, int worker) {
    (void)worker;
    bucket_job *j = ctx;
    j->rc[i] =
        bucket_partition(j->p, j->s, j->work, j->parts[i], j->force, &j->stats[i], &j->errs[i]);
}

int dedup_buckets(const dedup_params *p, const dedup_shards *s, const char *work,
                  const dedup_opts *o, json_t *stats, wt_error *err) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/edges", work);
    WT_TRY(wt_mkdir_p(dir, err));
    size_t nparts = 0;
    uint32_t *parts = calloc((size_t)p->partitions, sizeof *parts);
    json_t **st = calloc((size_t)p->partitions, sizeof *st);
    int *rcs = calloc((size_t)p->partitions, sizeof *rcs);
    wt_error *errs = calloc((size_t)p->partitions, sizeof *errs);
    int rc = 0;
    if (!parts || !st || !rcs || !errs) rc = wt_fail(err, "out of memory");
    for (int q = 0; rc == 0 && q < p->partitions; q++)
        if (q % o->world == o->rank) parts[nparts++] = (uint32_t)q;
    if (rc == 0) {
        /* each worker holds one partition in memory at a time */
        wt_pool *pool = wt_pool_create(o->threads);
        if (!pool) rc = wt_fail(err, "out of memory");
        bucket_job job = {p, s, work, o->force, parts, st, rcs, errs};
        if (pool) wt_pool_for(pool, nparts, 1, bucket_one, &job);
        if (pool) wt_pool_destroy(pool);
    }
    for (size_t i = 0; i < nparts; i++) {
        if (rc == 0 && rcs[i] < 0) {
            *err = errs[i];
            rc = -1;
        }
        if (st[i]) json_array_append_new(stats, st[i]);
    }
    free(parts);
    free(st);
    free(rcs);
    free(errs);
    return rc;
}
