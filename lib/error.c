/* Error values and bad-record counting (see error.h). */
#include "error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int wt_fail(wt_error *err, const char *fmt, ...) {
    if (!err) return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return -1;
}

int wt_fail_errno(wt_error *err, const char *fmt, ...) {
    int saved = errno;
    if (!err) return -1;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof err->msg)
        snprintf(err->msg + n, sizeof err->msg - (size_t)n, ": %s", strerror(saved));
    errno = saved;
    return -1;
}

int wt_error_context(wt_error *err, const char *fmt, ...) {
    if (!err) return -1;
    char prefix[512], old[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    char joined[sizeof prefix + sizeof old + 2];
    snprintf(joined, sizeof joined, "%s: %s", prefix, old);
    snprintf(err->msg, sizeof err->msg, "%.*s", (int)sizeof err->msg - 1, joined);
    return -1;
}

void wt_report(const char *prog, const wt_error *err) {
    fprintf(stderr, "%s: %s\n", prog, err && err->msg[0] ? err->msg : "unknown error");
}

int wt_bad_record(wt_badrec *b, wt_error *err, const char *file, uint64_t record, const char *fmt,
                  ...) {
    char reason[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    b->count++;
    if (b->strict)
        return wt_fail(err, "%s:%llu: %s (--strict)", file, (unsigned long long)record, reason);
    uint64_t max = b->max_print ? b->max_print : 20;
    if (b->count <= max)
        fprintf(stderr, "%s: %s:%llu: %s\n", b->stage ? b->stage : "webtext", file,
                (unsigned long long)record, reason);
    if (b->count == max + 1)
        fprintf(stderr, "%s: further bad records are counted, not shown\n",
                b->stage ? b->stage : "webtext");
    return 0;
}
