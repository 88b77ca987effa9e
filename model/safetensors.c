/* Parses and validates a safetensors header (see safetensors.h). All offsets
 * are checked in 64-bit arithmetic against the file size, so a hostile
 * header can neither read past the mapping nor make tensors overlap. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "safetensors.h"

#define HINT_FILE "HINT: the file is damaged or not a safetensors file; re-download or re-export it"

static const struct {
    const char *name;
    unsigned size;
    st_dtype dtype;
} dtypes[] = {
    {"F32", 4, ST_F32},    {"F16", 2, ST_F16},       {"BF16", 2, ST_BF16},     {"F64", 8, ST_OTHER},
    {"I64", 8, ST_OTHER},  {"I32", 4, ST_OTHER},     {"I16", 2, ST_OTHER},     {"I8", 1, ST_OTHER},
    {"U64", 8, ST_OTHER},  {"U32", 4, ST_OTHER},     {"U16", 2, ST_OTHER},     {"U8", 1, ST_OTHER},
    {"BOOL", 1, ST_OTHER}, {"F8_E4M3", 1, ST_OTHER}, {"F8_E5M2", 1, ST_OTHER},
};

static int cmp_name(const void *a, const void *b) {
    return strcmp(((const st_tensor *)a)->name, ((const st_tensor *)b)->name);
}

static int cmp_begin(const void *a, const void *b) {
    const st_tensor *x = *(const st_tensor *const *)a, *y = *(const st_tensor *const *)b;
    return x->begin < y->begin ? -1 : x->begin > y->begin;
}

/* Fills t from one header entry; returns -1 with err set on a bad entry. */
static int parse_entry(const char *path, const char *name, json_t *v, uint64_t data_len,
                       st_tensor *t, wt_error *err) {
    if (!json_is_object(v))
        return wt_fail(err, "%s: tensor '%s': header entry is not an object. " HINT_FILE, path,
                       name);
    const char *dt = json_string_value(json_object_get(v, "dtype"));
    unsigned size = 0;
    for (size_t i = 0; dt && i < sizeof dtypes / sizeof *dtypes; i++)
        if (strcmp(dt, dtypes[i].name) == 0) {
            size = dtypes[i].size;
            t->dtype = dtypes[i].dtype;
        }
    if (!size)
        return wt_fail(err, "%s: tensor '%s': unknown dtype %s%s%s. " HINT_FILE, path, name,
                       dt ? "'" : "", dt ? dt : "(missing)", dt ? "'" : "");
    snprintf(t->dtype_s, sizeof t->dtype_s, "%s", dt);
    json_t *shape = json_object_get(v, "shape"), *off = json_object_get(v, "data_offsets");
    if (!json_is_array(shape) || json_array_size(shape) > ST_MAX_DIMS)
        return wt_fail(err, "%s: tensor '%s': missing or bad shape. " HINT_FILE, path, name);
    t->ndim = (int)json_array_size(shape);
    uint64_t numel = 1;
    for (int d = 0; d < t->ndim; d++) {
        json_t *x = json_array_get(shape, (size_t)d);
        if (!json_is_integer(x) || json_integer_value(x) < 0 ||
            json_integer_value(x) > (int64_t)1 << 40)
            return wt_fail(err, "%s: tensor '%s': bad dimension %d in shape. " HINT_FILE, path,
                           name, d);
        t->shape[d] = json_integer_value(x);
        /* checked before multiplying: 2^40 x 2^40 wrapped to 0 elements, and a shape
         * whose product wraps to the data's size would have been accepted */
        if (t->shape[d] && numel > ((uint64_t)1 << 50) / (uint64_t)t->shape[d])
            return wt_fail(err, "%s: tensor '%s': shape too large. " HINT_FILE, path, name);
        numel *= (uint64_t)t->shape[d];
    }
    if (!json_is_array(off) || json_array_size(off) != 2 ||
        !json_is_integer(json_array_get(off, 0)) || !json_is_integer(json_array_get(off, 1)))
        return wt_fail(err, "%s: tensor '%s': missing or bad data_offsets. " HINT_FILE, path, name);
    json_int_t b = json_integer_value(json_array_get(off, 0));
    json_int_t e = json_integer_value(json_array_get(off, 1));
    if (b < 0 || e < b)
        return wt_fail(err,
                       "%s: tensor '%s': data_offsets [%lld, %lld] are not a range. " HINT_FILE,
                       path, name, (long long)b, (long long)e);
    if ((uint64_t)e > data_len)
        return wt_fail(err,
                       "%s: tensor '%s': data_offsets [%lld, %lld] pass the end of the data "
                       "(%llu bytes): the file is truncated. " HINT_FILE,
                       path, name, (long long)b, (long long)e, (unsigned long long)data_len);
    if ((uint64_t)(e - b) != numel * size)
        return wt_fail(
            err, "%s: tensor '%s': %lld bytes for %llu elements of %s (expected %llu). " HINT_FILE,
            path, name, (long long)(e - b), (unsigned long long)numel, dt,
            (unsigned long long)(numel * size));
    t->begin = (uint64_t)b;
    t->end = (uint64_t)e;
    return 0;
}

static int check_overlaps(const char *path, st_file *f, wt_error *err) {
    const st_tensor **by = malloc((f->n ? f->n : 1) * sizeof *by);
    if (!by) return wt_fail(err, "%s: out of memory", path);
    size_t m = 0;
    for (size_t i = 0; i < f->n; i++)
        if (f->t[i].end > f->t[i].begin) by[m++] = &f->t[i];
    qsort(by, m, sizeof *by, cmp_begin);
    int rc = 0;
    for (size_t i = 1; i < m && rc == 0; i++)
        if (by[i]->begin < by[i - 1]->end)
            rc = wt_fail(err, "%s: tensors '%s' and '%s' overlap in the data. " HINT_FILE, path,
                         by[i - 1]->name, by[i]->name);
    free(by);
    return rc;
}

int st_parse(const uint8_t *buf, uint64_t len, const char *path, st_file *out, wt_error *err) {
    memset(out, 0, sizeof *out);
    if (len < 8)
        return wt_fail(err, "%s: %llu bytes, too short for a safetensors header. " HINT_FILE, path,
                       (unsigned long long)len);
    uint64_t hlen = 0;
    for (int i = 7; i >= 0; i--) hlen = hlen << 8 | buf[i];
    if (hlen > len - 8)
        return wt_fail(err,
                       "%s: header length %llu passes the end of the file (%llu bytes): "
                       "truncated, or not a safetensors file. " HINT_FILE,
                       path, (unsigned long long)hlen, (unsigned long long)len);
    if (hlen < 2 || buf[8] != '{')
        return wt_fail(err, "%s: the header is not a JSON object. " HINT_FILE, path);
    json_error_t je;
    json_t *root = json_loadb((const char *)buf + 8, (size_t)hlen, JSON_REJECT_DUPLICATES, &je);
    if (!json_is_object(root)) {
        json_decref(root);
        return wt_fail(err, "%s: bad JSON header: %s (column %d). " HINT_FILE, path, je.text,
                       je.column);
    }
    out->data = buf + 8 + hlen;
    out->data_len = len - 8 - hlen;
    out->t = calloc(json_object_size(root) + 1, sizeof *out->t);
    if (!out->t) {
        json_decref(root);
        return wt_fail(err, "%s: out of memory", path);
    }
    const char *name;
    json_t *v;
    int rc = 0;
    json_object_foreach(root, name, v) {
        if (strcmp(name, "__metadata__") == 0) continue;
        st_tensor *t = &out->t[out->n];
        if (!(t->name = strdup(name))) rc = wt_fail(err, "%s: out of memory", path);
        out->n++;
        if (rc == 0) rc = parse_entry(path, name, v, out->data_len, t, err);
        if (rc) break;
    }
    json_decref(root);
    if (rc == 0) rc = check_overlaps(path, out, err);
    if (rc) {
        st_free(out);
        return -1;
    }
    qsort(out->t, out->n, sizeof *out->t, cmp_name);
    return 0;
}

const st_tensor *st_find(const st_file *f, const char *name) {
    st_tensor key = {.name = (char *)name};
    return f->n ? bsearch(&key, f->t, f->n, sizeof *f->t, cmp_name) : NULL;
}

void st_free(st_file *f) {
    for (size_t i = 0; i < f->n; i++) free(f->t[i].name);
    free(f->t);
    memset(f, 0, sizeof *f);
}
