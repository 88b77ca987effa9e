/* The dedup stage as library functions: parameters, the shard list, and the
 * four steps (signatures, buckets, cluster, filter) that bin/dedup runs one
 * at a time (Slurm arrays) or all together (`dedup run`). */
#ifndef DEDUP_DEDUP_H
#define DEDUP_DEDUP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Why a document is removed (DEDUP_KEEP: it is not). */
typedef enum {
    DEDUP_KEEP = 0,
    DEDUP_BAD = 1,       /* invalid JSON, missing id/url/text, over-long line */
    DEDUP_WIKIPEDIA = 2, /* host under wikipedia.org */
    DEDUP_DOMAIN = 3,    /* host under a --drop-domains entry */
    DEDUP_URL = 4,       /* same normalised URL as the kept document */
    DEDUP_EXACT = 5,     /* same normalised text */
    DEDUP_NEAR = 6,      /* MinHash band match (directly or through a chain) */
    DEDUP_NREASONS = 7
} dedup_reason;

/* e.g. "url_duplicate" */
const char *dedup_reason_name(int reason);

typedef struct dedup_params {
    int bands;           /* LSH bands, e.g. 20 */
    int rows;            /* MinHash values per band, e.g. 5 */
    int ngram;           /* words per shingle, e.g. 5 */
    uint64_t seed;       /* permutation seed, e.g. 1 */
    int partitions;      /* key partitions = buckets tasks, e.g. 16 */
    double verify;       /* band matches need estimated Jaccard >= verify (0: off), e.g. 0.7 */
    char **drop_domains; /* lowercased hosts without trailing dot; [0] is "wikipedia.org" */
    size_t ndrop;
} dedup_params;

/* Defaults plus "wikipedia.org". */
void dedup_params_default(dedup_params *p);
/* Adds the entries of FILE (one domain a line, '#' comments). */
int dedup_params_add_domains(dedup_params *p, const char *path, wt_error *err);
void dedup_params_free(dedup_params *p);
/* Changes whenever a parameter that changes the outputs changes. */
uint64_t dedup_params_fingerprint(const dedup_params *p);
json_t *dedup_params_json(const dedup_params *p);
/* WORK/params.json: written by `signatures`, read by the later steps. */
int dedup_params_save(const char *work, const dedup_params *p, bool force, wt_error *err);
int dedup_params_load(const char *work, dedup_params *p, wt_error *err);

/* The input shards, sorted by shard index (from the name docs-NNNNN...; a name
 * without one gets its position in the argument list). */
typedef struct dedup_shards {
    size_t n;
    char **paths;    /* borrowed from argv */
    uint32_t *index; /* e.g. 12 for docs-00012.jsonl.zst */
} dedup_shards;

int dedup_shards_init(dedup_shards *s, char **inputs, size_t n, wt_error *err);
void dedup_shards_free(dedup_shards *s);
/* Position of shard `index` in s, or -1. */
long dedup_shards_find(const dedup_shards *s, uint32_t index);
/* The params fingerprint combined with the shard list (steps 2-4). */
uint64_t dedup_shards_fingerprint(const dedup_shards *s, uint64_t params_fp);

typedef struct dedup_opts {
    int threads;              /* >= 1 */
    int rank, world;          /* this task does units u with u % world == rank */
    bool force;               /* redo complete outputs */
    bool strict;              /* the first bad record is fatal */
    bool quiet;               /* no progress line */
    double progress_interval; /* seconds between progress lines in a log, e.g. 30; 0: none */
} dedup_opts;

/* Step 1, per shard: WORK/sig/meta-NNNNN.bin, urls-NNNNN.txt and
 * WORK/keys/keys-NNNNN-pPPP.bin. Adds per-shard statistics to `stats`. */
int dedup_signatures(const dedup_params *p, const dedup_shards *s, const char *work,
                     const dedup_opts *o, json_t *stats, wt_error *err);
/* Step 2, per partition: WORK/edges/edges-PPPPP.bin. */
int dedup_buckets(const dedup_params *p, const dedup_shards *s, const char *work,
                  const dedup_opts *o, json_t *stats, wt_error *err);
/* Step 3, one task: WORK/cluster/remove-NNNNN.bin and WORK/cluster/report.json
 * (counts per reason, cluster-size histogram, examples). */
int dedup_cluster(const dedup_params *p, const dedup_shards *s, const char *work,
                  const dedup_opts *o, json_t *stats, wt_error *err);
/* Step 4, per shard: OUT/docs-NNNNN.jsonl.zst (the kept input lines). */
int dedup_filter(const dedup_params *p, const dedup_shards *s, const char *work, const char *out,
                 const dedup_opts *o, json_t *stats, wt_error *err);

#endif
