/* Fuzz target: eval's data readers. The first byte picks one: the LAMBADA
 * JSON Lines or plain-text reader, the CBT reader, or a detokenizer
 * (WikiText, PTB, 1BW, CBT) on each line; the rest is the file. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eval/cbt_data.h"
#include "eval/detok.h"
#include "eval/lambada_data.h"

static char tmpdir[256];
static void tmpdir_remove(void) {
    char p[512];
    const char *names[] = {"l.jsonl", "l.txt", "c.txt"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", tmpdir, names[i]);
        unlink(p);
    }
    rmdir(tmpdir);
}

/* Writes the bytes to tmpdir/name (the readers pick a format by extension). */
static const char *put(const char *name, const uint8_t *p, size_t n) {
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    if (!f) abort();
    if (fwrite(p, 1, n, f) != n) abort();
    if (fclose(f)) abort();
    return path;
}

static void lambada(const char *path) {
    lambada_set s = {0};
    wt_error err;
    if (lambada_read(path, 0, &s, &err) == 0) {
        for (size_t i = 0; i < s.n; i++) {
            const lambada_example *x = &s.v[i];
            if (x->ctx_len >= x->len || x->text[x->ctx_len] != ' ') abort();
        }
    } else if (!err.msg[0]) {
        abort(); /* an error must say what */
    }
    lambada_free(&s);
}

static void detok(eval_detok_kind k, const uint8_t *p, size_t n) {
    size_t offs[64];
    for (size_t i = 0; i < n;) {
        const uint8_t *nl = memchr(p + i, '\n', n - i);
        size_t len = nl ? (size_t)(nl - (p + i)) : n - i;
        tok_bytes out = {0};
        long t = eval_detok_line(k, (const char *)p + i, len, &out, offs, 64);
        if (t < 0) abort();
        for (long j = 0; j < t && j < 64; j++)
            if (offs[j] > out.n) abort();
        (void)eval_count_words((const char *)p + i, len);
        if (eval_utf8_check(p + i, len) > len) abort();
        tok_bytes_free(&out);
        i += len + 1;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!tmpdir[0]) {
        snprintf(tmpdir, sizeof tmpdir, "%s/fuzz_eval.XXXXXX",
                 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
        if (!mkdtemp(tmpdir)) abort();
        atexit(tmpdir_remove);
    }
    if (size < 1) return 0;
    const uint8_t *p = data + 1;
    size_t n = size - 1;
    switch (data[0] % 7) {
    case 0:
        lambada(put("l.jsonl", p, n));
        break;
    case 1:
        lambada(put("l.txt", p, n));
        break;
    case 2: {
        cbt_set s = {0};
        wt_error err;
        if (cbt_read(put("c.txt", p, n), 0, &s, &err) == 0) {
            for (size_t i = 0; i < s.n; i++)
                if (s.v[i].ncand < 1 || s.v[i].ncand > CBT_MAX_CANDIDATES || s.v[i].answer < 0 ||
                    s.v[i].answer >= s.v[i].ncand)
                    abort();
        }
        cbt_free(&s);
        break;
    }
    default:
        detok((eval_detok_kind)(data[0] % 7 - 2), p, n);
        break;
    }
    return 0;
}
