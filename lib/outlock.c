/* One writer per output: flock(2) on DIR/.NAME.lock (or DIR/.lock), holder
 * information inside. Why flock rather than fcntl: the pipeline scripts lock with
 * flock(1), so one mechanism serves C and shell, and users can probe a lock
 * with `flock -n FILE true`. On NFS, Linux maps flock to the server's
 * byte-range locks, so it works where the mount's locking works. */
#include "outlock.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* Our command line from /proc/self/cmdline, arguments joined by spaces. */
static void command_line(char *buf, size_t n) {
    buf[0] = '\0';
    FILE *f = fopen("/proc/self/cmdline", "rb");
    if (!f) return;
    size_t len = fread(buf, 1, n - 1, f);
    fclose(f);
    while (len > 0 && buf[len - 1] == '\0') len--;
    buf[len] = '\0';
    for (size_t i = 0; i < len; i++)
        if (buf[i] == '\0' || buf[i] == '\n' || buf[i] == '\r') buf[i] = ' ';
}

/* Writes "pid P\nhost H\nsince T\ncommand C\n" into the held lock file. */
static void write_holder(int fd) {
    char host[256] = "unknown", since[32] = "", cmd[1024], text[1600];
    if (gethostname(host, sizeof host) != 0) snprintf(host, sizeof host, "unknown");
    host[sizeof host - 1] = '\0';
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm)) strftime(since, sizeof since, "%Y-%m-%dT%H:%M:%SZ", &tm);
    command_line(cmd, sizeof cmd);
    int len = snprintf(text, sizeof text, "pid %ld\nhost %s\nsince %s\ncommand %s\n",
                       (long)getpid(), host, since, cmd);
    if (len < 0) return;
    if ((size_t)len >= sizeof text) len = (int)sizeof text - 1;
    /* best effort: without it a refused run names "an unknown process" */
    if (ftruncate(fd, 0) == 0 && pwrite(fd, text, (size_t)len, 0) < 0) return;
}

/* The value of line "KEY value" in text, copied into out (empty if absent). */
static void field(const char *text, const char *key, char *out, size_t n) {
    out[0] = '\0';
    size_t k = strlen(key);
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        if (strncmp(p, key, k) || p[k] != ' ') continue;
        const char *v = p + k + 1, *e = strchr(v, '\n');
        size_t len = e ? (size_t)(e - v) : strlen(v);
        if (len >= n) len = n - 1;
        memcpy(out, v, len);
        out[len] = '\0';
        return;
    }
}

void wt_outlock_holder(const char *path, char *buf, size_t n) {
    char text[1600] = "";
    /* a holder that has just taken the lock writes its details a moment later */
    for (int tries = 0; tries < 50; tries++) {
        FILE *f = fopen(path, "rb");
        size_t len = 0;
        if (f) {
            len = fread(text, 1, sizeof text - 1, f);
            fclose(f);
        }
        text[len] = '\0';
        if (strstr(text, "command ")) break;
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    char pid[32], host[256], since[32], cmd[1024];
    field(text, "pid", pid, sizeof pid);
    field(text, "host", host, sizeof host);
    field(text, "since", since, sizeof since);
    field(text, "command", cmd, sizeof cmd);
    if (!pid[0]) {
        snprintf(buf, n, "an unknown process (no holder details in %s)", path);
        return;
    }
    char here[256] = "";
    if (gethostname(here, sizeof here) != 0) here[0] = '\0';
    here[sizeof here - 1] = '\0';
    long p = strtol(pid, NULL, 10);
    bool gone = p > 0 && !strcmp(here, host) && kill((pid_t)p, 0) != 0 && errno == ESRCH;
    snprintf(buf, n, "pid %s on host %s since %s (command: %s)%s", pid, host, since, cmd,
             gone ? "; that process has exited, a child process it started still holds the lock"
                  : "");
}

/* Locks the file at path without waiting: 0 held (l->fd), 1 held by another
 * live process, -1 failure. */
static int take(wt_outlock *l, const char *path, const char *output, wt_error *err) {
    /* The holder removes the file when it ends; a file we locked after that
     * is no longer the one at the path, so take the path's current file. */
    for (int tries = 0; tries < 100; tries++) {
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
        if (fd < 0) return wt_fail_errno(err, "cannot open the lock file %s", path);
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int e = errno;
            close(fd);
            if (e == EWOULDBLOCK) {
                char holder[2048];
                wt_outlock_holder(path, holder, sizeof holder);
                wt_fail(err, "%s is being written by %s; refusing", output, holder);
                return 1;
            }
            errno = e;
            if (e == ENOLCK || e == EOPNOTSUPP)
                return wt_fail_errno(err,
                                     "cannot lock %s (a filesystem without working locks, "
                                     "e.g. NFS without lockd: see README, 'One writer per output')",
                                     path);
            return wt_fail_errno(err, "cannot lock %s", path);
        }
        struct stat a, b;
        if (fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
            a.st_ino == b.st_ino) {
            l->fd = fd;
            write_holder(fd);
            return 0;
        }
        close(fd);
    }
    return wt_fail(err, "cannot lock %s: the file keeps being replaced", path);
}

/* The lock file's name for output and suffix (see outlock.h); snprintf's result. */
static int lock_path(char *buf, size_t n, const char *output, const char *suffix) {
    const char *slash = strrchr(output, '/');
    if (suffix[0] == '/') return snprintf(buf, n, "%s%s", output, suffix);
    if (!slash) return snprintf(buf, n, ".%s%s", output, suffix);
    return snprintf(buf, n, "%.*s/.%s%s", (int)(slash - output), output, slash + 1, suffix);
}

int wt_outlock_take(wt_outlock *l, const char *output, const char *suffix, wt_error *err) {
    *l = (wt_outlock){.held = false, .fd = -1};
    char path[4096], dir[4096];
    int len = lock_path(path, sizeof path, output, suffix);
    if (len < 0 || (size_t)len >= sizeof path)
        return wt_fail(err, "output name too long (%zu bytes): %.80s...", strlen(output), output);
    memcpy(dir, path, (size_t)len + 1);
    char *cut = strrchr(dir, '/');
    if (cut && cut != dir) {
        *cut = '\0';
        WT_TRY(wt_mkdir_p(dir, err));
    }
    int rc = take(l, path, output, err);
    if (rc != 0) return rc;
    if (!(l->path = strdup(path))) {
        unlink(path);
        close(l->fd);
        return wt_fail(err, "out of memory");
    }
    l->held = true;
    return 0;
}

int wt_outlock_main(wt_outlock *l, const char *prog, const char *output, const char *suffix) {
    wt_error err;
    int rc = wt_outlock_take(l, output, suffix, &err);
    if (rc == 0) return WT_EXIT_OK;
    wt_report(prog, &err);
    return rc > 0 ? WT_EXIT_LOCKED : WT_EXIT_FAIL;
}

void wt_outlock_release(wt_outlock *l) {
    if (!l->held) return;
    /* unlink first: a run that opened this file meanwhile sees it replaced */
    unlink(l->path);
    close(l->fd);
    free(l->path);
    *l = (wt_outlock){.held = false, .fd = -1};
}
