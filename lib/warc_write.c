/* WARC/1.1 record writer (see warc_write.h): header formatting, SHA-1 digests
 * in base32, one gzip member per record staged in a memory buffer and written
 * with one write(2) per flush, so a crash leaves at most a torn tail that a
 * resume cuts off by reopening at the last known-good offset. SHA-1 comes
 * from libcrypto (pkg-config libcrypto). */
#include "warc_write.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <zlib.h>

/* ---- SHA-1 ---- */

int wt_sha1_init(wt_sha1 *s) {
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    if (c && EVP_DigestInit_ex(c, EVP_sha1(), NULL) != 1) {
        EVP_MD_CTX_free(c);
        c = NULL;
    }
    s->ctx = c;
    return c ? 0 : -1;
}

void wt_sha1_update(wt_sha1 *s, const void *data, size_t n) {
    if (s->ctx && n) EVP_DigestUpdate(s->ctx, data, n);
}

void wt_sha1_final(wt_sha1 *s, uint8_t out[20]) {
    unsigned int n = 0;
    memset(out, 0, 20);
    if (s->ctx) EVP_DigestFinal_ex(s->ctx, out, &n);
    EVP_MD_CTX_free(s->ctx);
    s->ctx = NULL;
}

void wt_warc_digest_string(const uint8_t digest[20], char out[WT_WARC_DIGEST_LEN]) {
    static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    memcpy(out, "sha1:", 5);
    /* 160 bits = 32 base32 digits of 5 bits, no padding */
    for (int i = 0; i < 32; i++) {
        int bit = i * 5, byte = bit / 8, shift = bit % 8;
        unsigned v = (unsigned)digest[byte] << 8 | (byte + 1 < 20 ? digest[byte + 1] : 0);
        out[5 + i] = alpha[(v >> (11 - shift)) & 31];
    }
    out[37] = '\0';
}

/* ---- IDs and dates ---- */

void wt_warc_new_id(char out[WT_WARC_ID_LEN]) {
    uint8_t r[16];
    size_t got = 0;
    while (got < sizeof r) {
        ssize_t k = getrandom(r + got, sizeof r - got, 0);
        if (k > 0)
            got += (size_t)k;
        else if (k < 0 && errno != EINTR) { /* no entropy source: time and address */
            uint64_t t = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)out ^ (uint64_t)clock();
            for (size_t i = got; i < sizeof r; i++)
                r[i] = (uint8_t)(t >> (8 * (i % 8))) ^ (uint8_t)i;
            got = sizeof r;
        }
    }
    r[6] = (r[6] & 0x0f) | 0x40; /* version 4 */
    r[8] = (r[8] & 0x3f) | 0x80; /* RFC 4122 variant */
    snprintf(out, WT_WARC_ID_LEN,
             "<urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x>",
             r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13],
             r[14], r[15]);
}

void wt_warc_date(time_t t, char out[WT_WARC_DATE_LEN]) {
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, WT_WARC_DATE_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- the writer ---- */

#define SMALL_RECORD 4096

struct wt_warc_writer {
    char *path;
    int fd;
    bool gzip;
    /* deflateReset clears the hash table, 64 KB at memLevel 8: too much for
     * each small record, so records up to SMALL_RECORD bytes use a stream
     * with a 4 KB window and a 2 KB hash table (same output format). */
    z_stream big, small;
    z_stream *z;  /* the stream of the record being staged */
    uint8_t *buf; /* staged output (compressed when gzip) */
    size_t len, cap;
    uint64_t written; /* bytes in the file */
};

static int buf_reserve(wt_warc_writer *w, size_t extra, wt_error *err) {
    if (w->len + extra <= w->cap) return 0;
    size_t cap = w->cap ? w->cap : 1 << 16;
    while (cap < w->len + extra) cap *= 2;
    uint8_t *p = realloc(w->buf, cap);
    if (!p) return wt_fail(err, "out of memory");
    w->buf = p, w->cap = cap;
    return 0;
}

wt_warc_writer *wt_warc_writer_open(const char *path, uint64_t offset, int gzip_level,
                                    wt_error *err) {
    wt_warc_writer *w = calloc(1, sizeof *w);
    if (!w || !(w->path = strdup(path))) {
        free(w);
        wt_fail(err, "out of memory");
        return NULL;
    }
    w->gzip = gzip_level > 0;
    if (gzip_level > 9) gzip_level = 9;
    w->fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
    if (w->fd < 0) {
        wt_fail_errno(err, "cannot open %s", path);
        goto fail;
    }
    if (ftruncate(w->fd, (off_t)offset) != 0 || lseek(w->fd, (off_t)offset, SEEK_SET) < 0) {
        wt_fail_errno(err, "cannot cut %s to %llu bytes", path, (unsigned long long)offset);
        goto fail;
    }
    w->written = offset;
    if (w->gzip) {
        if (deflateInit2(&w->big, gzip_level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
            w->gzip = false; /* nothing to end */
            wt_fail(err, "%s: zlib init failed", path);
            goto fail;
        }
        if (deflateInit2(&w->small, gzip_level, Z_DEFLATED, 12 + 16, 3, Z_DEFAULT_STRATEGY) !=
            Z_OK) {
            deflateEnd(&w->big);
            w->gzip = false;
            wt_fail(err, "%s: zlib init failed", path);
            goto fail;
        }
    }
    return w;
fail:
    if (w->fd >= 0) close(w->fd);
    free(w->path);
    free(w);
    return NULL;
}

/* Appends n bytes of the current record to the staging buffer (compressing). */
static int stage(wt_warc_writer *w, const void *p, size_t n, bool last, wt_error *err) {
    if (!w->gzip) {
        WT_TRY(buf_reserve(w, n, err));
        memcpy(w->buf + w->len, p, n);
        w->len += n;
        return 0;
    }
    z_stream *z = w->z;
    z->next_in = (Bytef *)p;
    z->avail_in = (uInt)n;
    for (;;) {
        WT_TRY(buf_reserve(w, n / 2 + (1 << 14), err));
        z->next_out = w->buf + w->len;
        z->avail_out = (uInt)(w->cap - w->len);
        int rc = deflate(z, last ? Z_FINISH : Z_NO_FLUSH);
        w->len = w->cap - z->avail_out;
        if (rc == Z_STREAM_ERROR) return wt_fail(err, "%s: deflate failed", w->path);
        if (last ? rc == Z_STREAM_END : z->avail_in == 0 && z->avail_out > 0) break;
    }
    if (last && deflateReset(z) != Z_OK) return wt_fail(err, "%s: deflateReset", w->path);
    return 0;
}

/* Formats the WARC header block of rec into a malloc'd string. */
static char *record_header(const wt_warc_record *rec, const char *id, size_t *n_out) {
    char date[WT_WARC_DATE_LEN];
    if (!rec->date) wt_warc_date(time(NULL), date);
    size_t block_len = rec->head_len + rec->body_len;
    char block_digest[WT_WARC_DIGEST_LEN], payload_digest[WT_WARC_DIGEST_LEN];
    uint8_t d[20];
    wt_sha1 s;
    if (wt_sha1_init(&s) < 0) return NULL;
    wt_sha1_update(&s, rec->head, rec->head_len);
    wt_sha1_update(&s, rec->body, rec->body_len);
    wt_sha1_final(&s, d);
    wt_warc_digest_string(d, block_digest);
    if (rec->has_payload) {
        if (wt_sha1_init(&s) < 0) return NULL;
        wt_sha1_update(&s, rec->body, rec->body_len);
        wt_sha1_final(&s, d);
        wt_warc_digest_string(d, payload_digest);
    }
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    if (!f) return NULL;
    fprintf(f, "WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: %s\r\nWARC-Date: %s\r\n", rec->type,
            id, rec->date ? rec->date : date);
    for (size_t i = 0; i < rec->n_extra; i++)
        if (rec->extra[i].value) fprintf(f, "%s: %s\r\n", rec->extra[i].name, rec->extra[i].value);
    if (rec->content_type) fprintf(f, "Content-Type: %s\r\n", rec->content_type);
    fprintf(f, "WARC-Block-Digest: %s\r\n", block_digest);
    if (rec->has_payload) fprintf(f, "WARC-Payload-Digest: %s\r\n", payload_digest);
    fprintf(f, "Content-Length: %zu\r\n\r\n", block_len);
    if (fclose(f) != 0) {
        free(out);
        return NULL;
    }
    *n_out = n;
    return out;
}

/* Header field values must not break the record: no CR or LF. */
static bool field_ok(const char *s) {
    return !s || !strpbrk(s, "\r\n");
}

int wt_warc_writer_add(wt_warc_writer *w, const wt_warc_record *rec, char id_out[WT_WARC_ID_LEN],
                       wt_error *err) {
    for (size_t i = 0; i < rec->n_extra; i++)
        if (!field_ok(rec->extra[i].name) || !field_ok(rec->extra[i].value))
            return wt_fail(err, "%s: WARC field %s holds a line break", w->path,
                           rec->extra[i].name);
    if (!field_ok(rec->content_type) || !field_ok(rec->date))
        return wt_fail(err, "%s: WARC field holds a line break", w->path);
    char id[WT_WARC_ID_LEN];
    if (rec->id)
        snprintf(id, sizeof id, "%s", rec->id);
    else
        wt_warc_new_id(id);
    size_t hn;
    char *hdr = record_header(rec, id, &hn);
    if (!hdr) return wt_fail(err, "out of memory");
    w->z = hn + rec->head_len + rec->body_len <= SMALL_RECORD ? &w->small : &w->big;
    int rc = stage(w, hdr, hn, false, err);
    free(hdr);
    if (rc == 0 && rec->head_len) rc = stage(w, rec->head, rec->head_len, false, err);
    if (rc == 0 && rec->body_len) rc = stage(w, rec->body, rec->body_len, false, err);
    if (rc == 0) rc = stage(w, "\r\n\r\n", 4, true, err);
    if (rc == 0 && id_out) memcpy(id_out, id, WT_WARC_ID_LEN);
    return rc;
}

size_t wt_warc_writer_pending(const wt_warc_writer *w) {
    return w->len;
}

int wt_warc_writer_flush(wt_warc_writer *w, wt_error *err) {
    size_t off = 0;
    while (off < w->len) {
        ssize_t k = write(w->fd, w->buf + off, w->len - off);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) {
            /* keep the file a whole number of records: cut back what went out */
            wt_fail_errno(err, "cannot write %s", w->path);
            if (ftruncate(w->fd, (off_t)w->written) == 0) lseek(w->fd, (off_t)w->written, SEEK_SET);
            w->len = 0;
            return -1;
        }
        off += (size_t)k;
    }
    w->written += w->len;
    w->len = 0;
    if (w->cap > (1u << 24)) { /* give back a buffer grown by one huge record */
        free(w->buf);
        w->buf = NULL, w->cap = 0;
    }
    return 0;
}

uint64_t wt_warc_writer_offset(const wt_warc_writer *w) {
    return w->written + w->len;
}

int wt_warc_writer_sync(wt_warc_writer *w, wt_error *err) {
    WT_TRY(wt_warc_writer_flush(w, err));
    if (fsync(w->fd) != 0) return wt_fail_errno(err, "cannot sync %s", w->path);
    return 0;
}

int wt_warc_writer_close(wt_warc_writer *w, bool no_sync, wt_error *err) {
    int rc = no_sync ? wt_warc_writer_flush(w, err) : wt_warc_writer_sync(w, err);
    if (close(w->fd) != 0 && rc == 0) rc = wt_fail_errno(err, "cannot close %s", w->path);
    if (w->gzip) deflateEnd(&w->big), deflateEnd(&w->small);
    free(w->buf);
    free(w->path);
    free(w);
    return rc;
}
