/* Shared declarations for the libwebtext unit tests: each lib_*.c file
 * provides one group runner, lib_main.c runs them all. */
#ifndef LIB_TEST_H
#define LIB_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

int lib_stream_tests(void);
int lib_jsonl_tests(void);
int lib_misc_tests(void);
int lib_jscan_tests(void);
int lib_outlock_tests(void);

/* A fresh temporary folder for one test (removed by tmpdir_remove). */
char *tmpdir_make(void);
void tmpdir_remove(char *dir);

#endif
