/* The pre-tokenizer on tricky cases: each input's pieces, joined by '|',
 * as the GPT-2 regex splits them (cases checked against tiktoken by hand and
 * by tests/e2e/tokenize_diff.sh). */
#include "tokenize_test.h"

#include <string.h>

#include "tokenize/pretok.h"

static void expect_pieces(const char *text, const char *want) {
    char got[1024];
    size_t n = strlen(text), g = 0;
    for (size_t i = 0; i < n;) {
        size_t k = tok_pretok_next((const uint8_t *)text, n, i);
        assert_true(k > 0 && i + k <= n);
        if (i) got[g++] = '|';
        memcpy(got + g, text + i, k);
        g += k, i += k;
    }
    got[g] = 0;
    assert_string_equal(got, want);
}

static void test_words_and_contractions(void **state) {
    (void)state;
    expect_pieces("Hello world", "Hello| world");
    expect_pieces("it's I'm we'll they've she'd you're don't",
                  "it|'s| I|'m| we|'ll| they|'ve| she|'d| you|'re| don|'t");
    expect_pieces("IT'S I'M WE'LL", "IT|'|S| I|'|M| WE|'|LL"); /* contractions are lowercase only */
    expect_pieces("x'Ll y'lL", "x|'|Ll| y|'|lL");
    expect_pieces("'s's", "'s|'s");
    expect_pieces("!'s", "!'|s");
    expect_pieces(" 's", " '|s");
    expect_pieces("it\xe2\x80\x99s", "it|\xe2\x80\x99|s"); /* the curly apostrophe is punctuation */
}

static void test_numbers_and_punct(void **state) {
    (void)state;
    expect_pieces("abc123def 456", "abc|123|def| 456");
    expect_pieces("a  1", "a| | 1");
    expect_pieces("...!? ,", "...!?| ,");
    expect_pieces("\xd9\xa3\xd9\xa4x", "\xd9\xa3\xd9\xa4|x"); /* Arabic-Indic digits are \p{N} */
    expect_pieces("\xe2\x85\xa0\xe2\x85\xa1", "\xe2\x85\xa0\xe2\x85\xa1"); /* Roman numerals: Nl */
}

static void test_whitespace(void **state) {
    (void)state;
    expect_pieces("a   b", "a|  | b"); /* \s+(?!\S) leaves the last space to " b" */
    expect_pieces("a \n\nb", "a| \n|\n|b");
    expect_pieces("a\r\nb", "a|\r|\n|b"); /* CRLF before a letter splits */
    expect_pieces("a\r\n", "a|\r\n");
    expect_pieces("a   ", "a|   "); /* at the end the whole run */
    expect_pieces("a \t b", "a| \t| b");
    expect_pieces(" ", " ");
    expect_pieces("\n", "\n");
    expect_pieces("a\xc2\xa0"
                  "b",
                  "a|\xc2\xa0|b");                         /* NBSP is White_Space */
    expect_pieces("a\xe3\x80\x80 b", "a|\xe3\x80\x80| b"); /* U+3000 */
    expect_pieces("a\x1c\x1f"
                  "b",
                  "a|\x1c\x1f|b");                 /* \x1c..\x1f are not \s */
    expect_pieces("a\xc2\x85 b", "a|\xc2\x85| b"); /* U+0085 is */
    expect_pieces("a\xe2\x80\x8b"
                  "b",
                  "a|\xe2\x80\x8b|b"); /* ZWSP is not */
    expect_pieces("\x0b\x0c", "\x0b\x0c");
}

static void test_unicode_classes(void **state) {
    (void)state;
    expect_pieces("caf\xc3\xa9 na\xc3\xafve", "caf\xc3\xa9| na\xc3\xafve");
    expect_pieces("e\xcc\x81x", "e|\xcc\x81|x"); /* a combining mark is not \p{L} */
    expect_pieces("\xe6\x97\xa5\xe6\x9c\xac"
                  "1",
                  "\xe6\x97\xa5\xe6\x9c\xac|1");
    expect_pieces(" \xf0\x9f\x98\x80\xf0\x9f\x98\x80!", " \xf0\x9f\x98\x80\xf0\x9f\x98\x80!");
    /* U+A7CB (Unicode 16) is a letter for the reference's engine */
    expect_pieces("\xea\x9f\x8b's", "\xea\x9f\x8b|'s");
}

static void test_invalid_bytes(void **state) {
    (void)state;
    /* invalid bytes (the encoder replaces them first) count as "other" */
    expect_pieces("a\xff\xfe"
                  "b",
                  "a|\xff\xfe|b");
    expect_pieces("\xe6\x97", "\xe6\x97");
}

int tokenize_pretok_tests(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words_and_contractions),
        cmocka_unit_test(test_numbers_and_punct),
        cmocka_unit_test(test_whitespace),
        cmocka_unit_test(test_unicode_classes),
        cmocka_unit_test(test_invalid_bytes),
    };
    return cmocka_run_group_tests_name("tokenize_pretok", tests, NULL, NULL);
}
