/* `tokenize shards`: document shards (JSON Lines, any compression) to token
 * shards. Lines are read in batches; each batch is parsed and encoded in
 * parallel and written in input order, so output is identical for any
 * thread count and memory is bounded by the batch size. */
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opts.h"
#include "jsonl.h"
#include "outlock.h"
#include "pool.h"
#include "progress.h"
#include "stream.h"
#include "tokenize/commands.h"
#include "tokenize/shard.h"
#include "tokenize/tokenizer.h"

#define BATCH_BYTES (8u << 20) /* text read before a parallel round */
#define BATCH_DOCS 4096

typedef struct opts {
    const char *vocab, *field, *out_dir, *stats;
    int threads, level;
    bool force, strict, quiet;
    double progress_interval; /* seconds between progress lines in a log, e.g. 30 */
} opts;

typedef struct counts {
    uint64_t docs, tokens, bytes, bad, invalid_utf8;
} counts;

/* One document of a batch: its line, then the worker's results. */
typedef struct item {
    size_t off, len; /* the line in the batch's text */
    uint64_t line;
    bool truncated;
    tok_ids ids;
    char *id;     /* the "id" field, or NULL */
    long invalid; /* invalid UTF-8 sequences replaced */
    size_t text_len;
    char err[256]; /* set when the record is bad */
} item;

typedef struct batch {
    char *text;
    size_t len, cap;
    item *items;
    size_t n, cap_items;
    const char *field;
    tok_encoder **enc;
} batch;

static void encode_item(void *ctx, size_t i, int worker) {
    batch *b = ctx;
    item *it = &b->items[i];
    it->ids.n = 0;
    it->err[0] = 0;
    free(it->id);
    it->id = NULL;
    it->invalid = 0;
    it->text_len = 0;
    if (it->truncated) {
        snprintf(it->err, sizeof it->err, "line longer than the reader's maximum, skipped");
        return;
    }
    wt_error err;
    json_t *obj = wt_json_parse(b->text + it->off, it->len, &err);
    if (!obj) {
        snprintf(it->err, sizeof it->err, "%.250s", err.msg);
        return;
    }
    size_t n;
    const char *text = wt_json_strn(obj, b->field, &n);
    if (!text) {
        snprintf(it->err, sizeof it->err, "no string field \"%s\"", b->field);
    } else {
        const char *id = wt_json_str(obj, "id", NULL);
        it->id = id ? strdup(id) : NULL;
        it->text_len = n;
        it->invalid = tok_encode(b->enc[worker], text, n, &it->ids, &err);
        if (it->invalid < 0) snprintf(it->err, sizeof it->err, "%.250s", err.msg);
    }
    json_decref(obj);
}

static int batch_add(batch *b, const char *line, size_t len, uint64_t line_no, bool truncated) {
    if (b->n == b->cap_items) {
        size_t cap = b->cap_items ? 2 * b->cap_items : 256;
        item *it = realloc(b->items, cap * sizeof *it);
        if (!it) return -1;
        memset(it + b->cap_items, 0, (cap - b->cap_items) * sizeof *it);
        b->items = it, b->cap_items = cap;
    }
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap : BATCH_BYTES;
        while (cap < b->len + len) cap *= 2;
        char *t = realloc(b->text, cap);
        if (!t) return -1;
        b->text = t, b->cap = cap;
    }
    memcpy(b->text + b->len, line, len);
    item *it = &b->items[b->n++];
    it->off = b->len, it->len = len, it->line = line_no, it->truncated = truncated;
    b->len += len;
    return 0;
}

/* Writes a batch's documents in order; bad records are reported. */
static int batch_write(batch *b, tok_shard_writer *w, uint32_t eot, wt_badrec *bad,
                       const char *path, counts *c, wt_error *err) {
    for (size_t i = 0; i < b->n; i++) {
        item *it = &b->items[i];
        if (it->err[0]) {
            WT_TRY(wt_bad_record(bad, err, path, it->line, "%s", it->err));
            continue;
        }
        if (it->invalid > 0) {
            c->invalid_utf8 += (uint64_t)it->invalid;
            if (bad->strict)
                return wt_fail(err, "%s:%" PRIu64 ": %ld invalid UTF-8 sequence(s)", path, it->line,
                               it->invalid);
        }
        WT_TRY(tok_shard_add(w, it->id, it->line, eot, it->ids.v, it->ids.n, err));
        c->docs++, c->tokens += it->ids.n + 1, c->bytes += it->text_len;
    }
    b->n = 0, b->len = 0;
    return 0;
}

static json_t *counts_json(const counts *c) {
    return json_pack("{s:I, s:I, s:I, s:I, s:I}", "documents", (json_int_t)c->docs, "tokens",
                     (json_int_t)c->tokens, "bytes", (json_int_t)c->bytes, "bad_records",
                     (json_int_t)c->bad, "invalid_utf8", (json_int_t)c->invalid_utf8);
}

/* One input shard -> one output shard. Returns 0, or -1 with err set. */
static int shard_one(const opts *o, const char *in, const tok_vocab *v, wt_pool *pool, batch *b,
                     counts *c, json_t *files, wt_error *err) {
    int64_t index = wt_shard_index(in);
    if (index < 0)
        return wt_fail(err, "%s: no shard number in the name (expected e.g. docs-00012.jsonl.zst)",
                       in);
    char bin[PATH_MAX], idx[PATH_MAX];
    wt_shard_path(bin, sizeof bin, o->out_dir, "tokens", (uint64_t)index, "bin.zst");
    wt_shard_path(idx, sizeof idx, o->out_dir, "tokens", (uint64_t)index, "idx");
    if (!o->force && wt_file_exists(bin) && wt_file_exists(idx)) {
        json_array_append_new(
            files, json_pack("{s:s, s:s, s:b}", "input", in, "output", bin, "skipped", 1));
        return 0;
    }
    wt_reader *r = wt_reader_open(in, err);
    if (!r) return -1;
    tok_shard_writer *w = tok_shard_open(bin, idx, o->level, err);
    if (!w) {
        wt_reader_close(r);
        return -1;
    }
    wt_badrec bad = {.stage = "tokenize", .strict = o->strict};
    wt_progress prog;
    char label[64];
    snprintf(label, sizeof label, "tokenize %.50s",
             strrchr(bin, '/') ? strrchr(bin, '/') + 1 : bin);
    wt_progress_init(&prog, label, "MB", 1e6, wt_reader_raw_size(r), o->quiet);
    wt_progress_every(&prog, o->progress_interval);
    counts fc = {0};
    int rc = 0;
    for (;;) {
        char *line;
        size_t len;
        int k = wt_reader_getline(r, &line, &len, err);
        if (k < 0) {
            rc = -1;
            break;
        }
        if (k > 0) {
            while (len && (line[len - 1] == '\r' || line[len - 1] == ' ')) len--;
            if (len > 0 &&
                batch_add(b, line, len, wt_reader_line_no(r), wt_reader_line_truncated(r)) < 0) {
                rc = wt_fail(err, "out of memory");
                break;
            }
        }
        if (k == 0 || b->len >= BATCH_BYTES || b->n >= BATCH_DOCS) {
            wt_pool_for(pool, b->n, 1, encode_item, b);
            if ((rc = batch_write(b, w, tok_vocab_eot(v), &bad, in, &fc, err)) < 0) break;
            wt_progress_set(&prog, wt_reader_raw_offset(r));
        }
        if (k == 0) break;
    }
    b->n = 0, b->len = 0;
    wt_reader_close(r);
    wt_progress_finish(&prog);
    fc.bad = bad.count;
    if (rc == 0)
        rc = tok_shard_commit(w, err);
    else
        tok_shard_abort(w);
    if (rc < 0) return -1;
    c->docs += fc.docs, c->tokens += fc.tokens, c->bytes += fc.bytes, c->bad += fc.bad;
    c->invalid_utf8 += fc.invalid_utf8;
    json_t *f = counts_json(&fc);
    json_object_set_new(f, "input", json_string(in));
    json_object_set_new(f, "output", json_string(bin));
    json_array_append_new(files, f);
    return 0;
}

/* Locks the output shard of every input before any work (DIR/tokens-NNNNN.bin.zst.lock),
 * so that tasks on other shards share DIR. Returns an exit status. */
static int lock_outputs(const char *dir, char **inputs, int ninputs, wt_outlock *locks) {
    int status = WT_EXIT_OK;
    for (int i = 0; i < ninputs && status == WT_EXIT_OK; i++) {
        int64_t index = wt_shard_index(inputs[i]);
        char bin[PATH_MAX];
        if (index < 0) continue; /* reported by shard_one */
        wt_shard_path(bin, sizeof bin, dir, "tokens", (uint64_t)index, "bin.zst");
        status = wt_outlock_main(&locks[i], "tokenize shards", bin, WT_LOCK_FILE);
    }
    return status;
}

static int run_locked(const opts *o, char **inputs, int ninputs) {
    wt_error err;
    if (wt_mkdir_p(o->out_dir, &err) < 0) {
        wt_report("tokenize shards", &err);
        return WT_EXIT_FAIL;
    }
    tok_vocab *v = tok_vocab_load(o->vocab, &err);
    if (!v) {
        wt_report("tokenize shards", &err);
        return WT_EXIT_FAIL;
    }
    wt_pool *pool = wt_pool_create(o->threads);
    tok_encoder **enc = calloc((size_t)o->threads, sizeof *enc);
    int rc = WT_EXIT_OK, failed = 0;
    for (int i = 0; enc && i < o->threads; i++)
        if (!(enc[i] = tok_encoder_new(v))) rc = WT_EXIT_FAIL;
    if (!pool || !enc || rc) {
        fprintf(stderr, "tokenize shards: out of memory\n");
        rc = WT_EXIT_FAIL;
        ninputs = 0;
    }
    batch b = {.field = o->field, .enc = enc};
    counts c = {0};
    json_t *files = json_array();
    double t0 = wt_now();
    for (int i = 0; i < ninputs; i++) {
        if (shard_one(o, inputs[i], v, pool, &b, &c, files, &err) < 0) {
            wt_report("tokenize shards", &err);
            failed++;
            if (o->strict) break;
        }
    }
    if (failed) rc = WT_EXIT_FAIL;
    json_t *stats = counts_json(&c);
    json_object_set_new(stats, "inputs", json_integer(ninputs));
    json_object_set_new(stats, "failed_inputs", json_integer(failed));
    json_object_set_new(stats, "seconds", json_real(wt_now() - t0));
    json_object_set_new(stats, "threads", json_integer(o->threads));
    json_object_set_new(stats, "files", files);
    if (o->stats && wt_json_write_file(o->stats, stats, &err) < 0) {
        wt_report("tokenize shards", &err);
        rc = WT_EXIT_FAIL;
    }
    if (!o->quiet)
        fprintf(stderr,
                "tokenize shards: %" PRIu64 " documents, %" PRIu64 " tokens, %" PRIu64
                " bytes, %" PRIu64 " bad records, %" PRIu64 " invalid UTF-8 sequences\n",
                c.docs, c.tokens, c.bytes, c.bad, c.invalid_utf8);
    json_decref(stats);
    for (size_t i = 0; i < b.cap_items; i++) tok_ids_free(&b.items[i].ids), free(b.items[i].id);
    free(b.items), free(b.text);
    for (int i = 0; enc && i < o->threads; i++) tok_encoder_free(enc[i]);
    free(enc);
    if (pool) wt_pool_destroy(pool);
    tok_vocab_free(v);
    return rc;
}

static int run_shards(const opts *o, char **inputs, int ninputs) {
    wt_outlock *locks = calloc((size_t)ninputs, sizeof *locks);
    int status = locks ? lock_outputs(o->out_dir, inputs, ninputs, locks) : WT_EXIT_FAIL;
    if (status == WT_EXIT_OK) status = run_locked(o, inputs, ninputs);
    for (int i = 0; locks && i < ninputs; i++) wt_outlock_release(&locks[i]);
    free(locks);
    return status;
}

int tokenize_cmd_shards(int argc, char **argv) {
    opts o = {0};
    const wt_opt table[] = {
        WT_STR("output", 'o', &o.out_dir, "DIR", NULL, "output folder (created)"),
        WT_STR(
            "vocab", 0, &o.vocab, "DIR", NULL,
            "vocabulary folder (default: $WEBTEXT_VOCAB, else\n~/.local/share/webtext/gpt2-vocab)"),
        WT_STR("field", 0, &o.field, "NAME", "text", "the text field"),
        WT_THREADS(&o.threads),
        WT_INT32("level", 0, &o.level, "N", "3", 1, 19, "zstd level"),
        WT_FLAG("force", 0, &o.force, "rewrite outputs that are already complete"),
        WT_FLAG("strict", 0, &o.strict, "a bad record is fatal"),
        WT_STR("stats", 0, &o.stats, "FILE", NULL, "write statistics as JSON"),
        WT_FLAG("quiet", 'q', &o.quiet, "no progress line"),
        WT_PROGRESS_OPT(&o.progress_interval),
        WT_OPTS_END};
    const wt_cmd_spec spec = {
        "tokenize shards", "[options] INPUT... -o DIR",
        "Documents (JSON Lines, e.g. docs-NNNNN.jsonl.zst, any compression) -> "
        "DIR/tokens-NNNNN.bin.zst\n"
        "(llm.c shard layout: 256 x int32 header, uint16 ids, <|endoftext|> before each document;\n"
        "zstd) and DIR/tokens-NNNNN.idx (JSON Lines: id, line, start, ntokens per document).\n"
        "NNNNN is taken from the input's name.\n",
        table, NULL};
    int rc, first = wt_opts_parse(&spec, argc, argv, &rc);
    if (first < 0) return rc;
    if (o.threads == 0) o.threads = wt_threads(0);
    if (!o.out_dir) return wt_opts_usage_error(&spec, "-o DIR is required");
    if (first == argc) return wt_opts_usage_error(&spec, "no INPUT given");
    return run_shards(&o, argv + first, argc - first);
}
