/* A step's statistics kept beside its outputs (WORK/.../stats-NNNNN.json),
 * so that a rerun which skips a complete output reports the same counts as
 * the run that wrote it. Written atomically before the output that marks the
 * step complete; tagged with the step's fingerprint. */
#ifndef DEDUP_STEPSTATS_H
#define DEDUP_STEPSTATS_H

#include <jansson.h>
#include <stdint.h>

#include "error.h"

/* Writes {"fingerprint": "%016x", "stats": stats} to path (.tmp + rename). */
int dedup_stats_save(const char *path, uint64_t fp, const json_t *stats, wt_error *err);

/* The statistics saved at path (a new reference), or NULL when the file is
 * missing, unreadable, or was written with another fingerprint: the caller
 * then redoes the step. */
json_t *dedup_stats_load(const char *path, uint64_t fp);

/* WORK/sig/stats-NNNNN.json and WORK/edges/stats-PPPPP.json. */
void dedup_path_sig_stats(char *buf, size_t n, const char *work, uint32_t shard);
void dedup_path_edge_stats(char *buf, size_t n, const char *work, uint32_t part);

#endif
