/* Runs every libwebtext unit-test group. */
#include "lib_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
    int failed = 0;
    failed += lib_stream_tests();
    failed += lib_jsonl_tests();
    failed += lib_misc_tests();
    failed += lib_jscan_tests();
    failed += lib_utf8_tests();
    failed += lib_opts_tests();
    failed += lib_outlock_tests();
    return failed ? 1 : 0;
}
