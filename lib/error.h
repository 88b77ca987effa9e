/* Errors as values: library code fills a wt_error and returns -1; only main()
 * reports and chooses the exit code. Bad records in a data file are reported
 * with file and position, counted, and skipped (or fatal under --strict). */
#ifndef WT_ERROR_H
#define WT_ERROR_H

#include <stdbool.h>
#include <stdint.h>

/* Exit statuses of every binary. WT_EXIT_LOCKED: another live run is writing
 * the output (lib/outlock.h); nothing was touched. */
enum { WT_EXIT_OK = 0, WT_EXIT_FAIL = 1, WT_EXIT_USAGE = 2, WT_EXIT_LOCKED = 3 };

typedef struct wt_error {
    char msg[1024]; /* e.g. "docs-00000.jsonl.zst: truncated zstd frame at byte 4096" */
} wt_error;

/* Sets err (may be NULL) to the formatted message; returns -1. */
int wt_fail(wt_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* As wt_fail, appending ": strerror(errno)". */
int wt_fail_errno(wt_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prepends "context: " to an existing message; returns -1. */
int wt_error_context(wt_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Propagate a failure unchanged: WT_TRY(wt_writer_write(w, p, n, err)); */
#define WT_TRY(expr)                                                                               \
    do {                                                                                           \
        if ((expr) < 0) return -1;                                                                 \
    } while (0)

/* Prints "prog: message" on stderr. */
void wt_report(const char *prog, const wt_error *err);

/* Counts bad input records. Reports the first `max_print` of them as
 * "stage: file:record: reason" on stderr (then only the count). */
typedef struct wt_badrec {
    const char *stage;  /* e.g. "tokenize" */
    bool strict;        /* --strict: the first bad record is fatal */
    uint64_t count;     /* bad records seen so far */
    uint64_t max_print; /* 0 means the default, 20 */
} wt_badrec;

/* Records one bad record. Returns 0 to skip it and go on, or -1 (with err
 * set) under --strict. */
int wt_bad_record(wt_badrec *b, wt_error *err, const char *file, uint64_t record, const char *fmt,
                  ...) __attribute__((format(printf, 5, 6)));

#endif
