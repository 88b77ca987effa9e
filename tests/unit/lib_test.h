/* Shared declarations for the libwebtext unit tests: each lib_*.c file
 * provides one group runner, lib_main.c runs them all. */
#ifndef LIB_TEST_H
#define LIB_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

int lib_stream_tests(void);
int lib_jsonl_tests(void);
int lib_misc_tests(void);
int lib_jscan_tests(void);
int lib_utf8_tests(void);
int lib_opts_tests(void);
int lib_outlock_tests(void);

#endif
