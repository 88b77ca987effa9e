/* HTTP response parsing for WARC response blocks: status line, headers, and
 * the payload with transfer coding (chunked) and content coding (gzip,
 * deflate, br) removed. Tolerant: damage is flagged, not fatal. */
#ifndef EX_HTTP_H
#define EX_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

typedef struct ex_http {
    int status;             /* e.g. 200 */
    char mime[96];          /* Content-Type without parameters, lowercased, e.g. "text/html" */
    char charset[48];       /* charset parameter of Content-Type, lowercased, or "" */
    char encoding[32];      /* Content-Encoding, lowercased, e.g. "gzip", or "" */
    bool chunked;           /* Transfer-Encoding: chunked */
    int64_t content_length; /* declared Content-Length, -1 if absent */
    const char *headers;    /* the header lines (after the status line) */
    size_t headers_len;
    const unsigned char *body; /* the raw entity body inside the block */
    size_t body_len;
} ex_http;

/* Parses an "HTTP/1.x NNN ..." block. Returns 0, or -1 when the block is not
 * an HTTP response (no status line or no end of headers). */
int ex_http_parse(const unsigned char *block, size_t len, ex_http *h);

/* Flags set by ex_http_decode (bitwise or). */
enum {
    EX_HTTP_LENGTH_MISMATCH = 1,  /* Content-Length differs from the body we have */
    EX_HTTP_BAD_CHUNKING = 2,     /* chunked framing broken; kept what decoded */
    EX_HTTP_BAD_ENCODING = 4,     /* gzip/deflate/br stream broken or truncated */
    EX_HTTP_UNKNOWN_ENCODING = 8, /* a content coding we cannot undo */
    EX_HTTP_CUT = 16,             /* output reached max_out and was cut */
};

/* Decodes the body into out (cleared first), at most max_out bytes.
 * Returns the EX_HTTP_* flags (0: clean), or -1 when out of memory. */
int ex_http_decode(const ex_http *h, size_t max_out, ex_buf *out);

#endif
