/* Step 4 (per shard): copy the input lines of the records that the cluster
 * step did not remove, byte for byte, to OUT/docs-NNNNN.jsonl.zst. The record
 * count must match the signatures step's, or the input changed in between. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dedup.h"
#include "docs.h"
#include "format.h"
#include "jsonl.h"
#include "pool.h"
#include "progress.h"

static void done_path(char *buf, size_t n, const char *work, uint32_t shard) {
    snprintf(buf, n, "%s/filter/done-%05u.json", work, shard);
}

/* The statistics of a complete shard (a new reference: its done file, which
 * holds the fingerprint), or NULL. */
static json_t *filter_complete(const char *work, const char *out_path, uint32_t shard,
                               const char *fps) {
    char path[4096];
    done_path(path, sizeof path, work, shard);
    if (!wt_file_exists(out_path)) return NULL;
    json_t *done = json_load_file(path, 0, NULL);
    const char *got = json_string_value(json_object_get(done, "fingerprint"));
    if (got && !strcmp(got, fps)) return done;
    json_decref(done);
    return NULL;
}

static int filter_shard(const dedup_shards *s, size_t si, const char *work, const char *out,
                        uint64_t fp2, bool force, json_t **stat, wt_error *err) {
    char fps[32], out_path[4096], path[4096];
    snprintf(fps, sizeof fps, "%016" PRIx64, fp2);
    wt_shard_path(out_path, sizeof out_path, out, "docs", s->index[si], "jsonl.zst");
    json_t *done = force ? NULL : filter_complete(work, out_path, s->index[si], fps);
    if (done) { /* as the run that did it saw it, under this run's names */
        json_object_set_new(done, "input", json_string(s->paths[si]));
        json_object_set_new(done, "output", json_string(out_path));
        *stat = done;
        return 0;
    }
    double t0 = wt_now();
    dedup_table rm, meta;
    dedup_path_remove(path, sizeof path, work, s->index[si]);
    if (dedup_table_open(&rm, path, DEDUP_FILE_REMOVE, sizeof(dedup_removal), fp2, err) < 0)
        return wt_error_context(err, "HINT: run `dedup cluster` with the same inputs first");
    dedup_path_meta(path, sizeof path, work, s->index[si]);
    if (dedup_table_open(&meta, path, DEDUP_FILE_META, sizeof(dedup_meta), 0, err) < 0) {
        dedup_table_close(&rm);
        return -1;
    }
    uint64_t expected = meta.count;
    dedup_table_close(&meta);
    wt_reader *r = wt_reader_open(s->paths[si], err);
    wt_writer *w = r ? wt_writer_open(out_path, NULL, err) : NULL;
    const dedup_removal *rem = rm.recs;
    uint64_t next = 0, ord = 0, kept = 0;
    int rc = w ? 0 : -1;
    char *line;
    size_t len;
    while (rc == 0 && (rc = dedup_next_record(r, &line, &len, err)) == 1) {
        rc = 0;
        if (next < rm.count && rem[next].ord == ord) {
            next++;
        } else {
            rc = wt_writer_write(w, line, len, err);
            if (rc == 0) rc = wt_writer_write(w, "\n", 1, err);
            kept++;
        }
        ord++;
    }
    if (rc == 0 && (ord != expected || next != rm.count))
        rc = wt_fail(err,
                     "%s has %" PRIu64 " records, the signatures step saw %" PRIu64
                     ". HINT: the input changed; rerun every step with --force",
                     s->paths[si], ord, expected);
    if (r) wt_reader_close(r);
    dedup_table_close(&rm);
    if (rc == 0)
        rc = wt_writer_commit(w, err);
    else if (w)
        wt_writer_abort(w);
    if (rc < 0) /* name the input unless the message already does */
        return strstr(err->msg, s->paths[si]) ? -1 : wt_error_context(err, "%s", s->paths[si]);
    *stat =
        json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:f}", "input", s->paths[si], "output", out_path,
                  "fingerprint", fps, "records", (json_int_t)ord, "kept", (json_int_t)kept,
                  "removed", (json_int_t)(ord - kept), "seconds", wt_now() - t0);
    done_path(path, sizeof path, work, s->index[si]);
    return wt_json_write_file(path, *stat, err);
}

typedef struct filter_job {
    const dedup_shards *s;
    const char *work, *out;
    uint64_t fp2;
    bool force;
    size_t *items;
    json_t **stats;
    int *rc;
    wt_error *errs;
} filter_job;

static void filter_one(void *ctx, size_t i, int worker) {
    (void)worker;
    filter_job *j = ctx;
    j->rc[i] = filter_shard(j->s, j->items[i], j->work, j->out, j->fp2, j->force, &j->stats[i],
                            &j->errs[i]);
}

int dedup_filter(const dedup_params *p, const dedup_shards *s, const char *work, const char *out,
                 const dedup_opts *o, json_t *stats, wt_error *err) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/filter", work);
    WT_TRY(wt_mkdir_p(dir, err));
    WT_TRY(wt_mkdir_p(out, err));
    size_t cap = s->n ? s->n : 1, n = 0;
    filter_job job = {s,
                      work,
                      out,
                      dedup_shards_fingerprint(s, dedup_params_fingerprint(p)),
                      o->force,
                      calloc(cap, sizeof(size_t)),
                      calloc(cap, sizeof(json_t *)),
                      calloc(cap, sizeof(int)),
                      calloc(cap, sizeof(wt_error))};
    int rc = 0;
    if (!job.items || !job.stats || !job.rc || !job.errs) rc = wt_fail(err, "out of memory");
    for (size_t i = 0; rc == 0 && i < s->n; i++)
        if ((int)(i % (size_t)o->world) == o->rank) job.items[n++] = i;
    wt_pool *pool = rc == 0 ? wt_pool_create(o->threads) : NULL;
    if (pool) {
        wt_pool_for(pool, n, 1, filter_one, &job);
        wt_pool_destroy(pool);
    }
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (job.rc[i] < 0) *err = job.errs[i], rc = -1;
    for (size_t i = 0; job.stats && i < n; i++)
        if (job.stats[i]) json_array_append_new(stats, job.stats[i]);
    free(job.items);
    free(job.stats);
    free(job.rc);
    free(job.errs);
    return rc;
}
