/* bin/model `info` (a checkpoint's config, parameter count, dtype, kernel)
 * and `init` (a random Hugging Face checkpoint, see gpt2_init_write). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "outlock.h"
#include "gpt2.h"
#include "model_cmds.h"

int model_cmd_info(int argc, char **argv) {
    static const struct option opts[] = {{"model", 1, 0, 'm'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
    const char *dir = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "m:h", opts, NULL)) != -1) {
        if (c == 'm')
            dir = optarg;
        else if (c == 'h') {
            printf("usage: model info --model DIR\n\nPrints the config, parameter count, storage "
                   "dtype and the OpenBLAS kernel in use.\n");
            return WT_EXIT_OK;
        } else
            return WT_EXIT_USAGE;
    }
    if (!dir) {
        fprintf(stderr, "model info: --model DIR is required\n");
        return WT_EXIT_USAGE;
    }
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

static void init_usage(void) {
    printf("usage: model init --out DIR --n-layer L --n-head H --n-embd C [options]\n\n"
           "Writes DIR/config.json and DIR/model.safetensors (Hugging Face layout).\n"
           "  --n-ctx T        positions (default 1024)\n"
           "  --vocab V        vocabulary size (default 50257)\n"
           "  --dtype D        f32 (default), f16 or bf16\n"
           "  --seed S         random seed (default 1)\n"
           "  --std X          weight standard deviation (default 0.02)\n"
           "  --bias-std X     biases ~ N(0, X), LN gains 1 + N(0, X) (default 0, as HF)\n"
           "  --zero           all weights zero (every token gets -ln V)\n"
           "  --no-prefix      keys without 'transformer.' (GPT2Model's state_dict)\n"
           "  --untied         write a separate lm_head.weight\n");
}

int model_cmd_init(int argc, char **argv) {
    static const struct option opts[] = {
        {"out", 1, 0, 'o'},      {"n-layer", 1, 0, 'L'}, {"n-head", 1, 0, 'H'},
        {"n-embd", 1, 0, 'C'},   {"n-ctx", 1, 0, 'T'},   {"vocab", 1, 0, 'V'},
        {"dtype", 1, 0, 'd'},    {"seed", 1, 0, 's'},    {"std", 1, 0, 'x'},
        {"bias-std", 1, 0, 'b'}, {"zero", 0, 0, 'z'},    {"no-prefix", 0, 0, 'p'},
        {"untied", 0, 0, 'u'},   {"help", 0, 0, 'h'},    {0, 0, 0, 0}};
    gpt2_init_opts o = {.cfg = {.n_ctx = 1024, .vocab_size = 50257, .ln_eps = 1e-5f},
                        .dtype = "F32",
                        .seed = 1,
                        .std = 0.02f};
    const char *out = NULL;
    int64_t v;
    double d;
    int c;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
#define INT(ch, opt, lo, hi, field)                                                                \
    case ch:                                                                                       \
        if (wt_parse_i64("model init", opt, optarg, lo, hi, &v)) return WT_EXIT_USAGE;             \
        field = (int)v;                                                                            \
        break;
            INT('L', "--n-layer", 1, 256, o.cfg.n_layer)
            INT('H', "--n-head", 1, 256, o.cfg.n_head)
            INT('C', "--n-embd", 1, 16384, o.cfg.n_embd)
            INT('T', "--n-ctx", 1, 65536, o.cfg.n_ctx)
            INT('V', "--vocab", 1, 1 << 20, o.cfg.vocab_size)
#undef INT
        case 's':
            if (wt_parse_i64("model init", "--seed", optarg, 0, INT64_MAX, &v))
                return WT_EXIT_USAGE;
            o.seed = (uint64_t)v;
            break;
        case 'x':
        case 'b':
            if (wt_parse_double("model init", c == 'x' ? "--std" : "--bias-std", optarg, 0, 100,
                                &d))
                return WT_EXIT_USAGE;
            *(c == 'x' ? &o.std : &o.bias_std) = (float)d;
            break;
        case 'd':
            if (!strcasecmp(optarg, "f32"))
                o.dtype = "F32";
            else if (!strcasecmp(optarg, "f16"))
                o.dtype = "F16";
            else if (!strcasecmp(optarg, "bf16"))
                o.dtype = "BF16";
            else {
                fprintf(stderr, "model init: --dtype: '%s' is not f32, f16 or bf16\n", optarg);
                return WT_EXIT_USAGE;
            }
            break;
        case 'z':
            o.zero = 1;
            break;
        case 'p':
            o.no_prefix = 1;
            break;
        case 'u':
            o.untied = 1;
            break;
        case 'h':
            init_usage();
            return WT_EXIT_OK;
        default:
            return WT_EXIT_USAGE;
        }
    }
    if (!out || !o.cfg.n_layer || !o.cfg.n_head || !o.cfg.n_embd) {
        fprintf(stderr, "model init: --out, --n-layer, --n-head and --n-embd are required\n");
        return WT_EXIT_USAGE;
    }
    if (o.cfg.n_embd % o.cfg.n_head) {
        fprintf(stderr, "model init: --n-embd must be a multiple of --n-head\n");
        return WT_EXIT_USAGE;
    }
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
