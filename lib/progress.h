/* Progress on stderr when it is a terminal: count, rate and ETA, redrawn at
 * most a few times a second. Silent when stderr is not a tty or when quiet. */
#ifndef WT_PROGRESS_H
#define WT_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct wt_progress {
    const char *label; /* e.g. "tokenize docs-00003" */
    const char *unit;  /* e.g. "MB", "docs" */
    uint64_t total;    /* 0 when unknown: no ETA */
    uint64_t done;
    double scale; /* shown value = done / scale, e.g. 1e6 for MB */
    double start, last_draw;
    bool enabled;
} wt_progress;

void wt_progress_init(wt_progress *p, const char *label, const char *unit, double scale,
                      uint64_t total, bool quiet);
void wt_progress_set(wt_progress *p, uint64_t done);
void wt_progress_add(wt_progress *p, uint64_t delta);
/* Draws the final line and a newline. */
void wt_progress_finish(wt_progress *p);

/* Monotonic seconds. */
double wt_now(void);

#endif
