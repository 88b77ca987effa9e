/* Loads a GPT-2 style vocabulary (OpenAI encoder.json + vocab.bpe, or Hugging
 * Face vocab.json + merges.txt) into the lookup tables of vocab_internal.h,
 * undoing GPT-2's byte-to-unicode mapping so that tokens are raw bytes. */
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "stream.h"
#include "tokenize/vocab_internal.h"

#define MAX_VOCAB_FILE (64u << 20)

void tok_vocab_default_dir(char *buf, size_t n) {
    const char *env = getenv("WEBTEXT_VOCAB");
    if (env && *env) {
        snprintf(buf, n, "%s", env);
        return;
    }
    const char *xdg = getenv("XDG_DATA_HOME");
    if (xdg && *xdg) {
        snprintf(buf, n, "%s/webtext/gpt2-vocab", xdg);
    } else {
        const char *home = getenv("HOME");
        snprintf(buf, n, "%s/.local/share/webtext/gpt2-vocab", home ? home : ".");
    }
}

/* GPT-2's bytes_to_unicode, inverted: code point (< 324) -> byte, or -1.
 * Printable Latin-1 bytes stand for themselves; the other 68 bytes are
 * numbered from U+0100 in byte order. */
static void unicode_to_byte(int map[324]) {
    for (int i = 0; i < 324; i++) map[i] = -1;
    int extra = 0;
    for (int b = 0; b < 256; b++) {
        bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174);
        map[printable ? b : 256 + extra++] = b;
    }
}

/* Mapped token text -> raw bytes in out (capacity >= strlen(s)). Returns the
 * length, or -1 when s holds a character outside the mapping. */
static long unmap_token(const int map[324], const char *s, size_t len, uint8_t *out) {
    const uint8_t *u = (const uint8_t *)s;
    size_t i = 0, n = 0;
    while (i < len) {
        uint32_t cp;
        unsigned l = u[i] < 0x80 ? 1 : (u[i] >> 5) == 6 ? 2 : 0;
        if (l == 1)
            cp = u[i];
        else if (l == 2 && i + 1 < len)
            cp = (uint32_t)(u[i] & 0x1f) << 6 | (u[i + 1] & 0x3f);
        else
            return -1;
        if (cp >= 324 || map[cp] < 0) return -1;
        out[n++] = (uint8_t)map[cp];
        i += l;
    }
    return (long)n;
}

static size_t pow2_at_least(size_t x) {
    size_t p = 1;
    while (p < x) p <<= 1;
    return p;
}

/* (Re)builds the bytes -> id table from the ids with keep[id] set. */
static int build_tab(tok_vocab *v, const bool *keep, wt_error *err) {
    free(v->tab);
    v->tab_mask = pow2_at_least((size_t)v->n * 2 + 2) - 1;
    v->tab = calloc(v->tab_mask + 1, sizeof *v->tab);
    if (!v->tab) return wt_fail(err, "out of memory");
    for (uint32_t id = 0; id < v->n; id++) {
        if (keep && !keep[id]) continue;
        const uint8_t *p = (const uint8_t *)v->bytes + v->off[id];
        size_t len = v->off[id + 1] - v->off[id];
        if (tok_vocab_find(v, p, len) != UINT32_MAX) continue; /* duplicate: first id wins */
        uint64_t h = tok_hash_bytes(p, len);
        size_t i = h & v->tab_mask;
        while (v->tab[i]) i = (i + 1) & v->tab_mask;
        v->tab[i] = (h >> 32) << 32 | (id + 1);
    }
    return 0;
}

/* Reads the id -> token map (encoder.json / vocab.json). */
static int load_encoder(tok_vocab *v, const char *path, wt_error *err) {
    char *data;
    size_t size;
    WT_TRY(wt_read_file(path, &data, &size, MAX_VOCAB_FILE, err));
    json_error_t jerr;
    json_t *obj = json_loadb(data, size, 0, &jerr);
    free(data);
    if (!obj || !json_is_object(obj)) {
        if (obj) json_decref(obj);
        return wt_fail(err, "%s:%d: not a JSON object of token -> id: %s", path, jerr.line,
                       jerr.text);
    }
    int map[324];
    unicode_to_byte(map);
    size_t count = json_object_size(obj), total = 0;
    const char *key;
    json_t *val;
    json_object_foreach(obj, key, val) {
        json_int_t id = json_is_integer(val) ? json_integer_value(val) : -1;
        if (id < 0 || id >= (json_int_t)count) {
            wt_fail(err, "%s: token \"%.100s\" has id outside 0..%zu", path, key, count - 1);
            json_decref(obj);
            return -1;
        }
        total += strlen(key);
    }
    v->n = (uint32_t)count;
    v->bytes = malloc(total + 1);
    v->off = calloc(count + 1, sizeof *v->off);
    uint32_t *len = calloc(count, sizeof *len);
    bool *seen = calloc(count, 1);
    if (!v->bytes || !v->off || !len || !seen) {
        free(len), free(seen), json_decref(obj);
        return wt_fail(err, "out of memory");
    }
    /* first pass: lengths (ids are dense and unique, checked here) */
    int rc = 0;
    uint8_t *tmp = malloc(total + 1);
    if (!tmp) rc = wt_fail(err, "out of memory");
    json_object_foreach(obj, key, val) {
        if (rc) break;
        json_int_t id = json_integer_value(val);
        size_t klen = strlen(key);
        long n = unmap_token(map, key, klen, tmp);
        if (seen[id]) {
            rc = wt_fail(err, "%s: id %lld is given twice", path, (long long)id);
            break;
        }
        seen[id] = true;
        len[id] = (uint32_t)(n < 0 ? (long)klen : n);
    }
    for (uint32_t id = 0; rc == 0 && id < v->n; id++) v->off[id + 1] = v->off[id] + len[id];
    json_object_foreach(obj, key, val) {
        if (rc) break;
        json_int_t id = json_integer_value(val);
        size_t klen = strlen(key);
        long n = unmap_token(map, key, klen, (uint8_t *)v->bytes + v->off[id]);
        if (n < 0) memcpy(v->bytes + v->off[id], key, klen); /* an added token, kept as text */
    }
    free(tmp), free(len), free(seen);
    json_decref(obj);
    return rc;
}

/* Reads the merges (vocab.bpe / merges.txt): rank r = 256 + line order makes
 * the merged token ordinary. */
static int load_merges(tok_vocab *v, const char *path, bool *ordinary, wt_error *err) {
    char *data;
    size_t size;
    WT_TRY(wt_read_file(path, &data, &size, MAX_VOCAB_FILE, err));
    int map[324];
    unicode_to_byte(map);
    uint8_t *buf = malloc(size + 1);
    if (!buf) {
        free(data);
        return wt_fail(err, "out of memory");
    }
    uint32_t rank = 256;
    size_t line_no = 0;
    int rc = 0;
    for (char *line = data, *end; rc == 0 && line < data + size; line = end + 1) {
        end = memchr(line, '\n', (size_t)(data + size - line));
        if (!end) end = data + size;
        line_no++;
        size_t len = (size_t)(end - line);
        if (len && line[len - 1] == '\r') len--;
        if (len == 0 || (line_no == 1 && len >= 8 && memcmp(line, "#version", 8) == 0)) continue;
        char *sp = memchr(line, ' ', len);
        long na = sp ? unmap_token(map, line, (size_t)(sp - line), buf) : -1;
        long nb = na > 0 ? unmap_token(map, sp + 1, len - (size_t)(sp - line) - 1, buf + na) : -1;
        if (na <= 0 || nb <= 0) {
            rc = wt_fail(err, "%s:%zu: not a merge \"A B\" of two mapped tokens", path, line_no);
            break;
        }
        uint32_t a = tok_vocab_find(v, buf, (size_t)na);
        uint32_t b = tok_vocab_find(v, buf + na, (size_t)nb);
        uint32_t ab = tok_vocab_find(v, buf, (size_t)(na + nb));
        if (a == UINT32_MAX || b == UINT32_MAX || ab == UINT32_MAX) {
            rc = wt_fail(err, "%s:%zu: merge \"%.*s\" names a token missing from the vocabulary",
                         path, line_no, (int)len, line);
            break;
        }
        if (!ordinary[ab] || v->rank[ab] == TOK_NO_RANK) v->rank[ab] = rank;
        ordinary[ab] = true;
        rank++;
    }
    free(buf), free(data);
    return rc;
}

static int pair_insert(tok_vocab *v, uint32_t a, uint32_t b, uint32_t id) {
    uint64_t key = (uint64_t)a << 32 | b;
    size_t i = tok_hash_u64(key) & v->pair_mask;
    while (v->pairs[i].key != UINT64_MAX && v->pairs[i].key != key) i = (i + 1) & v->pair_mask;
    tok_pair *e = &v->pairs[i];
    if (e->key == key && e->rank <= v->rank[id]) return 0;
    e->key = key, e->rank = v->rank[id], e->id = id;
    return 1;
}

/* Every (a, b) whose bytes together make an ordinary token t maps to t. */
static int build_pairs(tok_vocab *v, const bool *ordinary, wt_error *err) {
    size_t count = 0;
    for (uint32_t id = 0; id < v->n; id++)
        if (ordinary[id]) count += v->off[id + 1] - v->off[id];
    v->pair_mask = pow2_at_least(count * 2 + 2) - 1;
    v->pairs = malloc((v->pair_mask + 1) * sizeof *v->pairs);
    if (!v->pairs) return wt_fail(err, "out of memory");
    for (size_t i = 0; i <= v->pair_mask; i++) v->pairs[i].key = UINT64_MAX;
    for (uint32_t id = 0; id < v->n; id++) {
        size_t len = v->off[id + 1] - v->off[id];
        if (!ordinary[id] || len < 2) continue;
        const uint8_t *p = (const uint8_t *)v->bytes + v->off[id];
        for (size_t k = 1; k < len; k++) {
            uint32_t a = tok_vocab_find(v, p, k), b = tok_vocab_find(v, p + k, len - k);
            if (a != UINT32_MAX && b != UINT32_MAX) pair_insert(v, a, b, id);
        }
    }
    v->byte_pair = malloc(65536 * sizeof *v->byte_pair);
    if (!v->byte_pair) return wt_fail(err, "out of memory");
    for (int a = 0; a < 256; a++)
        for (int b = 0; b < 256; b++) {
            const tok_pair *e = tok_vocab_pair(v, v->byte_id[a], v->byte_id[b]);
            v->byte_pair[a << 8 | b] = e ? (uint64_t)e->rank << 32 | e->id : TOK_NO_PAIR;
        }
    return 0;
}

static int load_files(tok_vocab *v, const char *enc, const char *merges, wt_error *err) {
    WT_TRY(load_encoder(v, enc, err));
    v->rank = malloc((size_t)v->n * sizeof *v->rank);
    bool *ordinary = calloc(v->n, 1);
    if (!v->rank || !ordinary) {
        free(ordinary);
        return wt_fail(err, "out of memory");
    }
    for (uint32_t id = 0; id < v->n; id++) v->rank[id] = TOK_NO_RANK;
    int rc = build_tab(v, NULL, err);
    for (int b = 0; rc == 0 && b < 256; b++) {
        uint8_t c = (uint8_t)b;
        uint32_t id = tok_vocab_find(v, &c, 1);
        if (id == UINT32_MAX)
            rc = wt_fail(err, "%s: no token for byte 0x%02x", enc, b);
        else
            v->byte_id[b] = id, ordinary[id] = true, v->rank[id] = (uint32_t)b;
    }
    if (rc == 0) rc = load_merges(v, merges, ordinary, err);
    /* specials (e.g. <|endoftext|>) are neither bytes nor merges: decode only */
    if (rc == 0) rc = build_tab(v, ordinary, err);
    if (rc == 0) rc = build_pairs(v, ordinary, err);
    v->eot = UINT32_MAX;
    for (uint32_t id = 0; rc == 0 && id < v->n; id++) {
        size_t len = v->off[id + 1] - v->off[id];
        if (!ordinary[id] && len == 13 && memcmp(v->bytes + v->off[id], "<|endoftext|>", 13) == 0)
            v->eot = id;
    }
    free(ordinary);
    return rc;
}

tok_vocab *tok_vocab_load(const char *dir, wt_error *err) {
    char def[PATH_MAX], enc[PATH_MAX + 32], merges[PATH_MAX + 32];
    if (!dir) {
        tok_vocab_default_dir(def, sizeof def);
        dir = def;
    }
    snprintf(enc, sizeof enc, "%s/encoder.json", dir);
    snprintf(merges, sizeof merges, "%s/vocab.bpe", dir);
    if (!wt_file_exists(enc) || !wt_file_exists(merges)) {
        snprintf(enc, sizeof enc, "%s/vocab.json", dir);
        snprintf(merges, sizeof merges, "%s/merges.txt", dir);
        if (!wt_file_exists(enc) || !wt_file_exists(merges)) {
            wt_fail(err,
                    "%s: no encoder.json + vocab.bpe or vocab.json + merges.txt there (HINT: run "
                    "`make deps` to install the GPT-2 vocabulary, or pass --vocab DIR or set "
                    "WEBTEXT_VOCAB)",
                    dir);
            return NULL;
        }
    }
    tok_vocab *v = calloc(1, sizeof *v);
    if (!v) {
        wt_fail(err, "out of memory");
        return NULL;
    }
    if (load_files(v, enc, merges, err) < 0) {
        tok_vocab_free(v);
        return NULL;
    }
    return v;
}

void tok_vocab_free(tok_vocab *v) {
    if (!v) return;
    free(v->bytes), free(v->off), free(v->rank), free(v->tab), free(v->pairs);
    free(v->byte_pair);
    free(v);
}

uint32_t tok_vocab_size(const tok_vocab *v) {
    return v->n;
}

uint32_t tok_vocab_eot(const tok_vocab *v) {
    return v->eot;
}

const char *tok_token_bytes(const tok_vocab *v, uint32_t id, size_t *len) {
    if (id >= v->n) return NULL;
    *len = v->off[id + 1] - v->off[id];
    return v->bytes + v->off[id];
}

int tok_decode(const tok_vocab *v, const uint32_t *ids, size_t n, tok_bytes *out, wt_error *err) {
    for (size_t i = 0; i < n; i++) {
        if (ids[i] >= v->n)
            return wt_fail(err, "token id %u is outside the vocabulary (0..%u)", ids[i], v->n - 1);
        if (tok_bytes_append(out, v->bytes + v->off[ids[i]], v->off[ids[i] + 1] - v->off[ids[i]]))
            return wt_fail(err, "out of memory");
    }
    return 0;
}
