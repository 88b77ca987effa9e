/* Growable byte buffer (see buf.h). */
#include "buf.h"

#include <stdlib.h>
#include <string.h>

int ex_buf_reserve(ex_buf *b, size_t n) {
    if (b->len + n + 1 <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) return -1;
    b->p = p;
    b->cap = cap;
    b->p[b->len] = 0; /* a new buffer is NUL-terminated too */
    return 0;
}

int ex_buf_add(ex_buf *b, const void *s, size_t n) {
    if (ex_buf_reserve(b, n) < 0) return -1;
    if (n) memcpy(b->p + b->len, s, n); /* s may be NULL when n is 0 */
    b->len += n;
    b->p[b->len] = 0;
    return 0;
}

int ex_buf_addc(ex_buf *b, char c) {
    return ex_buf_add(b, &c, 1);
}

void ex_buf_clear(ex_buf *b) {
    b->len = 0;
    if (b->p) b->p[0] = 0;
}

void ex_buf_free(ex_buf *b) {
    free(b->p);
    *b = (ex_buf){0};
}
