/* Shared declarations of the `crawl urls` unit tests (test_crawl_urls): each
 * crawl_url*.c file provides one group runner, crawl_urls_main.c runs them. */
#ifndef CRAWL_URLS_TEST_H
#define CRAWL_URLS_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

int crawl_url_tests(void);        /* lib/url: normalisation, host, registered domain */
int crawl_urls_rules_tests(void); /* per-post rules and exclusion lists */
int crawl_urls_dedup_tests(void); /* partition files and the reduce */
int crawl_urls_scan_tests(void);  /* the fast line scanner against jansson */

#endif
