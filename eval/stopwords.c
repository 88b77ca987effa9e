/* English stop-words for LAMBADA's filtered accuracy: the paper restricts the
 * model's prediction of the last word to words that are not stop-words, without
 * publishing its list. The set is fixed in advance and not ours: the 127 words
 * of the original NLTK English stop-word list (nltk_data corpora/stopwords/
 * english, the 127-word version, before contractions were added), which is the
 * set the public LAMBADA reimplementations for GPT-2 used (cybertronai/bflm
 * eval_lambada_slow.py; lm-evaluation-harness's early lambada task). Lowercase,
 * sorted. A token is a stop-word token when its text is " " + one of them, in
 * any case (task_lambada.c). */
#include "eval/eval.h"

#include <stdlib.h>
#include <string.h>

static const char *const stopwords[EVAL_STOPWORDS] = {
    "a",      "about",  "above", "after", "again",   "against",   "all",        "am",
    "an",     "and",    "any",   "are",   "as",      "at",        "be",         "because",
    "been",   "before", "being", "below", "between", "both",      "but",        "by",
    "can",    "did",    "do",    "does",  "doing",   "don",       "down",       "during",
    "each",   "few",    "for",   "from",  "further", "had",       "has",        "have",
    "having", "he",     "her",   "here",  "hers",    "herself",   "him",        "himself",
    "his",    "how",    "i",     "if",    "in",      "into",      "is",         "it",
    "its",    "itself", "just",  "me",    "more",    "most",      "my",         "myself",
    "no",     "nor",    "not",   "now",   "of",      "off",       "on",         "once",
    "only",   "or",     "other", "our",   "ours",    "ourselves", "out",        "over",
    "own",    "s",      "same",  "she",   "should",  "so",        "some",       "such",
    "t",      "than",   "that",  "the",   "their",   "theirs",    "them",       "themselves",
    "then",   "there",  "these", "they",  "this",    "those",     "through",    "to",
    "too",    "under",  "until", "up",    "very",    "was",       "we",         "were",
    "what",   "when",   "where", "which", "while",   "who",       "whom",       "why",
    "will",   "with",   "you",   "your",  "yours",   "yourself",  "yourselves",
};

static int cmp(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool eval_is_stopword(const char *word, size_t len) {
    char buf[32];
    if (len == 0 || len >= sizeof buf) return false;
    memcpy(buf, word, len);
    buf[len] = 0;
    const char *key = buf;
    size_t n = sizeof stopwords / sizeof *stopwords;
    /* The table is sorted (checked by the unit test), so bsearch applies. */
    return bsearch(&key, stopwords, n, sizeof *stopwords, cmp) != NULL;
}
