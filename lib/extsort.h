/* External sort of text lines (byte order, as `LC_ALL=C sort`), in bounded
 * memory: lines are gathered up to a memory budget, sorted, and written as
 * runs to a temporary folder; the runs are then merged with a heap. A sort
 * that fits the budget never touches the disk. Lines must not contain '\n'. */
#ifndef WT_EXTSORT_H
#define WT_EXTSORT_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct wt_extsort wt_extsort;

/* tmpdir: where runs go (created if missing; run files are removed as the
 * sort ends). mem_bytes: the budget for lines held in memory, e.g. 256 MiB. */
wt_extsort *wt_extsort_new(const char *tmpdir, size_t mem_bytes, wt_error *err);
int wt_extsort_add(wt_extsort *s, const char *line, size_t n, wt_error *err);
/* Ends the input; after it, wt_extsort_next yields the lines in order. */
int wt_extsort_finish(wt_extsort *s, wt_error *err);
/* Next line (valid until the next call): 1, 0 at the end, -1 on error. */
int wt_extsort_next(wt_extsort *s, const char **line, size_t *n, wt_error *err);
uint64_t wt_extsort_runs(const wt_extsort *s); /* runs written to disk (0: sorted in memory) */
uint64_t wt_extsort_lines(const wt_extsort *s);
void wt_extsort_free(wt_extsort *s);

#endif
