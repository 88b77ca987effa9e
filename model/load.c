/* Loads a Hugging Face GPT-2 directory: config.json, then model.safetensors
 * mmap'ed and checked tensor by tensor against the config; F32 tensors are
 * used in place, F16/BF16 ones converted into one owned allocation. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gpt2_impl.h"
#include "safetensors.h"

#define HINT_CFG "HINT: config.json must come with this model.safetensors (same model size)"

/* Reads an integer field (or the first present of two names). */
static int cfg_int(json_t *root, const char *path, const char *key, const char *alt, int min,
                   int max, int def, int *out, wt_error *err) {
    json_t *v = json_object_get(root, key);
    if (!v && alt) v = json_object_get(root, alt);
    if (!v && def >= 0) {
        *out = def;
        return 0;
    }
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
        return wt_fail(err,
                       "%s: \"%s\" must be an integer in [%d, %d]. HINT: is this a GPT-2 "
                       "config.json from Hugging Face?",
                       path, key, min, max);
    *out = (int)json_integer_value(v);
    return 0;
}

static int config_read(const char *dir, gpt2_config *c, wt_error *err) {
    char path[4200];
    snprintf(path, sizeof path, "%s/config.json", dir);
    json_error_t je;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return wt_fail(err,
                       "%s: %s. HINT: --model names a Hugging Face GPT-2 folder with "
                       "config.json and model.safetensors",
                       path, je.text);
    int rc = -1;
    if (!json_is_object(root)) {
        wt_fail(err, "%s: not a JSON object", path);
        goto done;
    }
    const char *type = json_string_value(json_object_get(root, "model_type"));
    if (type && strcmp(type, "gpt2") != 0) {
        wt_fail(err, "%s: model_type is '%s', not 'gpt2'", path, type);
        goto done;
    }
    const char *act = json_string_value(json_object_get(root, "activation_function"));
    if (act && strcmp(act, "gelu_new") != 0 && strcmp(act, "gelu_pytorch_tanh") != 0) {
        wt_fail(err,
                "%s: activation_function '%s' is not supported (only gelu_new, GPT-2's "
                "tanh GELU)",
                path, act);
        goto done;
    }
    if (cfg_int(root, path, "n_layer", NULL, 1, 1024, -1, &c->n_layer, err) ||
        cfg_int(root, path, "n_head", NULL, 1, 1024, -1, &c->n_head, err) ||
        cfg_int(root, path, "n_embd", NULL, 1, 1 << 16, -1, &c->n_embd, err) ||
        cfg_int(root, path, "n_positions", "n_ctx", 1, 1 << 20, -1, &c->n_ctx, err) ||
        cfg_int(root, path, "vocab_size", NULL, 1, 1 << 24, -1, &c->vocab_size, err))
        goto done;
    json_t *eps = json_object_get(root, "layer_norm_epsilon");
    c->ln_eps = 1e-5f;
    if (eps) {
        if (!json_is_number(eps) || json_number_value(eps) <= 0 || json_number_value(eps) > 1) {
            wt_fail(err, "%s: layer_norm_epsilon must be a small positive number", path);
            goto done;
        }
        c->ln_eps = (float)json_number_value(eps);
    }
    if (c->n_embd % c->n_head) {
        wt_fail(err, "%s: n_embd %d is not divisible by n_head %d", path, c->n_embd, c->n_head);
        goto done;
    }
    rc = 0;
done:
    json_decref(root);
    return rc;
}

/* One expected tensor: its name without prefix, shape, and where it goes. */
typedef struct want {
    char name[64];
    int ndim;
    int64_t shape[2];
    const float **dst;
    const st_tensor *t;
} want;

static void want_add(want *w, size_t *n, const char *name, int64_t d0, int64_t d1,
                     const float **dst) {
    want *x = &w[(*n)++];
    snprintf(x->name, sizeof x->name, "%s", name);
    x->ndim = d1 ? 2 : 1;
    x->shape[0] = d0;
    x->shape[1] = d1;
    x->dst = dst;
    x->t = NULL;
}

static size_t want_table(gpt2_model *m, want *w) {
    const gpt2_config *c = &m->cfg;
    int64_t C = c->n_embd;
    size_t n = 0;
    want_add(w, &n, "wte.weight", c->vocab_size, C, &m->wte);
    want_add(w, &n, "wpe.weight", c->n_ctx, C, &m->wpe);
    want_add(w, &n, "ln_f.weight", C, 0, &m->lnf_w);
    want_add(w, &n, "ln_f.bias", C, 0, &m->lnf_b);
    for (int l = 0; l < c->n_layer; l++) {
        gpt2_layer *L = &m->layers[l];
        char k[64];
#define ADD(suffix, d0, d1, field)                                                                 \
    snprintf(k, sizeof k, "h.%d.%s", l, suffix);                                                   \
    want_add(w, &n, k, d0, d1, &L->field)
        ADD("ln_1.weight", C, 0, ln1_w);
        ADD("ln_1.bias", C, 0, ln1_b);
        ADD("attn.c_attn.weight", C, 3 * C, attn_w);
        ADD("attn.c_attn.bias", 3 * C, 0, attn_b);
        ADD("attn.c_proj.weight", C, C, proj_w);
        ADD("attn.c_proj.bias", C, 0, proj_b);
        ADD("ln_2.weight", C, 0, ln2_w);
        ADD("ln_2.bias", C, 0, ln2_b);
        ADD("mlp.c_fc.weight", C, 4 * C, fc_w);
        ADD("mlp.c_fc.bias", 4 * C, 0, fc_b);
        ADD("mlp.c_proj.weight", 4 * C, C, fc2_w);
        ADD("mlp.c_proj.bias", C, 0, fc2_b);
#undef ADD
    }
    return n;
}

static int shape_matches(const st_tensor *t, const want *w) {
    if (t->ndim != w->ndim) return 0;
    for (int d = 0; d < w->ndim; d++)
        if (t->shape[d] != w->shape[d]) return 0;
    return 1;
}

static void shape_str(char *buf, size_t n, int ndim, const int64_t *shape) {
    size_t k = (size_t)snprintf(buf, n, "[");
    for (int d = 0; d < ndim && k < n; d++)
        k += (size_t)snprintf(buf + k, n - k, "%s%lld", d ? ", " : "", (long long)shape[d]);
    if (k < n) snprintf(buf + k, n - k, "]");
}

/* A layer index in "h.N." beyond the config means config and file disagree. */
static int check_extra(const st_file *f, const char *prefix, const gpt2_config *c, const char *path,
                       wt_error *err) {
    size_t pl = strlen(prefix);
    for (size_t i = 0; i < f->n; i++) {
        const char *nm = f->t[i].name;
        if (strncmp(nm, prefix, pl) != 0) continue;
        int layer;
        if (sscanf(nm + pl, "h.%d.", &layer) == 1 && (layer < 0 || layer >= c->n_layer))
            return wt_fail(
                err, "%s: tensor '%s' is for layer %d but config.json has n_layer %d. " HINT_CFG,
                path, nm, layer, c->n_layer);
    }
    return 0;
}

/* Matches every expected tensor to the file, by dtype and shape. */
static int match_tensors(gpt2_model *m, const st_file *f, want *w, size_t nw, const char *path,
                         const st_tensor **lm_head, wt_error *err) {
    const char *prefix = st_find(f, "transformer.wte.weight") ? "transformer." : "";
    m->info.prefixed = *prefix != 0;
    WT_TRY(check_extra(f, prefix, &m->cfg, path, err));
    char full[128], got[96], exp[96];
    for (size_t i = 0; i < nw; i++) {
        snprintf(full, sizeof full, "%s%s", prefix, w[i].name);
        const st_tensor *t = st_find(f, full);
        if (!t)
            return wt_fail(err,
                           "%s: tensor '%s' is missing. HINT: expected a Hugging Face GPT-2 "
                           "checkpoint (GPT2LMHeadModel or GPT2Model) matching config.json",
                           path, full);
        if (t->dtype == ST_OTHER)
            return wt_fail(err,
                           "%s: tensor '%s' has dtype %s; only F32, F16 and BF16 are "
                           "supported. HINT: re-export the model in float32",
                           path, full, t->dtype_s);
        if (!shape_matches(t, &w[i])) {
            shape_str(got, sizeof got, t->ndim, t->shape);
            shape_str(exp, sizeof exp, w[i].ndim, w[i].shape);
            return wt_fail(err, "%s: tensor '%s' has shape %s, config.json implies %s. " HINT_CFG,
                           path, full, got, exp);
        }
        w[i].t = t;
    }
    *lm_head = st_find(f, "lm_head.weight");
    if (*lm_head) {
        const st_tensor *t = *lm_head;
        want lw;
        size_t one = 0;
        want_add(&lw, &one, "lm_head.weight", m->cfg.vocab_size, m->cfg.n_embd, NULL);
        if (t->dtype == ST_OTHER || !shape_matches(t, &lw)) {
            shape_str(got, sizeof got, t->ndim, t->shape);
            return wt_fail(err,
                           "%s: tensor 'lm_head.weight' is %s %s, expected a float "
                           "[%d, %d]. " HINT_CFG,
                           path, t->dtype_s, got, m->cfg.vocab_size, m->cfg.n_embd);
        }
    }
    return 0;
}

/* F32 data aligned for float is used in place; anything else is converted. */
static int needs_copy(const st_file *f, const st_tensor *t) {
    return t->dtype != ST_F32 || ((uintptr_t)(f->data + t->begin) % sizeof(float)) != 0;
}

static void convert(const st_file *f, const st_tensor *t, float *dst) {
    const uint8_t *src = f->data + t->begin;
    size_t n = (t->end - t->begin) / (t->dtype == ST_F32 ? 4 : 2);
    for (size_t i = 0; i < n; i++) {
        if (t->dtype == ST_F32) {
            memcpy(&dst[i], src + 4 * i, 4);
        } else {
            uint16_t h = (uint16_t)(src[2 * i] | src[2 * i + 1] << 8);
            dst[i] = t->dtype == ST_F16 ? gpt2_f16_to_f32(h) : gpt2_bf16_to_f32(h);
        }
    }
}

/* Points every weight at the mapping or at its converted copy. */
static int place_tensors(gpt2_model *m, const st_file *f, want *w, size_t nw, const st_tensor *lm,
                         const char *path, wt_error *err) {
    size_t owned = 0;
    int f32 = 0, f16 = 0, bf16 = 0;
    for (size_t i = 0; i <= nw; i++) {
        const st_tensor *t = i < nw ? w[i].t : lm;
        if (!t) continue;
        if (needs_copy(f, t)) owned += (t->end - t->begin) / (t->dtype == ST_F32 ? 4 : 2);
        f32 += t->dtype == ST_F32;
        f16 += t->dtype == ST_F16;
        bf16 += t->dtype == ST_BF16;
    }
    m->info.dtype = (f16 + bf16 == 0)   ? "F32"
                    : (f32 + bf16 == 0) ? "F16"
                    : (f32 + f16 == 0)  ? "BF16"
                                        : "mixed";
    if (owned && !(m->owned = malloc(owned * sizeof(float))))
        return wt_fail(err, "%s: out of memory converting %zu weights to F32", path, owned);
    m->info.owned_bytes = owned * sizeof(float);
    float *next = m->owned;
    int in_place = 0;
    for (size_t i = 0; i <= nw; i++) {
        const st_tensor *t = i < nw ? w[i].t : lm;
        if (!t) continue;
        const float *p;
        if (needs_copy(f, t)) {
            convert(f, t, next);
            p = next;
            next += (t->end - t->begin) / (t->dtype == ST_F32 ? 4 : 2);
        } else {
            p = (const float *)(const void *)(f->data + t->begin);
            in_place++;
        }
        if (i < nw)
            *w[i].dst = p;
        else
            m->lm_head = p;
    }
    if (in_place == 0) { /* all converted: the file's pages need not stay resident */
        munmap(m->map, m->map_len);
        m->map = NULL;
    }
    m->info.tied = lm == NULL;
    if (!lm) m->lm_head = m->wte;
    uint64_t C = (uint64_t)m->cfg.n_embd, L = (uint64_t)m->cfg.n_layer;
    m->info.n_params = (uint64_t)m->cfg.vocab_size * C * (lm ? 2 : 1) + (uint64_t)m->cfg.n_ctx * C +
                       2 * C + L * (12 * C * C + 13 * C);
    return 0;
}

static int map_file(gpt2_model *m, const char *path, wt_error *err) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return wt_fail_errno(err,
                             "%s: cannot open (HINT: --model names a Hugging Face GPT-2 "
                             "folder with config.json and model.safetensors)",
                             path);
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return wt_fail(err, "%s: not a regular file", path);
    }
    m->map_len = (size_t)st.st_size;
    m->info.file_bytes = (uint64_t)st.st_size;
    if (m->map_len == 0) {
        close(fd);
        return wt_fail(err, "%s: empty file. HINT: the download or export did not finish", path);
    }
    m->map = mmap(NULL, m->map_len, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m->map == MAP_FAILED) {
        m->map = NULL;
        return wt_fail_errno(err, "%s: mmap", path);
    }
    return 0;
}

gpt2_model *gpt2_load(const char *arg, wt_error *err) {
    char dir[4000];
    if (gpt2_resolve_model(arg, dir, sizeof dir, err) < 0) return NULL;
    gpt2_model *m = calloc(1, sizeof *m);
    if (!m) {
        wt_fail(err, "out of memory");
        return NULL;
    }
    char path[4200];
    snprintf(path, sizeof path, "%s/model.safetensors", dir);
    st_file f = {0};
    want *w = NULL;
    int rc = config_read(dir, &m->cfg, err);
    if (rc == 0) rc = map_file(m, path, err);
    if (rc == 0) rc = st_parse(m->map, m->map_len, path, &f, err);
    if (rc == 0) {
        m->layers = calloc((size_t)m->cfg.n_layer, sizeof *m->layers);
        w = calloc(4 + 12 * (size_t)m->cfg.n_layer, sizeof *w);
        if (!m->layers || !w) rc = wt_fail(err, "out of memory");
    }
    const st_tensor *lm = NULL;
    if (rc == 0) {
        size_t nw = want_table(m, w);
        rc = match_tensors(m, &f, w, nw, path, &lm, err);
        if (rc == 0) rc = place_tensors(m, &f, w, nw, lm, path, err);
    }
    free(w);
    st_free(&f);
    if (rc) {
        gpt2_free(m);
        return NULL;
    }
    return m;
}

void gpt2_free(gpt2_model *m) {
    if (!m) return;
    if (m->map) munmap(m->map, m->map_len);
    free(m->owned);
    free(m->layers);
    free(m);
}

const gpt2_config *gpt2_model_config(const gpt2_model *m) {
    return &m->cfg;
}

void gpt2_model_info(const gpt2_model *m, gpt2_info *info) {
    *info = m->info;
}
