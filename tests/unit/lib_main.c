/* Runs every libwebtext unit-test group. */
#include "lib_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *tmpdir_make(void) {
    char *d = strdup("/tmp/wt-test-XXXXXX");
    assert_non_null(d);
    assert_non_null(mkdtemp(d));
    return d;
}

void tmpdir_remove(char *dir) {
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", dir);
    free(dir);
}

int main(void) {
    int failed = 0;
    failed += lib_stream_tests();
    failed += lib_jsonl_tests();
    failed += lib_misc_tests();
    failed += lib_jscan_tests();
    failed += lib_outlock_tests();
    return failed ? 1 : 0;
}
