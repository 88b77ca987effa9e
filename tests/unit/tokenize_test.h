/* Shared declarations for the tokenize unit tests: each tokenize_*.c file
 * provides one group runner, tokenize_main.c runs them all. */
#ifndef TOKENIZE_TEST_H
#define TOKENIZE_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

int tokenize_bpe_tests(void);
int tokenize_pretok_tests(void);
int tokenize_shard_tests(void);

/* Writes a file; fails the test on error. */
void tok_test_write(const char *dir, const char *name, const char *text);
/* The GPT-2 vocabulary folder that `make deps` installs (or $WEBTEXT_VOCAB). */
const char *tok_test_gpt2_dir(void);

#endif
