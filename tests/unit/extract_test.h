/* Shared declarations for the extract unit tests: each extract_*.c file
 * provides one group runner, extract_main.c runs them all. */
#ifndef EXTRACT_TEST_H
#define EXTRACT_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

int extract_http_tests(void);
int extract_charset_tests(void);
int extract_content_tests(void);
int extract_score_tests(void);
int extract_warc_tests(void);

#endif
