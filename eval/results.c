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

/* What each column holds (one line each, under every table) and what public
 * reimplementations report for the 117M model with that protocol. */
static const char *const col_protocol[NCOL] = {
    "`lambada.ppl`: exp of the mean over passages of -ln p(target word | passage before it), the "
    "target being \" \" + the last word (all its BPE tokens), OpenAI's lambada_test.jsonl, no "
    "<|endoftext|> prefix: the protocol of lm-evaluation-harness's lambada_openai perplexity. "
    "Public, 117M: 40.06 with lm-evaluation-harness (EleutherAI/lm-evaluation-harness#2159). "
    "The paper does not state its protocol.",
    "`lambada.acc_stopword_filter`: the target's first token must be the model's best token "
    "that is not \" \" + a stop-word (the 127 words of NLTK's original English list, as in "
    "cybertronai/bflm; the filter does not look at the target, so a target beginning with such "
    "a token counts as wrong: `stopword_targets`), its other tokens the greedy ones given the "
    "true tokens before them. The paper's ACC column used a stop-word filter whose list and rule "
    "it did not publish. Public, 117M: 31% with bflm's filter on the lowercased plain-text release "
    "(huggingface/transformers#491; other data). The reproductions that land near the paper's "
    "45.99 use `acc_last_token` (the passage's last BPE token is the argmax): 46.89 "
    "(openai/gpt-2#131) and 46.67 (huggingface/transformers#13761); lm-evaluation-harness's "
    "whole-word `acc`: 32.56 (EleutherAI/lm-evaluation-harness#2159). All variants are in the "
    "LAMBADA table below.",
    "`cbt-cn.acc`: each candidate scored by ln p(candidate + rest of sentence 21 | sentences "
    "1-20 + sentence 21 up to the blank), detokenized; the context cut once per question, the "
    "same for all ten candidates. Public, 117M: 84.35 (huggingface/transformers#13761).",
    "`cbt-ne.acc`: as CBT-CN on the named-entity set. Public, 117M: 73.65 "
    "(huggingface/transformers#13761).",
    "`wikitext2.word_ppl`: exp(NLL / words) over the detokenized test set after one "
    "<|endoftext|>, sliding windows (every token scored once); words = whitespace tokens of "
    "the original file + one per line (245,569). Public, 117M: 29.94 with the Hugging Face "
    "perplexity guide's script, per token (huggingface/transformers#13761).",
    "`ptb.word_ppl`: as WikiText-2 with the PTB detokenizer (82,430 words). No public "
    "reproduction found.",
    "`enwik8.bpb`: NLL / ln 2 / bytes over the last 5,000,000 bytes, sliding windows. No public "
    "reproduction found.",
    "`text8.bpc`: as enwik8 per character of text8's last 5,000,000. No public reproduction "
    "found.",
    "`wikitext103.word_ppl`: as WikiText-2 (the same test articles). Public, 117M: 37.37 with "
    "lm-evaluation-harness's word perplexity (huggingface/transformers#13761).",
    "`1bw.word_ppl`: as WikiText-2 on held-out shard 0 with the 1bw detokenizer. No public "
    "reproduction found.",
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

static const char *model_label(const json_t *res) {
    const char *d = json_string_value(json_object_get(json_object_get(res, "model"), "dir"));
    return d ? d : "?";
}

static json_int_t run_limit(const json_t *res) {
    return json_integer_value(json_object_get(json_object_get(res, "settings"), "limit"));
}

static int put_table(tok_bytes *o, const json_t *const *res, const char *const *labels, size_t n) {
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
    for (size_t i = 0; i < n; i++) {
        rc |= put(o, "| ") | put_cell(o, labels[i]);
        if (run_limit(res[i]) > 0) rc |= put(o, " (--limit %lld)", (long long)run_limit(res[i]));
        rc |= put(o, " |");
        for (int c = 0; c < NCOL; c++)
            rc |= put_value(o, task_metric(res[i], col_src[c].task, col_src[c].metric),
                            col_src[c].percent);
        rc |= put(o, "\n");
    }
    rc |= put(o, "\n");
    return rc ? -1 : 0;
}

/* The LAMBADA variants side by side, one row per model. */
static int put_lambada(tok_bytes *o, const json_t *const *res, const char *const *labels,
                       size_t n) {
    static const struct {
        const char *key, *head;
        int percent;
    } v[] = {{"acc", "acc (whole word)", 1},
             {"acc_stopword_filter", "acc_stopword_filter", 1},
             {"acc_last_token", "acc_last_token", 1},
             {"ppl", "ppl (whole word)", 0},
             {"ppl_last_token", "ppl_last_token", 0}};
    int rc = put(o, "LAMBADA variants (accuracies in percent):\n\n| model |");
    for (size_t k = 0; k < sizeof v / sizeof *v; k++) rc |= put(o, " %s |", v[k].head);
    rc |= put(o, " stopword_targets | passages |\n|---|");
    for (size_t k = 0; k < sizeof v / sizeof *v + 2; k++) rc |= put(o, "---:|");
    rc |= put(o, "\n| 117M, public reproductions | 32.56 | — | 46.89, 46.67 | 40.06 | — | — | "
                 "5153 |\n");
    for (size_t i = 0; i < n; i++) {
        const json_t *t = json_object_get(json_object_get(res[i], "tasks"), "lambada");
        rc |= put(o, "| ") | put_cell(o, labels[i]) | put(o, " |");
        for (size_t k = 0; k < sizeof v / sizeof *v; k++)
            rc |= put_value(o, task_metric(res[i], "lambada", v[k].key), v[k].percent);
        json_t *st = json_object_get(t, "stopword_targets"), *ex = json_object_get(t, "examples");
        rc |= json_is_integer(st) ? put(o, " %lld |", (long long)json_integer_value(st))
                                  : put(o, " — |");
        rc |= json_is_integer(ex) ? put(o, " %lld |\n", (long long)json_integer_value(ex))
                                  : put(o, " — |\n");
    }
    return rc | put(o, "\n");
}

/* Under the table: each column's protocol and public figures, the runs. */
static int put_protocols(tok_bytes *o, const json_t *const *res, const char *const *labels,
                         size_t n) {
    int rc = put(o, "Paper rows: Radford et al. 2019, Table 3 (zero-shot), as printed. Model rows: "
                    "accuracies in percent; — = not run. Each column holds:\n\n");
    for (int c = 0; c < NCOL; c++) rc |= put(o, "- **%s**: %s\n", col_names[c], col_protocol[c]);
    rc |= put(o, "\nRuns:\n\n");
    for (size_t i = 0; i < n; i++) {
        const json_t *s = json_object_get(res[i], "settings"),
                     *m = json_object_get(res[i], "model");
        rc |= put(o, "- ") | put_cell(o, labels[i]);
        rc |= put(o,
                  ": %lld layers, n_embd %lld, %lld parameters; context %lld, stride %lld, "
                  "--limit %lld (0: full sets); code %s\n",
                  (long long)json_integer_value(json_object_get(m, "n_layer")),
                  (long long)json_integer_value(json_object_get(m, "n_embd")),
                  (long long)json_integer_value(json_object_get(m, "n_params")),
                  (long long)json_integer_value(json_object_get(s, "context")),
                  (long long)json_integer_value(json_object_get(s, "stride")),
                  (long long)run_limit(res[i]),
                  json_string_value(json_object_get(res[i], "version"))
                      ? json_string_value(json_object_get(res[i], "version"))
                      : "?");
    }
    return rc | put(o, "\n");
}

int eval_table_md(const json_t *const *res, const char *const *labels, size_t n, tok_bytes *o) {
    int rc = put(o, "# Zero-shot results (GPT-2 paper, Table 3)\n\n");
    rc |= put_table(o, res, labels, n);
    rc |= put_protocols(o, res, labels, n);
    rc |= put_lambada(o, res, labels, n);
    return rc ? -1 : 0;
}

/* A CSV field: quoted when it holds a comma, quote or newline. */
static int csv_field(tok_bytes *o, const char *s) {
    if (!strpbrk(s, ",\"\n")) return tok_bytes_append(o, s, strlen(s));
    int rc = put(o, "\"");
    for (; *s && rc == 0; s++) rc = *s == '"' ? put(o, "\"\"") : tok_bytes_append(o, s, 1);
    return rc | put(o, "\"");
}

int eval_table_csv(const json_t *const *res, const char *const *labels, size_t n, tok_bytes *o) {
    static const char *const extra[] = {"acc", "acc_last_token", "ppl_last_token"};
    int rc = put(o, "model,source");
    for (int c = 0; c < NCOL; c++) rc |= put(o, ",%s.%s", col_src[c].task, col_src[c].metric);
    for (size_t k = 0; k < 3; k++) rc |= put(o, ",lambada.%s", extra[k]);
    rc |= put(o, ",limit\n");
    for (int r = 0; r < 5; r++) {
        rc |= put(o, "%s,paper", paper_rows[r]);
        for (int c = 0; c < NCOL; c++) rc |= put(o, ",%s", paper[r][c]);
        rc |= put(o, ",,,,\n");
    }
    for (size_t i = 0; i < n; i++) {
        rc |= csv_field(o, labels[i]) | put(o, ",this run");
        for (int c = 0; c < NCOL + 3; c++) {
            const char *task = c < NCOL ? col_src[c].task : "lambada";
            const char *metric = c < NCOL ? col_src[c].metric : extra[c - NCOL];
            int pct = c < NCOL ? col_src[c].percent : c != NCOL + 2;
            const json_t *v = task_metric(res[i], task, metric);
            if (!json_is_number(v))
                rc |= put(o, ",");
            else
                rc |= put(o, ",%.6g", (pct ? 100 : 1) * json_number_value(v));
        }
        rc |= put(o, ",%lld\n", (long long)run_limit(res[i]));
    }
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
    char label[4200];
    snprintf(label, sizeof label, "**this model** (%s)", model_label(res));
    const char *lab = label;
    rc |= put_table(o, &res, &lab, 1);
    rc |= put_protocols(o, &res, &lab, 1);
    rc |= put_lambada(o, &res, &lab, 1);
    rc |= put_tasks(o, res);
    if (overlap) rc |= put_overlap(o, overlap);
    return rc ? -1 : 0;
}
