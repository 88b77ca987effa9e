/* Progress on stderr: on a terminal, one line redrawn at most a few times a
 * second; in a log (stderr not a terminal: Slurm, nohup), the same words as
 * one line every `interval` seconds (30 by default, 0: none), and a final
 * line when any was printed. Silent when quiet. */
#ifndef WT_PROGRESS_H
#define WT_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

/* Default seconds between two progress lines in a log (--progress-interval). */
#define WT_PROGRESS_INTERVAL 30.0

typedef struct wt_progress {
    const char *label; /* e.g. "tokenize docs-00003" */
    const char *unit;  /* e.g. "MB", "docs" */
    uint64_t total;    /* 0 when unknown: no ETA */
    uint64_t done;
    double scale; /* shown value = done / scale, e.g. 1e6 for MB */
    double start, last_draw;
    double interval; /* seconds between log lines, e.g. 30; 0: none */
    bool enabled;    /* not quiet */
    bool tty;        /* stderr is a terminal: redraw one line */
    bool logged;     /* a log line was printed: print the final one too */
} wt_progress;

void wt_progress_init(wt_progress *p, const char *label, const char *unit, double scale,
                      uint64_t total, bool quiet);
/* Seconds between lines when stderr is not a terminal (0: none); call after init. */
void wt_progress_every(wt_progress *p, double seconds);
void wt_progress_set(wt_progress *p, uint64_t done);
void wt_progress_add(wt_progress *p, uint64_t delta);
/* Draws the final line and a newline (in a log: only when a line was printed). */
void wt_progress_finish(wt_progress *p);

/* Monotonic seconds. */
double wt_now(void);

#endif
