/* Step statistics saved beside a step's outputs and read back when a rerun
 * skips them (see stepstats.h). */
#include "stepstats.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "jsonl.h"

int dedup_stats_save(const char *path, uint64_t fp, const json_t *stats, wt_error *err) {
    char fps[32];
    snprintf(fps, sizeof fps, "%016" PRIx64, fp);
    json_t *j = json_pack("{s:s, s:O}", "fingerprint", fps, "stats", stats);
    if (!j) return wt_fail(err, "%s: out of memory", path);
    int rc = wt_json_write_file(path, j, err);
    json_decref(j);
    return rc;
}

json_t *dedup_stats_load(const char *path, uint64_t fp) {
    char fps[32];
    snprintf(fps, sizeof fps, "%016" PRIx64, fp);
    json_t *j = json_load_file(path, 0, NULL);
    if (!j) return NULL;
    const char *got = json_string_value(json_object_get(j, "fingerprint"));
    json_t *st = json_object_get(j, "stats");
    json_t *out = got && !strcmp(got, fps) && json_is_object(st) ? json_incref(st) : NULL;
    json_decref(j);
    return out;
}

void dedup_path_sig_stats(char *buf, size_t n, const char *work, uint32_t shard) {
    snprintf(buf, n, "%s/sig/stats-%05u.json", work, shard);
}

void dedup_path_edge_stats(char *buf, size_t n, const char *work, uint32_t part) {
    snprintf(buf, n, "%s/edges/stats-%05u.json", work, part);
}
