/* See words.h. */
#include "words.h"

#include <ctype.h>
#include <stdbool.h>

size_t ex_count_words(const char *s, size_t n) {
    size_t w = 0;
    bool in = false;
    for (size_t i = 0; i < n; i++) {
        bool sp = isspace((unsigned char)s[i]);
        if (!sp && !in) w++;
        in = !sp;
    }
    return w;
}
