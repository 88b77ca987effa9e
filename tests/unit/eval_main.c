/* Unit tests of eval/: detokenizers and word counts, the LAMBADA and CBT
 * readers (good files and malformed ones), UTF-8 checks, stop-words, sha256,
 * the paper's table, and window scoring on an all-zero checkpoint. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#include "eval/cbt_data.h"
#include "eval/detok.h"
#include "eval/eval.h"
#include "eval/lambada_data.h"
#include "eval/results.h"

static char *tmpdir;

static int setup_dir(void **state) {
    (void)state;
    tmpdir = tu_tmpdir();
    return 0;
}

static int teardown_dir(void **state) {
    (void)state;
    tu_rmdir(tmpdir);
    tmpdir = NULL;
    return 0;
}

static const char *write_tmp(const char *name, const char *text) {
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(text, 1, strlen(text), f);
    fclose(f);
    return path;
}

static char *detok(eval_detok_kind k, const char *line) {
    tok_bytes b = {0};
    assert_true(eval_detok_line(k, line, strlen(line), &b, NULL, 0) >= 0);
    tok_bytes_append(&b, "", 1);
    return b.p;
}

static void check_detok(eval_detok_kind k, const char *in, const char *want) {
    char *got = detok(k, in);
    if (strcmp(got, want) != 0) fail_msg("detok(%s) = [%s], want [%s]", in, got, want);
    free(got);
}

static void test_detok_wikitext(void **state) {
    (void)state;
    check_detok(DETOK_WIKITEXT, " = = Early life = = ", "== Early life ==");
    check_detok(DETOK_WIKITEXT, " The 2 @,@ 000 @-@ year @-@ old city , built in 1 @.@ 5 days . ",
                "The 2,000-year-old city, built in 1.5 days.");
    check_detok(DETOK_WIKITEXT, " He said \" it 's over \" ( at last ) ; fine : yes ! ",
                "He said \"it's over\" (at last); fine: yes!");
    check_detok(DETOK_WIKITEXT, " a <unk> word ", "a <unk> word");
    check_detok(DETOK_WIKITEXT, " ", "");
}

static void test_detok_ptb_cbt(void **state) {
    (void)state;
    check_detok(DETOK_PTB, " the company 's shares do n't rise N % <unk> ",
                "the company's shares don't rise N % <unk>");
    check_detok(DETOK_CBT, "`` Come here , '' said the cat .", "\"Come here,\" said the cat.");
    check_detok(DETOK_1BW, "Stocks fell 3 % on Monday , traders said .",
                "Stocks fell 3% on Monday, traders said.");
    check_detok(DETOK_NONE, "  a  b ", "a b");
}

static void test_detok_offsets(void **state) {
    (void)state;
    tok_bytes b = {0};
    size_t offs[8];
    const char *q = "`` XXXXX , '' said he .";
    long n = eval_detok_line(DETOK_CBT, q, strlen(q), &b, offs, 8);
    assert_int_equal(n, 7);
    assert_int_equal(offs[1], 1); /* the blank right after the opening quote */
    assert_memory_equal(b.p + offs[1], "XXXXX", 5);
    tok_bytes_free(&b);
}

static void test_count_words(void **state) {
    (void)state;
    assert_int_equal(eval_count_words(" a b  c ", 8), 3);
    assert_int_equal(eval_count_words(" ", 1), 0);
    assert_int_equal(eval_count_words("x", 1), 1);
}

static void test_utf8(void **state) {
    (void)state;
    const char *ok = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80";
    assert_int_equal(eval_utf8_check((const unsigned char *)ok, strlen(ok)), strlen(ok));
    assert_int_equal(eval_utf8_check((const unsigned char *)"ab\xc3", 3), 2);
    assert_int_equal(eval_utf8_check((const unsigned char *)"a\x80", 2), 1);
    assert_int_equal(eval_utf8_check((const unsigned char *)"\xc0\xaf", 2), 0);
    assert_int_equal(eval_utf8_check((const unsigned char *)"\xed\xa0\x80", 3), 0);
    assert_int_equal(eval_utf8_check((const unsigned char *)"a\0b", 3), 1);
}

static void test_lambada_split(void **state) {
    (void)state;
    size_t cl;
    const char *t = "She looked at the door\n\nand said goodbye \n";
    int tl = lambada_split(t, strlen(t), &cl);
    assert_int_equal(tl, 8);
    assert_memory_equal(t + cl, " goodbye", 8);
    assert_int_equal(lambada_split("oneword", 7, &cl), -1);
    assert_int_equal(lambada_split(" word", 5, &cl), -1);
}

static void test_lambada_read(void **state) {
    (void)state;
    const char *p =
        write_tmp("l.jsonl", "{\"text\": \"a b c\"}\n\n{\"text\": \"x \\\"y\\\" z\"}\n");
    lambada_set s;
    assert_int_equal(lambada_read(p, 0, &s, NULL), 0);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.v[1].text, "x \"y\" z");
    assert_int_equal(s.v[1].ctx_len, 5);
    assert_int_equal(s.v[1].line, 3);
    lambada_free(&s);
    assert_int_equal(lambada_read(p, 1, &s, NULL), 0);
    assert_int_equal(s.n, 1);
    lambada_free(&s);
    wt_error err = {{0}};
    p = write_tmp("bad.jsonl", "{\"text\": \"a b\"}\n{\"text\": \"a b\"\n");
    assert_int_equal(lambada_read(p, 0, &s, &err), -1);
    assert_non_null(strstr(err.msg, "bad.jsonl:2:"));
    p = write_tmp("bad2.jsonl", "{\"txt\": \"a b\"}\n");
    assert_int_equal(lambada_read(p, 0, &s, &err), -1);
    assert_non_null(strstr(err.msg, "bad2.jsonl:1: no \"text\""));
    p = write_tmp("plain.txt", "the cat sat on the mat\nnoword\n");
    assert_int_equal(lambada_read(p, 0, &s, &err), -1);
    assert_non_null(strstr(err.msg, "plain.txt:2:"));
}

static const char *cbt_example_text(int qline_variant) {
    static char buf[4096];
    size_t n = 0;
    for (int i = 1; i <= 20; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%d Sentence number %d of the story .\n", i,
                              i);
    if (qline_variant == 0)
        snprintf(buf + n, sizeof buf - n,
                 "21 Then the XXXXX went home .\tfox\t\tcat|dog|fox|hen\n\n");
    else
        snprintf(buf + n, sizeof buf - n, "21 Then the XXXXX went home .\towl\t\tcat|dog|fox\n\n");
    return buf;
}

static void test_cbt_read(void **state) {
    (void)state;
    char two[9000];
    snprintf(two, sizeof two, "%s", cbt_example_text(0));
    strcat(two, cbt_example_text(0));
    const char *p = write_tmp("cbt.txt", two);
    cbt_set s;
    wt_error err = {{0}};
    assert_int_equal(cbt_read(p, 0, &s, &err), 0);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.v[1].ncand, 4);
    assert_int_equal(s.v[1].answer, 2);
    assert_int_equal(s.v[1].line, 23);
    assert_string_equal(s.v[0].context[19], "Sentence number 20 of the story .");
    assert_string_equal(s.v[0].query, "Then the XXXXX went home .");
    cbt_free(&s);
    p = write_tmp("cbt_bad.txt", cbt_example_text(1));
    assert_int_equal(cbt_read(p, 0, &s, &err), -1);
    assert_non_null(strstr(err.msg, "cbt_bad.txt:21: answer is not among"));
    /* a missing line 7 */
    char *skip = strdup(cbt_example_text(0));
    char *l7 = strstr(skip, "7 Sentence");
    char *l8 = strstr(skip, "8 Sentence");
    memmove(l7, l8, strlen(l8) + 1);
    p = write_tmp("cbt_gap.txt", skip);
    free(skip);
    assert_int_equal(cbt_read(p, 0, &s, &err), -1);
    assert_non_null(strstr(err.msg, "cbt_gap.txt:7: expected a line numbered 7"));
}

static void check_cbt_texts(const char *query, const char *want_ctx_end, const char *want_pre,
                            const char *want_post) {
    cbt_example e = {0};
    for (int i = 0; i < CBT_CONTEXT_LINES; i++) e.context[i] = (char *)"`` Hi , '' he said .";
    e.query = (char *)query;
    tok_bytes ctx = {0}, pre = {0}, post = {0};
    assert_int_equal(cbt_texts(&e, &ctx, &pre, &post), 0);
    tok_bytes_append(&ctx, "", 1), tok_bytes_append(&pre, "", 1), tok_bytes_append(&post, "", 1);
    assert_true(strncmp(ctx.p, "\"Hi,\" he said. \"Hi,\" he said.", 29) == 0);
    size_t n = strlen(ctx.p), m = strlen(want_ctx_end);
    if (n < m || strcmp(ctx.p + n - m, want_ctx_end) != 0)
        fail_msg("ctx ends [%s]", ctx.p + n - 30);
    assert_string_equal(pre.p, want_pre);
    assert_string_equal(post.p, want_post);
    tok_bytes_free(&ctx), tok_bytes_free(&pre), tok_bytes_free(&post);
}

static void test_cbt_texts(void **state) {
    (void)state;
    check_cbt_texts("Then the XXXXX went home .", "he said. Then the", " ", " went home.");
    check_cbt_texts("XXXXX went home .", "\" he said.", " ", " went home.");
    check_cbt_texts("`` XXXXX , '' said he .", "he said. \"", "", ",\" said he.");
}

static void test_stopwords(void **state) {
    (void)state;
    assert_true(eval_is_stopword("the", 3));
    assert_true(eval_is_stopword("yourselves", 10));
    assert_true(eval_is_stopword("a", 1));
    assert_false(eval_is_stopword("door", 4));
    assert_false(eval_is_stopword("The", 3)); /* callers lowercase */
}

static void test_sha256(void **state) {
    (void)state;
    const char *p = write_tmp("abc", "abc");
    char hex[65];
    assert_int_equal(eval_sha256_file(p, hex, NULL), 0);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    wt_error err;
    assert_int_equal(eval_sha256_file("/nonexistent/x", hex, &err), -1);
}

static void test_paper_table(void **state) {
    (void)state;
    assert_string_equal(eval_paper_figure(0, 0), "99.8");
    assert_string_equal(eval_paper_figure(1, 1), "45.99");
    assert_string_equal(eval_paper_figure(3, 9), "44.575");
    assert_string_equal(eval_paper_figure(4, 6), "0.93");
    assert_null(eval_paper_figure(5, 0));
    json_t *res =
        json_pack("{s:{s:s,s:i,s:i,s:i,s:i}, s:{s:i,s:i,s:i}, s:s, s:{s:{s:{s:f,s:f}}}}", "model",
                  "dir", "m", "n_layer", 2, "n_head", 2, "n_embd", 64, "n_ctx", 256, "settings",
                  "context", 256, "stride", 128, "limit", 0, "version", "v", "tasks", "ptb",
                  "metrics", "word_ppl", 123.456, "token_ppl", 50257.0);
    tok_bytes md = {0};
    assert_int_equal(eval_results_md(res, "{\"ptb\": 0.88}", &md), 0);
    tok_bytes_append(&md, "", 1);
    assert_non_null(strstr(md.p, "| 117M (paper) | 35.13 | 45.99 |"));
    assert_non_null(strstr(md.p, "| **this model** (m) | — | — | — | — | — | 123.5 |"));
    assert_non_null(strstr(md.p, "| ptb | 0.88 |"));
    tok_bytes_free(&md);
    json_decref(res);
}

/* On an all-zero checkpoint every token has probability 1/V, so the window
 * scorer must give -ln V for every token, each scored exactly once. */
static void test_score_zero_model(void **state) {
    (void)state;
    gpt2_init_opts o = {.cfg = {.n_layer = 1,
                                .n_head = 2,
                                .n_embd = 16,
                                .n_ctx = 32,
                                .vocab_size = 50257,
                                .ln_eps = 1e-5f},
                        .zero = 1};
    char dir[256];
    snprintf(dir, sizeof dir, "%s/zero", tmpdir);
    wt_error err = {{0}};
    assert_int_equal(gpt2_init_write(dir, &o, &err), 0);
    gpt2_model *m = gpt2_load(dir, &err);
    assert_non_null(m);
    gpt2_ws *ws = gpt2_ws_create(m, 0, &err);
    assert_non_null(ws);
    eval_ctx c = {.model = m, .ws = ws, .ctx = 32, .stride = 8, .batch = 3};
    int32_t toks[100];
    for (int i = 0; i < 100; i++) toks[i] = (i * 7919) % 50257;
    float lp1[99], lp2[4];
    for (int i = 0; i < 99; i++) lp1[i] = NAN;
    eval_seq s[2] = {{toks, 100, lp1}, {toks + 10, 5, lp2}};
    assert_int_equal(eval_score_seqs(&c, s, 2, NULL, &err), 0);
    for (int i = 0; i < 99; i++) assert_float_equal(lp1[i], -log(50257.0), 1e-5);
    for (int i = 0; i < 4; i++) assert_float_equal(lp2[i], -log(50257.0), 1e-5);
    assert_true(c.fwd_tokens >= 104);
    gpt2_ws_free(ws);
    gpt2_free(m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detok_wikitext),
        cmocka_unit_test(test_detok_ptb_cbt),
        cmocka_unit_test(test_detok_offsets),
        cmocka_unit_test(test_count_words),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_lambada_split),
        cmocka_unit_test(test_lambada_read),
        cmocka_unit_test(test_cbt_read),
        cmocka_unit_test(test_cbt_texts),
        cmocka_unit_test(test_stopwords),
        cmocka_unit_test(test_sha256),
        cmocka_unit_test(test_paper_table),
        cmocka_unit_test(test_score_zero_model),
    };
    return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
