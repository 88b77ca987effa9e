/* Runs every `crawl urls` unit-test group (test_crawl_urls). */
#include "crawl_urls_test.h"

int main(void) {
    int failed = 0;
    failed += crawl_url_tests();
    failed += crawl_urls_rules_tests();
    failed += crawl_urls_dedup_tests();
    failed += crawl_urls_scan_tests();
    return failed ? 1 : 0;
}
