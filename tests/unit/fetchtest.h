/* Shared declarations of the `crawl fetch` unit tests (test_crawl_fetch):
 * each fetchtest_*.c file provides one group runner, fetchtest_main.c runs them. */
#ifndef FETCHTEST_H
#define FETCHTEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

int fetchtest_policy_tests(void);  /* robots.txt, private addresses */
int fetchtest_warc_tests(void);    /* SHA-1, WARC writer, journal */
int fetchtest_archive_tests(void); /* SURT, external sort, captures, records, zipnum */

#endif
