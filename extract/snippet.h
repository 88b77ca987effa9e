/* trafilatura's evaluation metric (tests/evaluate.py, as stated in the data
 * set's SOURCE.md): per page, each `with` snippet found in the extracted text
 * is a true positive (else a false negative), each `without` snippet found is
 * a false positive (else a true negative); "found" is a substring test after
 * whitespace normalisation; counts are summed over pages (micro average). */
#ifndef EX_SNIPPET_H
#define EX_SNIPPET_H

#include <stddef.h>

/* Counts of one page or of a sum of pages. */
typedef struct ex_snip_counts {
    size_t tp, fn, fp, tn;
} ex_snip_counts;

/* Copies s[0..n) to a NUL-terminated string where every run of Unicode
 * whitespace (Python's str.split() set) is one space, ends trimmed.
 * Returns NULL when out of memory; free() it. */
char *ex_snip_normalize(const char *s, size_t n);

/* Adds to *c the page's counts: text_norm is the normalised extracted text,
 * with/without the raw snippets. Returns 0, -1 out of memory. */
int ex_snip_count(const char *text_norm, const char *const *with, size_t n_with,
                  const char *const *without, size_t n_without, ex_snip_counts *c);

typedef struct ex_snip_total {
    double precision, recall, f1, accuracy;
} ex_snip_total;

void ex_snip_total_of(const ex_snip_counts *c, ex_snip_total *out);

#endif
