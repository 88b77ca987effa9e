/* The float64 reference forward for the model tests (see model_ref.h):
 * deliberately naive loops, one token at a time, straight from the GPT-2
 * definition, so it shares nothing with model/ but the file's bytes. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_ref.h"

static const char *const ref_names[12] = {
    "ln_1.weight",        "ln_1.bias",        "attn.c_attn.weight", "attn.c_attn.bias",
    "attn.c_proj.weight", "attn.c_proj.bias", "ln_2.weight",        "ln_2.bias",
    "mlp.c_fc.weight",    "mlp.c_fc.bias",    "mlp.c_proj.weight",  "mlp.c_proj.bias"};

static double half_to_double(unsigned h) {
    int e = (h >> 10) & 31, f = h & 1023;
    double v = e == 0 ? ldexp(f, -24) : ldexp(1024 + f, e - 25);
    return (h & 0x8000) ? -v : v;
}

/* Reads one tensor (any of F32/F16/BF16) as doubles. */
static double *tensor(json_t *hdr, const unsigned char *data, const char *name) {
    char full[160];
    snprintf(full, sizeof full, "transformer.%s", name);
    json_t *t = json_object_get(hdr, full);
    if (!t) t = json_object_get(hdr, name);
    if (!t) return NULL;
    const char *dt = json_string_value(json_object_get(t, "dtype"));
    json_t *off = json_object_get(t, "data_offsets");
    size_t b = (size_t)json_integer_value(json_array_get(off, 0));
    size_t e = (size_t)json_integer_value(json_array_get(off, 1));
    size_t es = strcmp(dt, "F32") == 0 ? 4 : 2, n = (e - b) / es;
    double *out = malloc(n * sizeof *out);
    for (size_t i = 0; i < n; i++) {
        const unsigned char *p = data + b + i * es;
        if (es == 4) {
            float f;
            memcpy(&f, p, 4);
            out[i] = f;
        } else if (strcmp(dt, "F16") == 0) {
            out[i] = half_to_double(p[0] | p[1] << 8);
        } else {
            uint32_t u = (uint32_t)(p[0] | p[1] << 8) << 16;
            float f;
            memcpy(&f, &u, 4);
            out[i] = f;
        }
    }
    return out;
}

int ref_load(const char *dir, ref_model *m) {
    memset(m, 0, sizeof *m);
    char path[4096];
    snprintf(path, sizeof path, "%s/config.json", dir);
    json_t *cfg = json_load_file(path, 0, NULL);
    if (!cfg) return -1;
    m->L = (int)json_integer_value(json_object_get(cfg, "n_layer"));
    m->H = (int)json_integer_value(json_object_get(cfg, "n_head"));
    m->C = (int)json_integer_value(json_object_get(cfg, "n_embd"));
    m->T = (int)json_integer_value(json_object_get(cfg, "n_positions"));
    m->V = (int)json_integer_value(json_object_get(cfg, "vocab_size"));
    m->eps = json_number_value(json_object_get(cfg, "layer_norm_epsilon"));
    json_decref(cfg);
    snprintf(path, sizeof path, "%s/model.safetensors", dir);
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc((size_t)size);
    size_t got = fread(buf, 1, (size_t)size, f);
    fclose(f);
    uint64_t hl = 0;
    for (int i = 7; i >= 0; i--) hl = hl << 8 | buf[i];
    json_t *hdr = got == (size_t)size ? json_loadb((char *)buf + 8, hl, 0, NULL) : NULL;
    int rc = hdr ? 0 : -1;
    if (hdr) {
        const unsigned char *data = buf + 8 + hl;
        m->wte = tensor(hdr, data, "wte.weight");
        m->wpe = tensor(hdr, data, "wpe.weight");
        m->lnf_w = tensor(hdr, data, "ln_f.weight");
        m->lnf_b = tensor(hdr, data, "ln_f.bias");
        m->lm =
            json_object_get(hdr, "lm_head.weight") ? tensor(hdr, data, "lm_head.weight") : m->wte;
        m->p = calloc((size_t)m->L * 12, sizeof *m->p);
        for (int l = 0; l < m->L; l++)
            for (int k = 0; k < 12; k++) {
                char name[96];
                snprintf(name, sizeof name, "h.%d.%s", l, ref_names[k]);
                if (!(m->p[l * 12 + k] = tensor(hdr, data, name))) rc = -1;
            }
        if (!m->wte || !m->wpe || !m->lnf_w || !m->lnf_b || !m->lm) rc = -1;
        json_decref(hdr);
    }
    free(buf);
    return rc;
}

void ref_free(ref_model *m) {
    if (m->lm != m->wte) free(m->lm);
    free(m->wte);
    free(m->wpe);
    free(m->lnf_w);
    free(m->lnf_b);
    for (int i = 0; m->p && i < m->L * 12; i++) free(m->p[i]);
    free(m->p);
}

static void layernorm(double *out, const double *x, const double *w, const double *b, int C,
                      double eps) {
    double mean = 0, var = 0;
    for (int i = 0; i < C; i++) mean += x[i];
    mean /= C;
    for (int i = 0; i < C; i++) var += (x[i] - mean) * (x[i] - mean);
    var /= C;
    for (int i = 0; i < C; i++) out[i] = (x[i] - mean) / sqrt(var + eps) * w[i] + b[i];
}

/* out[o] = b[o] + sum_i x[i] W[i][o], W stored (in, out). */
static void linear(double *out, const double *x, const double *W, const double *b, int in,
                   int nout) {
    for (int o = 0; o < nout; o++) {
        double s = b[o];
        for (int i = 0; i < in; i++) s += x[i] * W[(size_t)i * nout + o];
        out[o] = s;
    }
}

void ref_logprobs(const ref_model *m, const int32_t *tok, int n, double *lp, int32_t *am,
                  double *gap) {
    int C = m->C, hd = C / m->H;
    double *x = calloc((size_t)n * C, sizeof *x);       /* residual per position */
    double *kbuf = calloc((size_t)n * C, sizeof *kbuf); /* keys of this layer */
    double *vbuf = calloc((size_t)n * C, sizeof *vbuf);
    double *qbuf = calloc((size_t)n * C, sizeof *qbuf);
    double *h = malloc(4 * (size_t)C * sizeof *h), *qkv = malloc(3 * (size_t)C * sizeof *qkv);
    double *a = malloc((size_t)C * sizeof *a), *o = malloc(4 * (size_t)C * sizeof *o);
    double *w = malloc((size_t)n * sizeof *w), *logit = malloc((size_t)m->V * sizeof *logit);
    for (int t = 0; t < n; t++)
        for (int i = 0; i < C; i++)
            x[(size_t)t * C + i] = m->wte[(size_t)tok[t] * C + i] + m->wpe[(size_t)t * C + i];
    for (int l = 0; l < m->L; l++) {
        double *const *P = m->p + l * 12;
        for (int t = 0; t < n; t++) { /* q, k, v of every position */
            layernorm(h, x + (size_t)t * C, P[0], P[1], C, m->eps);
            linear(qkv, h, P[2], P[3], C, 3 * C);
            memcpy(qbuf + (size_t)t * C, qkv, C * sizeof(double));
            memcpy(kbuf + (size_t)t * C, qkv + C, C * sizeof(double));
            memcpy(vbuf + (size_t)t * C, qkv + 2 * C, C * sizeof(double));
        }
        for (int t = 0; t < n; t++) {
            for (int hh = 0; hh < m->H; hh++) { /* causal attention, one head */
                const double *q = qbuf + (size_t)t * C + hh * hd;
                double mx = -INFINITY, sum = 0;
                for (int s = 0; s <= t; s++) {
                    double d = 0;
                    for (int i = 0; i < hd; i++) d += q[i] * kbuf[(size_t)s * C + hh * hd + i];
                    w[s] = d / sqrt((double)hd);
                    if (w[s] > mx) mx = w[s];
                }
                for (int s = 0; s <= t; s++) sum += (w[s] = exp(w[s] - mx));
                for (int i = 0; i < hd; i++) {
                    double acc = 0;
                    for (int s = 0; s <= t; s++)
                        acc += w[s] / sum * vbuf[(size_t)s * C + hh * hd + i];
                    a[hh * hd + i] = acc;
                }
            }
            double *xt = x + (size_t)t * C;
            linear(h, a, P[4], P[5], C, C);
            for (int i = 0; i < C; i++) xt[i] += h[i];
            layernorm(h, xt, P[6], P[7], C, m->eps);
            linear(o, h, P[8], P[9], C, 4 * C);
            for (int i = 0; i < 4 * C; i++)
                o[i] = 0.5 * o[i] *
                       (1 + tanh(sqrt(2 / M_PI) * (o[i] + 0.044715 * o[i] * o[i] * o[i])));
            linear(h, o, P[10], P[11], 4 * C, C);
            for (int i = 0; i < C; i++) xt[i] += h[i];
        }
    }
    for (int t = 0; t + 1 < n; t++) {
        layernorm(h, x + (size_t)t * C, m->lnf_w, m->lnf_b, C, m->eps);
        double mx = -INFINITY, second = -INFINITY, sum = 0;
        int32_t best = 0;
        for (int v = 0; v < m->V; v++) {
            double z = 0;
            for (int i = 0; i < C; i++) z += h[i] * m->lm[(size_t)v * C + i];
            logit[v] = z;
            if (z > mx) {
                second = mx;
                mx = z;
                best = v;
            } else if (z > second) {
                second = z;
            }
        }
        for (int v = 0; v < m->V; v++) sum += exp(logit[v] - mx);
        lp[t] = logit[tok[t + 1]] - mx - log(sum);
        if (am) am[t] = best;
        if (gap) gap[t] = mx - second;
    }
    free(x), free(kbuf), free(vbuf), free(qbuf), free(h), free(qkv), free(a), free(o), free(w);
    free(logit);
}
