/* Runs every `crawl fetch` unit-test group. */
#include "fetchtest.h"

int main(void) {
    int failed = 0;
    failed += fetchtest_policy_tests();
    failed += fetchtest_warc_tests();
    failed += fetchtest_archive_tests();
    return failed ? 1 : 0;
}
