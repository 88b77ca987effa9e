/* See opts.h. getopt_long does the scanning (GNU order: options and operands
 * mixed); the table gives it its option list and gives --help its text. */
#include "opts.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "error.h"

#define MAX_OPTS 96
#define HELP_COL 22 /* where the help text starts */

static bool takes_arg(const wt_opt *o) {
    return o->kind != WT_OPT_FLAG && o->kind != WT_OPT_SECTION;
}

/* Stores one argument (or the default) into the option's destination. */
static int store(const wt_cmd_spec *spec, const wt_opt *o, const char *arg) {
    char name[80];
    if (o->name)
        snprintf(name, sizeof name, "--%s", o->name);
    else
        snprintf(name, sizeof name, "-%c", o->short_name);
    bool bounded = o->min != 0 || o->max != 0;
    int64_t i;
    double d;
    switch (o->kind) {
    case WT_OPT_FLAG:
        *(bool *)o->dest = true;
        return 0;
    case WT_OPT_STR:
        *(const char **)o->dest = arg;
        return 0;
    case WT_OPT_INT:
    case WT_OPT_INT32:
        if (wt_parse_i64(spec->prog, name, arg, bounded ? (int64_t)o->min : INT64_MIN,
                         bounded ? (int64_t)o->max : INT64_MAX, &i))
            return -1;
        if (o->kind == WT_OPT_INT) {
            *(int64_t *)o->dest = i;
        } else if (i < -2147483647 - 1 || i > 2147483647) {
            fprintf(stderr, "%s: %s: %s is out of range\n", spec->prog, name, arg);
            return -1;
        } else {
            *(int *)o->dest = (int)i;
        }
        return 0;
    case WT_OPT_NUM:
        if (wt_parse_double(spec->prog, name, arg, bounded ? o->min : -1e308,
                            bounded ? o->max : 1e308, &d))
            return -1;
        *(double *)o->dest = d;
        return 0;
    case WT_OPT_THREADS:
        if (wt_parse_i64(spec->prog, name, arg, 0, 4096, &i)) return -1;
        *(int *)o->dest = wt_threads(i);
        return 0;
    case WT_OPT_CALL:
        return o->call(o->dest, arg);
    default:
        return 0;
    }
}

void wt_opts_help(const wt_cmd_spec *spec, FILE *out) {
    fprintf(out, "usage: %s %s\n", spec->prog, spec->synopsis);
    if (spec->about) fputs(spec->about, out);
    for (const wt_opt *o = spec->opts; o->kind != WT_OPT_END; o++) {
        if (o->kind == WT_OPT_SECTION) {
            fprintf(out, "%s\n", o->help);
            continue;
        }
        char left[96];
        int n = !o->name        ? snprintf(left, sizeof left, "  -%c", o->short_name)
                : o->short_name ? snprintf(left, sizeof left, "  -%c, --%s", o->short_name, o->name)
                                : snprintf(left, sizeof left, "  --%s", o->name);
        if (takes_arg(o) && n < (int)sizeof left)
            snprintf(left + n, sizeof left - (size_t)n, " %s", o->arg ? o->arg : "X");
        fputs(left, out);
        int col = (int)strlen(left);
        if (col + 1 >= HELP_COL) {
            fputc('\n', out);
            col = 0;
        }
        fprintf(out, "%*s", HELP_COL - col, "");
        for (const char *h = o->help ? o->help : ""; *h; h++) {
            fputc(*h, out);
            if (*h == '\n') fprintf(out, "%*s", HELP_COL, "");
        }
        if (o->def) fprintf(out, " (default: %s)", o->def);
        fputc('\n', out);
    }
    fprintf(out, "  -h, --help%*sthis help\n", HELP_COL - 12, "");
    if (spec->epilog) fputs(spec->epilog, out);
}

int wt_opts_usage_error(const wt_cmd_spec *spec, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", spec->prog);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    wt_opts_help(spec, stderr);
    return WT_EXIT_USAGE;
}

int wt_opts_parse(const wt_cmd_spec *spec, int argc, char **argv, int *exit_code) {
    struct option lo[MAX_OPTS + 2];
    char shorts[2 * MAX_OPTS + 4]; /* no leading '+': options and operands may be mixed */
    size_t n = 0, ns = 0;
    shorts[ns++] = 'h';
    for (const wt_opt *o = spec->opts; o->kind != WT_OPT_END && n < MAX_OPTS; o++) {
        if (o->kind == WT_OPT_SECTION) continue;
        if (o->name)
            lo[n++] = (struct option){o->name, takes_arg(o) ? required_argument : no_argument, NULL,
                                      256 + (int)(o - spec->opts)};
        if (o->short_name) {
            shorts[ns++] = o->short_name;
            if (takes_arg(o)) shorts[ns++] = ':';
        }
        if (o->def && store(spec, o, o->def) < 0) { /* a bad default is the table's bug */
            fprintf(stderr, "%s: bad default for %s\n", spec->prog, o->name ? o->name : "-?");
            *exit_code = WT_EXIT_FAIL;
            return -1;
        }
    }
    lo[n++] = (struct option){"help", no_argument, NULL, 'h'};
    lo[n] = (struct option){0};
    shorts[ns] = 0;
    optind = 0; /* GNU: a full reinitialisation (a test may parse more than once) */
    opterr = 1;
    int c;
    while ((c = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
        const wt_opt *o = NULL;
        if (c == 'h') {
            wt_opts_help(spec, stdout);
            *exit_code = WT_EXIT_OK;
            return -1;
        } else if (c >= 256) {
            o = &spec->opts[c - 256];
        } else {
            for (const wt_opt *p = spec->opts; p->kind != WT_OPT_END && c != '?'; p++)
                if (p->kind != WT_OPT_SECTION && p->short_name == c) o = p;
        }
        if (!o || store(spec, o, optarg) < 0) {
            wt_opts_help(spec, stderr);
            *exit_code = WT_EXIT_USAGE;
            return -1;
        }
    }
    return optind;
}

int wt_opt_base_url(void *dest, const char *arg) {
    if (strncmp(arg, "http://", 7) && strncmp(arg, "https://", 8)) {
        fprintf(stderr, "'%s' is not an http(s) URL\n", arg);
        return -1;
    }
    size_t n = strlen(arg), len = n;
    while (len && arg[len - 1] == '/') len--;
    /* trailing '/' only come from the command line, whose strings are ours to
     * change; a table default never ends in '/' (nothing to allocate, free) */
    if (len < n) ((char *)arg)[len] = '\0';
    *(const char **)dest = arg;
    return 0;
}
