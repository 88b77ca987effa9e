/* The bench's ceiling: OpenBLAS sgemm alone on the shapes of one scoring pass
 * of GPT-2 124M over 8 x 1024 tokens (the same calls the model makes), timed
 * best-of-3, giving the sgemm-bound limit in tokens per second.
 * usage: sgemm_peak THREADS  (prints shape lines, then "limit TOK/S GFLOP/S") */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* Seconds for `reps` calls of C (M,N) = A (M,K) op(B), best of 3. */
static double time_gemm(int M, int N, int K, int transb, int lda, int ldb, int reps) {
    float *a = malloc(sizeof(float) * (size_t)M * lda), *c = malloc(sizeof(float) * (size_t)M * N);
    size_t bn = transb ? (size_t)N * ldb : (size_t)K * ldb;
    float *b = malloc(sizeof(float) * bn);
    for (size_t i = 0; i < (size_t)M * lda; i++) a[i] = (float)(i % 13) * 0.01f;
    for (size_t i = 0; i < bn; i++) b[i] = (float)(i % 7) * 0.01f;
    double best = 1e30;
    for (int t = 0; t < 3; t++) {
        double t0 = now();
        for (int r = 0; r < reps; r++)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, transb ? CblasTrans : CblasNoTrans, M, N, K,
                        1.0f, a, lda, b, ldb, 0.0f, c, N);
        double dt = now() - t0;
        best = dt < best ? dt : best;
    }
    free(a), free(b), free(c);
    return best;
}

int main(int argc, char **argv) {
    openblas_set_num_threads(argc > 1 ? atoi(argv[1]) : 1);
    const int L = 12, C = 768, H = 12, hd = 64, T = 1024, B = 8, V = 50257, N = B * T;
    double total = 0, flops = 0;
    struct {
        const char *what;
        int M, Nn, K, transb, lda, ldb, reps;
        double calls;
    } s[] = {
        {"qkv      8192x2304x768", N, 3 * C, C, 0, C, 3 * C, 1, L},
        {"attn out 8192x768x768", N, C, C, 0, C, C, 1, L},
        {"mlp fc   8192x3072x768", N, 4 * C, C, 0, C, 4 * C, 1, L},
        {"mlp proj 8192x768x3072", N, C, 4 * C, 0, 4 * C, C, 1, L},
        {"lm head  1024x4096x768 (tile)", 1024, 4096, C, 1, C, C, 4, (double)N / 1024 * V / 4096},
        /* attention: QK^T and AV of a 128-row block at the mean key length */
        {"QK^T     128x576x64", 128, 576, hd, 1, 3 * C, 3 * C, 64, (double)L * B * H * (T / 128)},
        {"AV       128x64x576", 128, hd, 576, 0, 576, 3 * C, 64, (double)L * B * H * (T / 128)},
    };
    for (size_t i = 0; i < sizeof s / sizeof *s; i++) {
        double dt = time_gemm(s[i].M, s[i].Nn, s[i].K, s[i].transb, s[i].lda, s[i].ldb, s[i].reps) /
                    s[i].reps;
        double f = 2.0 * s[i].M * s[i].Nn * s[i].K;
        printf("  sgemm %-30s %7.1f GFLOP/s\n", s[i].what, f / dt / 1e9);
        total += dt * s[i].calls;
        flops += f * s[i].calls;
    }
    printf("limit %.1f %.1f %.4f\n", N / total, flops / total / 1e9, flops / N / 1e6);
    return 0;
}
