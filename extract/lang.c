/* Language identification (see lang.h). TextCat ranks the 400 most frequent
 * character 1-5-grams of the text against each language's profile; we take
 * its best candidate when it is unambiguous enough to be listed first. */
#include "lang.h"

#include <ctype.h>
#include <stdbool.h>
#include <libexttextcat/textcat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define EX_LANG_DIR "/usr/share/libexttextcat/"
enum { SAMPLE = 2048, MIN_CHARS = 40 };

/* The languages compared (the 55 most used on the web that Debian's
 * profiles cover). TextCat's cost grows with the number of profiles; the
 * full set of 164 took a quarter of the extraction time. */
static const char *const langs[] = {
    "en",      "de",      "fr", "es", "pt", "it",      "nl",      "sv", "da",  "nb", "nn", "fi",
    "pl",      "cs",      "sk", "sl", "hr", "sr-Latn", "sr-Cyrl", "bs", "ro",  "hu", "tr", "ru",
    "uk",      "bg",      "el", "he", "ar", "fa",      "ur",      "hi", "bn",  "ta", "ja", "ko",
    "zh-Hans", "zh-Hant", "vi", "th", "id", "ms",      "tl",      "ca", "eu",  "gl", "et", "lv",
    "lt",      "sq",      "mk", "is", "ga", "cy",      "af",      "sw", "sco", "eo", "la", NULL};

struct ex_lang {
    void *tc;
    bool no_fast_path; /* for checking the fast path against TextCat */
};

ex_lang *ex_lang_open(const char *dir, wt_error *err) {
    if (!dir) dir = EX_LANG_DIR;
    /* the configuration lists the profiles; it is written to a memory file */
    int fd = memfd_create("webtext-langs", 0);
    if (fd < 0) return wt_fail_errno(err, "memfd_create"), NULL;
    FILE *cf = fdopen(fd, "w");
    if (!cf) return close(fd), wt_fail_errno(err, "fdopen"), NULL;
    for (int i = 0; langs[i]; i++) fprintf(cf, "%s.lm %s--utf8\n", langs[i], langs[i]);
    fflush(cf);
    char conf[64];
    snprintf(conf, sizeof conf, "/proc/self/fd/%d", fd);
    char prefix[1024];
    snprintf(prefix, sizeof prefix, "%s/", dir);
    ex_lang *l = calloc(1, sizeof *l);
    if (!l) return fclose(cf), wt_fail(err, "out of memory"), NULL;
    l->no_fast_path = getenv("WEBTEXT_LANG_NO_FAST_PATH") != NULL;
    l->tc = special_textcat_Init(conf, prefix);
    fclose(cf);
    if (!l->tc) {
        free(l);
        wt_fail(err, "%s: cannot load the language profiles (package libexttextcat-data)", dir);
        return NULL;
    }
    return l;
}

/* Fast path: English prose is about 40% function words; other languages
 * written in Latin script reach a few percent of these particular words.
 * When they make 30% of at least 40 words, the text is English and TextCat
 * is not asked (it agrees on every such page we checked; see README). */
static bool clearly_english(const char *s, size_t n) {
    static const char *const stop[] = {
        "a",   "all", "an",   "and",   "are",   "as",    "at",    "be",   "been",
        "but", "by",  "for",  "from",  "had",   "has",   "have",  "he",   "her",
        "his", "i",   "in",   "is",    "it",    "its",   "not",   "of",   "on",
        "or",  "she", "that", "the",   "their", "there", "they",  "this", "to",
        "was", "we",  "were", "which", "will",  "with",  "would", "you",  NULL};
    size_t words = 0, hits = 0;
    for (size_t i = 0; i < n;) {
        while (i < n && !isalpha((unsigned char)s[i])) i++;
        size_t b = i;
        while (i < n && isalpha((unsigned char)s[i])) i++;
        size_t l = i - b;
        if (!l) break;
        if (i < n && ((unsigned char)s[i] & 0x80)) { /* a word with non-ASCII letters */
            while (i < n && !isspace((unsigned char)s[i])) i++;
            words++;
            continue;
        }
        words++;
        if (l > 5) continue;
        char w[6];
        for (size_t k = 0; k < l; k++) w[k] = (char)tolower((unsigned char)s[b + k]);
        w[l] = 0;
        for (int k = 0; stop[k]; k++)
            if (!strcmp(w, stop[k])) {
                hits++;
                break;
            }
    }
    return words >= 40 && hits * 10 >= words * 3;
}

void ex_lang_identify(ex_lang *l, const char *text, size_t len, char *out, size_t out_n) {
    snprintf(out, out_n, "und");
    /* skip to a UTF-8 boundary at the sample's end */
    size_t n = len < SAMPLE ? len : SAMPLE;
    while (n < len && n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80) n--;
    size_t letters = 0;
    for (size_t i = 0; i < n; i++) letters += !isspace((unsigned char)text[i]);
    if (letters < MIN_CHARS) return;
    if (!l->no_fast_path && clearly_english(text, n)) {
        snprintf(out, out_n, "en");
        return;
    }
    const char *r = textcat_Classify(l->tc, text, n);
    if (!r || r[0] != '[') return; /* UNKNOWN or SHORT */
    /* "[en--utf8][sco--utf8]": the first label, up to its first '-' */
    size_t k = 0;
    for (const char *p = r + 1; *p && *p != '-' && *p != ']' && k + 1 < out_n; p++) out[k++] = *p;
    out[k] = 0;
    if (k == 0) snprintf(out, out_n, "und");
}

void ex_lang_close(ex_lang *l) {
    if (!l) return;
    textcat_Done(l->tc);
    free(l);
}
