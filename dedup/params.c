/* Parameters of a dedup run, their fingerprint and WORK/params.json, and the
 * sorted input shard list shared by every step. */
#include "dedup.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "jsonl.h"
#include "stream.h"
#include "cli.h"

static const char *REASONS[DEDUP_NREASONS] = {"kept",          "bad_record",    "wikipedia",
                                              "domain",        "url_duplicate", "exact_duplicate",
                                              "near_duplicate"};

const char *dedup_reason_name(int reason) {
    return reason >= 0 && reason < DEDUP_NREASONS ? REASONS[reason] : "unknown";
}

static int params_push_domain(dedup_params *p, const char *s, size_t n) {
    while (n && isspace((unsigned char)*s)) s++, n--;
    while (n && (isspace((unsigned char)s[n - 1]) || s[n - 1] == '.')) n--;
    if (n && *s == '.') s++, n--;
    if (n == 0) return 0;
    char **d = realloc(p->drop_domains, (p->ndrop + 1) * sizeof *d);
    if (!d) return -1;
    p->drop_domains = d;
    char *c = malloc(n + 1);
    if (!c) return -1;
    for (size_t i = 0; i < n; i++) c[i] = (char)tolower((unsigned char)s[i]);
    c[n] = '\0';
    d[p->ndrop++] = c;
    return 0;
}

void dedup_params_default(dedup_params *p) {
    *p = (dedup_params){
        .bands = 20, .rows = 5, .ngram = 5, .seed = 1, .partitions = 16, .verify = 0.7};
    params_push_domain(p, "wikipedia.org", 13);
}

int dedup_params_add_domains(dedup_params *p, const char *path, wt_error *err) {
    char *data;
    size_t n;
    WT_TRY(wt_read_file(path, &data, &n, 64u << 20, err));
    for (char *line = data, *end; line < data + n; line = end + 1) {
        end = memchr(line, '\n', (size_t)(data + n - line));
        if (!end) end = data + n;
        char *hash = memchr(line, '#', (size_t)(end - line));
        size_t len = (size_t)((hash ? hash : end) - line);
        if (params_push_domain(p, line, len) < 0) {
            free(data);
            return wt_fail(err, "out of memory");
        }
    }
    free(data);
    return 0;
}

void dedup_params_free(dedup_params *p) {
    for (size_t i = 0; i < p->ndrop; i++) free(p->drop_domains[i]);
    free(p->drop_domains);
    p->drop_domains = NULL;
    p->ndrop = 0;
}

json_t *dedup_params_json(const dedup_params *p) {
    json_t *doms = json_array();
    for (size_t i = 0; i < p->ndrop; i++)
        json_array_append_new(doms, json_string(p->drop_domains[i]));
    return json_pack("{s:i, s:i, s:i, s:I, s:i, s:f, s:o, s:s, s:s}", "bands", p->bands, "rows",
                     p->rows, "ngram", p->ngram, "seed", (json_int_t)p->seed, "partitions",
                     p->partitions, "verify", p->verify, "drop_domains", doms, "text_normalization",
                     "NFC + case fold, whitespace runs to one space, trimmed; XXH3-128", "words",
                     "runs of Unicode letters/digits/marks of the normalised text");
}

uint64_t dedup_params_fingerprint(const dedup_params *p) {
    XXH3_state_t *st = XXH3_createState();
    XXH3_64bits_reset(st);
    int32_t v[5] = {p->bands, p->rows, p->ngram, p->partitions, 1 /* normalisation version */};
    XXH3_64bits_update(st, v, sizeof v);
    XXH3_64bits_update(st, &p->seed, sizeof p->seed);
    XXH3_64bits_update(st, &p->verify, sizeof p->verify);
    for (size_t i = 0; i < p->ndrop; i++)
        XXH3_64bits_update(st, p->drop_domains[i], strlen(p->drop_domains[i]) + 1);
    uint64_t h = XXH3_64bits_digest(st);
    XXH3_freeState(st);
    return h ? h : 1;
}

int dedup_params_save(const char *work, const dedup_params *p, bool force, wt_error *err) {
    char path[4096];
    snprintf(path, sizeof path, "%s/params.json", work);
    if (!force && wt_file_exists(path)) {
        dedup_params old;
        WT_TRY(dedup_params_load(work, &old, err));
        bool same = dedup_params_fingerprint(&old) == dedup_params_fingerprint(p);
        dedup_params_free(&old);
        if (same) return 0;
        return wt_fail(err,
                       "%s: made with other parameters. HINT: use another folder, or --force "
                       "to start over",
                       path);
    }
    json_t *j = dedup_params_json(p);
    int rc = wt_json_write_file(path, j, err);
    json_decref(j);
    return rc;
}

int dedup_params_load(const char *work, dedup_params *p, wt_error *err) {
    char path[4096];
    snprintf(path, sizeof path, "%s/params.json", work);
    char *data;
    size_t n;
    if (wt_read_file(path, &data, &n, 16u << 20, err) < 0)
        return wt_error_context(err, "HINT: run `dedup signatures` into this folder first");
    json_error_t je;
    json_t *j = json_loadb(data, n, 0, &je);
    free(data);
    if (!json_is_object(j)) {
        json_decref(j);
        return wt_fail(err, "%s: not a JSON object", path);
    }
    *p = (dedup_params){.bands = (int)wt_json_int(j, "bands", 0),
                        .rows = (int)wt_json_int(j, "rows", 0),
                        .ngram = (int)wt_json_int(j, "ngram", 0),
                        .seed = (uint64_t)wt_json_int(j, "seed", 1),
                        .partitions = (int)wt_json_int(j, "partitions", 0),
                        .verify = wt_json_num(j, "verify", 0)};
    json_t *doms = json_object_get(j, "drop_domains");
    size_t i;
    json_t *d;
    json_array_foreach(doms, i, d) {
        if (json_is_string(d)) params_push_domain(p, json_string_value(d), json_string_length(d));
    }
    json_decref(j);
    if (p->bands < 1 || p->rows < 1 || p->ngram < 1 || p->partitions < 1 ||
        p->bands * p->rows > 1024 || !(p->verify >= 0 && p->verify <= 1)) {
        dedup_params_free(p);
        return wt_fail(err, "%s: bad parameters", path);
    }
    return 0;
}

static int shard_cmp(const void *a, const void *b) {
    const struct {
        uint32_t index;
        char *path;
    } *x = a, *y = b;
    return x->index < y->index ? -1 : x->index > y->index;
}

int dedup_shards_init(dedup_shards *s, char **inputs, size_t n, wt_error *err) {
    struct item {
        uint32_t index;
        char *path;
    } *items = calloc(n ? n : 1, sizeof *items);
    *s = (dedup_shards){0};
    if (!items) return wt_fail(err, "out of memory");
    for (size_t i = 0; i < n; i++) {
        int64_t idx = wt_shard_index(inputs[i]);
        items[i] = (struct item){
            .index = idx >= 0 && idx < UINT32_MAX ? (uint32_t)idx : (uint32_t)i, .path = inputs[i]};
    }
    qsort(items, n, sizeof *items, shard_cmp);
    for (size_t i = 1; i < n; i++)
        if (items[i].index == items[i - 1].index) {
            wt_fail(err, "%s and %s have the same shard index %u", items[i - 1].path, items[i].path,
                    items[i].index);
            free(items);
            return -1;
        }
    s->n = n;
    s->paths = calloc(n ? n : 1, sizeof *s->paths);
    s->index = calloc(n ? n : 1, sizeof *s->index);
    if (!s->paths || !s->index) {
        free(items);
        dedup_shards_free(s);
        return wt_fail(err, "out of memory");
    }
    for (size_t i = 0; i < n; i++) s->paths[i] = items[i].path, s->index[i] = items[i].index;
    free(items);
    return 0;
}

void dedup_shards_free(dedup_shards *s) {
    free(s->paths);
    free(s->index);
    *s = (dedup_shards){0};
}

long dedup_shards_find(const dedup_shards *s, uint32_t index) {
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->index[mid] < index)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->n && s->index[lo] == index ? (long)lo : -1;
}

uint64_t dedup_shards_fingerprint(const dedup_shards *s, uint64_t params_fp) {
    uint64_t h = XXH3_64bits_withSeed(s->index, s->n * sizeof *s->index, params_fp);
    return h ? h : 1;
}
