/* bin/model `info` (a checkpoint's config, parameter count, dtype, kernel)
 * and `init` (a random Hugging Face checkpoint, see gpt2_init_write). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "opts.h"
#include "outlock.h"
#include "gpt2.h"
#include "model_cmds.h"

int model_cmd_info(int argc, char **argv) {
    const char *dir = NULL;
    const wt_opt table[] = {WT_STR("model", 'm', &dir, "DIR|NAME", NULL, MODEL_OPT_HELP),
                            WT_OPTS_END};
    const wt_cmd_spec spec = {
        "model info", "--model DIR|NAME",
        "Prints the config, parameter count, storage dtype and the OpenBLAS kernel "
        "in use.\n",
        table, NULL};
    int code, first = wt_opts_parse(&spec, argc, argv, &code);
    if (first < 0) return code;
    if (!dir || first < argc) return wt_opts_usage_error(&spec, "--model DIR is required");
    wt_error err;
    gpt2_model *m = gpt2_load(dir, &err);
    if (!m) {
        wt_report("model", &err);
        return WT_EXIT_FAIL;
    }
    const gpt2_config *cf = gpt2_model_config(m);
    gpt2_info in;
    gpt2_model_info(m, &in);
    printf("model       %s\n", dir);
    printf("n_layer     %d\nn_head      %d\nn_embd      %d\nn_ctx       %d\nvocab_size  %d\n",
           cf->n_layer, cf->n_head, cf->n_embd, cf->n_ctx, cf->vocab_size);
    printf("ln_eps      %g\n", (double)cf->ln_eps);
    printf("parameters  %llu (%.1fM)\n", (unsigned long long)in.n_params, in.n_params / 1e6);
    printf("dtype       %s (computed in F32)\n", in.dtype);
    printf("keys        %s\n", in.prefixed ? "transformer. prefix" : "no prefix");
    printf("lm_head     %s\n", in.tied ? "tied to wte" : "separate lm_head.weight");
    printf("file        %.1f MiB (mmap, F32 used in place), %.1f MiB converted to F32\n",
           in.file_bytes / 1048576.0, in.owned_bytes / 1048576.0);
    printf("blas        OpenBLAS %s kernel\n", gpt2_blas_core());
    const char *advice = gpt2_blas_advice();
    if (advice) printf("note        %s\n", advice);
    gpt2_free(m);
    return WT_EXIT_OK;
}

/* --dtype: f32, f16 or bf16, stored as the safetensors name. */
static int parse_dtype(void *dest, const char *arg) {
    static const char *const names[][2] = {{"f32", "F32"}, {"f16", "F16"}, {"bf16", "BF16"}};
    for (size_t i = 0; i < 3; i++)
        if (!strcasecmp(arg, names[i][0])) {
            *(const char **)dest = names[i][1];
            return 0;
        }
    fprintf(stderr, "model init: --dtype: '%s' is not f32, f16 or bf16\n", arg);
    return -1;
}

int model_cmd_init(int argc, char **argv) {
    gpt2_init_opts o = {.cfg = {.ln_eps = 1e-5f}};
    const char *out = NULL;
    int64_t seed = 0;
    double std = 0, bias_std = 0;
    bool zero = false, no_prefix = false, untied = false;
    const wt_opt table[] = {
        WT_STR("out", 'o', &out, "DIR", NULL, "output folder (required)"),
        WT_INT32("n-layer", 0, &o.cfg.n_layer, "L", NULL, 1, 256, "layers (required)"),
        WT_INT32("n-head", 0, &o.cfg.n_head, "H", NULL, 1, 256, "attention heads (required)"),
        WT_INT32("n-embd", 0, &o.cfg.n_embd, "C", NULL, 1, 16384,
                 "width, a multiple of H (required)"),
        WT_INT32("n-ctx", 0, &o.cfg.n_ctx, "T", "1024", 1, 65536, "positions"),
        WT_INT32("vocab", 0, &o.cfg.vocab_size, "V", "50257", 1, 1 << 20, "vocabulary size"),
        WT_CALL("dtype", 0, &o.dtype, parse_dtype, "D", "f32 (default), f16 or bf16"),
        WT_INT("seed", 0, &seed, "S", "1", 0, 9.2e18, "random seed"),
        WT_NUM("std", 0, &std, "X", "0.02", 0, 100, "weight standard deviation"),
        WT_NUM("bias-std", 0, &bias_std, "X", "0", 0, 100,
               "biases ~ N(0, X), LN gains 1 + N(0, X) (0 as HF)"),
        WT_FLAG("zero", 0, &zero, "all weights zero (every token gets -ln V)"),
        WT_FLAG("no-prefix", 0, &no_prefix, "keys without 'transformer.' (GPT2Model's state_dict)"),
        WT_FLAG("untied", 0, &untied, "write a separate lm_head.weight"),
        WT_OPTS_END};
    const wt_cmd_spec spec = {
        "model init", "--out DIR --n-layer L --n-head H --n-embd C [options]",
        "Writes DIR/config.json and DIR/model.safetensors (Hugging Face layout).\n", table, NULL};
    o.dtype = "F32";
    int code, first = wt_opts_parse(&spec, argc, argv, &code);
    if (first < 0) return code;
    o.seed = (uint64_t)seed, o.std = (float)std, o.bias_std = (float)bias_std;
    o.zero = zero, o.no_prefix = no_prefix, o.untied = untied;
    if (!out || !o.cfg.n_layer || !o.cfg.n_head || !o.cfg.n_embd || first < argc)
        return wt_opts_usage_error(&spec, "--out, --n-layer, --n-head and --n-embd are required");
    if (o.cfg.n_embd % o.cfg.n_head)
        return wt_opts_usage_error(&spec, "--n-embd must be a multiple of --n-head");
    wt_outlock lock;
    int status = wt_outlock_main(&lock, "model init", out, WT_LOCK_DIR);
    if (status != WT_EXIT_OK) return status;
    wt_error err;
    if (gpt2_init_write(out, &o, &err) != 0) {
        wt_report("model", &err);
        status = WT_EXIT_FAIL;
    }
    wt_outlock_release(&lock);
    return status;
}
