/* --model NAME: a GPT-2 checkpoint named gpt2, gpt2-medium, gpt2-large or
 * gpt2-xl (or any name without '/') found in the cache that
 * pipelines/get-model.sh fills, ${XDG_CACHE_HOME:-~/.cache}/webtext/models. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gpt2.h"

static bool is_dir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int gpt2_models_dir(char *out, size_t n) {
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    int k = xdg && *xdg ? snprintf(out, n, "%s/webtext/models", xdg)
                        : snprintf(out, n, "%s/.cache/webtext/models", home ? home : ".");
    return k < 0 || (size_t)k >= n ? -1 : 0;
}

int gpt2_resolve_model(const char *arg, char *out, size_t n, wt_error *err) {
    if (!arg || !*arg) return wt_fail(err, "--model: empty");
    if (is_dir(arg) || strchr(arg, '/')) { /* a folder: used as it is */
        if (snprintf(out, n, "%s", arg) >= (int)n) return wt_fail(err, "--model: path too long");
        return 0;
    }
    char dir[4096];
    if (gpt2_models_dir(dir, sizeof dir) < 0) return wt_fail(err, "--model: cache path too long");
    if (snprintf(out, n, "%s/%s", dir, arg) >= (int)n)
        return wt_fail(err, "--model: name too long");
    char cfg[4200];
    snprintf(cfg, sizeof cfg, "%s/config.json", out);
    struct stat st;
    if (stat(cfg, &st) != 0)
        return wt_fail(err,
                       "--model %s: no folder %s and no model '%s' in %s. HINT: run "
                       "pipelines/get-model.sh %s (gpt2, gpt2-medium, gpt2-large, gpt2-xl), or "
                       "give a Hugging Face GPT-2 folder",
                       arg, arg, arg, dir, arg);
    return 0;
}
