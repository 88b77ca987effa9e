/* Runs every tokenize unit-test group. */
#include "tokenize_test.h"

#include "tokenize/tokenizer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    tok_vocab_default_dir(buf, sizeof buf);
    return buf;
}

int main(void) {
    int failed = 0;
    failed += tokenize_pretok_tests();
    failed += tokenize_bpe_tests();
    failed += tokenize_shard_tests();
    return failed ? 1 : 0;
}
