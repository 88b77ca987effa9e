/* Detokenizers for the word-level benchmark files (WikiText, PTB, 1BW, CBT):
 * they turn the data sets' space-separated tokens back into running text, as
 * the GPT-2 paper scores them, and count the original words. */
#ifndef EVAL_DETOK_H
#define EVAL_DETOK_H

#include <stddef.h>

#include "tokenize/tokenizer.h"

typedef enum {
    DETOK_NONE = 0, /* the line as is */
    DETOK_WIKITEXT, /* @-@ @,@ @.@, punctuation, quotes, brackets, "= =" headings */
    DETOK_PTB,      /* contractions ('s n't ...); lowercase, <unk> and N kept */
    DETOK_1BW,      /* as WikiText without the @x@ forms; `` '' quotes */
    DETOK_CBT,      /* as 1BW; CBT writes quotes as `` and '' */
} eval_detok_kind;

/* Name for results.json, e.g. "wikitext". */
const char *eval_detok_name(eval_detok_kind k);

/* Appends the detokenized text of one line (without its '\n') to out.
 * Tokens are split at runs of spaces and tabs. If offs is non-NULL, offs[i]
 * receives the output offset (relative to out->n on entry) of token i, for at
 * most max_offs tokens (CBT finds its XXXXX blank this way). Returns the number
 * of tokens, or -1 when out of memory. */
long eval_detok_line(eval_detok_kind k, const char *line, size_t len, tok_bytes *out, size_t *offs,
                     size_t max_offs);

/* Whitespace-separated tokens of a line (the word count of the data sets). */
size_t eval_count_words(const char *line, size_t len);

/* Offset of the first byte that is not valid UTF-8 (or is NUL), len when the
 * text is valid. */
size_t eval_utf8_check(const unsigned char *s, size_t len);

#endif
