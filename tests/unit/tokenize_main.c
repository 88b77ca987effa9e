/* Runs every tokenize unit-test group. */
#include "tokenize_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *tok_test_mkdir(void) {
    char *d = strdup("/tmp/wt-tok-test-XXXXXX");
    assert_non_null(d);
    assert_non_null(mkdtemp(d));
    return d;
}

void tok_test_rmdir(char *dir) {
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", dir);
    free(dir);
}

void tok_test_write(const char *dir, const char *name, const char *text) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

const char *tok_test_gpt2_dir(void) {
    static char buf[512];
    const char *d = getenv("WEBTEXT_DATA");
    snprintf(buf, sizeof buf, "%s/gpt2-vocab", d && *d ? d : "../shared/data");
    return buf;
}

int main(void) {
    int failed = 0;
    failed += tokenize_pretok_tests();
    failed += tokenize_bpe_tests();
    failed += tokenize_shard_tests();
    return failed ? 1 : 0;
}
