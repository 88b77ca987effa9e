/* trafilatura's evaluation metric (see snippet.h). */
#include "snippet.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Python's str.isspace(): bidirectional class WS, B or S, or category Zs. */
static bool py_space(utf8proc_int32_t cp) {
    if (cp < 128) return (cp >= 9 && cp <= 13) || (cp >= 0x1c && cp <= 0x20);
    if (cp == 0x85 || cp == 0xa0 || cp == 0x1680 || cp == 0x2028 || cp == 0x2029 || cp == 0x202f ||
        cp == 0x205f || cp == 0x3000)
        return true;
    return cp >= 0x2000 && cp <= 0x200a;
}

char *ex_snip_normalize(const char *s, size_t n) {
    char *o = malloc(n + 1);
    if (!o) return NULL;
    size_t k = 0, i = 0;
    bool pending = false;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t l =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (l <= 0) l = 1, cp = -1;
        if (cp >= 0 && py_space(cp)) {
            pending = k > 0;
        } else {
            if (pending) o[k++] = ' ';
            pending = false;
            memcpy(o + k, s + i, (size_t)l);
            k += (size_t)l;
        }
        i += (size_t)l;
    }
    o[k] = 0;
    return o;
}

static int found(const char *text_norm, const char *snippet, bool *out) {
    char *s = ex_snip_normalize(snippet, strlen(snippet));
    if (!s) return -1;
    *out = text_norm[0] && strstr(text_norm, s) != NULL; /* no output: nothing found */
    free(s);
    return 0;
}

int ex_snip_count(const char *text_norm, const char *const *with, size_t n_with,
                  const char *const *without, size_t n_without, ex_snip_counts *c) {
    for (size_t i = 0; i < n_with; i++) {
        bool f;
        if (found(text_norm, with[i], &f) < 0) return -1;
        if (f)
            c->tp++;
        else
            c->fn++;
    }
    for (size_t i = 0; i < n_without; i++) {
        bool f;
        if (found(text_norm, without[i], &f) < 0) return -1;
        if (f)
            c->fp++;
        else
            c->tn++;
    }
    return 0;
}

void ex_snip_total_of(const ex_snip_counts *c, ex_snip_total *out) {
    double tp = (double)c->tp, fp = (double)c->fp, fn = (double)c->fn, tn = (double)c->tn;
    double all = tp + fp + fn + tn;
    out->precision = tp + fp > 0 ? tp / (tp + fp) : 0;
    out->recall = tp + fn > 0 ? tp / (tp + fn) : 0;
    out->accuracy = all > 0 ? (tp + tn) / all : 0;
    out->f1 = 2 * tp + fp + fn > 0 ? 2 * tp / (2 * tp + fp + fn) : 0;
}
