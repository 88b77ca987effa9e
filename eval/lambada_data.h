/* LAMBADA data: passages read from OpenAI's lambada_test_openai.jsonl or the
 * original lambada_test_plain_text.txt, split into context and target. */
#ifndef EVAL_LAMBADA_DATA_H
#define EVAL_LAMBADA_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct lambada_example {
    char *text;     /* the passage, trailing whitespace removed */
    size_t len;     /* bytes of text */
    size_t ctx_len; /* context = text[0, ctx_len); target = text[ctx_len, len) = " " + word */
    uint64_t line;  /* 1-based line in the file */
} lambada_example;

typedef struct lambada_set {
    lambada_example *v;
    size_t n, cap;
} lambada_set;

/* Splits a passage at its last space (after removing trailing whitespace):
 * returns the target's length in bytes and sets *ctx_len, or -1 when the
 * passage has no space with text before it. */
int lambada_split(const char *text, size_t len, size_t *ctx_len);

/* Reads the first `limit` passages (0: all). A ".jsonl" name is read as JSON
 * Lines with a "text" field, anything else as one passage per line. Blank
 * lines are skipped. A bad line is an error naming the file and line. */
int lambada_read(const char *path, int64_t limit, lambada_set *s, wt_error *err);
void lambada_free(lambada_set *s);

#endif
