/* Command-line helpers shared by the stage binaries: subcommand dispatch,
 * number parsing with clear usage errors, core count, folders. */
#ifndef WT_CLI_H
#define WT_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct wt_command {
    const char *name;                  /* e.g. "encode" */
    int (*run)(int argc, char **argv); /* argv[0] is the subcommand name */
    const char *summary;               /* one line for the help listing */
} wt_command;

/* Runs the subcommand named by argv[1]; prints the listing for --help/-h or
 * none, and a usage error (exit 2) for an unknown name. `about` is one line. */
int wt_dispatch(const char *prog, const char *about, const wt_command *cmds, int argc, char **argv);

/* Parse a whole decimal (or 0x hex) number within [min, max]; on failure
 * print "prog: --opt: ..." and return -1 (the caller exits 2). */
int wt_parse_i64(const char *prog, const char *opt, const char *s, int64_t min, int64_t max,
                 int64_t *out);
int wt_parse_double(const char *prog, const char *opt, const char *s, double min, double max,
                    double *out);

/* Online cores (at least 1). */
int wt_ncpus(void);
/* --threads value: 0 or negative means all cores. */
int wt_threads(int64_t requested);

/* mkdir -p. */
int wt_mkdir_p(const char *path, wt_error *err);
bool wt_file_exists(const char *path);
/* Formats DIR/PREFIX-NNNNN.SUFFIX into buf (5 digits, as shard names). */
void wt_shard_path(char *buf, size_t n, const char *dir, const char *prefix, uint64_t index,
                   const char *suffix);
/* Index from a shard name like ".../docs-00012.jsonl.zst" (-1 if none). */
int64_t wt_shard_index(const char *path);

#endif
