/* A plain float64 GPT-2 forward written for the tests, independent of
 * model/ (its own safetensors reading, no BLAS, no shared kernels): the
 * reference the optimised code is checked against. */
#ifndef WT_TEST_MODEL_REF_H
#define WT_TEST_MODEL_REF_H

#include <stdint.h>

typedef struct ref_model {
    int L, H, C, T, V; /* layers, heads, width, positions, vocabulary */
    double eps;
    double *wte, *wpe, *lnf_w, *lnf_b, *lm; /* lm == wte when tied */
    double **p;                             /* per layer: 12 tensors in the order of ref_names */
} ref_model;

/* Loads DIR (config.json + model.safetensors); returns 0 or -1. */
int ref_load(const char *dir, ref_model *m);
void ref_free(ref_model *m);
/* lp[i-1] = ln p(tok[i] | tok[0..i)), am[i-1] its argmax and gap[i-1] the
 * distance between the two largest logits, for i in 1..n-1 (n <= T). */
void ref_logprobs(const ref_model *m, const int32_t *tok, int n, double *lp, int32_t *am,
                  double *gap);

#endif
