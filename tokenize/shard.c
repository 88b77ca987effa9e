/* Token shard writer. The uint16 ids stream through a zstd writer into
 * BIN.body.tmp (a temporary file: any leftover of a killed run ends in .tmp
 * like every unfinished output); at commit the header, now that the count is
 * known, is compressed as a frame of its own and written first, followed by
 * the body's frames: `zstd -d` yields exactly header + ids. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "stream.h"
#include "tokenize/shard.h"

struct tok_shard_writer {
    char *bin_path, *body_path; /* body: BIN.body.tmp while writing */
    wt_writer *body, *idx;
    int level;
    uint64_t ntokens; /* eot included */
    uint16_t buf[8192];
    size_t nbuf;
};

static void put_le32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8), p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

void tok_shard_header(uint8_t hdr[TOK_SHARD_HEADER_INTS * 4], uint32_t ntokens) {
    memset(hdr, 0, TOK_SHARD_HEADER_INTS * 4);
    put_le32(hdr, TOK_SHARD_MAGIC);
    put_le32(hdr + 4, TOK_SHARD_VERSION);
    put_le32(hdr + 8, ntokens);
}

tok_shard_writer *tok_shard_open(const char *bin_path, const char *idx_path, int level,
                                 wt_error *err) {
    tok_shard_writer *w = calloc(1, sizeof *w);
    size_t n = strlen(bin_path) + 16;
    if (!w || !(w->bin_path = strdup(bin_path)) || !(w->body_path = malloc(n))) {
        if (w) free(w->bin_path);
        free(w);
        wt_fail(err, "out of memory");
        return NULL;
    }
    snprintf(w->body_path, n, "%s.body.tmp", bin_path);
    w->level = level;
    wt_writer_opts zo = {.codec = WT_CODEC_ZSTD, .level = level, .no_fsync = true};
    wt_writer_opts po = {.codec = WT_CODEC_PLAIN};
    if (!(w->body = wt_writer_open(w->body_path, &zo, err)) ||
        !(w->idx = wt_writer_open(idx_path, &po, err))) {
        tok_shard_abort(w);
        return NULL;
    }
    return w;
}

static int flush_ids(tok_shard_writer *w, wt_error *err) {
    uint8_t le[sizeof w->buf];
    for (size_t i = 0; i < w->nbuf; i++)
        le[2 * i] = (uint8_t)w->buf[i], le[2 * i + 1] = (uint8_t)(w->buf[i] >> 8);
    int rc = wt_writer_write(w->body, le, 2 * w->nbuf, err);
    w->nbuf = 0;
    return rc;
}

static int put_id(tok_shard_writer *w, uint32_t id, wt_error *err) {
    if (w->nbuf == sizeof w->buf / sizeof w->buf[0]) WT_TRY(flush_ids(w, err));
    w->buf[w->nbuf++] = (uint16_t)id;
    return 0;
}

int tok_shard_add(tok_shard_writer *w, const char *doc_id, uint64_t line, uint32_t eot,
                  const uint32_t *ids, size_t n, wt_error *err) {
    uint64_t start = w->ntokens;
    if (w->ntokens + 1 + n > INT32_MAX)
        return wt_fail(err, "%s: more than 2^31-1 tokens in one shard (split the input)",
                       w->bin_path);
    for (size_t i = 0; i < n; i++)
        if (ids[i] > UINT16_MAX || eot > UINT16_MAX)
            return wt_fail(err, "%s: token id %u does not fit the shard's uint16", w->bin_path,
                           ids[i] > UINT16_MAX ? ids[i] : eot);
    WT_TRY(put_id(w, eot, err));
    for (size_t i = 0; i < n; i++) WT_TRY(put_id(w, ids[i], err));
    w->ntokens += 1 + n;
    json_t *o = json_object();
    json_object_set_new(o, "id", doc_id ? json_string(doc_id) : json_null());
    json_object_set_new(o, "line", json_integer((json_int_t)line));
    json_object_set_new(o, "start", json_integer((json_int_t)start));
    json_object_set_new(o, "ntokens", json_integer((json_int_t)n));
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (!s) return wt_fail(err, "out of memory");
    int rc = wt_writer_printf(w->idx, err, "%s\n", s);
    free(s);
    return rc;
}

uint64_t tok_shard_tokens(const tok_shard_writer *w) {
    return w->ntokens;
}

/* Appends the raw bytes of the body file to out. */
static int copy_body(tok_shard_writer *w, wt_writer *out, wt_error *err) {
    int fd = open(w->body_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return wt_fail_errno(err, "cannot open %s", w->body_path);
    char buf[1 << 16];
    int rc = 0;
    for (;;) {
        ssize_t k = read(fd, buf, sizeof buf);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) rc = wt_fail_errno(err, "cannot read %s", w->body_path);
        if (k <= 0) break;
        if ((rc = wt_writer_write(out, buf, (size_t)k, err)) < 0) break;
    }
    close(fd);
    return rc;
}

int tok_shard_commit(tok_shard_writer *w, wt_error *err) {
    int rc = w->nbuf ? flush_ids(w, err) : 0;
    wt_writer *body = w->body;
    w->body = NULL;
    if (rc == 0)
        rc = wt_writer_commit(body, err);
    else
        wt_writer_abort(body);
    uint8_t hdr[TOK_SHARD_HEADER_INTS * 4];
    tok_shard_header(hdr, (uint32_t)w->ntokens);
    uint8_t frame[2048];
    size_t fn = ZSTD_compress(frame, sizeof frame, hdr, sizeof hdr, w->level > 0 ? w->level : 3);
    if (rc == 0 && ZSTD_isError(fn))
        rc = wt_fail(err, "%s: zstd: %s", w->bin_path, ZSTD_getErrorName(fn));
    wt_writer *idx = w->idx;
    w->idx = NULL;
    if (rc == 0)
        rc = wt_writer_commit(idx, err);
    else
        wt_writer_abort(idx);
    if (rc == 0) {
        wt_writer_opts po = {.codec = WT_CODEC_PLAIN};
        wt_writer *out = wt_writer_open(w->bin_path, &po, err);
        rc = out ? 0 : -1;
        if (rc == 0) rc = wt_writer_write(out, frame, fn, err);
        if (rc == 0) rc = copy_body(w, out, err);
        unlink(w->body_path); /* before the final name appears: nothing is left behind */
        if (rc == 0)
            rc = wt_writer_commit(out, err);
        else if (out)
            wt_writer_abort(out);
    }
    unlink(w->body_path);
    free(w->bin_path), free(w->body_path), free(w);
    return rc;
}

void tok_shard_abort(tok_shard_writer *w) {
    if (!w) return;
    if (w->body) wt_writer_abort(w->body);
    if (w->idx) wt_writer_abort(w->idx);
    free(w->bin_path), free(w->body_path), free(w);
}
