/* `tokenize encode` and `tokenize decode`: stdin to stdout, streaming. encode
 * cuts the input at piece boundaries (tok_safe_cut) into chunks that the
 * threads encode in parallel; the output is the same for any thread count. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <string.h>

#include "cputime.h"
#include "cli.h"
#include "opts.h"
#include "jsonl.h"
#include "progress.h"
#include "pool.h"
#include "stream.h"
#include "tokenize/commands.h"
#include "tokenize/tokenizer.h"

#define CHUNK (1u << 20) /* bytes of text per thread and round */

typedef struct seg {
    const char *p;
    size_t n;
    tok_ids ids;
    tok_bytes text; /* the ids as " id id ...", formatted by the worker */
    long bad;       /* invalid UTF-8 replacements, -1: failed */
} seg;

typedef struct encode_job {
    seg *segs;
    tok_encoder **enc;
    bool format; /* also format the ids as text */
} encode_job;

/* Appends " ID" for every id to out (a leading space each). */
static int format_ids(const tok_ids *ids, tok_bytes *out) {
    out->n = 0;
    size_t need = 12 * ids->n + 1; /* " 4294967295" at most per id */
    if (out->cap < need) {
        char *q = realloc(out->p, need);
        if (!q) return -1;
        out->p = q, out->cap = need;
    }
    char *p = out->p;
    for (size_t i = 0; i < ids->n; i++) {
        char tmp[12];
        int k = 0;
        uint32_t v = ids->v[i];
        do tmp[k++] = (char)('0' + v % 10), v /= 10;
        while (v);
        *p++ = ' ';
        while (k) *p++ = tmp[--k];
    }
    out->n = (size_t)(p - out->p);
    return 0;
}

static void encode_one(void *ctx, size_t i, int worker) {
    encode_job *j = ctx;
    seg *s = &j->segs[i];
    wt_error err;
    s->ids.n = 0;
    s->bad = tok_encode(j->enc[worker], s->p, s->n, &s->ids, &err);
    if (s->bad >= 0 && j->format && format_ids(&s->ids, &s->text) < 0) s->bad = -1;
}

/* Writes a segment's formatted ids; the very first space is left out. */
static int print_seg(FILE *out, const seg *s, int *first) {
    size_t skip = *first && s->text.n ? 1 : 0;
    if (s->text.n) *first = 0;
    return fwrite(s->text.p + skip, 1, s->text.n - skip, out) == s->text.n - skip ? 0 : -1;
}

/* Splits buf[0..len) into at most max segments at safe cuts; returns the
 * bytes consumed (the rest waits for more input unless eof). */
static size_t split(const char *buf, size_t len, bool eof, seg *segs, int max, int *nseg) {
    size_t start = 0;
    *nseg = 0;
    while (start < len && *nseg < max) {
        size_t rem = len - start, take;
        if (eof && rem <= CHUNK) {
            take = rem;
        } else {
            take = tok_safe_cut(buf + start, rem < CHUNK ? rem : CHUNK);
            if (take == 0) take = tok_safe_cut(buf + start, rem);
            if (take == 0 && eof) take = rem;
            if (take == 0) break;
        }
        segs[*nseg].p = buf + start, segs[*nseg].n = take;
        ++*nseg;
        start += take;
    }
    return start;
}

/* Reads until buf holds `want` bytes (more when it already does: no cut was
 * found in it) or the input ends. -1 after reporting an error. */
static int fill(wt_reader *r, char **buf, size_t *cap, size_t *len, size_t want, bool *eof) {
    if (*len >= want) want = *len + CHUNK;
    if (want > *cap) {
        char *nb = realloc(*buf, want);
        if (!nb) {
            fprintf(stderr, "tokenize encode: out of memory\n");
            return -1;
        }
        *buf = nb, *cap = want;
    }
    while (!*eof && *len < want) {
        wt_error err;
        ssize_t k = wt_reader_read(r, *buf + *len, want - *len, &err);
        if (k < 0) {
            wt_report("tokenize encode", &err);
            return -1;
        }
        if (k == 0) *eof = true;
        *len += (size_t)k;
    }
    return 0;
}

static int run_encode(const char *vocab_dir, int threads, const char *input, bool count_only,
                      const char *stats) {
    wt_error err;
    double t0 = wt_now();
    tok_vocab *v = tok_vocab_load(vocab_dir, &err);
    double t1 = wt_now(), c1 = wt_cpu_seconds();
    if (!v) {
        wt_report("tokenize encode", &err);
        return WT_EXIT_FAIL;
    }
    wt_reader *r = wt_reader_open(input, &err);
    if (!r) {
        wt_report("tokenize encode", &err);
        tok_vocab_free(v);
        return WT_EXIT_FAIL;
    }
    wt_pool *pool = wt_pool_create(threads);
    tok_encoder **enc = calloc((size_t)threads, sizeof *enc);
    seg *segs = calloc((size_t)threads, sizeof *segs);
    size_t cap = (size_t)threads * CHUNK + 1, len = 0;
    char *buf = malloc(cap);
    int rc = WT_EXIT_OK, first = 1;
    for (int i = 0; enc && i < threads; i++)
        if (!(enc[i] = tok_encoder_new(v))) rc = WT_EXIT_FAIL;
    if (!pool || !enc || !segs || !buf || rc) {
        fprintf(stderr, "tokenize encode: out of memory\n");
        rc = WT_EXIT_FAIL;
    }
    long bad = 0;
    uint64_t ntokens = 0, nbytes = 0;
    bool eof = false;
    while (rc == WT_EXIT_OK && (!eof || len > 0)) {
        if (fill(r, &buf, &cap, &len, (size_t)threads * CHUNK, &eof) < 0) {
            rc = WT_EXIT_FAIL;
            break;
        }
        int nseg;
        size_t used = split(buf, len, eof, segs, threads, &nseg);
        encode_job job = {segs, enc, !count_only};
        wt_pool_for(pool, (size_t)nseg, 1, encode_one, &job);
        for (int i = 0; i < nseg && rc == WT_EXIT_OK; i++) {
            if (segs[i].bad < 0) {
                fprintf(stderr, "tokenize encode: out of memory\n");
                rc = WT_EXIT_FAIL;
            } else if (!count_only && print_seg(stdout, &segs[i], &first)) {
                fprintf(stderr, "tokenize encode: cannot write to stdout\n");
                rc = WT_EXIT_FAIL;
            }
            bad += segs[i].bad;
            ntokens += segs[i].ids.n;
            nbytes += segs[i].n;
        }
        memmove(buf, buf + used, len - used);
        len -= used;
    }
    if (rc == WT_EXIT_OK && count_only) printf("%" PRIu64, ntokens);
    if (rc == WT_EXIT_OK && (fputc('\n', stdout) == EOF || fflush(stdout) != 0)) {
        fprintf(stderr, "tokenize encode: cannot write to stdout\n");
        rc = WT_EXIT_FAIL;
    }
    if (bad > 0)
        fprintf(stderr, "tokenize encode: %s: %ld invalid UTF-8 sequence(s) read as U+FFFD\n",
                wt_reader_path(r), bad);
    if (stats) {
        double t2 = wt_now();
        json_t *o = json_pack("{s:I, s:I, s:I, s:i, s:f, s:f, s:f}", "bytes", (json_int_t)nbytes,
                              "tokens", (json_int_t)ntokens, "invalid_utf8", (json_int_t)bad,
                              "threads", threads, "seconds_load", t1 - t0, "seconds_encode",
                              t2 - t1, "cpu_seconds_encode", wt_cpu_seconds() - c1);
        if (!o || wt_json_write_file(stats, o, &err) < 0) {
            wt_report("tokenize encode", &err);
            rc = WT_EXIT_FAIL;
        }
        json_decref(o);
    }
    for (int i = 0; enc && segs && i < threads; i++)
        tok_encoder_free(enc[i]), tok_ids_free(&segs[i].ids), tok_bytes_free(&segs[i].text);
    free(enc), free(segs), free(buf);
    if (pool) wt_pool_destroy(pool);
    wt_reader_close(r);
    tok_vocab_free(v);
    return rc;
}

int tokenize_cmd_encode(int argc, char **argv) {
    const char *vocab = NULL, *input = NULL, *stats = NULL;
    int threads = 0;
    bool count_only = false;
    const wt_opt opts[] = {
        WT_STR("vocab", 0, &vocab, "DIR", NULL,
               "encoder.json + vocab.bpe or vocab.json + merges.txt (default:\n"
               "$WEBTEXT_VOCAB, else ~/.local/share/webtext/gpt2-vocab)"),
        WT_THREADS(&threads),
        WT_STR("input", 0, &input, "FILE", "-", "read FILE instead of stdin"),
        WT_FLAG("count", 0, &count_only, "print only the number of tokens"),
        WT_STR("stats", 0, &stats, "FILE", NULL,
               "write statistics as JSON (bytes, tokens, invalid_utf8, seconds for\n"
               "loading the vocabulary and for encoding, CPU seconds for encoding)"),
        WT_OPTS_END};
    const wt_cmd_spec spec = {
        "tokenize encode", "[options]",
        "UTF-8 text on stdin (any compression) -> GPT-2 token ids on stdout, separated by\n"
        "spaces, ending with a newline. Invalid UTF-8 is read as U+FFFD (counted on stderr).\n",
        opts, NULL};
    int rc, first = wt_opts_parse(&spec, argc, argv, &rc);
    if (first < 0) return rc;
    if (first != argc) return wt_opts_usage_error(&spec, "unexpected argument '%s'", argv[first]);
    return run_encode(vocab, threads ? threads : wt_threads(0), input, count_only, stats);
}

static int run_decode(const char *vocab_dir, const char *input) {
    wt_error err;
    tok_vocab *v = tok_vocab_load(vocab_dir, &err);
    if (!v) {
        wt_report("tokenize decode", &err);
        return WT_EXIT_FAIL;
    }
    wt_reader *r = wt_reader_open(input, &err);
    if (!r) {
        wt_report("tokenize decode", &err);
        tok_vocab_free(v);
        return WT_EXIT_FAIL;
    }
    tok_bytes out = {0};
    char buf[1 << 16];
    uint64_t val = 0, count = 0;
    int digits = 0, rc = WT_EXIT_OK;
    for (;;) {
        ssize_t k = wt_reader_read(r, buf, sizeof buf, &err);
        if (k < 0) {
            wt_report("tokenize decode", &err);
            rc = WT_EXIT_FAIL;
            break;
        }
        /* at the end a virtual separator ends the last number */
        ssize_t end = k > 0 ? k : 1;
        for (ssize_t i = 0; i < end && rc == WT_EXIT_OK; i++) {
            char ch = k > 0 ? buf[i] : ' ';
            if (ch >= '0' && ch <= '9') {
                if (digits++ > 10)
                    val = UINT64_MAX;
                else
                    val = val * 10 + (uint64_t)(ch - '0');
                continue;
            }
            if (ch != ' ' && ch != '\n' && ch != '\t' && ch != '\r') {
                fprintf(stderr,
                        "tokenize decode: %s: byte %" PRIu64 ": '%c' is not part of a token id\n",
                        wt_reader_path(r), wt_reader_offset(r) - (uint64_t)(k - i), ch);
                rc = WT_EXIT_FAIL;
                break;
            }
            if (!digits) continue;
            count++;
            uint32_t id = val > UINT32_MAX ? UINT32_MAX : (uint32_t)val;
            if (tok_decode(v, &id, 1, &out, &err) < 0) {
                fprintf(stderr, "tokenize decode: %s: token %" PRIu64 ": %s\n", wt_reader_path(r),
                        count, err.msg);
                rc = WT_EXIT_FAIL;
            }
            val = 0, digits = 0;
        }
        if (rc || out.n >= sizeof buf || k == 0) {
            if (fwrite(out.p, 1, out.n, stdout) != out.n) {
                fprintf(stderr, "tokenize decode: cannot write to stdout\n");
                rc = WT_EXIT_FAIL;
            }
            out.n = 0;
        }
        if (rc || k == 0) break;
    }
    if (fflush(stdout) != 0) rc = WT_EXIT_FAIL;
    tok_bytes_free(&out);
    wt_reader_close(r);
    tok_vocab_free(v);
    return rc;
}

int tokenize_cmd_decode(int argc, char **argv) {
    const char *vocab = NULL, *input = NULL;
    const wt_opt opts[] = {WT_STR("vocab", 0, &vocab, "DIR", NULL, "as for encode"),
                           WT_STR("input", 0, &input, "FILE", "-", "read FILE instead of stdin"),
                           WT_OPTS_END};
    const wt_cmd_spec spec = {
        "tokenize decode", "[options]",
        "Token ids on stdin (decimal, separated by whitespace) -> the bytes they stand for on\n"
        "stdout. Id 50256 gives the text <|endoftext|>.\n",
        opts, NULL};
    int rc, first = wt_opts_parse(&spec, argc, argv, &rc);
    if (first < 0) return rc;
    if (first != argc) return wt_opts_usage_error(&spec, "unexpected argument '%s'", argv[first]);
    return run_decode(vocab, input);
}
