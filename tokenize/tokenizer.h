/* GPT-2 byte-level BPE, token for token identical to OpenAI's encoder (as
 * tiktoken's "gpt2" encoding): vocabulary loading, encoding UTF-8 text to
 * token ids, and decoding ids back to bytes. The public API of tokenize/. */
#ifndef TOK_TOKENIZER_H
#define TOK_TOKENIZER_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "tokenize/buffers.h"

#define TOK_EOT 50256u /* <|endoftext|> in the GPT-2 vocabulary */

typedef struct tok_vocab tok_vocab;     /* read-only once loaded: share between threads */
typedef struct tok_encoder tok_encoder; /* one per thread: cache and scratch */

/* The default vocabulary folder: $WEBTEXT_VOCAB if set, else
 * ${XDG_DATA_HOME:-$HOME/.local/share}/webtext/gpt2-vocab. */
void tok_vocab_default_dir(char *buf, size_t n);

/* Loads encoder.json + vocab.bpe (OpenAI) or vocab.json + merges.txt (Hugging
 * Face) from `dir` (NULL: the default folder). NULL with err set on failure. */
tok_vocab *tok_vocab_load(const char *dir, wt_error *err);
void tok_vocab_free(tok_vocab *v);
uint32_t tok_vocab_size(const tok_vocab *v); /* e.g. 50257 */
/* The <|endoftext|> id (TOK_EOT for GPT-2). */
uint32_t tok_vocab_eot(const tok_vocab *v);
/* The bytes of one token (NULL when id is out of range). */
const char *tok_token_bytes(const tok_vocab *v, uint32_t id, size_t *len);

tok_encoder *tok_encoder_new(const tok_vocab *v);
void tok_encoder_free(tok_encoder *e);

/* Appends the ids of `text` (len bytes of UTF-8) to out. Special tokens in the
 * text are ordinary text. Each maximal invalid UTF-8 subpart is read as U+FFFD
 * (as Python's errors="replace"). Returns the number of such replacements, or
 * -1 with err set when out of memory. */
long tok_encode(tok_encoder *e, const char *text, size_t len, tok_ids *out, wt_error *err);

/* Appends the bytes of ids to out (id TOK_EOT gives "<|endoftext|>"). -1 with
 * err set for an id outside the vocabulary. */
int tok_decode(const tok_vocab *v, const uint32_t *ids, size_t n, tok_bytes *out, wt_error *err);

/* Where text can be cut so that encoding the two halves separately gives the
 * same ids as encoding all of it: a piece boundary at or before len (0 when
 * none is found). For streaming inputs; the text may continue after len. */
size_t tok_safe_cut(const char *text, size_t len);

#endif
