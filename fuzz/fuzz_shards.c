/* Fuzz target: eval's WebText token-shard reader (header, uint16 ids,
 * documents split at <|endoftext|>) through eval_task_webtext, with a tiny
 * random model written once into a per-process temp folder. The input is
 * the shard's bytes, uncompressed; inputs over 1.4 KiB are skipped, since
 * every id costs a forward pass. Needs the GPT-2 vocabulary (for the EOT id). */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "eval/eval.h"

static char tmpdir[256];
static void tmpdir_remove(void) {
    const char *names[] = {"model/config.json",
                           "model/model.safetensors",
                           "model",
                           "s/tokens-00000.bin",
                           "s",
                           "",
                           NULL};
    char p[512];
    for (int i = 0; names[i]; i++) {
        snprintf(p, sizeof p, "%s/%s", tmpdir, names[i]);
        if (unlink(p) != 0) rmdir(p);
    }
}

/* The model, vocabulary and workspace, made once; NULL when unavailable. */
static eval_ctx *ctx_get(void) {
    static eval_ctx c;
    static int tried;
    if (tried) return c.model ? &c : NULL;
    tried = 1;
    snprintf(tmpdir, sizeof tmpdir, "%s/fuzz_shards.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(tmpdir)) abort();
    atexit(tmpdir_remove);
    char dir[512];
    snprintf(dir, sizeof dir, "%s/s", tmpdir);
    if (mkdir(dir, 0700) != 0) abort();
    snprintf(dir, sizeof dir, "%s/model", tmpdir);
    wt_error err;
    gpt2_init_opts o = {.cfg = {.n_layer = 1,
                                .n_head = 1,
                                .n_embd = 4,
                                .n_ctx = 16,
                                .vocab_size = 50257,
                                .ln_eps = 1e-5f},
                        .dtype = "F32",
                        .seed = 1,
                        .std = 0.02f};
    if (gpt2_init_write(dir, &o, &err) != 0) abort();
    tok_vocab *v = tok_vocab_load(NULL, &err);
    if (!v) {
        fprintf(stderr, "fuzz_shards: %s: every input is skipped\n", err.msg);
        return NULL;
    }
    gpt2_model *m = gpt2_load(dir, &err);
    gpt2_ws *ws = m ? gpt2_ws_create(m, 0, &err) : NULL;
    if (!ws) abort();
    c = (eval_ctx){.model = m,
                   .ws = ws,
                   .vocab = v,
                   .enc = tok_encoder_new(v),
                   .ctx = 16,
                   .stride = 8,
                   .batch = 8,
                   .quiet = true};
    return &c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    eval_ctx *c = ctx_get();
    if (!c || size > 1024 + 400) return 0;
    char path[600], dir[300];
    snprintf(dir, sizeof dir, "%s/s", tmpdir);
    snprintf(path, sizeof path, "%s/tokens-00000.bin", dir);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) abort();
    json_t *out = json_object();
    wt_error err;
    err.msg[0] = 0;
    if (eval_task_webtext(c, "webtext", dir, out, &err) != 0 && !err.msg[0])
        abort(); /* a failure must say why */
    json_decref(out);
    return 0;
}
