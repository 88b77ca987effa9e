/* Progress line: done/total, rate and ETA, redrawn on a terminal or printed
 * every few seconds in a log (see progress.h). */
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

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
    p->last_draw = p->start;
    p->interval = WT_PROGRESS_INTERVAL;
    p->enabled = !quiet;
    p->tty = isatty(STDERR_FILENO);
    p->logged = false;
}

void wt_progress_every(wt_progress *p, double seconds) {
    p->interval = seconds > 0 ? seconds : 0;
}

/* One line in the same words on a terminal (redrawn in place after \r) and in
 * a log (ended by a newline). */
static void progress_draw(const wt_progress *p, double now) {
    double elapsed = now - p->start;
    double shown = (double)p->done / p->scale;
    double rate = elapsed > 0 ? shown / elapsed : 0;
    const char *head = p->tty ? "\r" : "";
    const char *tail = p->tty ? "   " : "\n";
    if (p->total) {
        double frac = (double)p->done / (double)p->total;
        double eta = frac > 0 ? elapsed * (1 - frac) / frac : 0;
        fprintf(stderr, "%s%s: %.1f/%.1f %s (%.0f%%) %.1f %s/s ETA %.0fs%s", head, p->label, shown,
                (double)p->total / p->scale, p->unit, 100 * frac, rate, p->unit, eta, tail);
    } else {
        fprintf(stderr, "%s%s: %.1f %s %.1f %s/s%s", head, p->label, shown, p->unit, rate, p->unit,
                tail);
    }
}

void wt_progress_set(wt_progress *p, uint64_t done) {
    p->done = done;
    if (!p->enabled || (!p->tty && p->interval <= 0)) return;
    double now = wt_now();
    if (now - p->last_draw < (p->tty ? 0.25 : p->interval)) return;
    p->last_draw = now;
    progress_draw(p, now);
    if (!p->tty) {
        fflush(stderr);
        p->logged = true;
    }
}

void wt_progress_add(wt_progress *p, uint64_t delta) {
    wt_progress_set(p, p->done + delta);
}

void wt_progress_finish(wt_progress *p) {
    if (!p->enabled) return;
    if (p->tty) {
        progress_draw(p, wt_now());
        fputc('\n', stderr);
    } else if (p->logged) {
        progress_draw(p, wt_now());
    }
}
