/* See testutil.h. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"

char *tu_tmpdir(void) {
    char *d = strdup("/tmp/wt-test-XXXXXX");
    assert_non_null(d);
    assert_non_null(mkdtemp(d));
    return d;
}

void tu_rmdir(char *dir) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", dir);
    free(dir);
}

void tu_skip_reason(const char *command, const char *fmt, ...) {
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    printf("SKIP: %s (run: %s)\n", why, command);
    fflush(stdout);
}

bool tu_data_file(const char *rel, char *buf, size_t n) {
    char root[400];
    wt_data_dir(root, sizeof root);
    snprintf(buf, n, "%s/%s", root, rel);
    return access(buf, R_OK) == 0;
}
