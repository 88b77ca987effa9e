/* A Common Crawl zipnum index for `crawl cc-lookup`: cluster.idx (one line
 * per block of ~3,000 SURT-sorted CDX lines: "KEY TIMESTAMP<TAB>cdx-NNNNN.gz
 * <TAB>OFFSET<TAB>LENGTH<TAB>SEQ") held in memory (a real crawl has ~100 k
 * blocks, ~10 MB), the blocks a key can be in, and one block fetched by
 * byte range from the data server and split into lines. */
#ifndef CRAWL_CCLOOKUP_INDEX_H
#define CRAWL_CCLOOKUP_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct cc_block {
    char *key;       /* the SURT part of the block's first line, e.g. "com,example)/a" */
    uint32_t file;   /* index into cc_index.files */
    uint64_t offset; /* the block's gzip member in that file */
    uint64_t length;
} cc_block;

typedef struct cc_index {
    cc_block *b;
    size_t n;
    char **files; /* "cdx-00000.gz", ... */
    size_t n_files;
} cc_index;

/* Parses cluster.idx text. A malformed line is an error naming its number. */
int cc_index_parse(cc_index *ix, const char *path, const char *text, size_t n, wt_error *err);
void cc_index_free(cc_index *ix);
/* The blocks that can hold lines of key: [*first, *last] (inclusive); false
 * when none (key sorts before the first block). */
bool cc_index_blocks(const cc_index *ix, const char *key, size_t *first, size_t *last);

/* A fetched block: its decompressed text split into lines (sorted). */
typedef struct cc_lines {
    char *text;
    char **line;
    size_t n, cap;
} cc_lines;

/* Splits decompressed block text (takes ownership of text). */
int cc_lines_set(cc_lines *l, char *text, size_t n, wt_error *err);
void cc_lines_free(cc_lines *l);
/* Lines whose SURT (the part before the first space) is key: [*from, *to). */
void cc_lines_find(const cc_lines *l, const char *key, size_t *from, size_t *to);

/* Decompresses a gzip member (or several) of n bytes; at most max_out bytes. */
int cc_gunzip(const void *data, size_t n, size_t max_out, char **out, size_t *out_n, wt_error *err);

#endif
