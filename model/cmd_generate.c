/* bin/model `generate`: the paper's top-k sampling, token by token through
 * the KV cache, from a text prompt (GPT-2 BPE, tokenize/) or token ids. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opts.h"
#include "gpt2.h"
#include "model_cmds.h"
#include "progress.h"
#include "tokenize/tokenizer.h"

typedef struct gen_opts {
    const char *dir, *prompt, *prompt_ids, *vocab;
    int64_t n, top_k, seed, threads;
    double temperature;
    bool quiet;
} gen_opts;

static int parse_ids(const char *s, int32_t *ids, int max, int *n, wt_error *err) {
    *n = 0;
    while (*s) {
        char *end;
        long v = strtol(s, &end, 10);
        if (end == s) {
            while (*s == ' ' || *s == '\t' || *s == '\n') s++;
            if (!*s) break;
            return wt_fail(err, "--prompt-ids: '%s' is not a list of token ids", s);
        }
        if (*n == max) return wt_fail(err, "--prompt-ids: more than %d tokens (n_ctx)", max);
        if (v < 0 || v > INT32_MAX) return wt_fail(err, "--prompt-ids: bad id %ld", v);
        ids[(*n)++] = (int32_t)v;
        s = end;
    }
    if (*n == 0) return wt_fail(err, "--prompt-ids: empty prompt");
    return 0;
}

/* The vocabulary: --vocab, else the model folder when it holds one, else
 * the tokenizer's default folder. */
static tok_vocab *load_vocab(const gen_opts *o, wt_error *err) {
    char path[4096];
    snprintf(path, sizeof path, "%s/encoder.json", o->dir);
    bool in_model = wt_file_exists(path);
    snprintf(path, sizeof path, "%s/vocab.json", o->dir);
    in_model = in_model || wt_file_exists(path);
    return tok_vocab_load(o->vocab ? o->vocab : in_model ? o->dir : NULL, err);
}

static int encode_prompt(const gen_opts *o, const tok_vocab *v, int32_t *ids, int max, int *n,
                         wt_error *err) {
    tok_encoder *e = tok_encoder_new(v);
    tok_ids out = {0};
    int rc = e ? 0 : wt_fail(err, "out of memory");
    if (rc == 0 && tok_encode(e, o->prompt, strlen(o->prompt), &out, err) < 0) rc = -1;
    if (rc == 0 && (out.n == 0 || out.n > (size_t)max))
        rc = wt_fail(err, "--prompt: %zu tokens, must be 1..%d (n_ctx)", out.n, max);
    for (size_t i = 0; rc == 0 && i < out.n; i++) ids[i] = (int32_t)out.v[i];
    *n = (int)out.n;
    tok_ids_free(&out);
    tok_encoder_free(e);
    return rc;
}

/* Prints one token: its text when there is a vocabulary, else its id. */
static int emit(const tok_vocab *v, int32_t t, bool first, wt_error *err) {
    if (!v) {
        printf("%s%d", first ? "" : " ", (int)t);
    } else {
        size_t len;
        const char *b = tok_token_bytes(v, (uint32_t)t, &len);
        if (!b) return wt_fail(err, "token %d is not in the vocabulary", (int)t);
        fwrite(b, 1, len, stdout);
    }
    fflush(stdout);
    return 0;
}

static int run(const gen_opts *o, wt_error *err) {
    gpt2_model *m = gpt2_load(o->dir, err);
    if (!m) return -1;
    const gpt2_config *c = gpt2_model_config(m);
    tok_vocab *v = NULL;
    int32_t *ids = malloc((size_t)c->n_ctx * sizeof *ids);
    float *logits = malloc((size_t)c->vocab_size * sizeof *logits);
    gpt2_ws *ws = gpt2_ws_create(m, 0, err);
    gpt2_kv *kv = ws ? gpt2_kv_create(m, 0, err) : NULL;
    int n = 0, rc = kv ? 0 : -1;
    if (rc == 0 && (!ids || !logits)) rc = wt_fail(err, "out of memory");
    if (rc == 0 && o->prompt) {
        if (!(v = load_vocab(o, err))) rc = -1;
        if (rc == 0) rc = encode_prompt(o, v, ids, c->n_ctx, &n, err);
        if (rc == 0) fputs(o->prompt, stdout);
    } else if (rc == 0) {
        rc = parse_ids(o->prompt_ids, ids, c->n_ctx, &n, err);
    }
    double t0 = wt_now();
    if (rc == 0) rc = gpt2_kv_feed(m, ws, kv, ids, n, logits, err);
    double t1 = wt_now();
    uint64_t rng = (uint64_t)o->seed;
    int64_t made = 0;
    for (; rc == 0 && made < o->n; made++) {
        int32_t t =
            gpt2_sample_top_k(logits, c->vocab_size, (int)o->top_k, (float)o->temperature, &rng);
        if (v && (uint32_t)t == tok_vocab_eot(v)) break; /* <|endoftext|> ends the sample */
        rc = emit(v, t, made == 0, err);
        if (rc == 0 && made + 1 < o->n) {
            if (gpt2_kv_len(kv) == c->n_ctx) {
                made++;
                break; /* the context is full */
            }
            rc = gpt2_kv_feed(m, ws, kv, &t, 1, logits, err);
        }
    }
    if (rc == 0) printf("\n");
    double t2 = wt_now();
    if (rc == 0 && !o->quiet)
        fprintf(stderr,
                "model generate: prompt %d tokens in %.3f s; %lld tokens in %.3f s (%.1f tok/s, "
                "top-k %lld, temperature %g, BLAS %s)\n",
                n, t1 - t0, (long long)made, t2 - t1, made ? made / (t2 - t1) : 0.0,
                (long long)o->top_k, o->temperature, gpt2_blas_core());
    tok_vocab_free(v);
    gpt2_kv_free(kv);
    gpt2_ws_free(ws);
    free(logits);
    free(ids);
    gpt2_free(m);
    return rc;
}

int model_cmd_generate(int argc, char **argv) {
    gen_opts o = {0};
    const wt_opt table[] = {
        WT_STR("model", 'm', &o.dir, "DIR|NAME", NULL, MODEL_OPT_HELP),
        WT_STR("prompt", 0, &o.prompt, "TEXT", NULL, "the prompt as text"),
        WT_STR("prompt-ids", 0, &o.prompt_ids, "\"ID ...\"", NULL, "the prompt as token ids"),
        WT_INT(NULL, 'n', &o.n, "N", "50", 0, 1 << 20, "tokens to sample"),
        WT_INT("top-k", 0, &o.top_k, "K", "40", 0, 1024,
               "keep the K most likely tokens (the paper's)"),
        WT_NUM("temperature", 0, &o.temperature, "T", "1", 1e-3, 100, "sampling temperature"),
        WT_INT("seed", 0, &o.seed, "S", "1", 0, 9.2e18, "random seed: same seed, same sample"),
        WT_STR("vocab", 0, &o.vocab, "DIR", NULL,
               "GPT-2 vocabulary (default: DIR of the model if it holds\n"
               "one, else the tokenizer's default folder)"),
        WT_INT("threads", 0, &o.threads, "N", NULL, 0, 1024, "BLAS threads (default all cores)"),
        WT_FLAG("quiet", 'q', &o.quiet, "no timing summary on stderr"),
        WT_OPTS_END};
    const wt_cmd_spec spec = {
        "model generate", "--model DIR|NAME (--prompt TEXT | --prompt-ids \"ID ...\") [options]",
        "Samples up to N tokens with the paper's top-k sampling through the KV cache.\n"
        "With --prompt, prints the prompt and the continuation as text (stopping at\n"
        "<|endoftext|>); with --prompt-ids, prints the sampled ids.\n",
        table, NULL};
    int code, first = wt_opts_parse(&spec, argc, argv, &code);
    if (first < 0) return code;
    if (!o.dir || !o.prompt == !o.prompt_ids || first < argc)
        return wt_opts_usage_error(&spec,
                                   "--model and one of --prompt / --prompt-ids are required");
    gpt2_blas_threads((int)o.threads);
    if (!o.quiet && gpt2_blas_advice())
        fprintf(stderr, "model generate: note: %s\n", gpt2_blas_advice());
    wt_error err;
    if (run(&o, &err) != 0) {
        wt_report("model", &err);
        return WT_EXIT_FAIL;
    }
    return WT_EXIT_OK;
}
