/* Byte-pair merging of one pre-tokenized piece, as tiktoken does it: the
 * adjacent pair whose bytes together form the lowest-ranked token merges
 * first (leftmost on ties), until no pair forms a token. Private. */
#ifndef TOK_BPE_H
#define TOK_BPE_H

#include <stdbool.h>

#include "tokenize/vocab_internal.h"

/* Scratch space reused between calls (one per thread). Zero-initialise. */
typedef struct tok_bpe_scratch {
    uint32_t *tok;         /* parts, (n) */
    uint64_t *pair;        /* short path: pair i's merge as rank << 32 | id, (n) */
    uint32_t *next, *prev; /* long path: linked list by start byte, (n) */
    uint64_t *heap;        /* long path: rank << 32 | start byte */
    size_t cap, heap_cap;
} tok_bpe_scratch;

/* Pieces longer than this use the heap; shorter ones a flat array. */
#define TOK_BPE_FLAT_MAX 64

/* Appends the ids of piece p[0..n) (n >= 1) to out. -1 when out of memory. */
int tok_bpe_piece(const tok_vocab *v, tok_bpe_scratch *s, const uint8_t *p, size_t n, tok_ids *out);
/* As tok_bpe_piece with the algorithm chosen: the heap (true) or the flat
 * array (false). For tests, which check that both agree. */
int tok_bpe_piece_with(const tok_vocab *v, tok_bpe_scratch *s, const uint8_t *p, size_t n,
                       tok_ids *out, bool heap);
void tok_bpe_scratch_free(tok_bpe_scratch *s);

#endif
