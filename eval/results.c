/* Renders results.md from the results.json object. The paper's figures are
 * Radford et al. 2019, "Language Models are Unsupervised Multitask Learners",
 * Table 3 (zero-shot); accuracies in percent, as the paper prints them. */
#include "eval/results.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define NCOL 10

static const char *const col_names[NCOL] = {
    "LAMBADA (PPL)", "LAMBADA (ACC)", "CBT-CN (ACC)", "CBT-NE (ACC)",      "WikiText2 (PPL)",
    "PTB (PPL)",     "enwik8 (BPB)",  "text8 (BPC)",  "WikiText103 (PPL)", "1BW (PPL)"};

static const char *const paper_rows[5] = {"SOTA", "117M", "345M", "762M", "1542M"};
static const char *const paper[5][NCOL] = {
    {"99.8", "59.23", "85.7", "82.3", "39.14", "46.54", "0.99", "1.08", "18.3", "21.8"},
    {"35.13", "45.99", "87.65", "83.4", "29.41", "65.85", "1.16", "1.17", "37.50", "75.20"},
    {"15.60", "55.48", "92.35", "87.1", "22.76", "47.33", "1.01", "1.06", "26.37", "55.72"},
    {"10.87", "60.12", "93.45", "88.0", "19.93", "40.31", "0.97", "1.02", "22.05", "44.575"},
    {"8.63", "63.24", "93.30", "89.05", "18.34", "35.76", "0.93", "0.98", "17.48", "42.16"},
};

/* Where each column's figure comes from in results.json: task, metric, and
 * whether it is a fraction shown in percent. */
static const struct {
    const char *task, *metric;
    int percent;
} col_src[NCOL] = {
    {"lambada", "ppl", 0},          {"lambada", "acc_stopword_filter", 1},
    {"cbt-cn", "acc", 1},           {"cbt-ne", "acc", 1},
    {"wikitext2", "word_ppl", 0},   {"ptb", "word_ppl", 0},
    {"enwik8", "bpb", 0},           {"text8", "bpc", 0},
    {"wikitext103", "word_ppl", 0}, {"1bw", "word_ppl", 0},
};

const char *eval_paper_figure(int row, int col) {
    if (row < 0 || row > 4 || col < 0 || col >= NCOL) return NULL;
    return paper[row][col];
}

static int put(tok_bytes *o, const char *fmt, ...) {
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) return -1;
    return tok_bytes_append(o, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

/* Appends s for a Markdown table cell: '|' escaped, newlines as spaces. */
static int put_cell(tok_bytes *o, const char *s) {
    int rc = 0;
    for (; s && *s && rc == 0; s++) {
        if (*s == '|')
            rc = put(o, "\\|");
        else
            rc = tok_bytes_append(o, *s == '\n' ? " " : s, 1);
    }
    return rc;
}

static const json_t *task_metric(const json_t *res, const char *task, const char *metric) {
    json_t *t = json_object_get(json_object_get(res, "tasks"), task);
    return json_object_get(json_object_get(t, "metrics"), metric);
}

static int put_value(tok_bytes *o, const json_t *v, int percent) {
    if (!json_is_number(v)) return put(o, " — |");
    double x = json_number_value(v);
    if (percent) return put(o, " %.2f |", 100 * x);
    return put(o, x >= 100 ? " %.1f |" : " %.3g |", x);
}

static int put_table(tok_bytes *o, const json_t *res) {
    int rc = put(o, "| model |");
    for (int c = 0; c < NCOL; c++) rc |= put(o, " %s |", col_names[c]);
    rc |= put(o, "\n|---|");
    for (int c = 0; c < NCOL; c++) rc |= put(o, "---:|");
    rc |= put(o, "\n");
    for (int r = 0; r < 5; r++) {
        rc |= put(o, "| %s (paper) |", paper_rows[r]);
        for (int c = 0; c < NCOL; c++) rc |= put(o, " %s |", paper[r][c]);
        rc |= put(o, "\n");
    }
    const char *mdir = json_string_value(json_object_get(json_object_get(res, "model"), "dir"));
    rc |= put(o, "| **this model** (%s) |", mdir ? mdir : "?");
    for (int c = 0; c < NCOL; c++)
        rc |=
            put_value(o, task_metric(res, col_src[c].task, col_src[c].metric), col_src[c].percent);
    rc |= put(o, "\n\n");
    return rc ? -1 : 0;
}

static int put_counts(tok_bytes *o, const json_t *t) {
    static const char *const keys[] = {"examples", "tokens", "words", "bytes", "chars"};
    int rc = 0;
    const char *sep = "";
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        json_t *v = json_object_get(t, keys[i]);
        if (!json_is_integer(v)) continue;
        rc |= put(o, "%s%s %lld", sep, keys[i], (long long)json_integer_value(v));
        sep = ", ";
    }
    return rc;
}

static int put_tasks(tok_bytes *o, const json_t *res) {
    int rc = put(
        o,
        "## Tasks\n\n| task | metrics | counts | tokens/s | protocol |\n|---|---|---|---:|---|\n");
    const char *name;
    json_t *t;
    json_object_foreach(json_object_get(res, "tasks"), name, t) {
        rc |= put(o, "| %s | ", name);
        const char *mk;
        json_t *mv;
        const char *sep = "";
        json_object_foreach(json_object_get(t, "metrics"), mk, mv) {
            rc |= put(o, "%s%s %.6g", sep, mk, json_number_value(mv));
            sep = ", ";
        }
        rc |= put(o, " | ");
        rc |= put_counts(o, t);
        json_t *meth = json_object_get(t, "method");
        const char *proto = json_string_value(json_object_get(meth, "protocol"));
        const char *detok = json_string_value(json_object_get(meth, "detokenizer"));
        json_t *ctx = json_object_get(meth, "context"), *stride = json_object_get(meth, "stride");
        rc |= put(o, " | %.0f | ", json_number_value(json_object_get(t, "tokens_per_s")));
        rc |= put_cell(o, proto);
        if (json_is_integer(ctx))
            rc |= put(o, "; context %lld", (long long)json_integer_value(ctx));
        if (json_is_integer(stride))
            rc |= put(o, ", stride %lld", (long long)json_integer_value(stride));
        if (detok) rc |= put(o, "; detokenizer %s", detok);
        rc |= put(o, " |\n");
    }
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(res, "skipped"), key, v) {
        rc |= put(o, "| %s | skipped: ", key) | put_cell(o, json_string_value(v));
        rc |= put(o, " | | | |\n");
    }
    json_object_foreach(json_object_get(res, "failed"), key, v) {
        rc |= put(o, "| %s | FAILED: ", key) | put_cell(o, json_string_value(v));
        rc |= put(o, " | | | |\n");
    }
    return rc;
}

static int put_overlap(tok_bytes *o, const char *overlap) {
    int rc = put(o, "\n## 8-gram overlap (dedup)\n\n");
    json_t *j = json_loads(overlap, 0, NULL);
    if (json_is_object(j)) {
        rc |= put(o, "| set | value |\n|---|---:|\n");
        const char *k;
        json_t *v;
        json_object_foreach(j, k, v) {
            if (json_is_number(v))
                rc |= put(o, "| %s | %.6g |\n", k, json_number_value(v));
            else if (json_is_string(v))
                rc |= put(o, "| %s | %s |\n", k, json_string_value(v));
        }
    } else {
        rc |= put(o, "```\n") | tok_bytes_append(o, overlap, strlen(overlap)) | put(o, "\n```\n");
    }
    json_decref(j);
    return rc;
}

int eval_results_md(const json_t *res, const char *overlap, tok_bytes *o) {
    const json_t *m = json_object_get(res, "model"), *s = json_object_get(res, "settings");
    int rc = put(o, "# Zero-shot results (GPT-2 paper, Table 3)\n\n");
    rc |= put(o, "Model `%s` (%lld layers, %lld heads, n_embd %lld, n_ctx %lld), code %s.\n",
              json_string_value(json_object_get(m, "dir")),
              (long long)json_integer_value(json_object_get(m, "n_layer")),
              (long long)json_integer_value(json_object_get(m, "n_head")),
              (long long)json_integer_value(json_object_get(m, "n_embd")),
              (long long)json_integer_value(json_object_get(m, "n_ctx")),
              json_string_value(json_object_get(res, "version")));
    rc |= put(o, "Context %lld tokens, stride %lld; --limit %lld (0: full sets).\n\n",
              (long long)json_integer_value(json_object_get(s, "context")),
              (long long)json_integer_value(json_object_get(s, "stride")),
              (long long)json_integer_value(json_object_get(s, "limit")));
    rc |= put_table(o, res);
    rc |= put(o, "Paper rows: Radford et al. 2019, Table 3 (zero-shot). LAMBADA ACC of this model "
                 "is `acc_stopword_filter` (the paper's table uses its stop-word filter); plain "
                 "`acc` is below. Accuracies in percent. Word-level PPLs are per original word "
                 "of the data set (detokenized input); — = not run.\n\n");
    rc |= put_tasks(o, res);
    if (overlap) rc |= put_overlap(o, overlap);
    return rc ? -1 : 0;
}
