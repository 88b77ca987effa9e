/* A growable byte buffer used through the extract stage (text, decoded
 * bodies). Always NUL-terminated after its `len` bytes. */
#ifndef EX_BUF_H
#define EX_BUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct ex_buf {
    char *p;    /* NUL-terminated */
    size_t len; /* bytes, not counting the NUL */
    size_t cap;
} ex_buf;

/* Make room for n more bytes (and the NUL): afterwards b->p is never NULL.
 * Returns -1 when out of memory. */
int ex_buf_reserve(ex_buf *b, size_t n);
/* Appends s[0..n); s may be NULL when n is 0. Allocates b->p either way. */
int ex_buf_add(ex_buf *b, const void *s, size_t n);
int ex_buf_addc(ex_buf *b, char c);
void ex_buf_clear(ex_buf *b);
void ex_buf_free(ex_buf *b);

#endif
