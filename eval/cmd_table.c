/* `eval table RESULTS.json... [-o table.md]`: one Table 3 for several runs
 * (e.g. gpt2, gpt2-medium, gpt2-large, gpt2-xl), in the order given, as
 * Markdown and, beside an -o FILE.md, FILE.csv. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "eval/results.h"
#include "opts.h"
#include "stream.h"

/* The CSV path beside an -o path: X.md -> X.csv, else X + ".csv". */
static void csv_beside(const char *md, char *out, size_t n) {
    size_t l = strlen(md);
    if (l > 3 && strcmp(md + l - 3, ".md") == 0)
        snprintf(out, n, "%.*s.csv", (int)(l - 3), md);
    else
        snprintf(out, n, "%s.csv", md);
}

int eval_cmd_table(int argc, char **argv) {
    const char *out = NULL, *csv = NULL;
    const wt_opt table[] = {WT_STR("output", 'o', &out, "TABLE.md", NULL,
                                   "write the Markdown here and the CSV beside it (TABLE.csv);\n"
                                   "without -o the Markdown goes to stdout"),
                            WT_STR("csv", 0, &csv, "FILE", NULL, "the CSV's path instead"),
                            WT_OPTS_END};
    const wt_cmd_spec spec = {
        "eval table", "RESULTS.json... [-o TABLE.md] [--csv FILE]",
        "One Table 3 with the paper's rows and one row per results.json (in the order\n"
        "given, labelled by the model's name or folder), each column's protocol stated\n"
        "once below it, then the LAMBADA variants.\n",
        table, NULL};
    int code, first = wt_opts_parse(&spec, argc, argv, &code);
    if (first < 0) return code;
    size_t n = (size_t)(argc - first);
    if (n == 0) return wt_opts_usage_error(&spec, "no RESULTS.json given");
    json_t **res = calloc(n, sizeof *res);
    const char **labels = calloc(n, sizeof *labels);
    int rc = res && labels ? 0 : -1;
    wt_error err = {{0}};
    if (rc < 0) wt_fail(&err, "out of memory");
    for (size_t i = 0; i < n && rc == 0; i++) {
        const char *path = argv[first + (int)i];
        json_error_t je;
        res[i] = json_load_file(path, 0, &je);
        if (!res[i]) {
            rc = wt_fail(&err, "%s:%d: %s", path, je.line, je.text);
            break;
        }
        const json_t *m = json_object_get(res[i], "model");
        labels[i] = json_string_value(json_object_get(m, "dir"));
        if (!json_is_object(json_object_get(res[i], "tasks")) || !labels[i])
            rc = wt_fail(&err, "%s: not an `eval run` results.json (no model.dir or tasks)", path);
    }
    tok_bytes md = {0}, cs = {0};
    if (rc == 0 && (eval_table_md((const json_t *const *)res, labels, n, &md) < 0 ||
                    eval_table_csv((const json_t *const *)res, labels, n, &cs) < 0))
        rc = wt_fail(&err, "out of memory");
    char cpath[4096];
    if (rc == 0 && out) {
        if (!csv) csv_beside(out, cpath, sizeof cpath), csv = cpath;
        rc = wt_write_file_atomic(out, md.p, md.n, &err);
    } else if (rc == 0 && fwrite(md.p, 1, md.n, stdout) != md.n)
        rc = wt_fail(&err, "stdout: write failed");
    if (rc == 0 && csv) rc = wt_write_file_atomic(csv, cs.p, cs.n, &err);
    if (rc == 0 && out) fprintf(stderr, "eval table: wrote %s and %s\n", out, csv);
    if (rc < 0) wt_report("eval", &err);
    for (size_t i = 0; res && i < n; i++) json_decref(res[i]);
    free(res), free(labels);
    tok_bytes_free(&md), tok_bytes_free(&cs);
    return rc < 0 ? WT_EXIT_FAIL : WT_EXIT_OK;
}
