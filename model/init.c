/* Writes random (or all-zero) GPT-2 checkpoints in the exact Hugging Face
 * layout: config.json and model.safetensors with GPT2LMHeadModel's keys,
 * Conv1D (in, out) weights and the old attn.bias / masked_bias buffers. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gpt2_impl.h"
#include "stream.h"

typedef enum { FILL_NORMAL, FILL_GAIN, FILL_BIAS, FILL_MASK, FILL_MASKED_BIAS } fill_kind;

typedef struct spec {
    char name[128]; /* full key, e.g. "transformer.h.0.attn.c_attn.weight" */
    int ndim;
    int64_t shape[4];
    fill_kind fill;
    uint64_t begin, end;
} spec;

static uint64_t mix64(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A standard normal from a counter-based stream: value i of stream s. */
static float normal_at(uint64_t s, uint64_t i) {
    uint64_t a = mix64(s ^ mix64(2 * i + 1)), b = mix64(s ^ mix64(2 * i + 2));
    double u1 = ((double)(a >> 11) + 1.0) * 0x1.0p-53, u2 = (double)(b >> 11) * 0x1.0p-53;
    return (float)(sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2));
}

static uint64_t name_hash(const char *s) {
    uint64_t h = 1469598103934665603ULL; /* FNV-1a, of the key without prefix */
    if (strncmp(s, "transformer.", 12) == 0) s += 12;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static size_t add(spec *v, size_t n, const char *prefix, const char *name, int ndim, int64_t d0,
                  int64_t d1, fill_kind fill) {
    spec *s = &v[n];
    snprintf(s->name, sizeof s->name, "%s%s", prefix, name);
    s->ndim = ndim;
    s->shape[0] = d0;
    s->shape[1] = d1;
    s->fill = fill;
    if (fill == FILL_MASK) {
        s->shape[0] = s->shape[1] = 1;
        s->shape[2] = s->shape[3] = d0;
    }
    return n + 1;
}

static size_t build_specs(const gpt2_init_opts *o, spec *v) {
    const gpt2_config *c = &o->cfg;
    const char *p = o->no_prefix ? "" : "transformer.";
    int64_t C = c->n_embd;
    size_t n = 0;
    n = add(v, n, p, "wte.weight", 2, c->vocab_size, C, FILL_NORMAL);
    n = add(v, n, p, "wpe.weight", 2, c->n_ctx, C, FILL_NORMAL);
    char k[64];
    for (int l = 0; l < c->n_layer; l++) {
#define L(suffix, nd, d0, d1, f)                                                                   \
    (snprintf(k, sizeof k, "h.%d.%s", l, suffix), n = add(v, n, p, k, nd, d0, d1, f))
        L("ln_1.weight", 1, C, 0, FILL_GAIN);
        L("ln_1.bias", 1, C, 0, FILL_BIAS);
        L("attn.bias", 4, c->n_ctx, 0, FILL_MASK);
        L("attn.masked_bias", 0, 0, 0, FILL_MASKED_BIAS);
        L("attn.c_attn.weight", 2, C, 3 * C, FILL_NORMAL);
        L("attn.c_attn.bias", 1, 3 * C, 0, FILL_BIAS);
        L("attn.c_proj.weight", 2, C, C, FILL_NORMAL);
        L("attn.c_proj.bias", 1, C, 0, FILL_BIAS);
        L("ln_2.weight", 1, C, 0, FILL_GAIN);
        L("ln_2.bias", 1, C, 0, FILL_BIAS);
        L("mlp.c_fc.weight", 2, C, 4 * C, FILL_NORMAL);
        L("mlp.c_fc.bias", 1, 4 * C, 0, FILL_BIAS);
        L("mlp.c_proj.weight", 2, 4 * C, C, FILL_NORMAL);
        L("mlp.c_proj.bias", 1, C, 0, FILL_BIAS);
#undef L
    }
    n = add(v, n, p, "ln_f.weight", 1, C, 0, FILL_GAIN);
    n = add(v, n, p, "ln_f.bias", 1, C, 0, FILL_BIAS);
    if (o->untied) n = add(v, n, "", "lm_head.weight", 2, c->vocab_size, C, FILL_NORMAL);
    return n;
}

static uint64_t numel(const spec *s) {
    uint64_t k = 1;
    for (int d = 0; d < s->ndim; d++) k *= (uint64_t)s->shape[d];
    return k;
}

static float value(const gpt2_init_opts *o, const spec *s, uint64_t seed, uint64_t i) {
    switch (s->fill) {
    case FILL_MASK: {
        uint64_t T = (uint64_t)s->shape[3];
        return (i % T) <= (i / T) ? 1.0f : 0.0f;
    }
    case FILL_MASKED_BIAS:
        return -10000.0f;
    case FILL_GAIN:
        return o->zero ? 1.0f : 1.0f + o->bias_std * normal_at(seed, i);
    case FILL_BIAS:
        return o->zero || o->bias_std == 0 ? 0.0f : o->bias_std * normal_at(seed, i);
    default:
        return o->zero ? 0.0f : o->std * normal_at(seed, i);
    }
}

/* 1e-5f printed as 1e-05, not 9.9999997473787516e-06. */
static double round_sig(double x) {
    char buf[32];
    snprintf(buf, sizeof buf, "%.6g", x);
    return strtod(buf, NULL);
}

static int write_config(const char *dir, const gpt2_init_opts *o, wt_error *err) {
    const gpt2_config *c = &o->cfg;
    json_t *j = json_pack(
        "{s:[s], s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:f, s:i, s:i, s:s}", "architectures",
        "GPT2LMHeadModel", "model_type", "gpt2", "activation_function", "gelu_new", "n_ctx",
        c->n_ctx, "n_positions", c->n_ctx, "n_embd", c->n_embd, "n_head", c->n_head, "n_layer",
        c->n_layer, "vocab_size", c->vocab_size, "layer_norm_epsilon", round_sig((double)c->ln_eps),
        "bos_token_id", 50256, "eos_token_id", 50256, "torch_dtype",
        strcmp(o->dtype, "F32") == 0   ? "float32"
        : strcmp(o->dtype, "F16") == 0 ? "float16"
                                       : "bfloat16");
    if (!j) return wt_fail(err, "config.json: cannot build the JSON");
    if (o->untied) json_object_set_new(j, "tie_word_embeddings", json_false());
    char *text = json_dumps(j, JSON_INDENT(2));
    json_decref(j);
    if (!text) return wt_fail(err, "config.json: out of memory");
    char path[4096];
    snprintf(path, sizeof path, "%s/config.json", dir);
    size_t len = strlen(text);
    char *buf = malloc(len + 1);
    int rc = buf ? 0 : wt_fail(err, "config.json: out of memory");
    if (buf) {
        memcpy(buf, text, len);
        buf[len] = '\n';
        rc = wt_write_file_atomic(path, buf, len + 1, err);
    }
    free(buf);
    free(text);
    return rc;
}

/* The header: {name: {dtype, shape, data_offsets}, __metadata__}, padded
 * with spaces to a multiple of 8 so the data stays aligned. */
static char *header_json(spec *v, size_t n, const char *dtype, size_t *len) {
    json_t *h = json_object();
    json_object_set_new(h, "__metadata__", json_pack("{s:s}", "format", "pt"));
    uint64_t off = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned es = strcmp(dtype, "F32") == 0 ? 4 : 2;
        if (v[i].fill == FILL_MASKED_BIAS) es = 4; /* a scalar, F32 as HF stores it */
        v[i].begin = off;
        v[i].end = off += numel(&v[i]) * es;
        json_t *shape = json_array();
        for (int d = 0; d < v[i].ndim; d++)
            json_array_append_new(shape, json_integer(v[i].shape[d]));
        json_object_set_new(h, v[i].name,
                            json_pack("{s:s, s:o, s:[I, I]}", "dtype",
                                      v[i].fill == FILL_MASKED_BIAS ? "F32" : dtype, "shape", shape,
                                      "data_offsets", (json_int_t)v[i].begin,
                                      (json_int_t)v[i].end));
    }
    char *s = json_dumps(h, JSON_COMPACT);
    json_decref(h);
    if (!s) return NULL;
    size_t k = strlen(s), padded = (k + 7) / 8 * 8;
    char *out = realloc(s, padded + 1);
    if (!out) {
        free(s);
        return NULL;
    }
    memset(out + k, ' ', padded - k);
    out[padded] = 0;
    *len = padded;
    return out;
}

static int write_tensor(wt_writer *w, const gpt2_init_opts *o, const spec *s, wt_error *err) {
    enum { CHUNK = 16384 };
    uint8_t buf[CHUNK * 4];
    uint64_t total = numel(s), seed = mix64(o->seed) ^ name_hash(s->name);
    int f32 = strcmp(o->dtype, "F32") == 0 || s->fill == FILL_MASKED_BIAS;
    int f16 = strcmp(o->dtype, "F16") == 0;
    for (uint64_t i0 = 0; i0 < total; i0 += CHUNK) {
        size_t k = total - i0 < CHUNK ? (size_t)(total - i0) : CHUNK;
        for (size_t i = 0; i < k; i++) {
            float f = value(o, s, seed, i0 + i);
            if (f32) {
                memcpy(buf + 4 * i, &f, 4); /* little-endian host */
            } else {
                uint16_t h = f16 ? gpt2_f32_to_f16(f) : gpt2_f32_to_bf16(f);
                buf[2 * i] = (uint8_t)h;
                buf[2 * i + 1] = (uint8_t)(h >> 8);
            }
        }
        WT_TRY(wt_writer_write(w, buf, k * (f32 ? 4 : 2), err));
    }
    return 0;
}

int gpt2_init_write(const char *dir, const gpt2_init_opts *o_in, wt_error *err) {
    gpt2_init_opts o = *o_in;
    if (!o.dtype) o.dtype = "F32";
    const gpt2_config *c = &o.cfg;
    if (strcmp(o.dtype, "F32") && strcmp(o.dtype, "F16") && strcmp(o.dtype, "BF16"))
        return wt_fail(err, "dtype '%s': use F32, F16 or BF16", o.dtype);
    if (c->n_layer < 1 || c->n_head < 1 || c->n_embd < 1 || c->n_embd % c->n_head || c->n_ctx < 1 ||
        c->vocab_size < 1)
        return wt_fail(err, "bad model shape (n_embd must be a multiple of n_head)");
    if (o.cfg.ln_eps <= 0) o.cfg.ln_eps = 1e-5f;
    WT_TRY(wt_mkdir_p(dir, err));
    spec *v = calloc(16 * (size_t)c->n_layer + 8, sizeof *v);
    if (!v) return wt_fail(err, "out of memory");
    size_t n = build_specs(&o, v), hlen = 0;
    char *hdr = header_json(v, n, o.dtype, &hlen);
    char path[4096];
    snprintf(path, sizeof path, "%s/model.safetensors", dir);
    wt_writer_opts wo = {.codec = WT_CODEC_PLAIN};
    wt_writer *w = hdr ? wt_writer_open(path, &wo, err) : NULL;
    int rc = hdr ? (w ? 0 : -1) : wt_fail(err, "out of memory");
    uint8_t len8[8];
    for (int i = 0; i < 8; i++) len8[i] = (uint8_t)((uint64_t)hlen >> (8 * i));
    if (rc == 0) rc = wt_writer_write(w, len8, 8, err);
    if (rc == 0) rc = wt_writer_write(w, hdr, hlen, err);
    for (size_t i = 0; i < n && rc == 0; i++) rc = write_tensor(w, &o, &v[i], err);
    if (w) rc = rc == 0 ? wt_writer_commit(w, err) : (wt_writer_abort(w), -1);
    free(hdr);
    free(v);
    if (rc == 0) rc = write_config(dir, &o, err);
    return rc;
}
