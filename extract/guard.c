/* Pre-parse guards (see guard.h). */
#include "guard.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

bool ex_guard_is_binary(const unsigned char *s, size_t n) {
    if (n >= 2 && ((s[0] == 0xff && s[1] == 0xfe) || (s[0] == 0xfe && s[1] == 0xff))) return false;
    static const struct {
        const char *magic;
        size_t len;
    } sig[] = {{"%PDF-", 5},
               {"\x89PNG", 4},
               {"GIF8", 4},
               {"\xff\xd8\xff", 3},
               {"PK\x03\x04", 4},
               {"\x1f\x8b", 2},
               {"BZh", 3},
               {"\x7f"
                "ELF",
                4},
               {"OggS", 4},
               {"ID3", 3},
               {"RIFF", 4},
               {"\x28\xb5\x2f\xfd", 4},
               {"\xfd"
                "7zXZ",
                5}};
    for (size_t i = 0; i < sizeof sig / sizeof sig[0]; i++)
        if (n >= sig[i].len && memcmp(s, sig[i].magic, sig[i].len) == 0) return true;
    size_t m = n < 8192 ? n : 8192, nul = 0, ctl = 0;
    for (size_t i = 0; i < m; i++) {
        unsigned char c = s[i];
        if (c == 0)
            nul++;
        else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b)
            ctl++;
    }
    return nul * 100 > m || (nul + ctl) * 20 > m; /* > 1% NUL or > 5% control bytes */
}

/* Elements that never hold children, or whose end tag the parser implies
 * when a sibling starts (p, li, td, ...; an <a> or <nobr> closes an open
 * one): they do not deepen the tree in practice. */
static bool flat_tag(const char *t, size_t n) {
    static const char *names[] = {
        "area", "base",   "br",    "col",      "embed",   "hr",       "img",      "input",
        "link", "meta",   "param", "source",   "track",   "wbr",      "p",        "li",
        "dt",   "dd",     "td",    "th",       "tr",      "option",   "optgroup", "rb",
        "rt",   "rp",     "tbody", "thead",    "tfoot",   "colgroup", "html",     "head",
        "body", "keygen", "frame", "basefont", "bgsound", "a",        "nobr",     NULL};
    for (int i = 0; names[i]; i++)
        if (strlen(names[i]) == n && strncasecmp(t, names[i], n) == 0) return true;
    return false;
}

static bool raw_text_tag(const char *t, size_t n) {
    static const char *names[] = {"script",  "style",    "textarea",  "title", "xmp",
                                  "noembed", "noframes", "plaintext", NULL};
    for (int i = 0; names[i]; i++)
        if (strlen(names[i]) == n && strncasecmp(t, names[i], n) == 0) return true;
    return false;
}

/* Finds "</name" (case-insensitive) from p; returns its position or end. */
static const char *find_end_tag(const char *p, const char *end, const char *name, size_t n) {
    while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
        if ((size_t)(end - p) > n + 2 && p[1] == '/' && strncasecmp(p + 2, name, n) == 0) return p;
        p++;
    }
    return end;
}

size_t ex_guard_depth_prefix(const char *s, size_t n, int max_depth) {
    const char *p = s, *end = s + n;
    int depth = 0;
    while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
        const char *tag_start = p;
        p++;
        if (p >= end) break;
        if (*p == '!') { /* comment, doctype, CDATA */
            if (end - p >= 3 && p[1] == '-' && p[2] == '-') {
                const char *c = memmem(p + 3, (size_t)(end - p - 3), "-->", 3);
                p = c ? c + 3 : end;
            } else {
                const char *c = memchr(p, '>', (size_t)(end - p));
                p = c ? c + 1 : end;
            }
            continue;
        }
        bool closing = *p == '/';
        if (closing) p++;
        const char *name = p;
        while (p < end && (isalnum((unsigned char)*p) || *p == '-' || *p == ':')) p++;
        size_t nl = (size_t)(p - name);
        if (nl == 0 || !isalpha((unsigned char)name[0])) continue;
        const char *gt = memchr(p, '>', (size_t)(end - p));
        if (!gt) break;
        bool self_closing = gt > p && gt[-1] == '/';
        if (closing) {
            if (!flat_tag(name, nl) && depth > 0) depth--;
        } else if (raw_text_tag(name, nl)) {
            p = find_end_tag(gt + 1, end, name, nl);
            continue;
        } else if (!self_closing && !flat_tag(name, nl)) {
            if (++depth > max_depth) return (size_t)(tag_start - s);
        }
        p = gt + 1;
    }
    return n;
}
