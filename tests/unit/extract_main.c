/* Runs every extract unit-test group. */
#include "extract_test.h"

int main(void) {
    int failed = 0;
    failed += extract_http_tests();
    failed += extract_charset_tests();
    failed += extract_content_tests();
    failed += extract_score_tests();
    failed += extract_warc_tests();
    return failed ? 1 : 0;
}
