/* The binary files between the dedup steps: a 40-byte header (magic
 * "WTDEDUP1", file type, version, fingerprint, shard, record size), fixed-size
 * little-endian records, and a 16-byte trailer ("WTDEDEND", record count) whose
 * absence means a truncated file. Readers map the file read-only. */
#ifndef DEDUP_FORMAT_H
#define DEDUP_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "stream.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "dedup's binary files are written in host order, which must be little-endian"
#endif

enum {
    DEDUP_FILE_META = 1,
    DEDUP_FILE_KEYS = 2,
    DEDUP_FILE_EDGES = 3,
    DEDUP_FILE_REMOVE = 4,
    DEDUP_FILE_SIGS = 5 /* records: bands*rows uint32 MinHash values (zeros: no words) */
};
#define DEDUP_FORMAT_VERSION 1

/* Status of a document in meta (a dedup_reason < DEDUP_URL). */
typedef struct dedup_meta {
    uint64_t id;               /* the doc's id (16 hex digits), or XXH3-64 of a non-hex id */
    uint64_t url_key;          /* XXH3-64 of wt_url_normalize(url), else the id */
    uint64_t line_hash;        /* XXH3-64 of the whole line: last tie-break */
    uint64_t text_lo, text_hi; /* XXH3-128 of the normalised text */
    double score;              /* -inf when absent */
    uint64_t url_off;          /* byte offset of the URL in urls-NNNNN.txt */
    uint32_t url_len;
    uint8_t status;  /* DEDUP_KEEP, DEDUP_BAD, DEDUP_WIKIPEDIA, DEDUP_DOMAIN */
    uint8_t has_sig; /* 1 when the text had words (band keys written) */
    uint16_t pad;
} dedup_meta; /* 64 bytes */

/* kind 0: URL key; 1: text hash (low half); 2+b: band b of the MinHash */
enum { DEDUP_KIND_URL = 0, DEDUP_KIND_TEXT = 1, DEDUP_KIND_BAND = 2 };
typedef struct dedup_key {
    uint64_t key;
    uint32_t ord; /* record number in the shard */
    uint32_t kind;
} dedup_key; /* 16 bytes */

typedef struct dedup_edge {
    uint32_t shard_a, ord_a, shard_b, ord_b; /* shard indices as in the file names */
    uint32_t kind;
} dedup_edge; /* 20 bytes */

typedef struct dedup_removal {
    uint32_t ord;    /* record number in the shard, ascending */
    uint32_t reason; /* dedup_reason */
} dedup_removal;     /* 8 bytes */

typedef struct dedup_file_header {
    char magic[8]; /* "WTDEDUP1" */
    uint32_t type, version;
    uint64_t fingerprint; /* params (meta, keys) or params+shards (edges, remove) */
    uint64_t shard;       /* shard index, or partition for edges */
    uint32_t rec_size, pad;
} dedup_file_header; /* 40 bytes */

typedef struct dedup_table_writer {
    wt_writer *w;
    uint64_t count;
    uint32_t rec_size;
} dedup_table_writer;

int dedup_tw_open(dedup_table_writer *t, const char *path, uint32_t type, uint32_t rec_size,
                  uint64_t fingerprint, uint64_t shard, wt_error *err);
int dedup_tw_append(dedup_table_writer *t, const void *recs, size_t n, wt_error *err);
int dedup_tw_commit(dedup_table_writer *t, wt_error *err);
void dedup_tw_abort(dedup_table_writer *t);

typedef struct dedup_table {
    void *map;
    size_t map_len;
    const void *recs; /* count * rec_size bytes */
    uint64_t count;
    dedup_file_header hdr;
} dedup_table;

/* Opens and validates (magic, type, version, record size, size = header +
 * count records + trailer); fingerprint 0 accepts any. Errors carry a HINT. */
int dedup_table_open(dedup_table *t, const char *path, uint32_t type, uint32_t rec_size,
                     uint64_t fingerprint, wt_error *err);
void dedup_table_close(dedup_table *t);
/* True when path is a complete table of that type and fingerprint. */
bool dedup_table_complete(const char *path, uint32_t type, uint32_t rec_size, uint64_t fingerprint);

/* WORK file names. */
void dedup_path_meta(char *buf, size_t n, const char *work, uint32_t shard);
void dedup_path_urls(char *buf, size_t n, const char *work, uint32_t shard);
void dedup_path_sigs(char *buf, size_t n, const char *work, uint32_t shard);
void dedup_path_keys(char *buf, size_t n, const char *work, uint32_t shard, uint32_t part);
void dedup_path_edges(char *buf, size_t n, const char *work, uint32_t part);
void dedup_path_remove(char *buf, size_t n, const char *work, uint32_t shard);

#endif
