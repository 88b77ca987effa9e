/* See buffers.h. */
#include "tokenize/buffers.h"

#include <stdlib.h>
#include <string.h>

int tok_ids_reserve(tok_ids *a, size_t extra) {
    if (a->n + extra <= a->cap) return 0;
    size_t cap = a->cap ? a->cap : 256;
    while (cap < a->n + extra) cap *= 2;
    uint32_t *v = realloc(a->v, cap * sizeof *v);
    if (!v) return -1;
    a->v = v, a->cap = cap;
    return 0;
}

int tok_ids_push(tok_ids *a, uint32_t id) {
    if (a->n == a->cap && tok_ids_reserve(a, 1)) return -1;
    a->v[a->n++] = id;
    return 0;
}

void tok_ids_free(tok_ids *a) {
    free(a->v);
    *a = (tok_ids){0};
}

int tok_bytes_append(tok_bytes *b, const void *p, size_t n) {
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n) cap *= 2;
        char *q = realloc(b->p, cap);
        if (!q) return -1;
        b->p = q, b->cap = cap;
    }
    if (n) memcpy(b->p + b->n, p, n);
    b->n += n;
    return 0;
}

void tok_bytes_free(tok_bytes *b) {
    free(b->p);
    *b = (tok_bytes){0};
}
