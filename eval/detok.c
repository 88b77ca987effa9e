/* Token-level detokenizers: each token of a line is written with or without
 * a space before it, and a few data-set markers are mapped back to the
 * characters they stand for (WikiText's @-@, PTB-style `` and ''). */
#include "eval/detok.h"

#include <stdbool.h>
#include <string.h>

#include "utf8.h"

const char *eval_detok_name(eval_detok_kind k) {
    switch (k) {
    case DETOK_WIKITEXT:
        return "wikitext";
    case DETOK_PTB:
        return "ptb";
    case DETOK_1BW:
        return "1bw";
    case DETOK_CBT:
        return "cbt";
    default:
        return "none";
    }
}

static bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r';
}

size_t eval_count_words(const char *line, size_t len) {
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (!is_space(line[i]) && (i == 0 || is_space(line[i - 1]))) n++;
    return n;
}

static bool tok_is(const char *t, size_t n, const char *s) {
    return n == strlen(s) && memcmp(t, s, n) == 0;
}

/* 's 're 've 'll 'd 'm n't (any case): attached to the word before. */
static bool is_contraction(const char *t, size_t n) {
    if (n == 3 && (t[0] == 'n' || t[0] == 'N') && t[1] == '\'' && (t[2] == 't' || t[2] == 'T'))
        return true;
    if (n < 2 || n > 3 || t[0] != '\'') return false;
    for (size_t i = 1; i < n; i++) {
        char c = (char)(t[i] | 0x20);
        if (c < 'a' || c > 'z') return false;
    }
    static const char *forms[] = {"s", "re", "ve", "ll", "d", "m"};
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        size_t fl = strlen(forms[i]);
        if (fl != n - 1) continue;
        bool eq = true;
        for (size_t j = 0; j < fl; j++) eq = eq && (char)(t[1 + j] | 0x20) == forms[i][j];
        if (eq) return true;
    }
    return false;
}

/* Punctuation that closes up to the word before it. */
static bool is_closing(const char *t, size_t n) {
    static const char *p[] = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "...", "''"};
    for (size_t i = 0; i < sizeof p / sizeof *p; i++)
        if (tok_is(t, n, p[i])) return true;
    return is_contraction(t, n);
}

static bool is_opening(const char *t, size_t n) {
    return tok_is(t, n, "(") || tok_is(t, n, "[") || tok_is(t, n, "{") || tok_is(t, n, "``");
}

static bool is_at_form(eval_detok_kind k, const char *t, size_t n) {
    return k == DETOK_WIKITEXT && n == 3 && t[0] == '@' && t[2] == '@' &&
           (t[1] == '-' || t[1] == ',' || t[1] == '.');
}

/* The text a token stands for. */
static const char *token_text(eval_detok_kind k, const char *t, size_t n, size_t *out_n) {
    *out_n = 1;
    if (is_at_form(k, t, n)) return t + 1;
    if (k != DETOK_PTB && (tok_is(t, n, "``") || tok_is(t, n, "''"))) return "\"";
    *out_n = n;
    return t;
}

long eval_detok_line(eval_detok_kind k, const char *line, size_t len, tok_bytes *out, size_t *offs,
                     size_t max_offs) {
    size_t base = out->n, i = 0;
    long ntok = 0;
    const char *prev = NULL;
    size_t prev_n = 0;
    bool quote_open = false, prev_glues = true; /* no space before the first token */
    while (i < len) {
        while (i < len && is_space(line[i])) i++;
        if (i == len) break;
        const char *t = line + i;
        size_t n = 0;
        while (i < len && !is_space(line[i])) i++, n++;
        bool space = true, glues_next = false;
        if (k == DETOK_NONE) {
            space = ntok > 0;
        } else {
            bool quote = tok_is(t, n, "\"") && k != DETOK_PTB;
            if (prev_glues) space = false;
            if (k != DETOK_PTB && is_closing(t, n)) space = false;
            if (k == DETOK_PTB && is_contraction(t, n)) space = false;
            if (is_at_form(k, t, n)) space = false, glues_next = true;
            if (k != DETOK_PTB && is_opening(t, n)) glues_next = true;
            if (quote) {
                if (quote_open)
                    space = false;
                else
                    glues_next = true;
                quote_open = !quote_open;
            }
            if (k == DETOK_WIKITEXT && tok_is(t, n, "=") && prev && tok_is(prev, prev_n, "="))
                space = false;
        }
        if (space && ntok > 0 && tok_bytes_append(out, " ", 1) < 0) return -1;
        if (offs && (size_t)ntok < max_offs) offs[ntok] = out->n - base;
        size_t tn;
        const char *tt = token_text(k, t, n, &tn);
        if (tok_bytes_append(out, tt, tn) < 0) return -1;
        prev = t, prev_n = n, prev_glues = glues_next;
        ntok++;
    }
    return ntok;
}

size_t eval_utf8_check(const unsigned char *s, size_t len) {
    size_t ok = wt_utf8_valid_prefix(s, len);
    const unsigned char *nul = memchr(s, 0, ok);
    return nul ? (size_t)(nul - s) : ok;
}
