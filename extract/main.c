/* bin/extract: WARC response records to JSON Lines documents (main content,
 * title, language, Reddit metadata). `bin/extract WARC... -o OUT` is short for
 * `bin/extract warc WARC... -o OUT`; `html`, `score` and `speed` are the
 * debugging and benchmark tools. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opts.h"
#include "cmds.h"
#include "page.h"
#include "stream.h"

int ex_cmd_html(int argc, char **argv) {
    bool title = false, whole = false, info = false;
    const char *url = NULL;
    const wt_opt table[] = {
        WT_FLAG("title", 0, &title, "print the title as the first line, then a blank line"),
        WT_FLAG("whole-page", 0, &whole, "all visible text instead of the main content"),
        WT_FLAG("info", 0, &info, "print language, charset and word count on stderr"),
        WT_STR("url", 0, &url, "URL", NULL, "the page's address (shown in messages)"), WT_OPTS_END};
    const wt_cmd_spec spec = {
        "extract html", "FILE [--url URL] [--title] [--whole-page] [--info]",
        "Prints the main text of one HTML page (any compression; '-' is stdin).\n", table, NULL};
    int code, first = wt_opts_parse(&spec, argc, argv, &code);
    if (first < 0) return code;
    if (first != argc - 1) return wt_opts_usage_error(&spec, "give one FILE");
    wt_error err;
    char *data;
    size_t n;
    if (wt_read_file(argv[first], &data, &n, (size_t)256 << 20, &err) < 0) {
        wt_report("extract html", &err);
        return WT_EXIT_FAIL;
    }
    ex_opts o;
    ex_opts_default(&o);
    o.keep_all = true;
    o.whole_page = whole;
    ex_worker w;
    if (ex_worker_init(&w, &err) < 0) {
        free(data);
        wt_report("extract html", &err);
        return WT_EXIT_FAIL;
    }
    ex_result res = {0};
    int rc = ex_page_from_html(&w, &o, (unsigned char *)data, n, NULL, &res);
    if (rc == 0) {
        if (res.drop == EX_DROP_BINARY)
            fprintf(stderr, "extract html: %s: binary content, no text\n", url ? url : argv[first]);
        if (info)
            fprintf(stderr, "lang=%s charset=%s (%s) replaced=%llu words=%zu depth_cut=%d%s%s\n",
                    res.lang, res.cs.name, res.cs.source ? res.cs.source : "-",
                    (unsigned long long)res.cs.replaced, res.words, res.depth_cut,
                    res.drop ? " would_drop=" : "", res.drop ? ex_reason_names[res.drop] : "");
        if (title) printf("%s\n\n", w.content.title.p ? w.content.title.p : "");
        fwrite(w.content.text.p ? w.content.text.p : "", 1, w.content.text.len, stdout);
        if (w.content.text.len) putchar('\n');
    }
    ex_worker_free(&w);
    free(data);
    if (rc < 0) {
        fprintf(stderr, "extract html: out of memory\n");
        return WT_EXIT_FAIL;
    }
    return fflush(stdout) == 0 ? WT_EXIT_OK : WT_EXIT_FAIL;
}

static const wt_command commands[] = {
    {"warc", ex_cmd_warc, "WARC files to documents (the default: `extract WARC... -o OUT`)"},
    {"html", ex_cmd_html, "one HTML page to its main text on stdout"},
    {"score", ex_cmd_score, "the article-extraction benchmark metric, ours beside other tools"},
    {"speed", ex_cmd_speed, "pages per second over a folder of HTML pages"},
    {NULL, NULL, NULL}};

int main(int argc, char **argv) {
    if (argc >= 2) {
        const char *a = argv[1];
        bool known = !strcmp(a, "--help") || !strcmp(a, "-h") || !strcmp(a, "help") ||
                     !strcmp(a, "--version");
        for (const wt_command *c = commands; c->name; c++) known |= !strcmp(a, c->name);
        if (!known) return ex_cmd_warc(argc, argv);
    }
    return wt_dispatch("extract", "WARC response records to JSON Lines documents", commands, argc,
                       argv);
}
