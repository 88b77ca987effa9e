/* The fast reader of one JSON Lines record: validates the whole line exactly
 * as strictly as wt_json_parse (jansson) and extracts a few requested
 * top-level fields without building a tree; the stages' hot path. */
#ifndef WT_JSCAN_H
#define WT_JSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Nesting bound, counted as jansson counts it (the top-level object is 1). */
#define WT_JSCAN_MAX_DEPTH 2048

typedef enum wt_jscan_type {
    WT_JSCAN_NONE = 0, /* the key is absent */
    WT_JSCAN_STRING,
    WT_JSCAN_NUMBER,
    WT_JSCAN_TRUE,
    WT_JSCAN_FALSE,
    WT_JSCAN_NULL,
    WT_JSCAN_ARRAY,
    WT_JSCAN_OBJECT,
} wt_jscan_type;

/* One requested top-level field: set `key`, the scan fills the rest. */
typedef struct wt_jscan_field {
    const char *key; /* e.g. "text" (compared with the decoded key) */
    wt_jscan_type type;
    /* STRING: the decoded bytes (may hold NUL, not terminated); any other
     * type: the value's JSON text in the line (e.g. "-1.5e3", "[1,2]") */
    const char *str;
    size_t len;
    bool real; /* NUMBER with a fraction or exponent (jansson makes it a real) */
} wt_jscan_field;

/* Scratch space for strings that had escapes; reuse one per reader thread. */
typedef struct wt_jscan_buf {
    char *data;
    size_t len, cap;
} wt_jscan_buf;

/* Scans `line` (one JSON object; whitespace around it allowed, as in
 * wt_json_parse). Accepts exactly what jansson accepts with JSON_ALLOW_NUL:
 * RFC 8259 grammar, strict UTF-8 (no overlongs, surrogates or > U+10FFFF),
 * paired \u surrogates, \u0000 in strings but not in object keys, integers
 * within int64, reals that do not overflow, depth <= WT_JSCAN_MAX_DEPTH.
 * Fills the fields that are present (a repeated key: the last one wins).
 * Strings without escapes point into `line`, others into `buf` (reset by each
 * call), so both must outlive the fields. Returns 0, or -1 with err set
 * ("line is not valid JSON: <reason> at column C", "line is not a JSON
 * object", or out of memory). Assumes the "C" LC_NUMERIC locale. */
int wt_jscan_object(const char *line, size_t len, wt_jscan_field *fields, size_t nfields,
                    wt_jscan_buf *buf, wt_error *err);

void wt_jscan_buf_free(wt_jscan_buf *b);

/* A scanned field read as the drift-tolerant accessors of jsonl.h read the
 * same value in a jansson tree (wt_json_int, wt_json_bool, wt_json_str), so
 * that a hot path can skip building the tree and get the same answers. */
int64_t wt_jscan_int(const wt_jscan_field *f, int64_t def);
bool wt_jscan_bool(const wt_jscan_field *f, bool def);
/* A string field's length up to its first NUL (what strlen of jansson's
 * value gives); -1 when the field is not a string. */
ptrdiff_t wt_jscan_cstrlen(const wt_jscan_field *f);

#endif
