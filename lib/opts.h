/* Table-driven options for the stage subcommands: one table gives each
 * option's name, argument kind, default, range and help text; the parser and
 * --help both read it, so a new option is one line and the help cannot drift
 * from what is parsed. */
#ifndef WT_OPTS_H
#define WT_OPTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "progress.h"

typedef enum wt_opt_kind {
    WT_OPT_END = 0, /* ends the table */
    WT_OPT_FLAG,    /* bool *: set to true */
    WT_OPT_STR,     /* const char **: the argument */
    WT_OPT_INT,     /* int64_t *: a whole number in [min, max] */
    WT_OPT_INT32,   /* int *: a whole number in [min, max] */
    WT_OPT_NUM,     /* double *: a number in [min, max] */
    WT_OPT_THREADS, /* int *: N >= 0, 0 (and the default) meaning every core */
    WT_OPT_CALL,    /* handled by call(dest, arg): 0, or -1 after printing why */
    WT_OPT_SECTION, /* not an option: `help` is a heading line in --help */
} wt_opt_kind;

typedef struct wt_opt {
    wt_opt_kind kind;
    const char *name; /* long name without "--", e.g. "threads"; NULL: only the short one */
    char short_name;  /* e.g. 'o' for -o, or 0 */
    void *dest;
    const char *arg;  /* the argument's name in --help ("N", "DIR"); NULL for flags */
    const char *def;  /* default, applied before parsing and shown in --help; NULL: none */
    const char *help; /* one line; "\n" continues it on the next line, aligned */
    double min, max;  /* range of INT, INT32 and NUM (both 0: unbounded) */
    int (*call)(void *dest, const char *arg);
} wt_opt;

/* Table rows: LONG is the name without "--", SHORT a char or 0, P the destination. */
#define WT_FLAG(LONG, SHORT, P, HELP)                                                              \
    { .kind = WT_OPT_FLAG, .name = LONG, .short_name = SHORT, .dest = P, .help = HELP }
#define WT_STR(LONG, SHORT, P, ARG, DEF, HELP)                                                     \
    {                                                                                              \
        .kind = WT_OPT_STR, .name = LONG, .short_name = SHORT, .dest = P, .arg = ARG, .def = DEF,  \
        .help = HELP                                                                               \
    }
#define WT_INT(LONG, SHORT, P, ARG, DEF, MIN, MAX, HELP)                                           \
    {                                                                                              \
        .kind = WT_OPT_INT, .name = LONG, .short_name = SHORT, .dest = P, .arg = ARG, .def = DEF,  \
        .min = MIN, .max = MAX, .help = HELP                                                       \
    }
#define WT_INT32(LONG, SHORT, P, ARG, DEF, MIN, MAX, HELP)                                         \
    {                                                                                              \
        .kind = WT_OPT_INT32, .name = LONG, .short_name = SHORT, .dest = P, .arg = ARG,            \
        .def = DEF, .min = MIN, .max = MAX, .help = HELP                                           \
    }
#define WT_NUM(LONG, SHORT, P, ARG, DEF, MIN, MAX, HELP)                                           \
    {                                                                                              \
        .kind = WT_OPT_NUM, .name = LONG, .short_name = SHORT, .dest = P, .arg = ARG, .def = DEF,  \
        .min = MIN, .max = MAX, .help = HELP                                                       \
    }
#define WT_THREADS(P)                                                                              \
    {                                                                                              \
        .kind = WT_OPT_THREADS, .name = "threads", .dest = P, .arg = "N",                          \
        .help = "worker threads (default: all cores)"                                              \
    }
#define WT_CALL(LONG, SHORT, P, FN, ARG, HELP)                                                     \
    {                                                                                              \
        .kind = WT_OPT_CALL, .name = LONG, .short_name = SHORT, .dest = P, .call = FN, .arg = ARG, \
        .help = HELP                                                                               \
    }
/* --progress-interval S, the same row in every long-running stage (progress.h). */
#define WT_PROGRESS_OPT(P)                                                                         \
    {                                                                                              \
        .kind = WT_OPT_NUM, .name = "progress-interval", .dest = P, .arg = "S",                    \
        .def = WT_OPTS_XSTR(WT_PROGRESS_INTERVAL), .min = 0, .max = 1e6,                           \
        .help = "one progress line every S seconds when stderr is not a\nterminal (0: none)"       \
    }
#define WT_OPTS_XSTR(X) WT_OPTS_STR(X)
#define WT_OPTS_STR(X) #X
#define WT_CALL_DEF(LONG, P, FN, ARG, DEF, HELP)                                                   \
    {                                                                                              \
        .kind = WT_OPT_CALL, .name = LONG, .dest = P, .call = FN, .arg = ARG, .def = DEF,          \
        .help = HELP                                                                               \
    }
#define WT_SECTION(TEXT)                                                                           \
    { .kind = WT_OPT_SECTION, .help = TEXT }
#define WT_OPTS_END                                                                                \
    { .kind = WT_OPT_END }

typedef struct wt_cmd_spec {
    const char *prog;     /* e.g. "tokenize shards" (in messages and --help) */
    const char *synopsis; /* e.g. "[options] INPUT... -o DIR" */
    const char *about;    /* text after the usage line (lines end with \n), or NULL */
    const wt_opt *opts;   /* ends with {0} */
    const char *epilog;   /* text after the options, or NULL */
} wt_cmd_spec;

/* Sets every default, then parses argv (argv[0] is the command's name).
 * Returns the index in argv of the first operand, or -1 with *exit_code set:
 * 0 after --help (printed to stdout), 2 after a usage error (the message and
 * the help printed to stderr). Options and operands may be mixed. */
int wt_opts_parse(const wt_cmd_spec *spec, int argc, char **argv, int *exit_code);

/* A WT_OPT_CALL handler for a server's base URL: accepts http:// and https://
 * URLs and stores it without trailing '/' (cut in place: callers append
 * paths). A default given in a table must not end in '/'. */
int wt_opt_base_url(void *dest, const char *arg);

/* The help text, from the table. */
void wt_opts_help(const wt_cmd_spec *spec, FILE *out);

/* A usage error found after parsing (a missing operand, two options that
 * exclude each other): prints "prog: message" and the help to stderr;
 * returns 2 (the exit status). */
int wt_opts_usage_error(const wt_cmd_spec *spec, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
