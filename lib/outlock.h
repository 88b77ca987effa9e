/* One writer per output: an exclusive flock(2) on a lock file beside the
 * output, taken without waiting and held for the whole run. The file holds
 * the holder's pid, host, start time and command line, so that a second run
 * refuses at once naming them. The kernel drops the lock when its holder
 * dies (kill -9 included), so a stale lock file never blocks a rerun. */
#ifndef WT_OUTLOCK_H
#define WT_OUTLOCK_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

typedef struct wt_outlock {
    bool held;
    int fd;
    char *path; /* e.g. "out/.crawl-00000.warc.gz.lock" (owned) */
} wt_outlock;   /* zero-initialised: not held */

/* Where the lock file goes: beside a file output (DIR/NAME -> DIR/.NAME.lock,
 * hidden, so that globs of outputs such as docs-* never match it), inside a
 * folder output (DIR/.lock). */
#define WT_LOCK_FILE ".lock"
#define WT_LOCK_DIR "/.lock"

/* Takes the lock of `output`. The lock file is output + suffix when suffix
 * starts with '/' (e.g. WT_LOCK_DIR, "/.signatures-00003.lock"), else the
 * hidden DIR/.NAME + suffix beside it (WT_LOCK_FILE); its folder is
 * created. Returns 0 when held; 1 when another live process holds it (err:
 * "OUTPUT is being written by pid P on host H since T (command: ...);
 * refusing"); -1 on any other failure. Nothing is written when it is not 0. */
int wt_outlock_take(wt_outlock *l, const char *output, const char *suffix, wt_error *err);

/* For a command's main: takes the lock or reports why not as "prog: ...".
 * Returns 0 when held, else the exit status: WT_EXIT_LOCKED or WT_EXIT_FAIL. */
int wt_outlock_main(wt_outlock *l, const char *prog, const char *output, const char *suffix);

/* Removes the lock file and drops the lock (no-op when not held). */
void wt_outlock_release(wt_outlock *l);

/* Reads the holder description of lock file `path` into buf: "pid P on host
 * H since T (command: ...)"; "an unknown process" when the file is empty. */
void wt_outlock_holder(const char *path, char *buf, size_t n);

#endif
