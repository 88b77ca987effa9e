/* The article-extraction benchmark's metric (scrapinghub/article-extraction-
 * benchmark, evaluate.py as described in the data set's SOURCE.md): Unicode
 * \w+ tokens, multisets of 4-token shingles, per-page tp/fp/fn normalised to
 * sum 1, macro precision and recall, F1 of the two means. */
#ifndef EX_SCORE_H
#define EX_SCORE_H

#include <stdbool.h>
#include <stddef.h>

/* One page's counts, normalised so tp + fp + fn = 1 (all 0 when both texts
 * have no shingles). */
typedef struct ex_page_score {
    double tp, fp, fn;
    bool exact; /* the token lists are equal */
} ex_page_score;

/* Scores predicted against true text (UTF-8). Returns 0, -1 out of memory. */
int ex_score_page(const char *truth, size_t truth_len, const char *pred, size_t pred_len,
                  ex_page_score *out);

typedef struct ex_score_total {
    double precision, recall, f1, accuracy;
    size_t pages;
} ex_score_total;

/* Macro averages over n pages: precision over pages with tp + fp > 0,
 * recall over pages with tp + fn > 0, per-page special cases as upstream. */
void ex_score_total_of(const ex_page_score *pages, size_t n, ex_score_total *out);

#endif
