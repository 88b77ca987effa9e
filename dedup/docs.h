/* Reading document shards the same way in every step: records are the
 * non-blank lines, numbered from 0; a record is parsed into the fields dedup
 * needs, or classified as bad or as a dropped domain. */
#ifndef DEDUP_DOCS_H
#define DEDUP_DOCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dedup.h"
#include "error.h"
#include "jscan.h"
#include "stream.h"

/* Next record: 1 with the line and its length (valid until the next call), 0 at end, -1 on
 * a stream error (a truncated or corrupt shard). Blank lines are skipped. */
int dedup_next_record(wt_reader *r, char **line, size_t *len, wt_error *err);

/* A parsed record. */
typedef struct dedup_doc {
    int status;       /* DEDUP_KEEP, DEDUP_BAD, DEDUP_WIKIPEDIA, DEDUP_DOMAIN */
    char why[160];    /* for DEDUP_BAD, e.g. "missing string field \"text\"" */
    wt_jscan_buf buf; /* owned: decoded strings that had escapes */
    uint64_t id, url_key, line_hash;
    double score;           /* -inf when absent */
    const char *url, *text; /* inside the line or buf */
    size_t url_len, text_len;
} dedup_doc;

/* Parses one record; `truncated` marks a line cut at the reader's maximum.
 * The fields may point into `line`, which must outlive them; d is
 * overwritten, so clear a previous record first. */
void dedup_doc_parse(dedup_doc *d, const char *line, size_t len, bool truncated,
                     const dedup_params *p);
void dedup_doc_clear(dedup_doc *d);

/* The host of a URL, lowercased, without userinfo, port or trailing dots,
 * into buf; returns its length (0: none). */
size_t dedup_url_host(const char *url, size_t len, char *buf, size_t cap);
/* DEDUP_WIKIPEDIA, DEDUP_DOMAIN when the host equals or is under an entry
 * of p->drop_domains, else DEDUP_KEEP. */
int dedup_domain_status(const dedup_params *p, const char *host, size_t len);

#endif
