/* See utf8.h. */
#include "utf8.h"

size_t wt_utf8_valid_prefix(const unsigned char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t bad, k = wt_utf8_decode(s + i, n - i, &cp, &bad);
        if (!k) return i;
        i += k;
    }
    return n;
}

size_t wt_utf8_encode(uint32_t cp, unsigned char out[4]) {
    size_t n;
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    } else if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | cp >> 6), n = 2;
    } else if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | cp >> 12), n = 3;
    } else {
        out[0] = (unsigned char)(0xF0 | cp >> 18), n = 4;
    }
    for (size_t i = 1; i < n; i++)
        out[i] = (unsigned char)(0x80 | (cp >> (6 * (n - 1 - i)) & 0x3F));
    return n;
}

long wt_utf8_clean(const unsigned char *s, size_t n, int flags, wt_utf8_sink put, void *ctx) {
    long replaced = 0;
    size_t i = 0, start = 0; /* s[start..i) is valid and not yet written */
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80 && (c != 0 || !(flags & WT_UTF8_DROP_NUL))) {
            i++;
            continue;
        }
        size_t bad = 1, k = 0;
        uint32_t cp;
        if (c != 0) k = wt_utf8_decode(s + i, n - i, &cp, &bad);
        if (k) {
            i += k;
            continue;
        }
        if (i > start && put(ctx, s + start, i - start) < 0) return -1;
        if (c != 0 && put(ctx, "\xef\xbf\xbd", 3) < 0) return -1;
        replaced++;
        i += (flags & WT_UTF8_PER_BYTE) ? 1 : bad;
        start = i;
    }
    if (start < n && put(ctx, s + start, n - start) < 0) return -1;
    return replaced;
}
