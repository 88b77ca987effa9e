/* results.md: the GPT-2 paper's Table 3 (the four GPT-2 sizes and the
 * previous state of the art, as published) with a row for the evaluated
 * model, then each task's counts and the short form of its protocol. */
#ifndef EVAL_RESULTS_H
#define EVAL_RESULTS_H

#include <jansson.h>

#include "tokenize/tokenizer.h"

/* Renders results.json's object as Markdown into out (appended). overlap is
 * the text of an --overlap FILE (JSON object or plain text), or NULL.
 * Returns -1 when out of memory. */
int eval_results_md(const json_t *results, const char *overlap, tok_bytes *out);

/* One Table 3 for several runs: the paper's rows, then one row per
 * results.json object (res[i], labelled labels[i], e.g. "gpt2-medium"),
 * each column's protocol and the public reproductions' figures stated once
 * below, then the LAMBADA variants. Appends Markdown to out; -1 when out of
 * memory. */
int eval_table_md(const json_t *const *res, const char *const *labels, size_t n, tok_bytes *out);
/* The same table as CSV: paper rows then runs, one column per task.metric
 * (accuracies in percent), plus the other LAMBADA variants and --limit. */
int eval_table_csv(const json_t *const *res, const char *const *labels, size_t n, tok_bytes *out);

/* bin/eval's `table` subcommand (eval/cmd_table.c). */
int eval_cmd_table(int argc, char **argv);

/* The paper's figure for row `row` (0: SOTA, 1: 117M .. 4: 1542M) and
 * column `col` (Table 3 order, 0..9), as printed. */
const char *eval_paper_figure(int row, int col);

#endif
