/* WARC reader: iterates the records of a .warc.gz (one gzip member per record,
 * the Common Crawl convention), .warc.zst or plain .warc file and returns each
 * record's named fields and block. Damaged input (a corrupt or truncated gzip
 * member, a wrong Content-Length, garbage between records) is reported, and
 * the reader resynchronises on the next record instead of giving up. */
#ifndef WT_WARC_READ_H
#define WT_WARC_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct wt_warc_reader wt_warc_reader;

/* One record. Strings point into the reader and stay valid until the next
 * call to wt_warc_next; absent fields are "" (never NULL). */
typedef struct wt_warc_rec {
    const char *version;       /* e.g. "WARC/1.1" */
    const char *type;          /* WARC-Type, e.g. "response", "metadata" */
    const char *record_id;     /* WARC-Record-ID, e.g. "<urn:uuid:...>" */
    const char *target_uri;    /* WARC-Target-URI (angle brackets of WARC/1.0 removed) */
    const char *date;          /* WARC-Date, e.g. "2019-01-01T00:00:00Z" */
    const char *refers_to;     /* WARC-Refers-To */
    const char *concurrent_to; /* WARC-Concurrent-To (the first one) */
    const char *content_type;  /* Content-Type of the block */
    const char *truncated;     /* WARC-Truncated, e.g. "length" */
    uint64_t content_length;   /* the block's declared length in bytes */
    /* Where the record starts: for gzip files the compressed offset of the
     * gzip member holding its first byte (exact for one member per record,
     * usable with `tail -c +OFFSET+1 | zcat`); otherwise the offset in the
     * decompressed stream. */
    uint64_t offset;
    const unsigned char *block; /* the first block_len bytes of the block, then a NUL */
    size_t block_len;           /* min(content_length, max_block) */
    bool block_cut;             /* the block was longer than max_block */
} wt_warc_rec;

typedef struct wt_warc_stats {
    uint64_t records;      /* records returned */
    uint64_t bad;          /* damaged spots skipped (see wt_warc_next) */
    uint64_t resyncs;      /* times the reader searched for the next record */
    uint64_t gzip_members; /* gzip members decoded (gzip files only) */
    uint64_t bytes;        /* decompressed bytes read */
} wt_warc_stats;

/* Opens `path` ("-": stdin, then decompressed by the generic stream reader
 * and offsets are decompressed offsets). max_block caps the bytes kept per
 * block (0: 64 MiB); longer blocks are skipped past and flagged block_cut. */
wt_warc_reader *wt_warc_open(const char *path, size_t max_block, wt_error *err);

/* Next record. Returns 1 with *rec filled, 0 at the end of the file, -1 on an
 * I/O error that ends the file. Damage inside the file does not end it: the
 * reader records a message (wt_warc_damage), counts it in stats.bad, skips to
 * the next record and returns 2 once per damaged spot before going on; the
 * caller reports and counts it (or stops under --strict). */
int wt_warc_next(wt_warc_reader *r, wt_warc_rec *rec, wt_error *err);

/* The last damage message, e.g. "truncated gzip member at byte 1234". */
const char *wt_warc_damage(const wt_warc_reader *r);
/* Ordinal (1-based) of the last record returned or damaged spot seen. */
uint64_t wt_warc_record_no(const wt_warc_reader *r);
const wt_warc_stats *wt_warc_get_stats(const wt_warc_reader *r);
/* Compressed bytes consumed so far and the file size (0 if unknown), for progress. */
uint64_t wt_warc_raw_offset(const wt_warc_reader *r);
uint64_t wt_warc_raw_size(const wt_warc_reader *r);
void wt_warc_close(wt_warc_reader *r);

/* Looks up a header field (case-insensitive name) in an HTTP-style header
 * block "Name: value\r\n...". Copies the trimmed value into out (cut to
 * out_n-1 bytes). Returns true when found. */
bool wt_header_get(const char *headers, size_t len, const char *name, char *out, size_t out_n);

#endif
