/* English stop-words for LAMBADA's filtered accuracy: the paper restricts the
 * model's prediction of the last word to words that are not stop-words. The
 * list is common English function words (articles, pronouns, auxiliaries,
 * prepositions, conjunctions), lowercase. */
#include "eval/eval.h"

#include <stdlib.h>
#include <string.h>

static const char *const stopwords[] = {
    "a",          "about",      "above", "after", "again",   "against", "all",    "am",
    "an",         "and",        "any",   "are",   "as",      "at",      "be",     "because",
    "been",       "before",     "being", "below", "between", "both",    "but",    "by",
    "can",        "could",      "did",   "do",    "does",    "doing",   "down",   "during",
    "each",       "few",        "for",   "from",  "further", "had",     "has",    "have",
    "having",     "he",         "her",   "here",  "hers",    "herself", "him",    "himself",
    "his",        "how",        "i",     "if",    "in",      "into",    "is",     "it",
    "its",        "itself",     "just",  "me",    "might",   "more",    "most",   "must",
    "my",         "myself",     "no",    "nor",   "not",     "now",     "of",     "off",
    "on",         "once",       "only",  "or",    "other",   "our",     "ours",   "ourselves",
    "out",        "over",       "own",   "same",  "shall",   "she",     "should", "so",
    "some",       "such",       "than",  "that",  "the",     "their",   "theirs", "them",
    "themselves", "then",       "there", "these", "they",    "this",    "those",  "through",
    "to",         "too",        "under", "until", "up",      "us",      "very",   "was",
    "we",         "were",       "what",  "when",  "where",   "which",   "while",  "who",
    "whom",       "why",        "will",  "with",  "would",   "you",     "your",   "yours",
    "yourself",   "yourselves",
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
