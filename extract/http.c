/* HTTP response parsing and body decoding (see http.h). The WARC block, not
 * the HTTP Content-Length, bounds the body: a wrong Content-Length is only
 * flagged. Decompression output is capped, so a zip bomb costs bounded work. */
#include "http.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>
#include <brotli/decode.h>

#include "warc_read.h"

static void lower_copy(char *dst, size_t n, const char *s, size_t len) {
    if (len > n - 1) len = n - 1;
    for (size_t i = 0; i < len; i++) dst[i] = (char)tolower((unsigned char)s[i]);
    dst[len] = 0;
}

/* Splits "text/html; charset=UTF-8" into mime and charset. */
static void parse_content_type(ex_http *h, const char *v) {
    const char *semi = strchr(v, ';');
    size_t mlen = semi ? (size_t)(semi - v) : strlen(v);
    while (mlen && isspace((unsigned char)v[mlen - 1])) mlen--;
    lower_copy(h->mime, sizeof h->mime, v, mlen);
    const char *cs = strcasestr(v, "charset");
    if (!cs) return;
    cs += 7;
    while (*cs == ' ' || *cs == '=' || *cs == '"' || *cs == '\'') cs++;
    size_t n = strcspn(cs, "\"'; \t,");
    lower_copy(h->charset, sizeof h->charset, cs, n);
}

int ex_http_parse(const unsigned char *block, size_t len, ex_http *h) {
    memset(h, 0, sizeof *h);
    h->content_length = -1;
    if (len < 12 || memcmp(block, "HTTP/", 5) != 0) return -1;
    /* every read below is bounded by len: the block need not end in a NUL */
    const char *s = (const char *)block, *end = s + len;
    const char *eol = memchr(s, '\n', len);
    if (!eol) return -1;
    size_t line = (size_t)(eol - s);
    const char *sp = memchr(s, ' ', line < 32 ? line : 32);
    if (!sp || sp + 1 >= eol || !isdigit((unsigned char)sp[1])) return -1;
    /* at most 9 digits count: no overflow; a longer number is no valid status anyway */
    int status = 0;
    for (const char *d = sp + 1; d < eol && d < sp + 10 && isdigit((unsigned char)*d); d++)
        status = status * 10 + (*d - '0');
    h->status = status;
    const char *hs = eol + 1;
    /* headers end at the first empty line (CRLF CRLF or LF LF) */
    const char *p = hs;
    const char *body = NULL;
    while (p < end) {
        const char *le = memchr(p, '\n', (size_t)(end - p));
        if (!le) break;
        if (le == p || (le == p + 1 && *p == '\r')) {
            body = le + 1;
            break;
        }
        p = le + 1;
    }
    if (!body) return -1;
    h->headers = hs;
    h->headers_len = (size_t)(p - hs);
    h->body = (const unsigned char *)body;
    h->body_len = (size_t)(end - body);
    char v[256];
    if (wt_header_get(h->headers, h->headers_len, "Content-Type", v, sizeof v))
        parse_content_type(h, v);
    if (wt_header_get(h->headers, h->headers_len, "Content-Encoding", v, sizeof v))
        lower_copy(h->encoding, sizeof h->encoding, v, strlen(v));
    if (wt_header_get(h->headers, h->headers_len, "Transfer-Encoding", v, sizeof v))
        h->chunked = strcasestr(v, "chunked") != NULL;
    if (wt_header_get(h->headers, h->headers_len, "Content-Length", v, sizeof v) &&
        isdigit((unsigned char)v[0]))
        h->content_length = strtoll(v, NULL, 10);
    return 0;
}

/* Removes chunked framing. Returns flags. */
static int dechunk(const unsigned char *s, size_t n, ex_buf *out, size_t max_out) {
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && isxdigit(s[j])) j++;
        if (j == i || j - i > 15) return EX_HTTP_BAD_CHUNKING;
        uint64_t size = 0; /* at most 15 hex digits: fits; parsed within [i, j) */
        for (size_t k = i; k < j; k++)
            size = size * 16 + (uint64_t)(isdigit(s[k]) ? s[k] - '0' : (tolower(s[k]) - 'a' + 10));
        const unsigned char *nl = memchr(s + j, '\n', n - j);
        if (!nl) return EX_HTTP_BAD_CHUNKING;
        i = (size_t)(nl - s) + 1;
        if (size == 0) return 0;
        if (size > n - i) {
            size = n - i; /* truncated last chunk: keep what there is */
            ex_buf_add(out, s + i, out->len + size > max_out ? max_out - out->len : size);
            return EX_HTTP_BAD_CHUNKING;
        }
        if (out->len + size > max_out) {
            if (ex_buf_add(out, s + i, max_out - out->len) < 0) return -1;
            return EX_HTTP_CUT;
        }
        if (ex_buf_add(out, s + i, size) < 0) return -1;
        i += size;
        if (i < n && s[i] == '\r') i++;
        if (i < n && s[i] == '\n') i++;
    }
    return EX_HTTP_BAD_CHUNKING; /* no terminating zero chunk */
}

/* gzip (wbits 31), zlib (15) or raw deflate (-15) into out. */
static int inflate_to(const unsigned char *s, size_t n, int wbits, ex_buf *out, size_t max_out) {
    z_stream zs = {0};
    if (inflateInit2(&zs, wbits) != Z_OK) return -1;
    zs.next_in = (unsigned char *)s;
    zs.avail_in = (uInt)(n > UINT32_MAX ? UINT32_MAX : n);
    int flags = 0, ret = Z_OK;
    while (ret != Z_STREAM_END) {
        if (out->len >= max_out) {
            flags |= EX_HTTP_CUT;
            break;
        }
        size_t room = max_out - out->len < 65536 ? max_out - out->len : 65536;
        if (ex_buf_reserve(out, room) < 0) {
            inflateEnd(&zs);
            return -1;
        }
        zs.next_out = (unsigned char *)out->p + out->len;
        zs.avail_out = (uInt)room;
        ret = inflate(&zs, Z_NO_FLUSH);
        out->len += room - zs.avail_out;
        out->p[out->len] = 0;
        if (ret == Z_STREAM_END) break;
        if (ret != Z_OK) { /* data error, or truncated input (buf error) */
            flags |= EX_HTTP_BAD_ENCODING;
            break;
        }
    }
    inflateEnd(&zs);
    return flags;
}

static int brotli_to(const unsigned char *s, size_t n, ex_buf *out, size_t max_out) {
    BrotliDecoderState *st = BrotliDecoderCreateInstance(NULL, NULL, NULL);
    if (!st) return -1;
    size_t avail_in = n;
    const uint8_t *next_in = s;
    int flags = 0;
    for (;;) {
        if (out->len >= max_out) {
            flags |= EX_HTTP_CUT;
            break;
        }
        size_t room = max_out - out->len < 65536 ? max_out - out->len : 65536;
        if (ex_buf_reserve(out, room) < 0) {
            BrotliDecoderDestroyInstance(st);
            return -1;
        }
        size_t avail_out = room;
        uint8_t *next_out = (uint8_t *)out->p + out->len;
        BrotliDecoderResult r =
            BrotliDecoderDecompressStream(st, &avail_in, &next_in, &avail_out, &next_out, NULL);
        out->len += room - avail_out;
        out->p[out->len] = 0;
        if (r == BROTLI_DECODER_RESULT_SUCCESS) break;
        if (r == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT) continue;
        flags |= EX_HTTP_BAD_ENCODING; /* error, or input ended early */
        break;
    }
    BrotliDecoderDestroyInstance(st);
    return flags;
}

int ex_http_decode(const ex_http *h, size_t max_out, ex_buf *out) {
    ex_buf_clear(out);
    if (ex_buf_reserve(out, 0) < 0) return -1; /* out->p is never NULL, even for no payload */
    int flags = 0;
    if (h->content_length >= 0 && !h->chunked && (uint64_t)h->content_length != h->body_len)
        flags |= EX_HTTP_LENGTH_MISMATCH;
    const unsigned char *s = h->body;
    size_t n = h->body_len;
    ex_buf tmp = {0};
    bool coded = h->encoding[0] && strcmp(h->encoding, "identity") != 0;
    /* the encoded payload may be larger than max_out is for the output */
    size_t stage1_cap = coded ? h->body_len : max_out;
    if (h->chunked) {
        /* some archivers store the body already de-chunked: only dechunk if it looks chunked */
        if (n && isxdigit(s[0])) {
            int f = dechunk(s, n, coded ? &tmp : out, stage1_cap);
            if (f < 0) return ex_buf_free(&tmp), -1;
            flags |= f;
            if (coded) { /* tmp.p stays NULL when the framing yielded no bytes */
                n = tmp.len;
                if (n) s = (const unsigned char *)tmp.p;
            }
        } else {
            flags |= EX_HTTP_BAD_CHUNKING;
            if (!coded) {
                if (ex_buf_add(out, s, n < max_out ? n : max_out) < 0) return -1;
                if (n > max_out) flags |= EX_HTTP_CUT;
            }
        }
        if (!coded) return flags;
    }
    if (!coded) {
        if (ex_buf_add(out, s, n < max_out ? n : max_out) < 0) return -1;
        if (n > max_out) flags |= EX_HTTP_CUT;
        return flags;
    }
    int f;
    bool gz = !strcmp(h->encoding, "gzip") || !strcmp(h->encoding, "x-gzip");
    if (gz && !(n >= 2 && s[0] == 0x1f && s[1] == 0x8b)) {
        /* archived already decoded (some crawlers do) but still labelled */
        f = ex_buf_add(out, s, n < max_out ? n : max_out) < 0 ? -1
                                                              : (n > max_out ? EX_HTTP_CUT : 0);
    } else if (gz) {
        f = inflate_to(s, n, 31, out, max_out);
    } else if (!strcmp(h->encoding, "deflate")) {
        /* "deflate" is meant to be zlib-wrapped, but raw deflate is common */
        bool zlib_hdr = n >= 2 && (s[0] & 0x0f) == 8 && ((s[0] << 8) | s[1]) % 31 == 0;
        f = inflate_to(s, n, zlib_hdr ? 15 : -15, out, max_out);
    } else if (!strcmp(h->encoding, "br")) {
        f = brotli_to(s, n, out, max_out);
    } else {
        f = EX_HTTP_UNKNOWN_ENCODING;
    }
    ex_buf_free(&tmp);
    if (f < 0) return -1;
    return flags | f;
}
