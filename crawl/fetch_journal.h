/* The checkpoint journal of `crawl fetch` (OUT.warc.gz.done): an append-only
 * text file, one line "INDEX WARC_END LOG_END" per finished input URL (INDEX
 * is its 1-based line in the URL file, 0 the warcinfo record; the offsets are
 * the sizes of OUT.warc.gz.tmp and the log once that URL's records are in).
 * Lines are written only after the data they describe, so on restart the
 * last line whose offsets fit the files tells where to cut them. */
#ifndef CRAWL_FETCH_JOURNAL_H
#define CRAWL_FETCH_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct fetch_journal {
    int fd;
    char *path;
    uint64_t *done;    /* bitmap: bit i set when input line i is finished */
    size_t done_words; /* 64-bit words in done */
    uint64_t n_done;   /* input URLs finished (warcinfo excluded) */
    uint64_t warc_end; /* where the WARC must be cut to resume */
    uint64_t log_end;  /* where the log must be cut to resume */
    bool has_info;     /* the warcinfo record is in */
    char *buf;         /* staged lines, written by fetch_journal_flush */
    size_t len, cap;
} fetch_journal;

/* Opens (or creates) the journal at `path`. An existing one is read back:
 * entries are accepted while their offsets fit warc_size and log_size (the
 * current sizes of the .tmp files) and never decrease; the file is cut after
 * the last accepted line. `input` (the URL file's base name) is recorded in
 * the first line; a journal of another input is an error. */
int fetch_journal_open(fetch_journal *j, const char *path, const char *input, uint64_t warc_size,
                       uint64_t log_size, wt_error *err);
bool fetch_journal_is_done(const fetch_journal *j, uint64_t index);
/* Stages an entry and marks index done. */
int fetch_journal_add(fetch_journal *j, uint64_t index, uint64_t warc_end, uint64_t log_end,
                      wt_error *err);
/* Writes staged entries (call only after the data they describe is written). */
int fetch_journal_flush(fetch_journal *j, wt_error *err);
int fetch_journal_sync(fetch_journal *j, wt_error *err);
/* Closes; with remove, deletes the file (the shard is complete). */
void fetch_journal_close(fetch_journal *j, bool remove);

#endif
