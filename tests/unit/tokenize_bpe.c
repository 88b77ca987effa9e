/* The BPE core: merges by rank on hand-made tiny vocabularies (both file
 * formats), the heap and flat merges agreeing, a megabyte of one letter,
 * decode, and vocabulary errors. */
#include "tokenize_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tokenize/bpe.h"
#include "tokenize/tokenizer.h"

/* GPT-2's byte-to-unicode mapping of byte b, as UTF-8 into out. */
static void mapped_byte(int b, char *out) {
    int extra = 0, cp = -1;
    for (int x = 0; x < 256; x++) {
        bool printable = (x >= 33 && x <= 126) || (x >= 161 && x <= 172) || (x >= 174);
        int c = printable ? x : 256 + extra++;
        if (x == b) cp = c;
    }
    if (cp < 0x80)
        out[0] = (char)cp, out[1] = 0;
    else
        out[0] = (char)(0xc0 | cp >> 6), out[1] = (char)(0x80 | (cp & 0x3f)), out[2] = 0;
}

/* A vocabulary of the 256 bytes (ids 0..255 by byte value) plus the merges
 * given (one "A B" per line, tokens as plain ASCII letters), written in the
 * OpenAI (hf = false) or Hugging Face layout; ids of merged tokens follow. */
static char *tiny_vocab(const char *merges, bool hf) {
    char *dir = tu_tmpdir();
    size_t cap = 1 << 16, n = 0;
    char *json = malloc(cap);
    n += (size_t)snprintf(json + n, cap - n, "{");
    for (int b = 0; b < 256; b++) {
        char m[4];
        mapped_byte(b, m);
        const char *esc = (m[0] == '"' || m[0] == '\\') ? "\\" : "";
        n += (size_t)snprintf(json + n, cap - n, "%s\"%s%s\": %d", b ? ", " : "", esc, m, b);
    }
    int id = 256;
    char line[64];
    for (const char *p = merges; *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        snprintf(line, sizeof line, "%.*s", (int)len, p);
        char a[32], b[32];
        assert_int_equal(sscanf(line, "%31s %31s", a, b), 2);
        n += (size_t)snprintf(json + n, cap - n, ", \"%s%s\": %d", a, b, id++);
        p += len + (e != NULL);
    }
    n += (size_t)snprintf(json + n, cap - n, ", \"<|endoftext|>\": %d}", id);
    tok_test_write(dir, hf ? "vocab.json" : "encoder.json", json);
    char *bpe = malloc(strlen(merges) + 32);
    sprintf(bpe, "#version: 0.2\n%s", merges);
    tok_test_write(dir, hf ? "merges.txt" : "vocab.bpe", bpe);
    free(json), free(bpe);
    return dir;
}

static tok_vocab *load_ok(const char *dir) {
    wt_error err = {{0}};
    tok_vocab *v = tok_vocab_load(dir, &err);
    if (!v) fprintf(stderr, "load: %s\n", err.msg);
    assert_non_null(v);
    return v;
}

/* The ids of text, as a space-separated string. */
static const char *ids_of(tok_encoder *e, const char *text) {
    static char buf[4096];
    tok_ids ids = {0};
    wt_error err;
    assert_true(tok_encode(e, text, strlen(text), &ids, &err) >= 0);
    size_t n = 0;
    buf[0] = 0;
    for (size_t i = 0; i < ids.n; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%u", i ? " " : "", ids.v[i]);
    tok_ids_free(&ids);
    return buf;
}

static void test_merge_by_rank(void **state) {
    (void)state;
    /* ids: bc 256, ab 257, abc 258 ("a bc"), bcd 259 ("bc d") */
    for (int hf = 0; hf < 2; hf++) {
        char *dir = tiny_vocab("b c\na b\na bc\nbc d\n", hf);
        tok_vocab *v = load_ok(dir);
        assert_int_equal(tok_vocab_size(v), 261);
        assert_int_equal(tok_vocab_eot(v), 260);
        tok_encoder *e = tok_encoder_new(v);
        /* "bc" (rank 256) merges before "ab" (257): abc, not ab + c */
        assert_string_equal(ids_of(e, "abc"), "258");
        /* abcd: bc first, then "a bc" (258) before "bc d" (259) */
        assert_string_equal(ids_of(e, "abcd"), "258 100");
        assert_string_equal(ids_of(e, "bcd"), "259");
        assert_string_equal(ids_of(e, "ab"), "257");
        assert_string_equal(ids_of(e, "abab"), "257 257");
        /* a b c a b: bc (256), then ab (257) before a+bc (258), then a+bc */
        assert_string_equal(ids_of(e, "abcab"), "258 257");
        assert_string_equal(ids_of(e, "xyz"), "120 121 122");
        /* the end-of-text marker in text is ordinary text */
        assert_string_equal(ids_of(e, "<|endoftext|>"),
                            "60 124 101 110 100 111 102 116 101 120 116 124 62");
        tok_encoder_free(e);
        tok_vocab_free(v);
        tu_rmdir(dir);
    }
}

static void test_ties_go_left(void **state) {
    (void)state;
    char *dir = tiny_vocab("a a\naa a\n", false); /* aa 256, aaa 257 */
    tok_vocab *v = load_ok(dir);
    tok_encoder *e = tok_encoder_new(v);
    assert_string_equal(ids_of(e, "aaa"), "257");       /* aa+a, then aaa */
    assert_string_equal(ids_of(e, "aaaa"), "256 256");  /* aa aa: no (aa, aa) merge */
    assert_string_equal(ids_of(e, "aaaaa"), "256 257"); /* aa a a a -> aa aa a -> aa aaa */
    tok_encoder_free(e);
    tok_vocab_free(v);
    tu_rmdir(dir);
}

static void test_gpt2_known_ids(void **state) {
    (void)state;
    tok_vocab *v = load_ok(tok_test_gpt2_dir());
    assert_int_equal(tok_vocab_size(v), 50257);
    assert_int_equal(tok_vocab_eot(v), TOK_EOT);
    tok_encoder *e = tok_encoder_new(v);
    assert_string_equal(ids_of(e, "Hello world"), "15496 995");
    assert_string_equal(ids_of(e, " the"), "262");
    assert_string_equal(ids_of(e, "<|endoftext|>"), "27 91 437 1659 5239 91 29");
    /* invalid UTF-8: one U+FFFD (" \xef\xbf\xbd" = 220 4210) per maximal subpart */
    tok_ids ids = {0};
    wt_error err;
    assert_int_equal(tok_encode(e, "a\xff\xe2\x82", 4, &ids, &err), 2);
    tok_bytes out = {0};
    assert_int_equal(tok_decode(v, ids.v, ids.n, &out, &err), 0);
    assert_int_equal(out.n, 7);
    assert_memory_equal(out.p, "a\xef\xbf\xbd\xef\xbf\xbd", 7);
    uint32_t eot = TOK_EOT, bad = 50257;
    out.n = 0;
    assert_int_equal(tok_decode(v, &eot, 1, &out, &err), 0);
    assert_memory_equal(out.p, "<|endoftext|>", 13);
    assert_int_equal(tok_decode(v, &bad, 1, &out, &err), -1);
    assert_non_null(strstr(err.msg, "50257"));
    tok_bytes_free(&out);
    tok_ids_free(&ids);
    tok_encoder_free(e);
    tok_vocab_free(v);
}

/* The heap merge (long pieces) and the flat merge agree on pieces of every
 * shape: random bytes from small alphabets, and runs. */
static void test_heap_equals_flat(void **state) {
    (void)state;
    tok_vocab *v = load_ok(tok_test_gpt2_dir());
    tok_bpe_scratch s = {0};
    tok_ids a = {0}, b = {0};
    const char *alphabets[] = {"a",  "ab", "e ", "th e", "0123456789", "\xc3\xa9\xe6\x97\xa5",
                               " \n"};
    srand(7);
    uint8_t buf[3000];
    for (int round = 0; round < 60; round++) {
        const char *alpha = alphabets[round % 7];
        size_t k = strlen(alpha), n = 1 + (size_t)rand() % (round < 30 ? 200 : sizeof buf);
        for (size_t i = 0; i < n; i++) buf[i] = (uint8_t)alpha[rand() % k];
        a.n = b.n = 0;
        assert_int_equal(tok_bpe_piece_with(v, &s, buf, n, &a, false), 0);
        assert_int_equal(tok_bpe_piece_with(v, &s, buf, n, &b, true), 0);
        assert_int_equal(a.n, b.n);
        assert_memory_equal(a.v, b.v, a.n * sizeof *a.v);
    }
    tok_ids_free(&a), tok_ids_free(&b);
    tok_bpe_scratch_free(&s);
    tok_vocab_free(v);
}

static void test_megabyte_of_one_letter(void **state) {
    (void)state;
    tok_vocab *v = load_ok(tok_test_gpt2_dir());
    tok_encoder *e = tok_encoder_new(v);
    size_t n = 1 << 20;
    char *text = malloc(n);
    memset(text, 'a', n);
    tok_ids ids = {0};
    wt_error err;
    clock_t t = clock();
    assert_int_equal(tok_encode(e, text, n, &ids, &err), 0);
    double secs = (double)(clock() - t) / CLOCKS_PER_SEC;
    fprintf(stderr, "1 MiB of 'a': %zu tokens in %.3f s\n", ids.n, secs);
    assert_int_equal(ids.n, n / 4); /* "aaaa" is a token */
    tok_bytes out = {0};
    assert_int_equal(tok_decode(v, ids.v, ids.n, &out, &err), 0);
    assert_int_equal(out.n, n);
    assert_memory_equal(out.p, text, n);
    tok_bytes_free(&out);
    tok_ids_free(&ids);
    free(text);
    tok_encoder_free(e);
    tok_vocab_free(v);
}

static void test_safe_cut(void **state) {
    (void)state;
    tok_vocab *v = load_ok(tok_test_gpt2_dir());
    tok_encoder *e = tok_encoder_new(v);
    /* two hand-written texts, then random ones from a tricky alphabet */
    const char *alpha[] = {
        "'", "s",        "ll",           "S", " ",        "  ",       "\n", "\r\n",
        "1", "\xc3\xa9", "\xe6\x97\xa5", "!", "\xc2\xa0", "\xcc\x81", "a",  "\t"};
    char texts[42][400] = {"Hello there, it's 12 o'clock.\n\n  Next  line's\r\nend",
                           "abc\xe6\x97\xa5\xe6\x9c\xac 'sx '' 99a\xc2\xa0\xc2\xa0 b"};
    srand(11);
    for (int t = 2; t < 42; t++) {
        texts[t][0] = 0;
        for (int k = 0; k < 60; k++) strcat(texts[t], alpha[rand() % 16]);
    }
    for (int t = 0; t < 42; t++) {
        const char *s = texts[t];
        size_t n = strlen(s);
        char whole[4096];
        snprintf(whole, sizeof whole, "%s", ids_of(e, s));
        for (size_t len = 1; len <= n; len++) {
            size_t q = tok_safe_cut(s, len);
            assert_true(q < len);
            if (q == 0) continue;
            char left[4096], *prefix = strndup(s, q);
            snprintf(left, sizeof left, "%s", ids_of(e, prefix));
            const char *right = ids_of(e, s + q);
            char joined[8192];
            snprintf(joined, sizeof joined, "%s %s", left, right);
            assert_string_equal(joined, whole);
            free(prefix);
        }
    }
    tok_encoder_free(e);
    tok_vocab_free(v);
}

static void test_vocab_errors(void **state) {
    (void)state;
    wt_error err = {{0}};
    char *dir = tu_tmpdir();
    assert_null(tok_vocab_load(dir, &err));
    assert_non_null(strstr(err.msg, "HINT"));
    tok_test_write(dir, "encoder.json", "{\"a\": 0, \"b\": 1}");
    tok_test_write(dir, "vocab.bpe", "#version: 0.2\n");
    assert_null(tok_vocab_load(dir, &err));
    assert_non_null(strstr(err.msg, "no token for byte"));
    tok_test_write(dir, "encoder.json", "[1, 2]");
    assert_null(tok_vocab_load(dir, &err));
    assert_non_null(strstr(err.msg, "encoder.json"));
    tu_rmdir(dir);
    dir = tiny_vocab("a b\nq zz\n", false);
    assert_null(tok_vocab_load(dir, &err));
    assert_non_null(strstr(err.msg, "vocab.bpe:3: merge \"q zz\""));
    tu_rmdir(dir);
}

int tokenize_bpe_tests(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge_by_rank),          cmocka_unit_test(test_ties_go_left),
        cmocka_unit_test(test_gpt2_known_ids),         cmocka_unit_test(test_heap_equals_flat),
        cmocka_unit_test(test_megabyte_of_one_letter), cmocka_unit_test(test_safe_cut),
        cmocka_unit_test(test_vocab_errors),
    };
    return cmocka_run_group_tests_name("tokenize_bpe", tests, NULL, NULL);
}
