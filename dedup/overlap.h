/* The GPT-2 paper's section 4 analysis: the word n-grams of a file (plain
 * text, one continuous document; or docs JSON Lines, one document per
 * record's "text"), as 128-bit hashes handed to a callback. */
#ifndef DEDUP_OVERLAP_H
#define DEDUP_OVERLAP_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

/* Called for every n-gram position; returns 0, or -1 to stop (err set). */
typedef int (*dedup_ngram_fn)(void *ctx, uint64_t lo, uint64_t hi, wt_error *err);

typedef struct dedup_scan {
    uint64_t ngrams; /* n-gram positions */
    uint64_t docs;   /* 1 for a text file, records for JSON Lines */
    uint64_t bad;    /* JSON Lines records without a string "text" */
    bool jsonl;
} dedup_scan;

/* True when the first non-blank line is a JSON object with a string "text". */
int dedup_overlap_detect(const char *path, bool *jsonl, wt_error *err);
/* Words are those of text.h (lowercased alphanumeric runs); n-grams do not
 * cross JSON Lines records. */
int dedup_overlap_scan(const char *path, int n, bool quiet, dedup_ngram_fn fn, void *ctx,
                       dedup_scan *st, wt_error *err);

#endif
