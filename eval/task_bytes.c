/* Character-level tasks: enwik8 (bits per byte) and text8 (bits per
 * character) over the last 5,000,000 bytes of the file, the standard test
 * split; the negative log2-likelihood of the tokens divided by the bytes. */
#include "eval/eval.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "eval/detok.h"

#define EVAL_TEST_BYTES 5000000
#define EVAL_LIMIT_UNIT 1000 /* --limit N: the first N * 1000 bytes of the test slice */

/* Reads the test slice of `path` into *buf: the last min(size, 5e6) bytes. */
static int slice_read(const char *path, char **buf, size_t *n, uint64_t *file_size, wt_error *err) {
    FILE *f = fopen(path, "rb");
    if (!f) return wt_fail_errno(err, "%s", path);
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return wt_fail(err, "%s: not a regular file (unpack the .zip first)", path);
    }
    *file_size = (uint64_t)st.st_size;
    size_t want = st.st_size > EVAL_TEST_BYTES ? EVAL_TEST_BYTES : (size_t)st.st_size;
    *buf = malloc(want + 1);
    int rc = *buf ? 0 : wt_fail(err, "out of memory");
    if (rc == 0 && fseeko(f, st.st_size - (off_t)want, SEEK_SET) != 0)
        rc = wt_fail_errno(err, "%s: seek", path);
    if (rc == 0 && fread(*buf, 1, want, f) != want) rc = wt_fail(err, "%s: short read", path);
    fclose(f);
    if (rc < 0) {
        free(*buf);
        *buf = NULL;
        return -1;
    }
    *n = want;
    return 0;
}

int eval_task_bytes(eval_ctx *c, const char *name, const char *path, json_t *out, wt_error *err) {
    double t0 = wt_now();
    uint64_t fwd0 = c->fwd_tokens;
    bool text8 = strcmp(name, "text8") == 0;
    char *buf = NULL;
    size_t n = 0;
    uint64_t fsize = 0;
    WT_TRY(slice_read(path, &buf, &n, &fsize, err));
    const unsigned char *u = (const unsigned char *)buf;
    size_t start = 0, end = n;
    /* enwik8: a slice that starts inside a UTF-8 sequence drops the sequence's
     * remaining continuation bytes (at most 3), which are not scored or counted */
    if (!text8)
        while (start < 3 && start < n && (u[start] & 0xC0) == 0x80) start++;
    if (c->limit > 0 && (uint64_t)c->limit * EVAL_LIMIT_UNIT < end - start) {
        end = start + (size_t)c->limit * EVAL_LIMIT_UNIT;
        while (!text8 && end > start && (u[end] & 0xC0) == 0x80) end--; /* whole characters */
    }
    int rc = 0;
    for (size_t i = start; text8 && i < end && rc == 0; i++)
        if (!(u[i] == ' ' || (u[i] >= 'a' && u[i] <= 'z')))
            rc = wt_fail(err, "%s: byte %llu: 0x%02x is not a-z or space (text8 has only those)",
                         path, (unsigned long long)(fsize - n + i), u[i]);
    size_t bad = rc == 0 && !text8 ? start + eval_utf8_check(u + start, end - start) : end;
    uint64_t invalid = 0; /* bytes that start no valid UTF-8 sequence */
    for (size_t i = bad; i < end;) {
        size_t ok = eval_utf8_check(u + i, end - i);
        if (ok == end - i) break;
        invalid++;
        i += ok + 1;
    }
    eval_text_score sc;
    if (rc == 0) rc = eval_score_text(c, name, path, buf + start, end - start, &sc, err);
    if (rc == 0) {
        double nll = sc.nll;
        uint64_t ntok = sc.tokens, unscored = sc.unscored;
        uint64_t nbytes = end - start;
        json_t *m = json_object();
        json_object_set_new(m, text8 ? "bpc" : "bpb", json_real(nll / log(2.0) / (double)nbytes));
        json_object_set_new(m, "token_ppl", json_real(exp(nll / (double)ntok)));
        json_object_set_new(out, "metrics", m);
        json_object_set_new(out, "examples", json_integer(1));
        json_object_set_new(out, "tokens", json_integer((json_int_t)ntok));
        json_object_set_new(out, text8 ? "chars" : "bytes", json_integer((json_int_t)nbytes));
        json_object_set_new(out, "file_bytes", json_integer((json_int_t)fsize));
        json_object_set_new(out, "slice_offset", json_integer((json_int_t)(fsize - n + start)));
        json_object_set_new(out, "skipped_continuation_bytes", json_integer((json_int_t)start));
        json_object_set_new(out, "invalid_utf8_bytes", json_integer((json_int_t)invalid));
        json_object_set_new(out, "unscored_tokens", json_integer((json_int_t)unscored));
        json_object_set_new(out, "nll", json_real(nll));
        json_t *meth = json_object();
        json_object_set_new(meth, "protocol",
                            json_string("the last 5,000,000 bytes of the file (the whole file "
                                        "when smaller) as one text, one <|endoftext|> prefix, "
                                        "sliding window; bits = NLL / ln 2 divided by the bytes "
                                        "scored"));
        json_object_set_new(meth, "utf8",
                            json_string("continuation bytes at the start of the slice (a "
                                        "character cut by the split) are dropped and not "
                                        "counted; invalid sequences are encoded as U+FFFD"));
        eval_add_window(meth, c);
        json_object_set_new(
            meth, "limit",
            json_string(c->limit > 0 ? "first N*1000 bytes of the slice" : "whole slice"));
        json_object_set_new(out, "method", meth);
        eval_add_timing(out, c, fwd0, ntok, wt_now() - t0);
    }
    free(buf);
    return rc;
}
