/* `dedup overlap`: the GPT-2 paper's section 4 measurement. The reference's
 * word 8-grams go into a Bloom filter (sized from a first counting pass for a
 * false-positive rate, 1e-8 by default) or, with --exact, an exact set of
 * 64-bit hashes; each test file's fraction of 8-gram positions found is
 * printed as a table and written as JSON. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
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

static const char *USAGE =
    "usage: dedup overlap [options] --ref FILE [--ref FILE...] TEST...\n\n"
    "The fraction of each TEST file's word n-grams found in the reference (GPT-2,\n"
    "section 4). Text is normalised to lowercase alphanumeric words separated by single\n"
    "spaces; n-grams are counted by position. Files are plain text (one document) or\n"
    "docs JSON Lines (one document per record's \"text\"), detected by content.\n\n"
    "  --ref FILE         reference file (repeatable)\n"
    "  --ngram N          words per n-gram (default 8)\n"
    "  --exact            an exact set of 64-bit n-gram hashes instead of a Bloom filter\n"
    "  --fpr P            Bloom filter false-positive rate (default 1e-8)\n"
    "  --max-memory MB    refuse a filter larger than this (default 16384)\n"
    "  --json FILE        {\"TEST\": {\"ngrams\": N, \"overlap\": fraction}, ...}\n"
    "  --quiet            no progress or filter summary on stderr\n";

int dedup_cmd_overlap(int argc, char **argv) {
    static const struct option lo[] = {
        {"ref", 1, 0, 'r'},   {"ngram", 1, 0, 'n'},      {"exact", 0, 0, 'e'},
        {"fpr", 1, 0, 'p'},   {"max-memory", 1, 0, 'm'}, {"json", 1, 0, 'j'},
        {"quiet", 0, 0, 'q'}, {"help", 0, 0, 'h'},       {0, 0, 0, 0}};
    char **refs = calloc((size_t)argc + 1, sizeof *refs);
    size_t nrefs = 0;
    int64_t ngram = 8, maxmb = 16384;
    double fpr = 1e-8;
    const char *json_path = NULL;
    bool exact = false, quiet = false;
    int opt, usage = 0;
    optind = 1;
    while (!usage && (opt = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        switch (opt) {
        case 'r':
            refs[nrefs++] = optarg;
            break;
        case 'n':
            usage = wt_parse_i64("dedup overlap", "--ngram", optarg, 1, 64, &ngram);
            break;
        case 'e':
            exact = true;
            break;
        case 'p':
            usage = wt_parse_double("dedup overlap", "--fpr", optarg, 1e-30, 0.5, &fpr);
            break;
        case 'm':
            usage = wt_parse_i64("dedup overlap", "--max-memory", optarg, 1, 1 << 30, &maxmb);
            break;
        case 'j':
            json_path = optarg;
            break;
        case 'q':
            quiet = true;
            break;
        case 'h':
            printf("%s", USAGE);
            free(refs);
            return WT_EXIT_OK;
        default:
            usage = -1;
        }
    }
    if (!usage && (nrefs == 0 || optind >= argc)) {
        fprintf(stderr, "dedup overlap: needs --ref FILE and at least one TEST file\n");
        usage = -1;
    }
    if (usage) {
        fprintf(stderr, "Run 'dedup overlap --help' for the options.\n");
        free(refs);
        return WT_EXIT_USAGE;
    }
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
    for (int i = optind; rc == 0 && i < argc; i++) {
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
