/* The word count used through the extract stage: runs of non-space bytes
 * (a CJK line without spaces is one word). */
#ifndef EX_WORDS_H
#define EX_WORDS_H

#include <stddef.h>

size_t ex_count_words(const char *s, size_t n);

#endif
