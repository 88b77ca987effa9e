/* The growable arrays the tokenizer fills: ids and bytes. At the bottom of
 * tokenize/ (encode -> bpe -> vocab -> buffers), needing nothing above it. */
#ifndef TOK_BUFFERS_H
#define TOK_BUFFERS_H

#include <stddef.h>
#include <stdint.h>

/* A growable array of token ids. Zero-initialise; free with tok_ids_free. */
typedef struct tok_ids {
    uint32_t *v; /* ids, e.g. {464, 2068, 7586} */
    size_t n, cap;
} tok_ids;

/* A growable byte buffer (decode output). Zero-initialise; tok_bytes_free. */
typedef struct tok_bytes {
    char *p;
    size_t n, cap;
} tok_bytes;

/* Each returns 0, or -1 when memory runs out (the buffer is left as it was). */
int tok_ids_push(tok_ids *a, uint32_t id);
int tok_ids_reserve(tok_ids *a, size_t extra);
void tok_ids_free(tok_ids *a);
int tok_bytes_append(tok_bytes *b, const void *p, size_t n);
void tok_bytes_free(tok_bytes *b);

#endif
