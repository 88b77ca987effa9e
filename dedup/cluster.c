/* Step 3 (one task): union-find over every edge of every partition, then one
 * document kept per cluster by a rule that does not depend on sharding:
 * highest score, then smallest id, then smallest line hash. Writes the
 * sorted removal list of each shard and the report. Memory: 12 bytes per
 * document plus the mapped meta tables (64 bytes per document, page cache). */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "dedup.h"
#include "format.h"
#include "jsonl.h"
#include "progress.h"

#define EXAMPLES_PER_REASON 5

typedef struct cl_state {
    const dedup_shards *s;
    dedup_table *meta; /* (shards) */
    dedup_table *sigs; /* (shards) MinHash signatures, for verifying band edges */
    size_t k;          /* values per signature */
    uint64_t rejected; /* band edges below the verification threshold */
    uint64_t *off;     /* (shards + 1) global index of each shard's first record */
    uint32_t *parent;  /* (N) union-find forest */
    uint32_t *best;    /* (N) for a root: its cluster's kept document */
    uint32_t *size;    /* (N) for a root: its cluster's size */
    uint64_t n;
} cl_state;

static uint32_t cl_find(uint32_t *parent, uint32_t x) {
    while (parent[x] != x) {
        parent[x] = parent[parent[x]]; /* path halving */
        x = parent[x];
    }
    return x;
}

/* Links the larger root under the smaller: deterministic for any edge order. */
static void cl_union(uint32_t *parent, uint32_t a, uint32_t b) {
    a = cl_find(parent, a);
    b = cl_find(parent, b);
    if (a < b)
        parent[b] = a;
    else if (b < a)
        parent[a] = b;
}

static size_t cl_shard_of(const cl_state *c, uint64_t g) {
    size_t lo = 0, hi = c->s->n; /* largest i with off[i] <= g */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (c->off[mid] <= g)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static const dedup_meta *cl_meta(const cl_state *c, uint64_t g) {
    size_t i = cl_shard_of(c, g);
    return (const dedup_meta *)c->meta[i].recs + (g - c->off[i]);
}

/* Estimated Jaccard of two documents: the share of equal MinHash values. */
static double cl_similarity(const cl_state *c, uint64_t a, uint64_t b) {
    size_t ia = cl_shard_of(c, a), ib = cl_shard_of(c, b);
    const uint32_t *x = (const uint32_t *)c->sigs[ia].recs + (a - c->off[ia]) * c->k;
    const uint32_t *y = (const uint32_t *)c->sigs[ib].recs + (b - c->off[ib]) * c->k;
    size_t eq = 0;
    for (size_t i = 0; i < c->k; i++) eq += x[i] == y[i];
    return (double)eq / (double)c->k;
}

/* True when document a should be kept rather than b. */
static bool cl_better(const cl_state *c, uint32_t a, uint32_t b) {
    const dedup_meta *x = cl_meta(c, a), *y = cl_meta(c, b);
    if (x->score != y->score) return x->score > y->score;
    if (x->id != y->id) return x->id < y->id;
    if (x->line_hash != y->line_hash) return x->line_hash < y->line_hash;
    return a < b;
}

static int cl_load_meta(cl_state *c, const dedup_params *p, const char *work, wt_error *err) {
    uint64_t fp = dedup_params_fingerprint(p);
    c->meta = calloc(c->s->n ? c->s->n : 1, sizeof *c->meta);
    c->sigs = calloc(c->s->n ? c->s->n : 1, sizeof *c->sigs);
    c->k = (size_t)p->bands * (size_t)p->rows;
    if (!c->sigs) return wt_fail(err, "out of memory");
    c->off = calloc(c->s->n + 1, sizeof *c->off);
    if (!c->meta || !c->off) return wt_fail(err, "out of memory");
    for (size_t i = 0; i < c->s->n; i++) {
        char path[4096];
        dedup_path_meta(path, sizeof path, work, c->s->index[i]);
        if (dedup_table_open(&c->meta[i], path, DEDUP_FILE_META, sizeof(dedup_meta), fp, err) < 0)
            return wt_error_context(err, "HINT: run `dedup signatures` for %s first",
                                    c->s->paths[i]);
        c->off[i + 1] = c->off[i] + c->meta[i].count;
        dedup_path_sigs(path, sizeof path, work, c->s->index[i]);
        if (p->verify > 0 && dedup_table_open(&c->sigs[i], path, DEDUP_FILE_SIGS,
                                              (uint32_t)(c->k * sizeof(uint32_t)), fp, err) < 0)
            return -1;
        if (p->verify > 0 && c->sigs[i].count != c->meta[i].count)
            return wt_fail(err,
                           "%s: not one signature per record. HINT: rerun `dedup signatures` "
                           "with --force",
                           path);
    }
    c->n = c->off[c->s->n];
    if (c->n >= UINT32_MAX) return wt_fail(err, "more than 2^32-1 documents in one dedup run");
    return 0;
}

/* Global index of (shard index, ord), or -1 when the edge names no record. */
static int64_t cl_global(const cl_state *c, uint32_t shard, uint32_t ord) {
    long i = dedup_shards_find(c->s, shard);
    if (i < 0 || ord >= c->meta[i].count) return -1;
    return (int64_t)(c->off[i] + ord);
}

static int cl_edges(cl_state *c, const dedup_params *p, const char *work, uint64_t fp2,
                    uint64_t *nedges, wt_error *err) {
    for (int q = 0; q < p->partitions; q++) {
        char path[4096];
        dedup_path_edges(path, sizeof path, work, (uint32_t)q);
        dedup_table t;
        if (dedup_table_open(&t, path, DEDUP_FILE_EDGES, sizeof(dedup_edge), fp2, err) < 0)
            return wt_error_context(err, "HINT: run `dedup buckets` with the same inputs first");
        const dedup_edge *e = t.recs;
        for (uint64_t k = 0; k < t.count; k++) {
            int64_t a = cl_global(c, e[k].shard_a, e[k].ord_a);
            int64_t b = cl_global(c, e[k].shard_b, e[k].ord_b);
            if (a < 0 || b < 0) {
                dedup_table_close(&t);
                return wt_fail(err,
                               "%s: edge %" PRIu64 " names a record that does not exist. "
                               "HINT: rerun the steps with --force",
                               path, k);
            }
            if (e[k].kind == DEDUP_KIND_TEXT &&
                cl_meta(c, (uint64_t)a)->text_hi != cl_meta(c, (uint64_t)b)->text_hi)
                continue; /* 64-bit key collision, not the same text */
            if (e[k].kind >= DEDUP_KIND_BAND && p->verify > 0 &&
                cl_similarity(c, (uint64_t)a, (uint64_t)b) < p->verify) {
                c->rejected++;
                continue;
            }
            cl_union(c->parent, (uint32_t)a, (uint32_t)b);
        }
        *nedges += t.count;
        dedup_table_close(&t);
    }
    return 0;
}

static int cl_reason(const cl_state *c, uint32_t i) {
    const dedup_meta *m = cl_meta(c, i);
    if (m->status != DEDUP_KEEP) return m->status;
    uint32_t k = c->best[cl_find(c->parent, i)];
    if (k == i) return DEDUP_KEEP;
    const dedup_meta *km = cl_meta(c, k);
    if (km->url_key == m->url_key) return DEDUP_URL;
    if (km->text_lo == m->text_lo && km->text_hi == m->text_hi) return DEDUP_EXACT;
    return DEDUP_NEAR;
}

static json_t *cl_doc_json(const cl_state *c, const char *work, uint64_t g) {
    size_t si = cl_shard_of(c, g);
    const dedup_meta *m = cl_meta(c, g);
    char id[32], path[4096];
    snprintf(id, sizeof id, "%016" PRIx64, m->id);
    dedup_path_urls(path, sizeof path, work, c->s->index[si]);
    char *url = calloc(1, (size_t)m->url_len + 1);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (url && fd >= 0) {
        ssize_t r = pread(fd, url, m->url_len, (off_t)m->url_off);
        if (r != (ssize_t)m->url_len) url[0] = '\0';
    }
    if (fd >= 0) close(fd);
    json_t *j = json_pack("{s:s, s:s%, s:s, s:I}", "id", id, "url", url ? url : "",
                          (size_t)(url ? strlen(url) : 0), "input", c->s->paths[si], "record",
                          (json_int_t)(g - c->off[si]));
    free(url);
    return j;
}

static const char *HIST[] = {"2", "3", "4", "5-9", "10-99", "100-999", "1000+"};

static int hist_bucket(uint32_t size) {
    return size <= 4 ? (int)size - 2 : size < 10 ? 3 : size < 100 ? 4 : size < 1000 ? 5 : 6;
}

static int cl_write(cl_state *c, const dedup_params *p, const char *work, uint64_t fp2,
                    uint64_t nedges, json_t *stats, double t0, wt_error *err) {
    uint64_t counts[DEDUP_NREASONS] = {0}, hist[7] = {0}, clusters = 0;
    json_t *examples = json_object();
    size_t nex[DEDUP_NREASONS] = {0};
    for (size_t si = 0; si < c->s->n; si++) {
        char path[4096];
        dedup_path_remove(path, sizeof path, work, c->s->index[si]);
        dedup_table_writer w;
        if (dedup_tw_open(&w, path, DEDUP_FILE_REMOVE, sizeof(dedup_removal), fp2, c->s->index[si],
                          err) < 0) {
            json_decref(examples);
            return -1;
        }
        for (uint64_t g = c->off[si]; g < c->off[si + 1]; g++) {
            int reason = cl_reason(c, (uint32_t)g);
            counts[reason]++;
            if (reason == DEDUP_KEEP) continue;
            dedup_removal r = {.ord = (uint32_t)(g - c->off[si]), .reason = (uint32_t)reason};
            if (dedup_tw_append(&w, &r, 1, err) < 0) {
                dedup_tw_abort(&w);
                json_decref(examples);
                return -1;
            }
            if (nex[reason]++ < EXAMPLES_PER_REASON) {
                json_t *arr = json_object_get(examples, dedup_reason_name(reason));
                if (!arr)
                    json_object_set_new(examples, dedup_reason_name(reason), arr = json_array());
                json_t *ex = json_pack("{s:s, s:o}", "reason", dedup_reason_name(reason), "removed",
                                       cl_doc_json(c, work, g));
                if (reason >= DEDUP_URL)
                    json_object_set_new(
                        ex, "kept", cl_doc_json(c, work, c->best[cl_find(c->parent, (uint32_t)g)]));
                json_array_append_new(arr, ex);
            }
        }
        if (dedup_tw_commit(&w, err) < 0) {
            json_decref(examples);
            return -1;
        }
    }
    for (uint64_t g = 0; g < c->n; g++)
        if (c->parent[g] == g && c->size[g] >= 2) hist[hist_bucket(c->size[g])]++, clusters++;
    json_t *jc = json_object(), *jh = json_object();
    for (int r = 1; r < DEDUP_NREASONS; r++)
        json_object_set_new(jc, dedup_reason_name(r), json_integer((json_int_t)counts[r]));
    for (int h = 0; h < 7; h++) json_object_set_new(jh, HIST[h], json_integer((json_int_t)hist[h]));
    char fps[32];
    snprintf(fps, sizeof fps, "%016" PRIx64, fp2);
    json_t *rep =
        json_pack("{s:s, s:I, s:I, s:I, s:o, s:I, s:o, s:o, s:o, s:I, s:I, s:f}", "fingerprint",
                  fps, "documents", (json_int_t)c->n, "kept", (json_int_t)counts[DEDUP_KEEP],
                  "removed", (json_int_t)(c->n - counts[DEDUP_KEEP]), "removed_by_reason", jc,
                  "clusters", (json_int_t)clusters, "cluster_size_histogram", jh, "examples",
                  examples, "parameters", dedup_params_json(p), "edges", (json_int_t)nedges,
                  "band_edges_rejected", (json_int_t)c->rejected, "seconds", wt_now() - t0);
    char path[4096];
    snprintf(path, sizeof path, "%s/cluster/report.json", work);
    int rc = wt_json_write_file(path, rep, err);
    json_array_append(stats, rep);
    json_decref(rep);
    return rc;
}

/* The report of a complete cluster step with fingerprint fp2 (a new
 * reference), or NULL. The report is written after the removal lists, so one
 * with fp2 in it means that all of them are this run's. */
static json_t *cl_complete(const dedup_shards *s, const char *work, uint64_t fp2) {
    char path[4096], fps[32];
    snprintf(fps, sizeof fps, "%016" PRIx64, fp2);
    snprintf(path, sizeof path, "%s/cluster/report.json", work);
    json_t *rep = json_load_file(path, 0, NULL);
    const char *got = json_string_value(json_object_get(rep, "fingerprint"));
    if (!got || strcmp(got, fps) != 0) {
        json_decref(rep);
        return NULL;
    }
    for (size_t i = 0; i < s->n; i++) {
        dedup_path_remove(path, sizeof path, work, s->index[i]);
        if (!dedup_table_complete(path, DEDUP_FILE_REMOVE, sizeof(dedup_removal), fp2)) {
            json_decref(rep);
            return NULL;
        }
    }
    return rep;
}

static void cl_free(cl_state *c) {
    for (size_t i = 0; c->meta && i < c->s->n; i++) dedup_table_close(&c->meta[i]);
    for (size_t i = 0; c->sigs && i < c->s->n; i++) dedup_table_close(&c->sigs[i]);
    free(c->sigs);
    free(c->meta);
    free(c->off);
    free(c->parent);
    free(c->best);
    free(c->size);
}

int dedup_cluster(const dedup_params *p, const dedup_shards *s, const char *work,
                  const dedup_opts *o, json_t *stats, wt_error *err) {
    uint64_t fp2 = dedup_shards_fingerprint(s, dedup_params_fingerprint(p));
    json_t *done = o->force ? NULL : cl_complete(s, work, fp2);
    if (done) { /* complete: report what the run that did it found */
        json_array_append_new(stats, done);
        return 0;
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/cluster", work);
    WT_TRY(wt_mkdir_p(dir, err));
    double t0 = wt_now();
    cl_state c = {.s = s};
    uint64_t nedges = 0;
    int rc = cl_load_meta(&c, p, work, err);
    if (rc == 0) {
        size_t n = c.n ? (size_t)c.n : 1;
        c.parent = malloc(n * sizeof *c.parent);
        c.best = malloc(n * sizeof *c.best);
        c.size = calloc(n, sizeof *c.size);
        if (!c.parent || !c.best || !c.size) rc = wt_fail(err, "out of memory");
    }
    if (rc == 0) {
        for (uint64_t g = 0; g < c.n; g++) c.parent[g] = (uint32_t)g, c.best[g] = UINT32_MAX;
        rc = cl_edges(&c, p, work, fp2, &nedges, err);
    }
    if (rc == 0) {
        for (uint64_t g = 0; g < c.n; g++) {
            if (cl_meta(&c, g)->status != DEDUP_KEEP) continue;
            uint32_t r = cl_find(c.parent, (uint32_t)g);
            c.size[r]++;
            if (c.best[r] == UINT32_MAX || cl_better(&c, (uint32_t)g, c.best[r]))
                c.best[r] = (uint32_t)g;
        }
        rc = cl_write(&c, p, work, fp2, nedges, stats, t0, err);
    }
    cl_free(&c);
    return rc;
}
