/* JSON Lines with jansson (see jsonl.h). jansson was measured adequate for
 * the stages' record rates; field access tolerates Pushshift's schema drift. */
#include "jsonl.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

json_t *wt_json_parse(const char *line, size_t len, wt_error *err) {
    json_error_t jerr;
    json_t *v = json_loadb(line, len, JSON_ALLOW_NUL | JSON_DISABLE_EOF_CHECK, &jerr);
    if (!v) {
        wt_fail(err, "line is not valid JSON: %s at column %d", jerr.text, jerr.column);
        return NULL;
    }
    /* DISABLE_EOF_CHECK lets us accept trailing whitespace (\r); reject other trailing bytes */
    for (size_t i = jerr.position; i < len; i++) {
        char c = line[i];
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
            json_decref(v);
            wt_fail(err, "line is not valid JSON: trailing bytes at column %zu", i + 1);
            return NULL;
        }
    }
    if (!json_is_object(v)) {
        json_decref(v);
        wt_fail(err, "line is not a JSON object");
        return NULL;
    }
    return v;
}

static bool line_is_blank(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') return false;
    return true;
}

int wt_jsonl_next(wt_reader *r, wt_badrec *bad, json_t **obj, wt_error *err) {
    for (;;) {
        char *line;
        size_t len;
        int rc = wt_reader_getline(r, &line, &len, err);
        if (rc <= 0) return rc;
        if (line_is_blank(line, len)) continue;
        uint64_t no = wt_reader_line_no(r);
        if (wt_reader_line_truncated(r)) {
            WT_TRY(wt_bad_record(bad, err, wt_reader_path(r), no, "line longer than the limit"));
            continue;
        }
        wt_error perr;
        json_t *v = wt_json_parse(line, len, &perr);
        if (!v) {
            WT_TRY(wt_bad_record(bad, err, wt_reader_path(r), no, "%s", perr.msg));
            continue;
        }
        *obj = v;
        return 1;
    }
}

static int jsonl_dump_cb(const char *buffer, size_t size, void *data) {
    void **ctx = data;
    return wt_writer_write(ctx[0], buffer, size, ctx[1]) < 0 ? -1 : 0;
}

int wt_jsonl_write(wt_writer *w, const json_t *obj, wt_error *err) {
    void *ctx[2] = {w, err};
    if (json_dump_callback(obj, jsonl_dump_cb, ctx, JSON_COMPACT) != 0)
        return err && err->msg[0] ? -1 : wt_fail(err, "cannot serialise a JSON object");
    return wt_writer_write(w, "\n", 1, err);
}

const char *wt_json_str(const json_t *obj, const char *key, const char *def) {
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : def;
}

const char *wt_json_strn(const json_t *obj, const char *key, size_t *len) {
    json_t *v = json_object_get(obj, key);
    if (!json_is_string(v)) return NULL;
    *len = json_string_length(v);
    return json_string_value(v);
}

/* A number, or a string holding one ("123", "1.5e3"); NaN otherwise. */
static double json_as_double(const json_t *v) {
    if (json_is_integer(v)) return (double)json_integer_value(v);
    if (json_is_real(v)) return json_real_value(v);
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        char *end;
        errno = 0;
        double d = strtod(s, &end);
        if (end != s && !errno) {
            while (*end == ' ') end++;
            if (!*end) return d;
        }
    }
    return NAN;
}

int64_t wt_json_int(const json_t *obj, const char *key, int64_t def) {
    json_t *v = json_object_get(obj, key);
    if (json_is_integer(v)) return json_integer_value(v);
    double d = json_as_double(v);
    if (isnan(d) || d < -9.2e18 || d > 9.2e18) return def;
    return (int64_t)d;
}

double wt_json_num(const json_t *obj, const char *key, double def) {
    double d = json_as_double(json_object_get(obj, key));
    return isnan(d) ? def : d;
}

bool wt_json_bool(const json_t *obj, const char *key, bool def) {
    json_t *v = json_object_get(obj, key);
    if (json_is_boolean(v)) return json_is_true(v);
    if (json_is_integer(v)) return json_integer_value(v) != 0;
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "1")) return true;
        if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "0")) return false;
    }
    return def;
}

int wt_json_write_file(const char *path, const json_t *obj, wt_error *err) {
    char *s = json_dumps(obj, JSON_INDENT(2));
    if (!s) return wt_fail(err, "cannot serialise %s", path);
    size_t n = strlen(s);
    char *withnl = realloc(s, n + 2);
    if (!withnl) {
        free(s);
        return wt_fail(err, "out of memory");
    }
    withnl[n] = '\n';
    int rc = wt_write_file_atomic(path, withnl, n + 1, err);
    free(withnl);
    return rc;
}
