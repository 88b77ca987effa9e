/* Command-line helpers shared by the stage binaries (see cli.h). */
#include "cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void dispatch_usage(FILE *out, const char *prog, const char *about, const wt_command *cmds) {
    fprintf(out, "%s: %s\n\nusage: %s COMMAND [options]\n\ncommands:\n", prog, about, prog);
    for (const wt_command *c = cmds; c->name; c++)
        fprintf(out, "  %-10s %s\n", c->name, c->summary);
    fprintf(out, "\nRun '%s COMMAND --help' for a command's options.\n", prog);
}

int wt_dispatch(const char *prog, const char *about, const wt_command *cmds, int argc,
                char **argv) {
    if (argc < 2) {
        dispatch_usage(stderr, prog, about, cmds);
        return WT_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
        dispatch_usage(stdout, prog, about, cmds);
        return WT_EXIT_OK;
    }
    if (!strcmp(name, "--version")) {
#ifdef WEBTEXT_VERSION
        printf("%s %s\n", prog, WEBTEXT_VERSION);
#endif
        return WT_EXIT_OK;
    }
    for (const wt_command *c = cmds; c->name; c++)
        if (!strcmp(c->name, name)) return c->run(argc - 1, argv + 1);
    fprintf(stderr, "%s: unknown command '%s'\n", prog, name);
    dispatch_usage(stderr, prog, about, cmds);
    return WT_EXIT_USAGE;
}

int wt_parse_i64(const char *prog, const char *opt, const char *s, int64_t min, int64_t max,
                 int64_t *out) {
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 0);
    if (errno || end == s || *end) {
        fprintf(stderr, "%s: %s: '%s' is not a whole number\n", prog, opt, s);
        return -1;
    }
    if (v < min || v > max) {
        fprintf(stderr, "%s: %s: %lld is outside [%" PRId64 ", %" PRId64 "]\n", prog, opt, v, min,
                max);
        return -1;
    }
    *out = v;
    return 0;
}

int wt_parse_double(const char *prog, const char *opt, const char *s, double min, double max,
                    double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || v != v) {
        fprintf(stderr, "%s: %s: '%s' is not a number\n", prog, opt, s);
        return -1;
    }
    if (v < min || v > max) {
        fprintf(stderr, "%s: %s: %g is outside [%g, %g]\n", prog, opt, v, min, max);
        return -1;
    }
    *out = v;
    return 0;
}

int wt_ncpus(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

int wt_threads(int64_t requested) {
    if (requested <= 0) return wt_ncpus();
    return requested > 1024 ? 1024 : (int)requested;
}

int wt_mkdir_p(const char *path, wt_error *err) {
    char buf[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf) return wt_fail(err, "%s: bad folder name", path);
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] != '/' && buf[i] != '\0') continue;
        char saved = buf[i];
        buf[i] = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return wt_fail_errno(err, "cannot create folder %s", buf);
        buf[i] = saved;
    }
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return wt_fail(err, "%s exists and is not a folder", path);
    return 0;
}

bool wt_file_exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

void wt_shard_path(char *buf, size_t n, const char *dir, const char *prefix, uint64_t index,
                   const char *suffix) {
    snprintf(buf, n, "%s/%s-%05llu.%s", dir, prefix, (unsigned long long)index, suffix);
}

int64_t wt_shard_index(const char *path) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dash = strrchr(base, '-');
    if (!dash) return -1;
    const char *p = dash + 1;
    int64_t v = 0;
    int digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 15) v = v * 10 + (*p++ - '0'), digits++;
    if (digits == 0 || (*p != '.' && *p != '\0')) return -1;
    return v;
}
