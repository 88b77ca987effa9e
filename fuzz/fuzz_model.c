/* Fuzz target: model loading. The input is split in two: the first two bytes
 * give the length of a config.json, the rest is a model.safetensors; both are
 * written into one per-process temp folder and loaded with gpt2_load, and the
 * safetensors bytes are also parsed alone with st_parse. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/gpt2.h"
#include "model/safetensors.h"

static int write_file(const char *dir, const char *name, const uint8_t *p, size_t n) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    size_t w = fwrite(p, 1, n, f);
    return fclose(f) == 0 && w == n ? 0 : -1;
}

static char tmpdir[256];
static void tmpdir_remove(void) {
    char p[512];
    snprintf(p, sizeof p, "%s/config.json", tmpdir);
    unlink(p);
    snprintf(p, sizeof p, "%s/model.safetensors", tmpdir);
    unlink(p);
    rmdir(tmpdir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!tmpdir[0]) {
        snprintf(tmpdir, sizeof tmpdir, "%s/fuzz_model.XXXXXX",
                 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
        if (!mkdtemp(tmpdir)) abort();
        atexit(tmpdir_remove);
    }
    if (size < 2) return 0;
    size_t clen = (size_t)data[0] | (size_t)data[1] << 8;
    if (clen > size - 2) clen = size - 2;
    const uint8_t *cfg = data + 2, *st = data + 2 + clen;
    size_t stlen = size - 2 - clen;
    wt_error err;
    st_file f;
    if (st_parse(st, stlen, "fuzz.safetensors", &f, &err) == 0) {
        for (size_t i = 0; i < f.n; i++) {
            if (f.t[i].begin > f.t[i].end || f.t[i].end > f.data_len) abort();
            if (!st_find(&f, f.t[i].name)) abort();
        }
        st_free(&f);
    }
    if (write_file(tmpdir, "config.json", cfg, clen) ||
        write_file(tmpdir, "model.safetensors", st, stlen))
        abort();
    gpt2_model *m = gpt2_load(tmpdir, &err);
    if (m) {
        const gpt2_config *c = gpt2_model_config(m);
        if (c->n_layer <= 0 || c->n_head <= 0 || c->n_embd % c->n_head) abort();
        gpt2_free(m);
    }
    return 0;
}
