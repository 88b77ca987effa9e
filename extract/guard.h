/* Cheap checks run before the HTML parser so that one pathological page
 * costs bounded time and memory: binary payloads are refused, and the markup
 * is cut where its element nesting would exceed a depth cap. */
#ifndef EX_GUARD_H
#define EX_GUARD_H

#include <stdbool.h>
#include <stddef.h>

/* True when the bytes look binary rather than text: NUL bytes or many
 * control characters in the first 8 KiB, or a known binary signature. A
 * UTF-16 byte order mark is text. */
bool ex_guard_is_binary(const unsigned char *s, size_t n);

/* Scans the tags of s and returns the length of the prefix in which the
 * nesting of elements stays at most max_depth (n when it always does).
 * Void elements, elements whose end tag is optional (p, li, td, ...) and the
 * contents of script, style, comments and the like are not counted, so the
 * estimate is an upper bound of what an HTML5 parser would build for the
 * common cases. */
size_t ex_guard_depth_prefix(const char *s, size_t n, int max_depth);

#endif
