/* LD_PRELOAD helper of the lock tests: when WT_HOLD_GATE names a FIFO, the
 * first write of holder details into a *.lock file (lib/outlock.c) is
 * followed by a wait until the test opens and closes the FIFO. The stage
 * then holds its output's lock, paused, for as long as the test needs,
 * without timing guesses. Test-only code. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

typedef ssize_t (*pwrite_fn)(int, const void *, size_t, off_t);

static int fd_is_lock(int fd) {
    char link[64], path[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (n < 5) return 0;
    path[n] = '\0';
    return !strcmp(path + n - 5, ".lock");
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off) {
    static pwrite_fn real;
    static int done;
    if (!real) real = (pwrite_fn)dlsym(RTLD_NEXT, "pwrite");
    ssize_t rc = real(fd, buf, n, off);
    const char *gate = getenv("WT_HOLD_GATE");
    if (!done && gate && *gate && fd_is_lock(fd)) {
        done = 1;
        int g = open(gate, O_RDONLY); /* blocks until the test opens it for writing */
        char c;
        if (g >= 0) {
            while (read(g, &c, 1) > 0) {
            }
            close(g);
        }
    }
    return rc;
}
