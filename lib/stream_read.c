/* wt_reader: decompressing input streams with line reading (see stream.h).
 * The codec comes from the magic bytes, never the name. Concatenated gzip
 * members, zstd frames, xz and bzip2 streams are read as one stream; a stream
 * that ends inside a member/frame is reported as truncated. */
#include "stream.h"

#include <bzlib.h>
#include <errno.h>
#include <fcntl.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#define RAW_CAP (1u << 20) /* compressed bytes read from the fd at a time */
#define OUT_CAP (1u << 20) /* decompressed bytes buffered for getline */

typedef enum { CODEC_PLAIN, CODEC_GZIP, CODEC_ZSTD, CODEC_XZ, CODEC_BZIP2 } reader_codec;
static const char *const codec_names[] = {"plain", "gzip", "zstd", "xz", "bzip2"};

struct wt_reader {
    char *path;
    int fd;
    reader_codec codec;
    uint8_t *raw; /* compressed input: raw[raw_pos..raw_len) not yet decoded */
    size_t raw_len, raw_pos;
    bool raw_eof;
    uint64_t raw_consumed, raw_size;
    bool in_member; /* inside a gzip member / zstd frame / xz or bz2 stream */
    bool done;      /* decoder reached the end of all input */
    z_stream gz;
    ZSTD_DCtx *zs;
    lzma_stream xz;
    bz_stream bz;
    bool bz_init;
    uint8_t *out; /* decompressed bytes for getline: out[out_pos..out_len) */
    size_t out_len, out_pos;
    char *line; /* assembled line when it spans buffer refills */
    size_t line_cap;
    size_t max_line;
    bool line_truncated;
    uint64_t line_no, offset;
};

static int raw_fill(wt_reader *r, wt_error *err) {
    if (r->raw_pos < r->raw_len || r->raw_eof) return 0;
    ssize_t n;
    do n = read(r->fd, r->raw, RAW_CAP);
    while (n < 0 && errno == EINTR);
    if (n < 0) return wt_fail_errno(err, "%s: read failed", r->path);
    r->raw_len = (size_t)n;
    r->raw_pos = 0;
    if (n == 0) r->raw_eof = true;
    return 0;
}

static void raw_advance(wt_reader *r, size_t used) {
    r->raw_pos += used;
    r->raw_consumed += used;
}

static int truncated(wt_reader *r, wt_error *err) {
    return wt_fail(err, "%s: truncated %s stream (input ends at byte %llu inside a %s)", r->path,
                   codec_names[r->codec], (unsigned long long)r->raw_consumed,
                   r->codec == CODEC_GZIP ? "member" : "frame");
}

static int corrupt(wt_reader *r, wt_error *err, const char *why) {
    return wt_fail(err, "%s: corrupt %s data near byte %llu: %s", r->path, codec_names[r->codec],
                   (unsigned long long)r->raw_consumed, why);
}

/* Each decoder turns raw input into up to n bytes at dst; returns the count
 * (0 only at the true end) or -1. */
static ssize_t decode_gzip(wt_reader *r, uint8_t *dst, size_t n, wt_error *err) {
    for (;;) {
        WT_TRY(raw_fill(r, err));
        size_t avail = r->raw_len - r->raw_pos;
        if (avail == 0 && r->raw_eof) return r->in_member ? truncated(r, err) : 0;
        if (!r->in_member) {
            if (inflateReset(&r->gz) != Z_OK) return corrupt(r, err, "inflateReset");
            r->in_member = true;
        }
        r->gz.next_in = r->raw + r->raw_pos;
        r->gz.avail_in = (uInt)avail;
        r->gz.next_out = dst;
        r->gz.avail_out = (uInt)n;
        int rc = inflate(&r->gz, Z_NO_FLUSH);
        raw_advance(r, avail - r->gz.avail_in);
        size_t got = n - r->gz.avail_out;
        if (rc == Z_STREAM_END)
            r->in_member = false;
        else if (rc == Z_BUF_ERROR && got == 0 && r->gz.avail_in == 0)
            continue;
        else if (rc != Z_OK)
            return corrupt(r, err, r->gz.msg ? r->gz.msg : "inflate failed");
        if (got > 0) return (ssize_t)got;
    }
}

static ssize_t decode_zstd(wt_reader *r, uint8_t *dst, size_t n, wt_error *err) {
    for (;;) {
        WT_TRY(raw_fill(r, err));
        size_t avail = r->raw_len - r->raw_pos;
        if (avail == 0 && r->raw_eof) return r->in_member ? truncated(r, err) : 0;
        ZSTD_inBuffer in = {r->raw + r->raw_pos, avail, 0};
        ZSTD_outBuffer out = {dst, n, 0};
        size_t rc = ZSTD_decompressStream(r->zs, &out, &in);
        raw_advance(r, in.pos);
        if (ZSTD_isError(rc)) return corrupt(r, err, ZSTD_getErrorName(rc));
        r->in_member = rc != 0; /* 0: a frame just ended */
        if (out.pos > 0) return (ssize_t)out.pos;
    }
}

static ssize_t decode_xz(wt_reader *r, uint8_t *dst, size_t n, wt_error *err) {
    for (;;) {
        WT_TRY(raw_fill(r, err));
        size_t avail = r->raw_len - r->raw_pos;
        if (r->done) return 0;
        r->xz.next_in = r->raw + r->raw_pos;
        r->xz.avail_in = avail;
        r->xz.next_out = dst;
        r->xz.avail_out = n;
        lzma_ret rc = lzma_code(&r->xz, r->raw_eof ? LZMA_FINISH : LZMA_RUN);
        raw_advance(r, avail - r->xz.avail_in);
        size_t got = n - r->xz.avail_out;
        if (rc == LZMA_STREAM_END)
            r->done = true;
        else if (rc == LZMA_BUF_ERROR && r->raw_eof)
            return truncated(r, err);
        else if (rc != LZMA_OK && rc != LZMA_BUF_ERROR) {
            char why[32];
            snprintf(why, sizeof why, "lzma error %d", (int)rc);
            return corrupt(r, err, why);
        }
        if (got > 0) return (ssize_t)got;
        if (r->done) return 0;
    }
}

static ssize_t decode_bzip2(wt_reader *r, uint8_t *dst, size_t n, wt_error *err) {
    for (;;) {
        WT_TRY(raw_fill(r, err));
        size_t avail = r->raw_len - r->raw_pos;
        if (avail == 0 && r->raw_eof) return r->in_member ? truncated(r, err) : 0;
        if (!r->in_member) {
            if (r->bz_init) BZ2_bzDecompressEnd(&r->bz);
            memset(&r->bz, 0, sizeof r->bz);
            if (BZ2_bzDecompressInit(&r->bz, 0, 0) != BZ_OK) return corrupt(r, err, "init");
            r->bz_init = true;
            r->in_member = true;
        }
        r->bz.next_in = (char *)r->raw + r->raw_pos;
        r->bz.avail_in = (unsigned)avail;
        r->bz.next_out = (char *)dst;
        r->bz.avail_out = (unsigned)n;
        int rc = BZ2_bzDecompress(&r->bz);
        raw_advance(r, avail - r->bz.avail_in);
        size_t got = n - r->bz.avail_out;
        if (rc == BZ_STREAM_END)
            r->in_member = false;
        else if (rc != BZ_OK)
            return corrupt(r, err, "bzip2 data error");
        if (got > 0) return (ssize_t)got;
    }
}

static ssize_t decode_plain(wt_reader *r, uint8_t *dst, size_t n, wt_error *err) {
    WT_TRY(raw_fill(r, err));
    size_t avail = r->raw_len - r->raw_pos;
    if (avail > n) avail = n;
    memcpy(dst, r->raw + r->raw_pos, avail);
    raw_advance(r, avail);
    return (ssize_t)avail;
}

static ssize_t reader_decode(wt_reader *r, uint8_t *dst, size_t n, wt_error *err) {
    switch (r->codec) {
    case CODEC_GZIP:
        return decode_gzip(r, dst, n, err);
    case CODEC_ZSTD:
        return decode_zstd(r, dst, n, err);
    case CODEC_XZ:
        return decode_xz(r, dst, n, err);
    case CODEC_BZIP2:
        return decode_bzip2(r, dst, n, err);
    default:
        return decode_plain(r, dst, n, err);
    }
}

static reader_codec sniff_codec(const uint8_t *b, size_t n) {
    if (n >= 2 && b[0] == 0x1f && b[1] == 0x8b) return CODEC_GZIP;
    if (n >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f && b[3] == 0xfd) return CODEC_ZSTD;
    if (n >= 4 && (b[0] & 0xf0) == 0x50 && b[1] == 0x2a && b[2] == 0x4d && b[3] == 0x18)
        return CODEC_ZSTD; /* a zstd skippable frame first */
    if (n >= 6 && !memcmp(b,
                          "\xfd"
                          "7zXZ\0",
                          6))
        return CODEC_XZ;
    if (n >= 4 && b[0] == 'B' && b[1] == 'Z' && b[2] == 'h' && b[3] >= '1' && b[3] <= '9')
        return CODEC_BZIP2;
    return CODEC_PLAIN;
}

static int reader_init_codec(wt_reader *r, wt_error *err) {
    switch (r->codec) {
    case CODEC_GZIP:
        if (inflateInit2(&r->gz, 15 + 32) != Z_OK) return wt_fail(err, "%s: zlib init", r->path);
        break;
    case CODEC_ZSTD:
        r->zs = ZSTD_createDCtx();
        if (!r->zs || ZSTD_isError(ZSTD_DCtx_setParameter(r->zs, ZSTD_d_windowLogMax, 31)))
            return wt_fail(err, "%s: zstd init", r->path);
        break;
    case CODEC_XZ:
        r->xz = (lzma_stream)LZMA_STREAM_INIT;
        if (lzma_stream_decoder(&r->xz, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
            return wt_fail(err, "%s: xz init", r->path);
        break;
    default:
        break;
    }
    return 0;
}

wt_reader *wt_reader_open(const char *path, wt_error *err) {
    wt_reader *r = calloc(1, sizeof *r);
    if (!r) return wt_fail(err, "out of memory"), NULL;
    r->fd = -1;
    r->max_line = (size_t)64 << 20;
    r->path = strdup(strcmp(path, "-") ? path : "<stdin>");
    r->raw = malloc(RAW_CAP);
    r->out = malloc(OUT_CAP + 1);
    if (!r->path || !r->raw || !r->out) {
        wt_fail(err, "out of memory");
        goto fail;
    }
    if (!strcmp(path, "-"))
        r->fd = STDIN_FILENO;
    else if ((r->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        wt_fail_errno(err, "cannot open %s", path);
        goto fail;
    }
    struct stat st;
    if (fstat(r->fd, &st) == 0 && S_ISREG(st.st_mode)) r->raw_size = (uint64_t)st.st_size;
    if (fstat(r->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        wt_fail(err, "%s is a folder, not a file", path);
        goto fail;
    }
    /* Sniff from the first buffer (short reads from pipes: read until 8 bytes or EOF). */
    while (r->raw_len < 8 && !r->raw_eof) {
        ssize_t n = read(r->fd, r->raw + r->raw_len, RAW_CAP - r->raw_len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            wt_fail_errno(err, "%s: read failed", r->path);
            goto fail;
        }
        if (n == 0) r->raw_eof = true;
        r->raw_len += (size_t)n;
    }
    r->codec = sniff_codec(r->raw, r->raw_len);
    if (reader_init_codec(r, err) < 0) goto fail;
    return r;
fail:
    wt_reader_close(r);
    return NULL;
}

ssize_t wt_reader_read(wt_reader *r, void *buf, size_t n, wt_error *err) {
    if (n == 0) return 0;
    if (r->out_pos < r->out_len) { /* bytes buffered by getline come first */
        size_t k = r->out_len - r->out_pos;
        if (k > n) k = n;
        memcpy(buf, r->out + r->out_pos, k);
        r->out_pos += k;
        r->offset += k;
        return (ssize_t)k;
    }
    ssize_t got = reader_decode(r, buf, n, err);
    if (got > 0) r->offset += (uint64_t)got;
    return got;
}

static int out_refill(wt_reader *r, wt_error *err) {
    ssize_t got = reader_decode(r, r->out, OUT_CAP, err);
    if (got < 0) return -1;
    r->out_len = (size_t)got;
    r->out_pos = 0;
    return got > 0;
}

static int line_append(wt_reader *r, size_t *len, const uint8_t *src, size_t n, wt_error *err) {
    if (*len >= r->max_line) {
        r->line_truncated = true;
        return 0;
    }
    if (n > r->max_line - *len) {
        n = r->max_line - *len;
        r->line_truncated = true;
    }
    if (*len + n + 1 > r->line_cap) {
        size_t cap = r->line_cap ? r->line_cap : 4096;
        while (cap < *len + n + 1) cap *= 2;
        char *p = realloc(r->line, cap);
        if (!p) return wt_fail(err, "%s: out of memory for a %zu-byte line", r->path, *len + n);
        r->line = p;
        r->line_cap = cap;
    }
    memcpy(r->line + *len, src, n);
    *len += n;
    return 0;
}

int wt_reader_getline(wt_reader *r, char **line, size_t *len, wt_error *err) {
    r->line_truncated = false;
    size_t acc = 0;
    bool spanning = false;
    for (;;) {
        if (r->out_pos >= r->out_len) {
            int rc = out_refill(r, err);
            if (rc < 0) return -1;
            if (rc == 0) { /* end of stream */
                if (!spanning) return 0;
                r->line[acc] = '\0';
                *line = r->line;
                *len = acc;
                r->line_no++;
                return 1;
            }
        }
        uint8_t *start = r->out + r->out_pos;
        size_t avail = r->out_len - r->out_pos;
        uint8_t *nl = memchr(start, '\n', avail);
        size_t take = nl ? (size_t)(nl - start) : avail;
        r->out_pos += take + (nl ? 1 : 0);
        r->offset += take + (nl ? 1 : 0);
        if (nl && !spanning && take <= r->max_line) { /* whole line in the buffer */
            start[take] = '\0';
            *line = (char *)start;
            *len = take;
            r->line_no++;
            return 1;
        }
        spanning = true;
        WT_TRY(line_append(r, &acc, start, take, err));
        if (nl) {
            r->line[acc] = '\0';
            *line = r->line;
            *len = acc;
            r->line_no++;
            return 1;
        }
    }
}

bool wt_reader_line_truncated(const wt_reader *r) {
    return r->line_truncated;
}
void wt_reader_set_max_line(wt_reader *r, size_t max_bytes) {
    r->max_line = max_bytes ? max_bytes : 1;
}
uint64_t wt_reader_line_no(const wt_reader *r) {
    return r->line_no;
}
uint64_t wt_reader_offset(const wt_reader *r) {
    return r->offset;
}
uint64_t wt_reader_raw_offset(const wt_reader *r) {
    return r->raw_consumed;
}
uint64_t wt_reader_raw_size(const wt_reader *r) {
    return r->raw_size;
}
const char *wt_reader_path(const wt_reader *r) {
    return r->path;
}
const char *wt_reader_codec(const wt_reader *r) {
    return codec_names[r->codec];
}

void wt_reader_close(wt_reader *r) {
    if (!r) return;
    switch (r->codec) {
    case CODEC_GZIP:
        inflateEnd(&r->gz);
        break;
    case CODEC_ZSTD:
        ZSTD_freeDCtx(r->zs);
        break;
    case CODEC_XZ:
        lzma_end(&r->xz);
        break;
    case CODEC_BZIP2:
        if (r->bz_init) BZ2_bzDecompressEnd(&r->bz);
        break;
    default:
        break;
    }
    if (r->fd > STDIN_FILENO) close(r->fd);
    free(r->path);
    free(r->raw);
    free(r->out);
    free(r->line);
    free(r);
}
