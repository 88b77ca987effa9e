/* Step 1 (per shard): read a docs shard in batches, and for each record in
 * parallel parse it, filter its domain, hash its normalised text (XXH3-128)
 * and compute its MinHash band keys; then write, in record order, the meta
 * table, the URL list and the keys partitioned by hash for step 2. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "cli.h"
#include "dedup.h"
#include "docs.h"
#include "format.h"
#include "minhash.h"
#include "stepstats.h"
#include "pool.h"
#include "progress.h"
#include "text.h"

#define BATCH_RECORDS 4096
#define BATCH_BYTES (32u << 20)

typedef struct sig_result {
    dedup_doc doc;
    uint64_t text_lo, text_hi;
    bool has_sig;
    bool oom;
} sig_result;

typedef struct sig_scratch {
    dedup_buf norm;
    dedup_words words;
    uint32_t sig[DEDUP_MAX_HASHES];
} sig_scratch;

typedef struct sig_batch {
    const dedup_params *p;
    const dedup_minhash *mh;
    char *arena; /* the batch's lines, back to back */
    size_t arena_len, arena_cap;
    size_t *off, *len; /* (n) line offsets and lengths in arena */
    uint64_t *line_no; /* (n) 1-based line numbers in the input, for messages */
    bool *truncated;
    size_t n;
    sig_result *res;      /* (BATCH_RECORDS) */
    uint64_t *keys;       /* (BATCH_RECORDS, bands) */
    uint32_t *sigs;       /* (BATCH_RECORDS, k) signatures, zeros when none */
    sig_scratch *scratch; /* (threads) */
} sig_batch;

static void sig_one(void *ctx, size_t i, int worker) {
    sig_batch *b = ctx;
    sig_result *r = &b->res[i];
    sig_scratch *s = &b->scratch[worker];
    *r = (sig_result){0};
    memset(b->sigs + i * b->mh->k, 0, b->mh->k * sizeof *b->sigs);
    dedup_doc_parse(&r->doc, b->arena + b->off[i], b->len[i], b->truncated[i], b->p);
    if (r->doc.status != DEDUP_KEEP) return;
    if (dedup_text_normalize(r->doc.text, r->doc.text_len, &s->norm) < 0) {
        r->oom = true;
        return;
    }
    XXH128_hash_t h = XXH3_128bits(s->norm.data, s->norm.len);
    r->text_lo = h.low64;
    r->text_hi = h.high64;
    s->words.len = 0;
    if (dedup_text_words(s->norm.data, s->norm.len, &s->words) < 0) {
        r->oom = true;
        return;
    }
    uint32_t *sig = b->sigs + i * b->mh->k;
    if (dedup_minhash_sign(b->mh, s->words.hash, s->words.len, s->sig) == 0) return;
    memcpy(sig, s->sig, b->mh->k * sizeof *sig);
    r->has_sig = true;
    dedup_minhash_band_keys(b->mh, s->sig, b->keys + i * (size_t)b->p->bands);
}

static uint32_t key_partition(uint64_t key, uint32_t kind, int parts) {
    return (uint32_t)(XXH3_64bits_withSeed(&key, sizeof key, kind) % (uint64_t)parts);
}

typedef struct sig_out {
    dedup_table_writer meta, sigs;
    dedup_table_writer *keys; /* (partitions) */
    wt_writer *urls;
    uint64_t url_off;
    int nkeys_open;
} sig_out;

static void sig_out_abort(sig_out *o) {
    dedup_tw_abort(&o->meta);
    dedup_tw_abort(&o->sigs);
    for (int i = 0; i < o->nkeys_open; i++) dedup_tw_abort(&o->keys[i]);
    if (o->urls) wt_writer_abort(o->urls);
    o->urls = NULL;
    free(o->keys);
    o->keys = NULL;
}

static int sig_out_open(sig_out *o, const dedup_params *p, const char *work, uint32_t shard,
                        uint64_t fp, wt_error *err) {
    char path[4096];
    *o = (sig_out){0};
    o->keys = calloc((size_t)p->partitions, sizeof *o->keys);
    if (!o->keys) return wt_fail(err, "out of memory");
    dedup_path_meta(path, sizeof path, work, shard);
    if (dedup_tw_open(&o->meta, path, DEDUP_FILE_META, sizeof(dedup_meta), fp, shard, err) < 0)
        goto fail;
    dedup_path_sigs(path, sizeof path, work, shard);
    if (dedup_tw_open(&o->sigs, path, DEDUP_FILE_SIGS,
                      (uint32_t)((size_t)p->bands * (size_t)p->rows * sizeof(uint32_t)), fp, shard,
                      err) < 0)
        goto fail;
    for (; o->nkeys_open < p->partitions; o->nkeys_open++) {
        dedup_path_keys(path, sizeof path, work, shard, (uint32_t)o->nkeys_open);
        if (dedup_tw_open(&o->keys[o->nkeys_open], path, DEDUP_FILE_KEYS, sizeof(dedup_key), fp,
                          shard, err) < 0)
            goto fail;
    }
    dedup_path_urls(path, sizeof path, work, shard);
    wt_writer_opts wo = {.codec = WT_CODEC_PLAIN, .no_fsync = true};
    o->urls = wt_writer_open(path, &wo, err);
    if (!o->urls) goto fail;
    return 0;
fail:
    sig_out_abort(o);
    return -1;
}

static int sig_write_keys(sig_out *o, const dedup_params *p, uint32_t ord, const sig_result *r,
                          const uint64_t *bands, wt_error *err) {
    dedup_key k = {.key = r->doc.url_key, .ord = ord, .kind = DEDUP_KIND_URL};
    WT_TRY(dedup_tw_append(&o->keys[key_partition(k.key, k.kind, p->partitions)], &k, 1, err));
    k = (dedup_key){.key = r->text_lo, .ord = ord, .kind = DEDUP_KIND_TEXT};
    WT_TRY(dedup_tw_append(&o->keys[key_partition(k.key, k.kind, p->partitions)], &k, 1, err));
    if (!r->has_sig) return 0;
    for (int b = 0; b < p->bands; b++) {
        k = (dedup_key){.key = bands[b], .ord = ord, .kind = DEDUP_KIND_BAND + (uint32_t)b};
        WT_TRY(dedup_tw_append(&o->keys[key_partition(k.key, k.kind, p->partitions)], &k, 1, err));
    }
    return 0;
}

/* Writes the batch's results in order; counts[] per status. */
static int sig_flush(sig_batch *b, sig_out *o, wt_badrec *bad, const char *path, uint64_t *ord,
                     uint64_t counts[DEDUP_NREASONS], wt_error *err) {
    int rc = 0;
    for (size_t i = 0; i < b->n; i++) {
        sig_result *r = &b->res[i];
        if (rc == 0 && r->oom)
            rc = wt_fail(err, "%s:%llu: out of memory", path, (unsigned long long)b->line_no[i]);
        if (rc == 0 && r->doc.status == DEDUP_BAD)
            rc = wt_bad_record(bad, err, path, b->line_no[i], "%s", r->doc.why);
        if (rc == 0) {
            dedup_meta m = {.id = r->doc.id,
                            .url_key = r->doc.url_key,
                            .line_hash = r->doc.line_hash,
                            .text_lo = r->text_lo,
                            .text_hi = r->text_hi,
                            .score = r->doc.score,
                            .url_off = o->url_off,
                            .status = (uint8_t)r->doc.status,
                            .has_sig = r->has_sig};
            if (r->doc.url) {
                const char *nl = memchr(r->doc.url, '\n', r->doc.url_len);
                size_t ul = nl ? (size_t)(nl - r->doc.url) : r->doc.url_len; /* one a line */
                m.url_len = (uint32_t)ul;
                if (wt_writer_write(o->urls, r->doc.url, ul, err) < 0 ||
                    wt_writer_write(o->urls, "\n", 1, err) < 0)
                    rc = -1;
                o->url_off += ul + 1;
            }
            if (rc == 0) rc = dedup_tw_append(&o->meta, &m, 1, err);
            if (rc == 0) rc = dedup_tw_append(&o->sigs, b->sigs + i * b->mh->k, 1, err);
            if (rc == 0 && r->doc.status == DEDUP_KEEP)
                rc = sig_write_keys(o, b->p, (uint32_t)*ord, r, b->keys + i * (size_t)b->p->bands,
                                    err);
            counts[r->doc.status]++;
        }
        dedup_doc_clear(&r->doc);
        (*ord)++;
    }
    b->n = 0;
    b->arena_len = 0;
    return rc;
}

static int batch_add(sig_batch *b, const char *line, size_t len, bool truncated, uint64_t line_no,
                     wt_error *err) {
    if (b->arena_len + len > b->arena_cap) {
        size_t cap = b->arena_cap ? b->arena_cap : (1u << 20);
        while (cap < b->arena_len + len) cap *= 2;
        char *p = realloc(b->arena, cap);
        if (!p) return wt_fail(err, "out of memory");
        b->arena = p;
        b->arena_cap = cap;
    }
    memcpy(b->arena + b->arena_len, line, len);
    b->off[b->n] = b->arena_len;
    b->len[b->n] = len;
    b->truncated[b->n] = truncated;
    b->line_no[b->n] = line_no;
    b->arena_len += len;
    b->n++;
    return 0;
}

static int sig_commit(sig_out *o, const dedup_params *p, wt_error *err) {
    for (int i = 0; i < p->partitions; i++) {
        if (dedup_tw_commit(&o->keys[i], err) < 0) return -1;
    }
    if (wt_writer_commit(o->urls, err) < 0) {
        o->urls = NULL;
        return -1;
    }
    o->urls = NULL;
    if (dedup_tw_commit(&o->sigs, err) < 0) return -1;
    /* meta last: its presence marks the shard complete */
    return dedup_tw_commit(&o->meta, err);
}

static int sig_shard(const dedup_params *p, wt_pool *pool, sig_batch *b, const char *path,
                     uint32_t shard, const char *work, const dedup_opts *opt, json_t *stats,
                     wt_error *err) {
    uint64_t fp = dedup_params_fingerprint(p);
    char meta[4096], stats_path[4096];
    dedup_path_meta(meta, sizeof meta, work, shard);
    dedup_path_sig_stats(stats_path, sizeof stats_path, work, shard);
    json_t *done = NULL; /* a complete shard: its statistics, as the run that did it saw them */
    if (!opt->force && dedup_table_complete(meta, DEDUP_FILE_META, sizeof(dedup_meta), fp) &&
        (done = dedup_stats_load(stats_path, fp))) {
        json_object_set_new(done, "input", json_string(path));
        json_array_append_new(stats, done);
        return 0;
    }
    double t0 = wt_now();
    wt_reader *r = wt_reader_open(path, err);
    if (!r) return -1;
    sig_out o;
    if (sig_out_open(&o, p, work, shard, fp, err) < 0) {
        wt_reader_close(r);
        return -1;
    }
    wt_badrec bad = {.stage = "dedup signatures", .strict = opt->strict};
    uint64_t ord = 0, counts[DEDUP_NREASONS] = {0};
    char label[256];
    snprintf(label, sizeof label, "signatures %05u", shard);
    wt_progress prog;
    wt_progress_init(&prog, label, "docs", 1, 0, opt->quiet);
    wt_progress_every(&prog, opt->progress_interval);
    char *line;
    size_t len;
    int rc;
    b->n = 0;
    b->arena_len = 0;
    while ((rc = dedup_next_record(r, &line, &len, err)) == 1) {
        if (ord + b->n >= UINT32_MAX) {
            rc = wt_fail(err, "%s: more than 2^32-1 records in one shard", path);
            break;
        }
        if ((rc = batch_add(b, line, len, wt_reader_line_truncated(r), wt_reader_line_no(r), err)) <
            0)
            break;
        if (b->n == BATCH_RECORDS || b->arena_len >= BATCH_BYTES) {
            wt_pool_for(pool, b->n, 16, sig_one, b);
            if ((rc = sig_flush(b, &o, &bad, path, &ord, counts, err)) < 0) break;
            wt_progress_set(&prog, ord);
        }
    }
    if (rc == 0 && b->n) {
        wt_pool_for(pool, b->n, 16, sig_one, b);
        rc = sig_flush(b, &o, &bad, path, &ord, counts, err);
    } else {
        for (size_t i = 0; i < b->n; i++) b->res[i] = (sig_result){0};
        b->n = 0;
    }
    wt_progress_set(&prog, ord);
    wt_progress_finish(&prog);
    wt_reader_close(r);
    double secs = wt_now() - t0;
    json_t *st =
        json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:f, s:f}", "input", path, "records",
                  (json_int_t)ord, "kept_for_dedup", (json_int_t)counts[DEDUP_KEEP], "bad_record",
                  (json_int_t)counts[DEDUP_BAD], "wikipedia", (json_int_t)counts[DEDUP_WIKIPEDIA],
                  "domain", (json_int_t)counts[DEDUP_DOMAIN], "seconds", secs, "docs_per_s",
                  secs > 0 ? (double)ord / secs : 0.0);
    if (rc == 0 && !st) rc = wt_fail(err, "out of memory");
    /* the statistics before meta: a complete shard always has them */
    if (rc == 0) rc = dedup_stats_save(stats_path, fp, st, err);
    if (rc == 0) rc = sig_commit(&o, p, err);
    if (rc < 0) {
        json_decref(st);
        sig_out_abort(&o);
        return strstr(err->msg, path) ? -1 : wt_error_context(err, "%s", path);
    }
    free(o.keys);
    json_array_append_new(stats, st);
    return 0;
}

int dedup_signatures(const dedup_params *p, const dedup_shards *s, const char *work,
                     const dedup_opts *o, json_t *stats, wt_error *err) {
    dedup_minhash *mh = malloc(sizeof *mh);
    if (!mh) return wt_fail(err, "out of memory");
    if (dedup_minhash_init(mh, p->bands, p->rows, p->ngram, p->seed) < 0) {
        free(mh);
        return wt_fail(err, "bands * rows must be in [1, %d]", DEDUP_MAX_HASHES);
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/sig", work);
    int rc = wt_mkdir_p(dir, err);
    snprintf(dir, sizeof dir, "%s/keys", work);
    if (rc == 0) rc = wt_mkdir_p(dir, err);
    if (rc == 0) rc = dedup_params_save(work, p, o->force, err);
    if (rc < 0) {
        free(mh);
        return -1;
    }
    sig_batch b = {.p = p, .mh = mh};
    b.off = calloc(BATCH_RECORDS, sizeof *b.off);
    b.len = calloc(BATCH_RECORDS, sizeof *b.len);
    b.truncated = calloc(BATCH_RECORDS, sizeof *b.truncated);
    b.line_no = calloc(BATCH_RECORDS, sizeof *b.line_no);
    b.res = calloc(BATCH_RECORDS, sizeof *b.res);
    b.keys = calloc((size_t)BATCH_RECORDS * (size_t)p->bands, sizeof *b.keys);
    b.sigs = calloc((size_t)BATCH_RECORDS * mh->k, sizeof *b.sigs);
    b.scratch = calloc((size_t)o->threads, sizeof *b.scratch);
    wt_pool *pool = wt_pool_create(o->threads);
    if (!b.off || !b.len || !b.truncated || !b.line_no || !b.res || !b.keys || !b.sigs ||
        !b.scratch || !pool)
        rc = wt_fail(err, "out of memory");
    for (size_t i = 0; rc == 0 && i < s->n; i++) {
        if ((int)(i % (size_t)o->world) != o->rank) continue;
        rc = sig_shard(p, pool, &b, s->paths[i], s->index[i], work, o, stats, err);
    }
    if (pool) wt_pool_destroy(pool);
    for (int t = 0; b.scratch && t < o->threads; t++) {
        dedup_buf_free(&b.scratch[t].norm);
        dedup_words_free(&b.scratch[t].words);
    }
    free(b.arena);
    free(b.off);
    free(b.len);
    free(b.truncated);
    free(b.line_no);
    free(b.res);
    free(b.keys);
    free(b.sigs);
    free(b.scratch);
    free(mh);
    return rc;
}
