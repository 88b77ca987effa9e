/* Captures in web archives for `crawl fetch --source cc,wayback`: parsing the
 * indexes' answers (Common Crawl's CDX JSON lines, the Wayback CDX API's JSON
 * rows), choosing the capture nearest to the post, and checking what the
 * archives send back (a Common Crawl byte range must be one gzip member
 * holding one WARC response record for the URL asked; a Wayback raw capture's
 * original headers are restored from X-Archive-Orig-*). Private to crawl/. */
#ifndef CRAWL_ARCHIVE_H
#define CRAWL_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* One capture as an index lists it. */
typedef struct arc_capture {
    char ts[16];     /* "20171211093012" (14 digits, UTC) */
    int64_t time;    /* ts as Unix seconds */
    int status;      /* e.g. 200, 301; 0 when unknown ("-", revisits) */
    char *url;       /* the original URL captured */
    char *mime;      /* e.g. "text/html"; "" when unknown */
    char *filename;  /* Common Crawl: "crawl-data/CC-MAIN-.../x.warc.gz" */
    uint64_t offset; /* Common Crawl: the record's gzip member in filename */
    uint64_t length;
    char crawl[40]; /* Common Crawl: "CC-MAIN-2017-51" */
    char *redirect; /* Common Crawl: a 3xx capture's target when the index gives it, or NULL */
} arc_capture;

typedef struct arc_captures {
    arc_capture *v;
    size_t n, cap;
} arc_captures;

void arc_captures_clear(arc_captures *c);
void arc_captures_free(arc_captures *c);

/* "YYYYMMDDhhmmss" (shorter: padded with the earliest) -> Unix seconds; -1 if not digits. */
int64_t arc_ts_time(const char *ts);
/* Unix seconds -> "YYYYMMDDhhmmss". */
void arc_time_ts(int64_t t, char out[16]);

/* Adds the captures of Common Crawl CDX JSON lines (the index server's
 * output=json, or `crawl cc-lookup`'s files, which add "crawl"); crawl is the
 * default crawl id. Lines that do not parse are skipped and counted in *bad. */
int arc_parse_cc(const char *text, size_t n, const char *crawl, arc_captures *out, size_t *bad,
                 wt_error *err);
/* Adds the captures of a Wayback CDX API answer with output=json (an array
 * of rows, the first naming the fields). Returns -1 with err for a malformed answer. */
int arc_parse_wayback(const char *text, size_t n, arc_captures *out, wt_error *err);

/* The capture to use for a post made at `created` (Unix seconds; <= 0
 * unknown: the earliest): the nearest with status 200 and a text type
 * (text/html, application/xhtml+xml, text/plain, or unknown), ties to the
 * earlier. When there is none, the nearest redirect (3xx), with *redirect
 * set. -1 when neither. */
long arc_choose(const arc_captures *c, int64_t created, bool *redirect);
/* What was found, for the log: "3 captures: 404 x2, 200 image/jpeg x1". */
void arc_summary(const arc_captures *c, char *out, size_t n);

/* What a checked Common Crawl record holds. */
typedef struct arc_record {
    char id[128];    /* its WARC-Record-ID */
    char date[64];   /* its WARC-Date */
    int http_status; /* of the HTTP response in it */
    char *location;  /* its Location header (malloc'd), or NULL */
} arc_record;

/* Checks a range answer: data[0..n) must be exactly one gzip member that
 * decompresses (to at most max_out bytes) into one WARC response record whose
 * WARC-Target-URI is want_uri and whose Content-Length fits. Returns 0 with
 * rec filled (free rec->location), or -1 with why set. */
int arc_check_cc_record(const void *data, size_t n, const char *want_uri, size_t max_out,
                        arc_record *rec, char *why, size_t why_n);

/* The HTTP header block to store for a Wayback raw capture: a status line
 * for `status`, the X-Archive-Orig-* headers with the prefix removed (their
 * Content-Encoding, Transfer-Encoding and Content-Length renamed X-Crawler-*,
 * as the live fetch does), the Content-Type of the answer when no original
 * one was kept, and a Content-Length of body_len. head: the answer's header
 * block. malloc'd, NULL when out of memory. */
char *arc_wayback_head(const char *head, size_t head_len, int status, size_t body_len,
                       size_t *out_len);

/* The value of header `name` in an HTTP header block (first one), copied
 * into out; false when absent. */
bool arc_header(const char *head, size_t n, const char *name, char *out, size_t out_n);

/* Resolves a Location against base (curl's URL parser); malloc'd or NULL. */
char *arc_resolve(const char *base, const char *location);

#endif
