/* wt_writer: compressed, atomic outputs (see stream.h). Bytes go to
 * PATH.tmp; commit finishes the codec, fsyncs, renames to PATH and fsyncs the
 * folder, so PATH either does not exist or is complete. */
#include "stream.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#define BUF_CAP (1u << 18) /* compressed bytes buffered before write(2) */

struct wt_writer {
    char *path, *tmp; /* tmp is NULL for stdout */
    int fd;
    wt_codec codec;
    bool no_fsync;
    bool gz_dirty; /* the current gzip member holds data */
    z_stream gz;
    ZSTD_CCtx *zc;
    uint8_t *buf;
    size_t buf_len;
    uint64_t flushed; /* bytes already written to fd */
};

static int fd_write_all(int fd, const uint8_t *p, size_t n, const char *path, wt_error *err) {
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) return wt_fail_errno(err, "cannot write %s", path);
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static int buf_flush(wt_writer *w, wt_error *err) {
    if (w->buf_len == 0) return 0;
    WT_TRY(fd_write_all(w->fd, w->buf, w->buf_len, w->tmp ? w->tmp : w->path, err));
    w->flushed += w->buf_len;
    w->buf_len = 0;
    return 0;
}

static wt_codec codec_from_name(const char *path) {
    size_t n = strlen(path);
    if (n >= 3 && !strcmp(path + n - 3, ".gz")) return WT_CODEC_GZIP;
    if (n >= 4 && !strcmp(path + n - 4, ".zst")) return WT_CODEC_ZSTD;
    return WT_CODEC_PLAIN;
}

static int writer_init_codec(wt_writer *w, int level, wt_error *err) {
    if (w->codec == WT_CODEC_GZIP) {
        if (deflateInit2(&w->gz, level ? level : 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
            Z_OK)
            return wt_fail(err, "%s: zlib init failed", w->path);
    } else if (w->codec == WT_CODEC_ZSTD) {
        w->zc = ZSTD_createCCtx();
        if (!w->zc ||
            ZSTD_isError(
                ZSTD_CCtx_setParameter(w->zc, ZSTD_c_compressionLevel, level ? level : 3)) ||
            ZSTD_isError(ZSTD_CCtx_setParameter(w->zc, ZSTD_c_checksumFlag, 1)))
            return wt_fail(err, "%s: zstd init failed", w->path);
    }
    return 0;
}

wt_writer *wt_writer_open(const char *path, const wt_writer_opts *opts, wt_error *err) {
    wt_writer_opts o = opts ? *opts : (wt_writer_opts){0};
    wt_writer *w = calloc(1, sizeof *w);
    if (!w) return wt_fail(err, "out of memory"), NULL;
    w->fd = -1;
    w->path = strdup(strcmp(path, "-") ? path : "<stdout>");
    w->buf = malloc(BUF_CAP);
    w->codec = o.codec != WT_CODEC_AUTO ? o.codec : codec_from_name(path);
    w->no_fsync = o.no_fsync;
    if (!w->path || !w->buf) {
        wt_fail(err, "out of memory");
        goto fail;
    }
    if (!strcmp(path, "-")) {
        w->fd = STDOUT_FILENO;
    } else {
        size_t n = strlen(path) + 5;
        w->tmp = malloc(n);
        if (!w->tmp) {
            wt_fail(err, "out of memory");
            goto fail;
        }
        snprintf(w->tmp, n, "%s.tmp", path);
        w->fd = open(w->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (w->fd < 0) {
            wt_fail_errno(err, "cannot create %s", w->tmp);
            free(w->tmp);
            w->tmp = NULL; /* nothing to remove */
            goto fail;
        }
    }
    if (writer_init_codec(w, o.level, err) < 0) goto fail;
    return w;
fail:
    wt_writer_abort(w);
    return NULL;
}

/* Runs the compressor over n input bytes with the given end directive. */
static int gzip_pump(wt_writer *w, const void *src, size_t n, int flush, wt_error *err) {
    w->gz.next_in = (Bytef *)src;
    w->gz.avail_in = (uInt)n;
    for (;;) {
        w->gz.next_out = w->buf + w->buf_len;
        w->gz.avail_out = (uInt)(BUF_CAP - w->buf_len);
        int rc = deflate(&w->gz, flush);
        w->buf_len = BUF_CAP - w->gz.avail_out;
        if (rc == Z_STREAM_ERROR) return wt_fail(err, "%s: deflate failed", w->path);
        if (w->buf_len == BUF_CAP) WT_TRY(buf_flush(w, err));
        if (flush == Z_FINISH ? rc == Z_STREAM_END : w->gz.avail_in == 0 && w->gz.avail_out > 0)
            return 0;
    }
}

static int zstd_pump(wt_writer *w, const void *src, size_t n, ZSTD_EndDirective end,
                     wt_error *err) {
    ZSTD_inBuffer in = {src, n, 0};
    for (;;) {
        ZSTD_outBuffer out = {w->buf, BUF_CAP, w->buf_len};
        size_t rc = ZSTD_compressStream2(w->zc, &out, &in, end);
        w->buf_len = out.pos;
        if (ZSTD_isError(rc)) return wt_fail(err, "%s: zstd: %s", w->path, ZSTD_getErrorName(rc));
        if (w->buf_len > BUF_CAP / 2) WT_TRY(buf_flush(w, err));
        if (end == ZSTD_e_continue ? in.pos == in.size : rc == 0) return 0;
    }
}

int wt_writer_write(wt_writer *w, const void *buf, size_t n, wt_error *err) {
    if (n == 0) return 0;
    switch (w->codec) {
    case WT_CODEC_GZIP:
        w->gz_dirty = true;
        /* zlib counts in uInt: feed huge buffers in pieces */
        for (size_t off = 0; off < n;) {
            size_t k = n - off > (1u << 30) ? (1u << 30) : n - off;
            WT_TRY(gzip_pump(w, (const uint8_t *)buf + off, k, Z_NO_FLUSH, err));
            off += k;
        }
        return 0;
    case WT_CODEC_ZSTD:
        return zstd_pump(w, buf, n, ZSTD_e_continue, err);
    default:
        if (n > BUF_CAP - w->buf_len) {
            WT_TRY(buf_flush(w, err));
            if (n >= BUF_CAP)
                return fd_write_all(w->fd, buf, n, w->tmp ? w->tmp : w->path, err) < 0
                           ? -1
                           : (w->flushed += n, 0);
        }
        memcpy(w->buf + w->buf_len, buf, n);
        w->buf_len += n;
        return 0;
    }
}

int wt_writer_printf(wt_writer *w, wt_error *err, const char *fmt, ...) {
    char small[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return wt_fail(err, "%s: format error", w->path);
    if ((size_t)n < sizeof small) return wt_writer_write(w, small, (size_t)n, err);
    char *big = malloc((size_t)n + 1);
    if (!big) return wt_fail(err, "out of memory");
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    int rc = wt_writer_write(w, big, (size_t)n, err);
    free(big);
    return rc;
}

int64_t wt_writer_gzip_member(wt_writer *w, wt_error *err) {
    if (w->codec != WT_CODEC_GZIP) return wt_fail(err, "%s: not a gzip output", w->path);
    if (w->gz_dirty) {
        WT_TRY(gzip_pump(w, NULL, 0, Z_FINISH, err));
        if (deflateReset(&w->gz) != Z_OK) return wt_fail(err, "%s: deflateReset", w->path);
        w->gz_dirty = false;
    }
    return (int64_t)wt_writer_offset(w);
}

uint64_t wt_writer_offset(const wt_writer *w) {
    return w->flushed + w->buf_len;
}

static void writer_free(wt_writer *w) {
    if (w->codec == WT_CODEC_GZIP) deflateEnd(&w->gz);
    ZSTD_freeCCtx(w->zc);
    free(w->path);
    free(w->tmp);
    free(w->buf);
    free(w);
}

static int fsync_parent(const char *path) {
    char *copy = strdup(path);
    if (!copy) return -1;
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(copy);
    if (fd < 0) return -1;
    fsync(fd);
    close(fd);
    return 0;
}

int wt_writer_commit(wt_writer *w, wt_error *err) {
    int rc = 0;
    if (w->codec == WT_CODEC_GZIP && (w->gz_dirty || w->flushed + w->buf_len == 0))
        rc = gzip_pump(w, NULL, 0, Z_FINISH, err);
    else if (w->codec == WT_CODEC_ZSTD)
        rc = zstd_pump(w, NULL, 0, ZSTD_e_end, err);
    if (rc == 0) rc = buf_flush(w, err);
    if (!w->tmp) { /* stdout */
        writer_free(w);
        return rc;
    }
    if (rc == 0 && !w->no_fsync && fsync(w->fd) != 0)
        rc = wt_fail_errno(err, "cannot sync %s", w->tmp);
    if (close(w->fd) != 0 && rc == 0) rc = wt_fail_errno(err, "cannot close %s", w->tmp);
    w->fd = -1;
    if (rc == 0 && rename(w->tmp, w->path) != 0)
        rc = wt_fail_errno(err, "cannot rename %s to %s", w->tmp, w->path);
    if (rc == 0) {
        if (!w->no_fsync) fsync_parent(w->path);
    } else {
        unlink(w->tmp);
    }
    writer_free(w);
    return rc;
}

void wt_writer_abort(wt_writer *w) {
    if (!w) return;
    if (w->tmp) {
        if (w->fd >= 0) close(w->fd);
        unlink(w->tmp);
    }
    writer_free(w);
}

int wt_write_file_atomic(const char *path, const void *data, size_t n, wt_error *err) {
    wt_writer *w = wt_writer_open(path, NULL, err);
    if (!w) return -1;
    if (wt_writer_write(w, data, n, err) < 0) {
        wt_writer_abort(w);
        return -1;
    }
    return wt_writer_commit(w, err);
}

int wt_read_file(const char *path, char **data, size_t *n, size_t max_bytes, wt_error *err) {
    wt_reader *r = wt_reader_open(path, err);
    if (!r) return -1;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap + 1);
    int rc = buf ? 0 : wt_fail(err, "out of memory");
    while (rc == 0) {
        if (len == cap) {
            if (cap >= max_bytes) {
                rc = wt_fail(err, "%s: larger than %zu bytes", path, max_bytes);
                break;
            }
            cap = cap * 2 > max_bytes ? max_bytes : cap * 2;
            char *p = realloc(buf, cap + 1);
            if (!p) {
                rc = wt_fail(err, "out of memory");
                break;
            }
            buf = p;
        }
        ssize_t k = wt_reader_read(r, buf + len, cap - len, err);
        if (k < 0)
            rc = -1;
        else if (k == 0)
            break;
        else
            len += (size_t)k;
    }
    wt_reader_close(r);
    if (rc < 0) {
        free(buf);
        return -1;
    }
    buf[len] = '\0';
    *data = buf;
    *n = len;
    return 0;
}
