/* LD_PRELOAD fault injector for the fault tests: once WT_FAULT_WRITE_AFTER
 * bytes have gone to files named *.tmp (the stages' outputs in progress),
 * every further write to such a file fails with ENOSPC, as on a full disk.
 * WT_FAULT_FSYNC=1 makes fsync fail with EIO instead. Test-only code. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

typedef ssize_t (*write_fn)(int, const void *, size_t);
typedef int (*fsync_fn)(int);

static int fd_is_tmp_output(int fd) {
    char link[64], path[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (n < 4) return 0;
    path[n] = '\0';
    return !strcmp(path + n - 4, ".tmp");
}

/* Byte budget shared by all threads; a race only moves the failure point. */
static long long fault_budget(void) {
    static long long budget = -2;
    if (budget == -2) {
        const char *s = getenv("WT_FAULT_WRITE_AFTER");
        budget = s ? atoll(s) : -1;
    }
    return budget;
}

static long long written_so_far;

ssize_t write(int fd, const void *buf, size_t n) {
    static write_fn real;
    if (!real) real = (write_fn)dlsym(RTLD_NEXT, "write");
    long long budget = fault_budget();
    if (budget >= 0 && fd > 2 && fd_is_tmp_output(fd)) {
        if (written_so_far + (long long)n > budget) {
            errno = ENOSPC;
            return -1;
        }
        written_so_far += (long long)n;
    }
    return real(fd, buf, n);
}

int fsync(int fd) {
    static fsync_fn real;
    if (!real) real = (fsync_fn)dlsym(RTLD_NEXT, "fsync");
    const char *s = getenv("WT_FAULT_FSYNC");
    if (s && *s == '1' && fd_is_tmp_output(fd)) {
        errno = EIO;
        return -1;
    }
    return real(fd);
}
