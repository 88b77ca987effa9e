/* WARC/1.1 writer: builds records (WARC-Record-ID, WARC-Date, Content-Length,
 * SHA-1 block and payload digests in Common Crawl's base32 form) and appends
 * them to a file, one gzip member per record, so any record can be read alone.
 * Records are staged in memory and written with one write(2) per flush, and
 * the file can be reopened at a byte offset (resume after a crash). */
#ifndef WT_WARC_WRITE_H
#define WT_WARC_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "error.h"

/* SHA-1, incremental (OpenSSL's libcrypto: SHA-NI/AVX2 code, several times a
 * portable C version; digests are ~half of a fetch's CPU otherwise). */
typedef struct wt_sha1 {
    void *ctx; /* EVP_MD_CTX, freed by wt_sha1_final */
} wt_sha1;
/* Returns 0, or -1 when out of memory (then update/final do nothing). */
int wt_sha1_init(wt_sha1 *s);
void wt_sha1_update(wt_sha1 *s, const void *data, size_t n);
void wt_sha1_final(wt_sha1 *s, uint8_t out[20]);
/* "sha1:" + RFC 4648 base32 of the digest, e.g. "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ". */
#define WT_WARC_DIGEST_LEN 38
void wt_warc_digest_string(const uint8_t digest[20], char out[WT_WARC_DIGEST_LEN]);

/* "<urn:uuid:xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx>" (random, version 4). */
#define WT_WARC_ID_LEN 48
void wt_warc_new_id(char out[WT_WARC_ID_LEN]);
/* "2026-11-27T22:21:42Z" (UTC). */
#define WT_WARC_DATE_LEN 24
void wt_warc_date(time_t t, char out[WT_WARC_DATE_LEN]);

/* One named header field, e.g. {"WARC-Target-URI", "https://example.com/"}. */
typedef struct wt_warc_field {
    const char *name;
    const char *value;
} wt_warc_field;

/* A record to append. The block is head followed by body (either may be
 * empty); when has_payload is set, body is the payload (the entity after the
 * HTTP headers in head) and gets a WARC-Payload-Digest. */
typedef struct wt_warc_record {
    const char *type;           /* "warcinfo", "request", "response", "metadata" */
    const char *id;             /* WARC-Record-ID; NULL: a new one */
    const char *date;           /* WARC-Date; NULL: now */
    const char *content_type;   /* NULL: none */
    const wt_warc_field *extra; /* further fields, in order */
    size_t n_extra;
    const void *head;
    size_t head_len;
    const void *body;
    size_t body_len;
    bool has_payload;
} wt_warc_record;

typedef struct wt_warc_writer wt_warc_writer;

/* Opens `path` (created if absent) and cuts it to `offset` bytes, where the
 * next record will go: 0 for a new file, the end of the last complete record
 * when resuming. gzip_level 1-9: one gzip member per record, compressed
 * whole by libdeflate at that level (smaller than zlib's output at the same
 * level, for half its CPU or less); 0: plain WARC. */
wt_warc_writer *wt_warc_writer_open(const char *path, uint64_t offset, int gzip_level,
                                    wt_error *err);
/* Stages one record; its ID is copied to id_out when not NULL. Nothing
 * reaches the file until wt_warc_writer_flush. */
int wt_warc_writer_add(wt_warc_writer *w, const wt_warc_record *rec, char id_out[WT_WARC_ID_LEN],
                       wt_error *err);
/* Stages bytes that already are one whole record in this file's framing (a
 * gzip member holding one record, e.g. copied from Common Crawl), as is. */
int wt_warc_writer_add_raw(wt_warc_writer *w, const void *data, size_t n, wt_error *err);
/* Bytes staged and not yet written. */
size_t wt_warc_writer_pending(const wt_warc_writer *w);
/* Writes the staged records. Returns 0; the file then ends at wt_warc_writer_offset. */
int wt_warc_writer_flush(wt_warc_writer *w, wt_error *err);
/* File size once everything staged is flushed (offset of the next record). */
uint64_t wt_warc_writer_offset(const wt_warc_writer *w);
/* Flushes and fsyncs. */
int wt_warc_writer_sync(wt_warc_writer *w, wt_error *err);
/* Flushes, fsyncs (unless no_sync) and closes; frees w even on error. */
int wt_warc_writer_close(wt_warc_writer *w, bool no_sync, wt_error *err);

#endif
