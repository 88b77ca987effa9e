/* JSON Lines on top of jansson: one object per line, malformed lines
 * reported with file and line and skipped (or fatal under --strict). */
#ifndef WT_JSONL_H
#define WT_JSONL_H

#include <jansson.h>

#include "error.h"
#include "stream.h"

/* Parses one line as a JSON object. Returns NULL with err set ("line is not
 * valid JSON: <reason> at column C" or "line is not a JSON object"). */
json_t *wt_json_parse(const char *line, size_t len, wt_error *err);

/* Next object of a JSON Lines stream; blank lines are skipped, bad lines go
 * to `bad`. Returns 1 with *obj (caller json_decref's it), 0 at end, -1 on a
 * stream error or a bad line under --strict. */
int wt_jsonl_next(wt_reader *r, wt_badrec *bad, json_t **obj, wt_error *err);

/* Writes obj compactly on one line followed by '\n'. */
int wt_jsonl_write(wt_writer *w, const json_t *obj, wt_error *err);

/* Field accessors tolerant of schema drift: numbers given as strings, nulls,
 * missing fields. They return `def` when the field is absent or unusable. */
const char *wt_json_str(const json_t *obj, const char *key, const char *def);
/* The string's bytes and length (strings may hold \u0000). */
const char *wt_json_strn(const json_t *obj, const char *key, size_t *len);
int64_t wt_json_int(const json_t *obj, const char *key, int64_t def);
double wt_json_num(const json_t *obj, const char *key, double def);
bool wt_json_bool(const json_t *obj, const char *key, bool def);

/* Writes a statistics object to `path` atomically (the --stats FILE). */
int wt_json_write_file(const char *path, const json_t *obj, wt_error *err);

#endif
