/* Text normalisation shared by every dedup step and the overlap analysis:
 * one definition of "the same text" (exact dedup) and of "a word" (MinHash
 * shingles, the paper's 8-gram overlap). */
#ifndef DEDUP_TEXT_H
#define DEDUP_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* A growable byte or word-hash buffer owned by one thread. */
typedef struct dedup_buf {
    char *data;
    size_t len, cap;
} dedup_buf;

typedef struct dedup_words {
    uint64_t *hash; /* XXH3-64 of each word's bytes, in text order */
    size_t len, cap;
} dedup_words;

/* Normalised text: Unicode NFC and case folding (ASCII fast path: tolower),
 * every run of whitespace (Unicode Z* and C0 spaces) becomes one ' ',
 * leading and trailing whitespace removed. Invalid UTF-8 falls back to
 * ASCII-only lowercasing of the raw bytes. Returns 0, or -1 on out of memory. */
int dedup_text_normalize(const char *s, size_t n, dedup_buf *out);

/* Appends the hashes of the words of normalised text `s`: maximal runs of
 * letters, digits and combining marks (Unicode L*, N*, M*); everything else
 * separates words. Returns 0, or -1 on out of memory. */
int dedup_text_words(const char *s, size_t n, dedup_words *out);

/* Hash of the n-gram starting at words[0]: XXH3-64 of the n word hashes. */
uint64_t dedup_ngram_hash64(const uint64_t *words, size_t n);

void dedup_buf_free(dedup_buf *b);
void dedup_words_free(dedup_words *w);

#endif
