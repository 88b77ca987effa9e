/* A validating single-pass scanner for one JSON Lines record: checks the
 * whole line against RFC 8259 (UTF-8 included, as jansson does) and extracts
 * a few top-level fields without building a tree. dedup's hot path: it is
 * several times faster than a full parse of a 2 KB document. */
#ifndef DEDUP_JSCAN_H
#define DEDUP_JSCAN_H

#include <stdbool.h>
#include <stddef.h>

/* One requested top-level field. */
typedef struct jscan_field {
    const char *key; /* e.g. "text" */
    int type;        /* JSCAN_NONE (absent), JSCAN_STRING, JSCAN_NUMBER, JSCAN_OTHER */
    const char *str; /* decoded string (may hold NUL bytes), or the number's text */
    size_t len;
} jscan_field;

enum { JSCAN_NONE = 0, JSCAN_STRING, JSCAN_NUMBER, JSCAN_OTHER };

typedef struct jscan_buf {
    char *data; /* decoded strings with escapes live here */
    size_t len, cap;
} jscan_buf;

/* Scans `line` (one JSON object, surrounding whitespace allowed). Fills the
 * fields that are present (the last one wins for a repeated key). Strings
 * without escapes point into `line`; others into `buf`, which must outlive
 * the fields. Returns 0, or -1 with a reason in why (e.g. "invalid escape at
 * column 12"). */
int jscan_object(const char *line, size_t len, jscan_field *fields, size_t nfields, jscan_buf *buf,
                 char *why, size_t whylen);

void jscan_buf_free(jscan_buf *b);

#endif
