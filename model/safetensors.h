/* Private to model/: the safetensors container (8-byte little-endian header
 * length, a JSON header of name -> dtype/shape/data_offsets, then the data),
 * parsed and checked against the file size before any tensor is touched. */
#ifndef WT_SAFETENSORS_H
#define WT_SAFETENSORS_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

enum { ST_MAX_DIMS = 8 };

typedef enum { ST_F32, ST_F16, ST_BF16, ST_OTHER } st_dtype;

typedef struct st_tensor {
    char *name;       /* e.g. "transformer.h.0.attn.c_attn.weight" */
    char dtype_s[16]; /* as written, e.g. "F16" */
    st_dtype dtype;
    int ndim;
    int64_t shape[ST_MAX_DIMS];
    uint64_t begin, end; /* byte range within the data section */
} st_tensor;

typedef struct st_file {
    st_tensor *t; /* sorted by name */
    size_t n;
    const uint8_t *data; /* start of the data section */
    uint64_t data_len;
} st_file;

/* Parses the `len` bytes at buf (the whole file). Checks: the header fits,
 * is a JSON object of tensors with a known dtype, a shape of non-negative
 * ints and data_offsets [begin, end] inside the data whose length matches
 * the shape; no two tensors overlap. `path` names the file in errors. */
int st_parse(const uint8_t *buf, uint64_t len, const char *path, st_file *out, wt_error *err);
/* The tensor called `name`, or NULL. */
const st_tensor *st_find(const st_file *f, const char *name);
void st_free(st_file *f);

#endif
