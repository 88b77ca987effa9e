/* WARC/1.1 record writer (see warc_write.h): header formatting, SHA-1 digests
 * in base32, each record built whole in memory, compressed as one gzip member
 * (libdeflate, pkg-config libdeflate), staged and written with one write(2)
 * per flush, so a crash leaves at most a torn tail that a resume cuts off by
 * reopening at the last known-good offset. SHA-1 comes from libcrypto. */
#include "warc_write.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <libdeflate.h>

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

struct wt_warc_writer {
    char *path;
    int fd;
    int level; /* libdeflate level 1-9; 0: plain WARC */
    struct libdeflate_compressor *gz;
    EVP_MD *sha1;   /* fetched once: EVP_sha1() looks the provider up on every init */
    EVP_MD_CTX *md; /* reused for every digest */
    uint8_t *rec;   /* the record being built, uncompressed */
    size_t rec_len, rec_cap;
    uint8_t *buf; /* staged output (compressed when gzip) */
    size_t len, cap;
    uint64_t written;  /* bytes in the file */
    uint8_t rnd[4096]; /* random bytes for record IDs (256 of them), refilled by getrandom */
    size_t rnd_used;
};

/* Grows *p (capacity *cap) to hold need bytes. */
static int grow(uint8_t **p, size_t *cap, size_t need) {
    if (need <= *cap) return 0;
    size_t c = *cap ? *cap : 1 << 16;
    while (c < need) c *= 2;
    uint8_t *q = realloc(*p, c);
    if (!q) return -1;
    *p = q, *cap = c;
    return 0;
}

static int rec_add(wt_warc_writer *w, const void *p, size_t n) {
    if (grow(&w->rec, &w->rec_cap, w->rec_len + n + 1) < 0) return -1;
    if (n) memcpy(w->rec + w->rec_len, p, n);
    w->rec_len += n;
    return 0;
}

static int rec_str(wt_warc_writer *w, const char *s) {
    return rec_add(w, s, strlen(s));
}

/* "name: value\r\n" */
static int rec_field(wt_warc_writer *w, const char *name, const char *value) {
    if (rec_str(w, name) < 0 || rec_add(w, ": ", 2) < 0 || rec_str(w, value) < 0) return -1;
    return rec_add(w, "\r\n", 2);
}

wt_warc_writer *wt_warc_writer_open(const char *path, uint64_t offset, int gzip_level,
                                    wt_error *err) {
    wt_warc_writer *w = calloc(1, sizeof *w);
    if (!w || !(w->path = strdup(path))) {
        free(w);
        wt_fail(err, "out of memory");
        return NULL;
    }
    w->fd = -1;
    w->level = gzip_level < 0 ? 0 : gzip_level > 9 ? 9 : gzip_level;
    w->rnd_used = sizeof w->rnd;
    w->sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
    w->md = EVP_MD_CTX_new();
    if (!w->sha1 || !w->md || (w->level && !(w->gz = libdeflate_alloc_compressor(w->level)))) {
        wt_fail(err, "%s: cannot set up SHA-1 or the compressor", path);
        goto fail;
    }
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
    return w;
fail:
    if (w->fd >= 0) close(w->fd);
    if (w->gz) libdeflate_free_compressor(w->gz);
    EVP_MD_CTX_free(w->md);
    EVP_MD_free(w->sha1);
    free(w->path);
    free(w);
    return NULL;
}

/* SHA-1 of a then b, as "sha1:BASE32". */
static int digest(wt_warc_writer *w, const void *a, size_t an, const void *b, size_t bn,
                  char out[WT_WARC_DIGEST_LEN]) {
    uint8_t d[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_DigestInit_ex2(w->md, w->sha1, NULL) != 1 ||
        (an && EVP_DigestUpdate(w->md, a, an) != 1) ||
        (bn && EVP_DigestUpdate(w->md, b, bn) != 1) || EVP_DigestFinal_ex(w->md, d, &n) != 1 ||
        n != 20)
        return -1;
    wt_warc_digest_string(d, out);
    return 0;
}

/* A random version-4 UUID record ID from the writer's pool of random bytes. */
static void writer_new_id(wt_warc_writer *w, char out[WT_WARC_ID_LEN]) {
    if (w->rnd_used + 16 > sizeof w->rnd) {
        size_t got = 0;
        while (got < sizeof w->rnd) {
            ssize_t k = getrandom(w->rnd + got, sizeof w->rnd - got, 0);
            if (k > 0)
                got += (size_t)k;
            else if (k < 0 && errno != EINTR)
                break;
        }
        if (got < sizeof w->rnd) { /* no entropy source: one ID at a time */
            wt_warc_new_id(out);
            return;
        }
        w->rnd_used = 0;
    }
    uint8_t *r = w->rnd + w->rnd_used;
    w->rnd_used += 16;
    r[6] = (r[6] & 0x0f) | 0x40; /* version 4 */
    r[8] = (r[8] & 0x3f) | 0x80; /* RFC 4122 variant */
    static const char hex[] = "0123456789abcdef";
    char *o = out;
    memcpy(o, "<urn:uuid:", 10), o += 10;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) *o++ = '-';
        *o++ = hex[r[i] >> 4], *o++ = hex[r[i] & 15];
    }
    *o++ = '>', *o = '\0';
}

/* Builds rec's header block, head, body and the closing CRLF CRLF in w->rec. */
static int record_build(wt_warc_writer *w, const wt_warc_record *rec, const char *id) {
    char date[WT_WARC_DATE_LEN];
    if (!rec->date) wt_warc_date(time(NULL), date);
    char block_digest[WT_WARC_DIGEST_LEN], payload_digest[WT_WARC_DIGEST_LEN];
    if (digest(w, rec->head, rec->head_len, rec->body, rec->body_len, block_digest) < 0 ||
        (rec->has_payload && digest(w, NULL, 0, rec->body, rec->body_len, payload_digest) < 0))
        return -1;
    char len[32];
    snprintf(len, sizeof len, "%zu", rec->head_len + rec->body_len);
    w->rec_len = 0;
    int rc = rec_str(w, "WARC/1.1\r\n") | rec_field(w, "WARC-Type", rec->type) |
             rec_field(w, "WARC-Record-ID", id) |
             rec_field(w, "WARC-Date", rec->date ? rec->date : date);
    for (size_t i = 0; i < rec->n_extra; i++)
        if (rec->extra[i].value) rc |= rec_field(w, rec->extra[i].name, rec->extra[i].value);
    if (rec->content_type) rc |= rec_field(w, "Content-Type", rec->content_type);
    rc |= rec_field(w, "WARC-Block-Digest", block_digest);
    if (rec->has_payload) rc |= rec_field(w, "WARC-Payload-Digest", payload_digest);
    rc |= rec_field(w, "Content-Length", len) | rec_add(w, "\r\n", 2);
    rc |= rec_add(w, rec->head, rec->head_len) | rec_add(w, rec->body, rec->body_len);
    return rc | rec_add(w, "\r\n\r\n", 4);
}

/* Appends w->rec to the staged output: one gzip member, or as is. */
static int stage(wt_warc_writer *w, wt_error *err) {
    size_t bound = w->gz ? libdeflate_gzip_compress_bound(w->gz, w->rec_len) : w->rec_len;
    if (grow(&w->buf, &w->cap, w->len + bound) < 0) return wt_fail(err, "out of memory");
    if (!w->gz) {
        memcpy(w->buf + w->len, w->rec, w->rec_len);
        w->len += w->rec_len;
    } else {
        size_t n = libdeflate_gzip_compress(w->gz, w->rec, w->rec_len, w->buf + w->len, bound);
        if (!n) return wt_fail(err, "%s: gzip compression failed", w->path);
        w->len += n;
    }
    if (w->rec_cap > (1u << 24)) { /* give back a buffer grown by one huge record */
        free(w->rec);
        w->rec = NULL, w->rec_cap = 0;
    }
    return 0;
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
        writer_new_id(w, id);
    if (record_build(w, rec, id) < 0) return wt_fail(err, "out of memory");
    WT_TRY(stage(w, err));
    if (id_out) memcpy(id_out, id, WT_WARC_ID_LEN);
    return 0;
}

int wt_warc_writer_add_raw(wt_warc_writer *w, const void *data, size_t n, wt_error *err) {
    if (grow(&w->buf, &w->cap, w->len + n) < 0) return wt_fail(err, "out of memory");
    memcpy(w->buf + w->len, data, n);
    w->len += n;
    return 0;
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
    if (w->gz) libdeflate_free_compressor(w->gz);
    EVP_MD_CTX_free(w->md);
    EVP_MD_free(w->sha1);
    free(w->rec);
    free(w->buf);
    free(w->path);
    free(w);
    return rc;
}
