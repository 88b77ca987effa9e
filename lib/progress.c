/* Terminal progress line: done/total, rate and ETA (see progress.h). */
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

double wt_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void wt_progress_init(wt_progress *p, const char *label, const char *unit, double scale,
                      uint64_t total, bool quiet) {
    p->label = label;
    p->unit = unit;
    p->scale = scale > 0 ? scale : 1;
    p->total = total;
    p->done = 0;
    p->start = wt_now();
    p->last_draw = 0;
    p->enabled = !quiet && isatty(STDERR_FILENO);
}

static void progress_draw(const wt_progress *p, double now) {
    double elapsed = now - p->start;
    double shown = (double)p->done / p->scale;
    double rate = elapsed > 0 ? shown / elapsed : 0;
    if (p->total) {
        double frac = (double)p->done / (double)p->total;
        double eta = frac > 0 ? elapsed * (1 - frac) / frac : 0;
        fprintf(stderr, "\r%s: %.1f/%.1f %s (%.0f%%) %.1f %s/s ETA %.0fs   ", p->label, shown,
                (double)p->total / p->scale, p->unit, 100 * frac, rate, p->unit, eta);
    } else {
        fprintf(stderr, "\r%s: %.1f %s %.1f %s/s   ", p->label, shown, p->unit, rate, p->unit);
    }
}

void wt_progress_set(wt_progress *p, uint64_t done) {
    p->done = done;
    if (!p->enabled) return;
    double now = wt_now();
    if (now - p->last_draw < 0.25) return;
    p->last_draw = now;
    progress_draw(p, now);
}

void wt_progress_add(wt_progress *p, uint64_t delta) {
    wt_progress_set(p, p->done + delta);
}

void wt_progress_finish(wt_progress *p) {
    if (!p->enabled) return;
    progress_draw(p, wt_now());
    fputc('\n', stderr);
}
