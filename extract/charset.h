/* Character set detection and conversion to UTF-8. The order follows the
 * HTML5 rules (BOM, then the HTTP header, then a <meta> prescan), with two
 * well-known corrections: a page declared Latin-1 whose bytes are valid UTF-8
 * is UTF-8, and an undeclared page that is not UTF-8 is guessed by uchardet. */
#ifndef EX_CHARSET_H
#define EX_CHARSET_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

typedef struct ex_charset_info {
    char name[48];      /* the charset used, e.g. "utf-8", "windows-1252" */
    const char *source; /* "bom", "header", "meta", "utf8", "uchardet", "default" */
    uint64_t replaced;  /* invalid sequences replaced by U+FFFD (NUL bytes dropped count too) */
    int unsupported;    /* 1 when the declared charset was unknown to iconv */
} ex_charset_info;

/* Converts n bytes of HTML to UTF-8 in out (cleared first). header_charset
 * is the HTTP charset parameter or "". Returns 0, -1 when out of memory. */
int ex_charset_to_utf8(const unsigned char *s, size_t n, const char *header_charset, ex_buf *out,
                       ex_charset_info *info);

/* Appends s as valid UTF-8 (invalid bytes replaced by U+FFFD, NULs dropped);
 * returns the number replaced or dropped, -1 when out of memory. */
int64_t ex_utf8_clean(const unsigned char *s, size_t n, ex_buf *out);

/* Finds a charset declared in a <meta> tag within the first bytes of s;
 * writes the lowercased label to out. Returns 1 if found. */
int ex_charset_from_meta(const unsigned char *s, size_t n, char *out, size_t out_n);

#endif
