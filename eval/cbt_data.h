/* Children's Book Test data: 20 numbered context sentences, a 21st query
 * sentence with the blank XXXXX, the answer and the candidates. */
#ifndef EVAL_CBT_DATA_H
#define EVAL_CBT_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "tokenize/tokenizer.h"

#define CBT_CONTEXT_LINES 20
#define CBT_MAX_CANDIDATES 16
#define CBT_MAX_TOKENS 1024 /* tokens of one continuation (at most a window) */

typedef struct cbt_example {
    char *context[CBT_CONTEXT_LINES]; /* sentences 1..20, numbers removed */
    char *query;                      /* sentence 21 with the blank XXXXX */
    char *candidates[CBT_MAX_CANDIDATES];
    int ncand;     /* e.g. 10 */
    int answer;    /* index into candidates */
    uint64_t line; /* line of sentence 1 */
} cbt_example;

typedef struct cbt_set {
    cbt_example *v;
    size_t n, cap;
} cbt_set;

/* Reads the first `limit` examples (0: all) of a CBT file (the cbtest_*.txt
 * layout: "N sentence" lines 1..20, then "21 query<TAB>answer<TAB><TAB>c1|c2|..",
 * examples separated by blank lines). Any deviation is an error naming the
 * file and line. */
int cbt_read(const char *path, int64_t limit, cbt_set *s, wt_error *err);
void cbt_free(cbt_set *s);

/* The texts scored for an example (eval/task_cbt.c): ctx = detokenized
 * sentences 1..20 joined by spaces, then " " + sentence 21 up to the blank;
 * pre = " " when a space precedes the blank (or the blank starts the
 * sentence), else ""; post = the sentence after the blank. A candidate's
 * continuation is pre + candidate + post. -1 when out of memory or the
 * query has no XXXXX token. */
int cbt_texts(const cbt_example *e, tok_bytes *ctx, tok_bytes *pre, tok_bytes *post);

#endif
