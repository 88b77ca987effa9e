/* Byte streams over any compression. A reader detects the codec from the
 * first bytes (gzip, zstd, xz, bzip2 or plain; "-" is stdin) and yields the
 * decompressed bytes, or lines. A writer picks the codec from the file name
 * (.gz, .zst, else plain) and writes atomically: NAME.tmp, fsync, rename. */
#ifndef WT_STREAM_H
#define WT_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

typedef struct wt_reader wt_reader;

/* Opens `path` ("-" for stdin). zstd accepts windows up to 2^31 (Pushshift). */
wt_reader *wt_reader_open(const char *path, wt_error *err);
/* Reads up to n decompressed bytes; returns the count, 0 at end, -1 on error
 * (a truncated or corrupt stream is an error naming the file and offset). */
ssize_t wt_reader_read(wt_reader *r, void *buf, size_t n, wt_error *err);
/* Next line without its '\n' (a trailing '\r' is kept). *line stays valid
 * until the next call. Returns 1, 0 at end, -1 on error. A line longer than
 * the maximum (default 64 MiB) is cut there, the rest skipped, and
 * wt_reader_line_truncated() says so. A last line without '\n' counts. */
int wt_reader_getline(wt_reader *r, char **line, size_t *len, wt_error *err);
bool wt_reader_line_truncated(const wt_reader *r);
void wt_reader_set_max_line(wt_reader *r, size_t max_bytes);
uint64_t wt_reader_line_no(const wt_reader *r);    /* 1-based number of the last line returned */
uint64_t wt_reader_offset(const wt_reader *r);     /* decompressed bytes delivered so far */
uint64_t wt_reader_raw_offset(const wt_reader *r); /* compressed bytes consumed so far */
uint64_t wt_reader_raw_size(const wt_reader *r);   /* file size, 0 if unknown (stdin, pipe) */
const char *wt_reader_path(const wt_reader *r);
const char *wt_reader_codec(const wt_reader *r); /* "plain", "gzip", "zstd", "xz", "bzip2" */
void wt_reader_close(wt_reader *r);

typedef enum { WT_CODEC_AUTO = 0, WT_CODEC_PLAIN, WT_CODEC_GZIP, WT_CODEC_ZSTD } wt_codec;

typedef struct wt_writer_opts {
    wt_codec codec; /* AUTO: from the name's extension */
    int level;      /* 0: the codec's default (zstd 3, gzip 6) */
    bool no_fsync;  /* for temporary files that a crash may lose */
} wt_writer_opts;

typedef struct wt_writer wt_writer;

/* Opens PATH.tmp for writing ("-" writes to stdout, not atomically). */
wt_writer *wt_writer_open(const char *path, const wt_writer_opts *opts, wt_error *err);
int wt_writer_write(wt_writer *w, const void *buf, size_t n, wt_error *err);
int wt_writer_printf(wt_writer *w, wt_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* gzip only: ends the current member, so the next write starts a new one
 * (WARC's one-member-per-record convention). Returns the compressed offset
 * where the next member begins. */
int64_t wt_writer_gzip_member(wt_writer *w, wt_error *err);
uint64_t wt_writer_offset(const wt_writer *w); /* compressed bytes written so far */
/* Flushes, fsyncs and renames PATH.tmp to PATH (and fsyncs the folder). Frees w. */
int wt_writer_commit(wt_writer *w, wt_error *err);
/* Removes PATH.tmp and frees w (an output is never left half-written). */
void wt_writer_abort(wt_writer *w);

/* Writes a whole file atomically. */
int wt_write_file_atomic(const char *path, const void *data, size_t n, wt_error *err);
/* Reads a whole (decompressed) file; for small inputs such as configs. */
int wt_read_file(const char *path, char **data, size_t *n, size_t max_bytes, wt_error *err);

#endif
