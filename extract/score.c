/* Benchmark metric (see score.h). Shingles are hashed to 64 bits (XXH3 of
 * the 64-bit hashes of its tokens) and compared as sorted multisets; a collision
 * among a page's few thousand shingles has probability ~1e-12. */
#include "score.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include <xxhash.h>

typedef struct tok {
    size_t off, len;
} tok;

/* Python's \w for str: letters (L*), numbers (Nd, Nl, No) and underscore. */
static bool word_char(utf8proc_int32_t cp) {
    if (cp == '_') return true;
    if (cp < 128) return (cp >= '0' && cp <= '9') || ((cp | 32) >= 'a' && (cp | 32) <= 'z');
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return true;
    default:
        return false;
    }
}

static int tokenize(const char *s, size_t n, tok **out, size_t *nt) {
    size_t cap = 64, k = 0;
    tok *v = malloc(sizeof(tok) * cap);
    if (!v) return -1;
    size_t i = 0, start = 0;
    bool in = false;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t l =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (l <= 0) l = 1, cp = -1;
        bool w = cp >= 0 && word_char(cp);
        if (w && !in) start = i, in = true;
        if (!w && in) {
            if (k == cap) {
                tok *v2 = realloc(v, sizeof(tok) * (cap *= 2));
                if (!v2) return free(v), -1;
                v = v2;
            }
            v[k++] = (tok){start, i - start};
            in = false;
        }
        i += (size_t)l;
    }
    if (in) {
        if (k == cap) {
            tok *v2 = realloc(v, sizeof(tok) * (cap + 1));
            if (!v2) return free(v), -1;
            v = v2;
        }
        v[k++] = (tok){start, n - start};
    }
    *out = v;
    *nt = k;
    return 0;
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Hashes of the 4-token shingles (one shingle of all tokens when fewer). */
static int shingles(const char *s, const tok *t, size_t nt, uint64_t **out, size_t *ns) {
    *ns = 0;
    *out = NULL;
    if (nt == 0) return 0;
    size_t n = nt < 4 ? 1 : nt - 3, w = nt < 4 ? nt : 4;
    uint64_t *h = malloc(sizeof(uint64_t) * n);
    uint64_t *th = malloc(sizeof(uint64_t) * nt);
    if (!h || !th) return free(h), free(th), -1;
    for (size_t i = 0; i < nt; i++) th[i] = XXH3_64bits(s + t[i].off, t[i].len);
    /* a shingle's hash: XXH3 of its tokens' hashes */
    for (size_t i = 0; i < n; i++) h[i] = XXH3_64bits(th + i, w * sizeof(uint64_t));
    free(th);
    qsort(h, n, sizeof *h, cmp_u64);
    *out = h;
    *ns = n;
    return 0;
}

static bool same_tokens(const char *a, const tok *ta, size_t na, const char *b, const tok *tb,
                        size_t nb) {
    if (na != nb) return false;
    for (size_t i = 0; i < na; i++)
        if (ta[i].len != tb[i].len || memcmp(a + ta[i].off, b + tb[i].off, ta[i].len)) return false;
    return true;
}

int ex_score_page(const char *truth, size_t truth_len, const char *pred, size_t pred_len,
                  ex_page_score *out) {
    memset(out, 0, sizeof *out);
    tok *tt = NULL, *tp = NULL;
    size_t ntt, ntp, nst, nsp;
    uint64_t *st = NULL, *sp = NULL;
    int rc = -1;
    if (tokenize(truth, truth_len, &tt, &ntt) < 0 || tokenize(pred, pred_len, &tp, &ntp) < 0)
        goto done;
    if (shingles(truth, tt, ntt, &st, &nst) < 0 || shingles(pred, tp, ntp, &sp, &nsp) < 0)
        goto done;
    out->exact = same_tokens(truth, tt, ntt, pred, tp, ntp);
    /* multiset intersection of two sorted lists */
    size_t i = 0, j = 0, tpc = 0;
    while (i < nst && j < nsp) {
        if (st[i] == sp[j])
            tpc++, i++, j++;
        else if (st[i] < sp[j])
            i++;
        else
            j++;
    }
    double fp = (double)(nsp - tpc), fn = (double)(nst - tpc), sum = (double)tpc + fp + fn;
    if (sum > 0) {
        out->tp = tpc / sum;
        out->fp = fp / sum;
        out->fn = fn / sum;
    }
    rc = 0;
done:
    free(tt);
    free(tp);
    free(st);
    free(sp);
    return rc;
}

void ex_score_total_of(const ex_page_score *pages, size_t n, ex_score_total *out) {
    double ps = 0, rs = 0, acc = 0;
    size_t np = 0, nr = 0;
    for (size_t i = 0; i < n; i++) {
        const ex_page_score *p = &pages[i];
        double prec, rec;
        if (p->fp == 0 && p->fn == 0) {
            prec = rec = 1.0;
        } else {
            prec = p->tp + p->fp > 0 ? p->tp / (p->tp + p->fp) : 0.0;
            rec = p->tp + p->fn > 0 ? p->tp / (p->tp + p->fn) : 0.0;
        }
        if (p->tp + p->fp > 0) ps += prec, np++;
        if (p->tp + p->fn > 0) rs += rec, nr++;
        acc += p->exact;
    }
    out->pages = n;
    out->precision = np ? ps / np : 0;
    out->recall = nr ? rs / nr : 0;
    out->f1 = out->precision + out->recall > 0
                  ? 2 * out->precision * out->recall / (out->precision + out->recall)
                  : 0;
    out->accuracy = n ? acc / n : 0;
}
