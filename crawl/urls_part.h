/* Temporary partition files of `crawl urls`'s dedup: posts that pass the
 * per-post rules are appended, as small binary records, to the partition
 * chosen by the hash of their normalised URL, so that one partition holds all
 * posts of its URLs and can be reduced in memory. */
#ifndef CRAWL_URLS_PART_H
#define CRAWL_URLS_PART_H

#include <stdint.h>
#include <stdio.h>

#include "crawl/urls_post.h"
#include "error.h"

/* Partition of a URL hash: hash ranges, so partitions in index order visit
 * hashes in increasing order (the order of the output). */
static inline int crawl_part_of(uint64_t hash, int nparts) {
    return (int)(((unsigned __int128)hash * (unsigned)nparts) >> 64);
}

typedef struct crawl_parts crawl_parts;

/* Creates nparts empty files DIR/part-NNNNN.bin, written through per-worker
 * buffers (nworkers threads may add concurrently, each with its own index). */
crawl_parts *crawl_parts_create(const char *dir, int nparts, int nworkers, wt_error *err);
/* Appends post p (url hash `hash`) to its partition. */
int crawl_parts_add(crawl_parts *ps, int worker, const crawl_post *p, uint64_t hash, wt_error *err);
/* Writes out the worker's buffered records. */
int crawl_parts_flush(crawl_parts *ps, int worker, wt_error *err);
/* Flushes everything and closes the files (they stay for the reduce). */
int crawl_parts_close(crawl_parts *ps, wt_error *err);
const char *crawl_parts_path(const crawl_parts *ps, int part);
/* Frees ps and removes its files. */
void crawl_parts_destroy(crawl_parts *ps);

/* One record as read back. Strings point into the reader's buffer. */
typedef struct crawl_part_rec {
    uint64_t hash;
    int64_t score, created_utc;
    const char *url, *id, *subreddit; /* NUL-terminated */
    uint16_t url_len;
    uint8_t id_len, sub_len;
    uint8_t has_subreddit;
} crawl_part_rec;

typedef struct crawl_part_reader {
    FILE *f;
    const char *path;
    char buf[WT_URL_MAX + 2 * CRAWL_FIELD_MAX + 8];
} crawl_part_reader;

int crawl_part_open(crawl_part_reader *r, const char *path, wt_error *err);
/* Returns 1 with *rec, 0 at the end, -1 on a short or bad record. */
int crawl_part_next(crawl_part_reader *r, crawl_part_rec *rec, wt_error *err);
void crawl_part_close(crawl_part_reader *r);

#endif
