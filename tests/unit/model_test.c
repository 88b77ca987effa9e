/* Unit tests of model/: log-probs and argmax against the float64 reference
 * (model_ref.c) on random checkpoints of several shapes and dtypes, sliding
 * windows, batching/thread invariance, the KV cache, and bad files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include <ftw.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/gpt2.h"
#include "model/gpt2_impl.h" /* the F16/BF16 conversions */
#include "model_ref.h"

static char *tmpdir;

static int setup(void **state) {
    (void)state;
    tmpdir = tu_tmpdir();
    return 0;
}

static int teardown(void **state) {
    (void)state;
    tu_rmdir(tmpdir);
    tmpdir = NULL;
    return 0;
}

static const char *path_in(const char *name) {
    static char buf[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

static void make_model(const char *dir, int L, int H, int C, int T, int V, const char *dtype,
                       int no_prefix, int untied, uint64_t seed) {
    gpt2_init_opts o = {
        .cfg =
            {.n_layer = L, .n_head = H, .n_embd = C, .n_ctx = T, .vocab_size = V, .ln_eps = 1e-5f},
        .dtype = dtype,
        .seed = seed,
        .std = 2.5f / sqrtf((float)C),
        .bias_std = 0.1f,
        .no_prefix = no_prefix,
        .untied = untied};
    wt_error err;
    int rc = gpt2_init_write(dir, &o, &err);
    if (rc) fprintf(stderr, "%s\n", err.msg);
    assert_int_equal(rc, 0);
}

static void random_tokens(int32_t *t, int n, int V, uint64_t seed) {
    for (int i = 0; i < n; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        t[i] = (int32_t)((seed >> 33) % (uint64_t)V);
    }
}

/* ours vs reference for positions first..n-1 of one sequence. */
static void compare(const ref_model *r, const int32_t *tok, int n, int first, const float *lp,
                    const int32_t *am, double tol) {
    double *rlp = malloc((size_t)n * sizeof *rlp), *gap = malloc((size_t)n * sizeof *gap);
    int32_t *ram = malloc((size_t)n * sizeof *ram);
    ref_logprobs(r, tok, n, rlp, ram, gap);
    double worst = 0;
    for (int i = first; i < n; i++) {
        double d = fabs((double)lp[i - first] - rlp[i - 1]);
        if (d > worst) worst = d;
        if (am && am[i - first] != ram[i - 1] && gap[i - 1] > 1e-5) {
            fprintf(stderr, "argmax at %d: %d vs ref %d (gap %g)\n", i, am[i - first], ram[i - 1],
                    gap[i - 1]);
            fail();
        }
    }
    fprintf(stderr, "max |logprob - ref| = %g (tolerance %g)\n", worst, tol);
    assert_true(worst <= tol);
    free(rlp), free(gap), free(ram);
}

/* A batch of three requests (a single token, a short one scored from its
 * middle, one filling the context) scored at once, against the reference. */
static void check_shape(int L, int H, int C, int T, const char *dtype, int no_prefix, int untied) {
    const char *dir = path_in("shape");
    make_model(dir, L, H, C, T, 50257, dtype, no_prefix, untied, (uint64_t)(L * 1000 + C));
    wt_error err;
    gpt2_model *m = gpt2_load(dir, &err);
    if (!m) fprintf(stderr, "%s\n", err.msg);
    assert_non_null(m);
    gpt2_info info;
    gpt2_model_info(m, &info);
    assert_string_equal(info.dtype, dtype);
    assert_int_equal(info.prefixed, !no_prefix);
    assert_int_equal(info.tied, !untied);
    ref_model r;
    assert_int_equal(ref_load(dir, &r), 0);
    int32_t tok[3][256];
    int len[3] = {1, 17, T}, first[3] = {1, 9, 1};
    float lp[3][256];
    int32_t am[3][256];
    gpt2_request req[3];
    for (int i = 0; i < 3; i++) {
        random_tokens(tok[i], len[i], 50257, (uint64_t)(i + 7));
        req[i] = (gpt2_request){tok[i], len[i], first[i], lp[i], am[i]};
    }
    gpt2_ws *ws = gpt2_ws_create(m, 0, &err);
    assert_non_null(ws);
    assert_int_equal(gpt2_score(m, ws, req, 3, &err), 0);
    for (int i = 0; i < 3; i++) compare(&r, tok[i], len[i], first[i], lp[i], am[i], 1e-4);
    ref_free(&r);
    gpt2_ws_free(ws);
    gpt2_free(m);
}

static void test_exact_f32_prefixed(void **s) {
    (void)s;
    check_shape(2, 2, 64, 40, "F32", 0, 0);
}
static void test_exact_f16_no_prefix(void **s) {
    (void)s;
    check_shape(3, 4, 128, 32, "F16", 1, 0);
}
static void test_exact_f32_untied_wide(void **s) {
    (void)s;
    check_shape(4, 4, 256, 20, "F32", 1, 1);
}
static void test_exact_bf16_untied(void **s) {
    (void)s;
    check_shape(2, 4, 64, 24, "BF16", 0, 1);
}

/* The window rule, written out independently: window starts 0, S, 2S, ...,
 * token i scored in the first window whose end passes it. */
static void test_sliding_windows(void **s) {
    (void)s;
    const char *dir = path_in("slide");
    make_model(dir, 2, 2, 64, 32, 50257, "F32", 0, 0, 5);
    wt_error err;
    gpt2_model *m = gpt2_load(dir, &err);
    assert_non_null(m);
    ref_model r;
    assert_int_equal(ref_load(dir, &r), 0);
    enum { N = 70 };
    int32_t tok[N];
    random_tokens(tok, N, 50257, 99);
    float lp[N];
    int32_t am[N];
    gpt2_ws *ws = gpt2_ws_create(m, 64, &err);
    const int cases[3][2] = {{32, 10}, {20, 20}, {32, 31}};
    for (int c = 0; c < 3; c++) {
        int C = cases[c][0], S = cases[c][1];
        assert_int_equal(gpt2_score_sliding(m, ws, tok, N, C, S, lp, am, &err), 0);
        int scored[N] = {0};
        size_t prev_end = 0;
        for (size_t b = 0;; b += (size_t)S) {
            size_t e = b + (size_t)C < N ? b + (size_t)C : N;
            double rlp[N];
            int32_t ram[N];
            double gap[N];
            ref_logprobs(&r, tok + b, (int)(e - b), rlp, ram, gap);
            for (size_t i = prev_end > b ? prev_end : b + 1; i < e; i++) {
                assert_true(fabs(lp[i - 1] - rlp[i - b - 1]) < 1e-4);
                assert_true(am[i - 1] == ram[i - b - 1] || gap[i - b - 1] < 1e-5);
                scored[i]++;
            }
            prev_end = e;
            if (e == N) break;
        }
        for (int i = 1; i < N; i++) {
            assert_true(scored[i] <= 1);
            if (!scored[i]) assert_true(isnan(lp[i - 1]) && S == C); /* window starts */
        }
    }
    gpt2_window w[8];
    assert_int_equal(gpt2_window_plan(10, 4, 2, w), 4);
    assert_int_equal(w[0].start, 0), assert_int_equal(w[0].end, 4), assert_int_equal(w[0].first, 1);
    assert_int_equal(w[1].start, 2), assert_int_equal(w[1].end, 6), assert_int_equal(w[1].first, 4);
    assert_int_equal(w[3].start, 6), assert_int_equal(w[3].end, 10),
        assert_int_equal(w[3].first, 8);
    assert_int_equal(gpt2_window_plan(1, 4, 2, NULL), 0);
    ref_free(&r);
    gpt2_ws_free(ws);
    gpt2_free(m);
}

/* Same numbers for any packing of the batch and any thread count. */
static void test_batch_and_threads_invariant(void **s) {
    (void)s;
    const char *dir = path_in("inv");
    make_model(dir, 2, 2, 64, 48, 50257, "F16", 0, 0, 11);
    wt_error err;
    gpt2_model *m = gpt2_load(dir, &err);
    assert_non_null(m);
    enum { NR = 6 };
    int32_t tok[NR][48];
    float lp[4][NR][48];
    int len[NR] = {48, 5, 30, 2, 48, 17};
    int cfgs[4][2] = {{1, 48}, {2, 48}, {1, 1000}, {2, 97}}; /* threads, ws tokens */
    for (int c = 0; c < 4; c++) {
        gpt2_blas_threads(cfgs[c][0]);
        gpt2_ws *ws = gpt2_ws_create(m, (size_t)cfgs[c][1], &err);
        gpt2_request req[NR];
        for (int i = 0; i < NR; i++) {
            random_tokens(tok[i], len[i], 50257, (uint64_t)(100 + i));
            req[i] = (gpt2_request){tok[i], len[i], 1, lp[c][i], NULL};
        }
        assert_int_equal(gpt2_score(m, ws, req, NR, &err), 0);
        gpt2_ws_free(ws);
    }
    float worst = 0;
    for (int c = 1; c < 4; c++)
        for (int i = 0; i < NR; i++)
            for (int j = 0; j + 1 < len[i]; j++) {
                float d = fabsf(lp[c][i][j] - lp[0][i][j]);
                if (d > worst) worst = d;
            }
    fprintf(stderr, "batch/thread invariance: max difference %g\n", (double)worst);
    assert_true(worst < 1e-5f);
    gpt2_blas_threads(0);
    gpt2_free(m);
}

/* The KV cache: a prompt, then one token at a time, matches full scoring. */
static void test_kv_cache(void **s) {
    (void)s;
    const char *dir = path_in("kv");
    make_model(dir, 3, 4, 64, 40, 50257, "F32", 1, 0, 3);
    wt_error err;
    gpt2_model *m = gpt2_load(dir, &err);
    assert_non_null(m);
    ref_model r;
    assert_int_equal(ref_load(dir, &r), 0);
    enum { N = 40 };
    int32_t tok[N];
    random_tokens(tok, N, 50257, 42);
    double rlp[N];
    ref_logprobs(&r, tok, N, rlp, NULL, NULL);
    gpt2_ws *ws = gpt2_ws_create(m, 0, &err);
    gpt2_kv *kv = gpt2_kv_create(m, 0, &err);
    float *logits = malloc(50257 * sizeof *logits);
    int fed = 0;
    while (fed < N - 1) {
        int k = fed == 0 ? 7 : fed == 10 ? 3 : 1; /* prompt, a chunk, single steps */
        assert_int_equal(gpt2_kv_feed(m, ws, kv, tok + fed, k, logits, &err), 0);
        fed += k;
        double mx = -INFINITY, sum = 0;
        for (int v = 0; v < 50257; v++) mx = logits[v] > mx ? logits[v] : mx;
        for (int v = 0; v < 50257; v++) sum += exp(logits[v] - mx);
        assert_true(fabs(logits[tok[fed]] - mx - log(sum) - rlp[fed - 1]) < 1e-4);
    }
    assert_int_equal(gpt2_kv_len(kv), N - 1);
    assert_int_equal(gpt2_kv_feed(m, ws, kv, tok, 2, logits, &err), -1); /* past n_ctx */
    gpt2_kv_reset(kv);
    assert_int_equal(gpt2_kv_feed(m, ws, kv, tok, 2, logits, &err), 0);
    uint64_t rng = 1;
    for (int i = 0; i < 50; i++) {
        int32_t t = gpt2_sample_top_k(logits, 50257, 1, 1.0f, &rng); /* k = 1: greedy */
        int32_t best = 0;
        for (int v = 1; v < 50257; v++) best = logits[v] > logits[best] ? v : best;
        assert_int_equal(t, best);
        t = gpt2_sample_top_k(logits, 50257, 40, 1.0f, &rng);
        int above = 0; /* a top-40 token: fewer than 40 logits are larger */
        for (int v = 0; v < 50257; v++) above += logits[v] > logits[t];
        assert_true(above < 40);
    }
    free(logits);
    ref_free(&r);
    gpt2_kv_free(kv);
    gpt2_ws_free(ws);
    gpt2_free(m);
}

/* gpt2_kv_score: continuations of one cached prefix, batched, each equal to
 * the reference model's log-probabilities of prefix + continuation; the
 * cache is left as it was. */
static void test_kv_score_shared_prefix(void **s) {
    (void)s;
    const char *dir = path_in("kvs");
    make_model(dir, 2, 4, 64, 48, 50257, "F32", 0, 0, 9);
    wt_error err;
    gpt2_model *m = gpt2_load(dir, &err);
    assert_non_null(m);
    ref_model r;
    assert_int_equal(ref_load(dir, &r), 0);
    enum { P = 20, NC = 5, N = 48 };
    int32_t seq[NC][N];
    int len[NC];
    random_tokens(seq[0], P, 50257, 77);
    for (int c = 0; c < NC; c++) {
        memcpy(seq[c], seq[0], P * sizeof(int32_t));
        len[c] = P + 1 + 3 * c; /* continuations of 1, 4, 7, ... tokens */
        random_tokens(seq[c] + P, len[c] - P, 50257, 100 + (uint64_t)c);
    }
    gpt2_ws *ws = gpt2_ws_create(m, 0, &err);
    gpt2_kv *kv = gpt2_kv_create(m, 0, &err);
    float *logits = malloc(50257 * sizeof *logits);
    /* the cache holds the prefix but its last token, which starts every request */
    assert_int_equal(gpt2_kv_feed(m, ws, kv, seq[0], P - 1, logits, &err), 0);
    gpt2_request req[NC];
    float lp[NC][N];
    int32_t am[NC][N];
    for (int c = 0; c < NC; c++)
        req[c] = (gpt2_request){.tokens = seq[c] + P - 1,
                                .n = len[c] - P + 1,
                                .first = 1,
                                .logprob = lp[c],
                                .argmax = am[c]};
    assert_int_equal(gpt2_kv_score(m, ws, kv, req, NC, &err), 0);
    assert_int_equal(gpt2_kv_len(kv), P - 1);
    for (int c = 0; c < NC; c++) {
        double rlp[N];
        int32_t ram[N];
        ref_logprobs(&r, seq[c], len[c], rlp, ram, NULL);
        for (int i = P; i < len[c]; i++) {
            assert_true(fabs(lp[c][i - P] - rlp[i - 1]) < 1e-4);
            assert_int_equal(am[c][i - P], ram[i - 1]);
        }
    }
    req[0].n = N; /* 19 cached + 48 tokens pass n_ctx */
    assert_int_equal(gpt2_kv_score(m, ws, kv, req, 1, &err), -1);
    free(logits);
    ref_free(&r);
    gpt2_kv_free(kv);
    gpt2_ws_free(ws);
    gpt2_free(m);
}

static void test_zero_checkpoint(void **s) {
    (void)s;
    const char *dir = path_in("zero");
    gpt2_init_opts o = {.cfg = {.n_layer = 2,
                                .n_head = 2,
                                .n_embd = 32,
                                .n_ctx = 16,
                                .vocab_size = 50257,
                                .ln_eps = 1e-5f},
                        .dtype = "F16",
                        .zero = 1};
    wt_error err;
    assert_int_equal(gpt2_init_write(dir, &o, &err), 0);
    gpt2_model *m = gpt2_load(dir, &err);
    assert_non_null(m);
    gpt2_ws *ws = gpt2_ws_create(m, 0, &err);
    int32_t tok[16];
    random_tokens(tok, 16, 50257, 1);
    float lp[15];
    int32_t am[15];
    gpt2_request req = {tok, 16, 1, lp, am};
    assert_int_equal(gpt2_score(m, ws, &req, 1, &err), 0);
    for (int i = 0; i < 15; i++) {
        assert_true(lp[i] == -logf(50257.0f));
        assert_true(fabs(lp[i] + log(50257.0)) < 1e-6);
        assert_int_equal(am[i], 0);
    }
    gpt2_ws_free(ws);
    gpt2_free(m);
}

/* ---- bad files: a valid tiny checkpoint, then its header edited ---- */

static void tiny_model(const char *dir) {
    make_model(dir, 2, 2, 8, 8, 16, "F32", 0, 0, 1);
}

static unsigned char *slurp(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc(*n);
    assert_int_equal(fread(b, 1, *n, f), *n);
    fclose(f);
    return b;
}

static void spit(const char *path, const void *a, size_t na, const void *b, size_t nb) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(a, 1, na, f);
    if (nb) fwrite(b, 1, nb, f);
    fclose(f);
}

typedef void (*edit_fn)(json_t *hdr);

/* Rewrites DIR/model.safetensors with its header passed through `edit`. */
static void edit_header(const char *dir, edit_fn edit) {
    char path[300];
    snprintf(path, sizeof path, "%s/model.safetensors", dir);
    size_t n;
    unsigned char *b = slurp(path, &n);
    uint64_t hl = 0;
    for (int i = 7; i >= 0; i--) hl = hl << 8 | b[i];
    json_t *h = json_loadb((char *)b + 8, hl, 0, NULL);
    assert_non_null(h);
    edit(h);
    char *s = json_dumps(h, JSON_COMPACT);
    size_t sl = strlen(s);
    unsigned char *out = malloc(8 + sl);
    for (int i = 0; i < 8; i++) out[i] = (unsigned char)((uint64_t)sl >> (8 * i));
    memcpy(out + 8, s, sl);
    spit(path, out, 8 + sl, b + 8 + hl, n - 8 - hl);
    free(out), free(s), free(b);
    json_decref(h);
}

static void expect_error(const char *dir, const char *what) {
    wt_error err;
    gpt2_model *m = gpt2_load(dir, &err);
    if (m || !strstr(err.msg, what))
        fprintf(stderr, "expected an error with '%s', got: %s\n", what, m ? "(loaded)" : err.msg);
    assert_null(m);
    assert_non_null(strstr(err.msg, what));
}

static json_t *entry(json_t *h, const char *name) {
    return json_object_get(h, name);
}
static void ed_overlap(json_t *h) {
    json_t *a = json_object_get(entry(h, "transformer.wpe.weight"), "data_offsets");
    json_t *b = json_object_get(entry(h, "transformer.wte.weight"), "data_offsets");
    json_integer_set(json_array_get(a, 0), json_integer_value(json_array_get(b, 0)));
    json_integer_set(json_array_get(a, 1), json_integer_value(json_array_get(b, 0)) + 8 * 8 * 4);
}
static void ed_past_end(json_t *h) {
    json_t *a = json_object_get(entry(h, "transformer.ln_f.bias"), "data_offsets");
    json_integer_set(json_array_get(a, 0), 1 << 30);
    json_integer_set(json_array_get(a, 1), (1 << 30) + 32);
}
static void ed_dtype(json_t *h) {
    json_object_set_new(entry(h, "transformer.h.1.mlp.c_fc.weight"), "dtype", json_string("I32"));
}
static void ed_unknown_dtype(json_t *h) {
    json_object_set_new(entry(h, "transformer.h.0.ln_1.bias"), "dtype", json_string("F7"));
}
static void ed_shape(json_t *h) { /* same bytes, transposed: (out, in) */
    json_object_set_new(entry(h, "transformer.h.0.attn.c_attn.weight"), "shape",
                        json_pack("[i, i]", 24, 8));
}
static void ed_bytes(json_t *h) {
    json_object_set_new(entry(h, "transformer.h.0.ln_2.weight"), "shape", json_pack("[i]", 9));
}
static void ed_shape_wraps(json_t *h) { /* 2^40 * 2^24 = 2^64 elements: wraps to 0 */
    json_object_set_new(entry(h, "transformer.h.0.ln_2.weight"), "shape",
                        json_pack("[I, I]", (json_int_t)1 << 40, (json_int_t)1 << 24));
    json_t *a = json_object_get(entry(h, "transformer.h.0.ln_2.weight"), "data_offsets");
    json_integer_set(json_array_get(a, 1), json_integer_value(json_array_get(a, 0)));
}
static void ed_missing(json_t *h) {
    json_object_del(h, "transformer.h.1.attn.c_proj.bias");
}
static void ed_lm_head(json_t *h) { /* the ignored mask buffer renamed */
    json_object_set(h, "lm_head.weight", entry(h, "transformer.h.0.attn.bias"));
    json_object_del(h, "transformer.h.0.attn.bias");
}

static void test_bad_files(void **s) {
    (void)s;
    const char *dir = path_in("bad"), *st = path_in("bad/model.safetensors");
    const char *cfg = path_in("bad/config.json");
    size_t n;
    struct {
        edit_fn fn;
        const char *msg;
    } edits[] = {{ed_overlap, "overlap"},
                 {ed_past_end, "pass the end of the data"},
                 {ed_dtype, "dtype I32"},
                 {ed_unknown_dtype, "unknown dtype 'F7'"},
                 {ed_shape, "has shape [24, 8], config.json implies [8, 24]"},
                 {ed_bytes, "bytes for 9 elements"},
                 {ed_shape_wraps, "shape too large"},
                 {ed_missing, "'transformer.h.1.attn.c_proj.bias' is missing"},
                 {ed_lm_head, "lm_head.weight"}};
    for (size_t i = 0; i < sizeof edits / sizeof *edits; i++) {
        tiny_model(dir);
        edit_header(dir, edits[i].fn);
        expect_error(dir, edits[i].msg);
        expect_error(dir, "HINT");
    }
    /* truncated file */
    tiny_model(dir);
    unsigned char *b = slurp(st, &n);
    spit(st, b, n - 100, NULL, 0);
    expect_error(dir, "truncated");
    /* header length past the end */
    b[3] = 0x7f;
    spit(st, b, n, NULL, 0);
    expect_error(dir, "header length");
    /* too short, not JSON */
    spit(st, b, 5, NULL, 0);
    expect_error(dir, "too short");
    memset(b + 8, 'x', 16);
    b[3] = 0;
    spit(st, b, n, NULL, 0);
    expect_error(dir, "not a JSON object");
    free(b);
    /* config/file mismatch: fewer layers, other width, missing file */
    tiny_model(dir);
    b = slurp(cfg, &n);
    char *c2 = calloc(1, n + 1);
    memcpy(c2, b, n);
    char *p = strstr(c2, "\"n_layer\": 2");
    assert_non_null(p);
    p[11] = '1';
    spit(cfg, c2, strlen(c2), NULL, 0);
    expect_error(dir, "n_layer 1");
    p[11] = '2';
    p = strstr(c2, "\"n_embd\": 8");
    assert_non_null(p);
    memcpy(p, "\"n_embd\":16", 11);
    spit(cfg, c2, strlen(c2), NULL, 0);
    expect_error(dir, "config.json implies");
    p = strstr(c2, "\"n_embd\":16");
    memcpy(p, "\"n_embd\": 7", 11);
    spit(cfg, c2, strlen(c2), NULL, 0);
    expect_error(dir, "not divisible");
    p = strstr(c2, "\"n_embd\": 7");
    memcpy(p, "\"n_embd\": 8", 11);
    spit(cfg, c2, strlen(c2), NULL, 0);
    remove(st);
    expect_error(dir, "cannot open");
    remove(cfg);
    expect_error(dir, "config.json");
    free(c2), free(b);
}

/* Random damage to a valid file (bytes of the header flipped, the file cut
 * anywhere) never crashes the loader: it fails cleanly or loads a model that
 * then scores without fault (the sanitizer build checks the "without"). */
static void test_random_damage(void **s) {
    (void)s;
    const char *dir = path_in("dmg"), *st = path_in("dmg/model.safetensors");
    tiny_model(dir);
    size_t n;
    unsigned char *orig = slurp(st, &n);
    uint64_t hl = 0;
    for (int i = 7; i >= 0; i--) hl = hl << 8 | orig[i];
    unsigned char *b = malloc(n);
    uint64_t x = 12345;
    int loaded = 0, failed = 0;
    for (int it = 0; it < 300; it++) {
        memcpy(b, orig, n);
        size_t len = n;
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        if (it % 5 == 4) {
            len = (size_t)(x >> 33) % n;
        } else {
            for (int k = 0; k < 1 + it % 3; k++) {
                x = x * 6364136223846793005ULL + 1442695040888963407ULL;
                size_t at = (size_t)((x >> 33) % (8 + hl));
                static const char junk[] = "0123456789[],:{}\"a";
                b[at] = it % 2 ? (unsigned char)(b[at] ^ (1u << (x >> 61)))
                               : (unsigned char)junk[(x >> 40) % (sizeof junk - 1)];
            }
        }
        spit(st, b, len, NULL, 0);
        wt_error err;
        gpt2_model *m = gpt2_load(dir, &err);
        if (!m) {
            assert_true(strlen(err.msg) > 0);
            failed++;
            continue;
        }
        loaded++;
        gpt2_ws *ws = gpt2_ws_create(m, 0, &err);
        int32_t tok[4] = {1, 5, 9, 15};
        float lp[3];
        gpt2_request req = {tok, 4, 1, lp, NULL};
        assert_int_equal(gpt2_score(m, ws, &req, 1, &err), 0);
        gpt2_ws_free(ws);
        gpt2_free(m);
    }
    assert_true(failed > 100);
    free(b), free(orig);
}

static void test_bad_tokens(void **s) {
    (void)s;
    const char *dir = path_in("tok");
    tiny_model(dir);
    wt_error err;
    gpt2_model *m = gpt2_load(dir, &err);
    assert_non_null(m);
    gpt2_ws *ws = gpt2_ws_create(m, 0, &err);
    int32_t tok[4] = {1, 2, 16, 3};
    float lp[3];
    gpt2_request req = {tok, 4, 1, lp, NULL};
    assert_int_equal(gpt2_score(m, ws, &req, 1, &err), -1);
    assert_non_null(strstr(err.msg, "token id 16 at position 2"));
    tok[2] = -1;
    assert_int_equal(gpt2_score(m, ws, &req, 1, &err), -1);
    tok[2] = 3;
    req.n = 9; /* past n_ctx */
    assert_int_equal(gpt2_score(m, ws, &req, 1, &err), -1);
    req.n = 4, req.first = 0;
    assert_int_equal(gpt2_score(m, ws, &req, 1, &err), -1);
    req.first = 1;
    assert_int_equal(gpt2_score(m, ws, &req, 1, &err), 0);
    gpt2_kv *kv = gpt2_kv_create(m, 0, &err);
    float logits[16];
    tok[0] = 99;
    assert_int_equal(gpt2_kv_feed(m, ws, kv, tok, 2, logits, &err), -1);
    gpt2_kv_free(kv);
    gpt2_ws_free(ws);
    gpt2_free(m);
}

static void test_half_conversions(void **s) {
    (void)s;
    const float cases[] = {0.0f, 1.0f, -2.5f, 65504.0f, 6.1035156e-5f, 5.9604645e-8f, 0.1f};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        float back = gpt2_f16_to_f32(gpt2_f32_to_f16(cases[i]));
        assert_true(fabsf(back - cases[i]) <= fabsf(cases[i]) * 1e-3f);
        back = gpt2_bf16_to_f32(gpt2_f32_to_bf16(cases[i]));
        assert_true(fabsf(back - cases[i]) <= fabsf(cases[i]) * 1e-2f);
    }
    assert_true(isinf(gpt2_f16_to_f32(gpt2_f32_to_f16(1e6f))));
    assert_int_equal(gpt2_f32_to_f16(1.0f + 1.0f / 2048), 0x3c00); /* tie to even */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_f32_prefixed),
        cmocka_unit_test(test_exact_f16_no_prefix),
        cmocka_unit_test(test_exact_f32_untied_wide),
        cmocka_unit_test(test_exact_bf16_untied),
        cmocka_unit_test(test_sliding_windows),
        cmocka_unit_test(test_batch_and_threads_invariant),
        cmocka_unit_test(test_kv_cache),
        cmocka_unit_test(test_kv_score_shared_prefix),
        cmocka_unit_test(test_zero_checkpoint),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_random_damage),
        cmocka_unit_test(test_bad_tokens),
        cmocka_unit_test(test_half_conversions),
    };
    return cmocka_run_group_tests_name("model", tests, setup, teardown);
}
