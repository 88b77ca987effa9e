/* `dedup overlap`: the GPT-2 paper's section 4 measurement. The reference's
 * word 8-grams go into a Bloom filter (sized from a first counting pass for a
 * false-positive rate, 1e-8 by default) or, with --exact, an exact set of
 * 64-bit hashes; each test file's fraction of 8-gram positions found is
 * printed as a table and written as JSON. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opts.h"
#include "jsonl.h"
#include "ngramset.h"
#include "overlap.h"
#include "progress.h"

typedef struct ov_ref {
    bool exact;
    dedup_bloom bloom;
    dedup_hashset set;
    uint64_t found;
} ov_ref;

static int ov_count(void *ctx, uint64_t lo, uint64_t hi, wt_error *err) {
    (void)ctx, (void)lo, (void)hi, (void)err;
    return 0;
}

static int ov_add(void *ctx, uint64_t lo, uint64_t hi, wt_error *err) {
    ov_ref *r = ctx;
    if (!r->exact) {
        dedup_bloom_add(&r->bloom, lo, hi);
        return 0;
    }
    return dedup_hashset_add(&r->set, lo) < 0 ? wt_fail(err, "out of memory") : 0;
}

static int ov_query(void *ctx, uint64_t lo, uint64_t hi, wt_error *err) {
    (void)err;
    ov_ref *r = ctx;
    r->found += r->exact ? dedup_hashset_has(&r->set, lo) : dedup_bloom_has(&r->bloom, lo, hi);
    return 0;
}

/* The --ref files (repeatable), collected by the option table. */
typedef struct ref_list {
    char **v;
    size_t n;
} ref_list;

static int add_ref(void *dest, const char *arg) {
    ref_list *l = dest;
    l->v[l->n++] = (char *)arg;
    return 0;
}

int dedup_cmd_overlap(int argc, char **argv) {
    ref_list refl = {calloc((size_t)argc + 1, sizeof(char *)), 0};
    int64_t ngram = 0, maxmb = 0;
    double fpr = 0;
    const char *json_path = NULL;
    bool exact = false, quiet = false;
    const wt_opt table[] = {
        WT_CALL("ref", 0, &refl, add_ref, "FILE", "reference file (repeatable)"),
        WT_INT("ngram", 0, &ngram, "N", "8", 1, 64, "words per n-gram"),
        WT_FLAG("exact", 0, &exact,
                "an exact set of 64-bit n-gram hashes instead of a Bloom filter"),
        WT_NUM("fpr", 0, &fpr, "P", "1e-8", 1e-30, 0.5, "Bloom filter false-positive rate"),
        WT_INT("max-memory", 0, &maxmb, "MB", "16384", 1, 1 << 30,
               "refuse a filter larger than this"),
        WT_STR("json", 0, &json_path, "FILE", NULL,
               "{\"TEST\": {\"ngrams\": N, \"overlap\": fraction}, ...}"),
        WT_FLAG("quiet", 0, &quiet, "no progress or filter summary on stderr"),
        WT_OPTS_END};
    const wt_cmd_spec spec = {
        "dedup overlap", "[options] --ref FILE [--ref FILE...] TEST...",
        "The fraction of each TEST file's word n-grams found in the reference (GPT-2,\n"
        "section 4). Text is normalised to lowercase alphanumeric words separated by single\n"
        "spaces; n-grams are counted by position. Files are plain text (one document) or\n"
        "docs JSON Lines (one document per record's \"text\"), detected by content.\n",
        table, NULL};
    if (!refl.v) return WT_EXIT_FAIL;
    int code, first = wt_opts_parse(&spec, argc, argv, &code);
    if (first >= 0 && (refl.n == 0 || first >= argc)) {
        code = wt_opts_usage_error(&spec, "needs --ref FILE and at least one TEST file");
        first = -1;
    }
    if (first < 0) {
        free(refl.v);
        return code;
    }
    char **refs = refl.v;
    size_t nrefs = refl.n;

    wt_error err;
    ov_ref ref = {.exact = exact};
    dedup_scan sc;
    int rc = 0;
    uint64_t ref_ngrams = 0;
    if (!exact) { /* pass 1: count n-gram positions, an upper bound on distinct n-grams */
        for (size_t i = 0; rc == 0 && i < nrefs; i++) {
            rc = dedup_overlap_scan(refs[i], (int)ngram, quiet, ov_count, NULL, &sc, &err);
            ref_ngrams += sc.ngrams;
        }
        if (rc == 0)
            rc = dedup_bloom_init(&ref.bloom, ref_ngrams, fpr, (uint64_t)maxmb << 20, &err);
    }
    uint64_t added = 0;
    for (size_t i = 0; rc == 0 && i < nrefs; i++) {
        rc = dedup_overlap_scan(refs[i], (int)ngram, quiet, ov_add, &ref, &sc, &err);
        added += sc.ngrams;
    }
    if (rc == 0 && !quiet) {
        if (exact)
            fprintf(stderr,
                    "dedup overlap: reference %" PRIu64 " %d-grams, %zu distinct (exact set)\n",
                    added, (int)ngram, ref.set.len);
        else
            fprintf(stderr,
                    "dedup overlap: reference %" PRIu64 " %d-grams; Bloom filter %" PRIu64
                    " bits (%.1f MB), %d probes, false-positive rate <= %.2g\n",
                    added, (int)ngram, ref.bloom.m, (double)ref.bloom.m / 8e6, ref.bloom.k,
                    dedup_bloom_fpr(&ref.bloom, added));
    }
    json_t *out = json_object();
    if (rc == 0) printf("%-40s %14s %10s\n", "test", "ngrams", "overlap");
    for (int i = first; rc == 0 && i < argc; i++) {
        ref.found = 0;
        rc = dedup_overlap_scan(argv[i], (int)ngram, quiet, ov_query, &ref, &sc, &err);
        if (rc < 0) break;
        double frac = sc.ngrams ? (double)ref.found / (double)sc.ngrams : 0.0;
        printf("%-40s %14" PRIu64 " %9.4f%%\n", argv[i], sc.ngrams, 100.0 * frac);
        json_object_set_new(
            out, argv[i],
            json_pack("{s:I, s:f}", "ngrams", (json_int_t)sc.ngrams, "overlap", frac));
    }
    if (rc == 0 && json_path) rc = wt_json_write_file(json_path, out, &err);
    json_decref(out);
    dedup_bloom_free(&ref.bloom);
    dedup_hashset_free(&ref.set);
    free(refs);
    if (rc < 0) {
        wt_report("dedup overlap", &err);
        return WT_EXIT_FAIL;
    }
    return WT_EXIT_OK;
}
