/* The token shard layout: the header's bytes, and a written shard that
 * decompresses to exactly header + uint16 ids with <|endoftext|> before every
 * document, with its index sidecar. */
#include "tokenize_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "stream.h"
#include "tokenize/shard.h"

static void test_header_layout(void **state) {
    (void)state;
    uint8_t h[1024];
    memset(h, 0xaa, sizeof h);
    tok_shard_header(h, 0x01020304);
    const uint8_t want[12] = {0x88, 0xd8, 0x34, 0x01, 1, 0, 0, 0, 4, 3, 2, 1}; /* 20240520 */
    assert_memory_equal(h, want, 12);
    for (int i = 12; i < 1024; i++) assert_int_equal(h[i], 0);
}

static void read_all(const char *path, char **data, size_t *n) {
    wt_error err;
    assert_int_equal(wt_read_file(path, data, n, 1 << 26, &err), 0);
}

static void test_writer(void **state) {
    (void)state;
    char *dir = tu_tmpdir();
    char bin[512], idx[512];
    snprintf(bin, sizeof bin, "%s/tokens-00002.bin.zst", dir);
    snprintf(idx, sizeof idx, "%s/tokens-00002.idx", dir);
    wt_error err = {{0}};
    tok_shard_writer *w = tok_shard_open(bin, idx, 3, &err);
    assert_non_null(w);
    uint32_t doc1[] = {15496, 995}, doc3[20000];
    for (size_t i = 0; i < 20000; i++) doc3[i] = (uint32_t)(i * 7 % 50257);
    assert_int_equal(tok_shard_add(w, "aa", 1, 50256, doc1, 2, &err), 0);
    assert_int_equal(tok_shard_add(w, NULL, 2, 50256, NULL, 0, &err), 0);
    assert_int_equal(tok_shard_add(w, "cc", 4, 50256, doc3, 20000, &err), 0);
    uint32_t too_big = 70000;
    assert_int_equal(tok_shard_add(w, "dd", 5, 50256, &too_big, 1, &err), -1);
    assert_non_null(strstr(err.msg, "70000"));
    assert_int_equal(tok_shard_tokens(w), 20005); /* the failed add wrote nothing */
    FILE *f = fopen(bin, "r");
    assert_null(f); /* nothing under the final name before commit */
    assert_int_equal(tok_shard_commit(w, &err), 0);
    /* wt_read_file decompresses: exactly header + ids */
    char *data;
    size_t n;
    read_all(bin, &data, &n);
    assert_int_equal(n, 1024 + 2 * 20005);
    uint8_t h[1024];
    tok_shard_header(h, 20005);
    assert_memory_equal(data, h, 1024);
    const uint8_t *ids = (const uint8_t *)data + 1024;
    uint32_t want[] = {50256, 15496, 995, 50256, 50256};
    for (int i = 0; i < 5; i++) assert_int_equal(ids[2 * i] | ids[2 * i + 1] << 8, want[i]);
    for (size_t i = 0; i < 20000; i++)
        assert_int_equal(ids[2 * (i + 5)] | ids[2 * (i + 5) + 1] << 8, doc3[i]);
    free(data);
    read_all(idx, &data, &n);
    const char *want_idx = "{\"id\":\"aa\",\"line\":1,\"start\":0,\"ntokens\":2}\n"
                           "{\"id\":null,\"line\":2,\"start\":3,\"ntokens\":0}\n"
                           "{\"id\":\"cc\",\"line\":4,\"start\":4,\"ntokens\":20000}\n";
    assert_int_equal(n, strlen(want_idx));
    assert_memory_equal(data, want_idx, n);
    free(data);
    /* an aborted shard leaves nothing behind */
    snprintf(bin, sizeof bin, "%s/tokens-00003.bin.zst", dir);
    snprintf(idx, sizeof idx, "%s/tokens-00003.idx", dir);
    w = tok_shard_open(bin, idx, 3, &err);
    assert_int_equal(tok_shard_add(w, "aa", 1, 50256, doc1, 2, &err), 0);
    tok_shard_abort(w);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "test $(ls '%s' | wc -l) -eq 2", dir);
    assert_int_equal(system(cmd), 0);
    tu_rmdir(dir);
}

int tokenize_shard_tests(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_layout),
        cmocka_unit_test(test_writer),
    };
    return cmocka_run_group_tests_name("tokenize_shard", tests, NULL, NULL);
}
