/* What `crawl fetch` writes: OUT.warc.gz.tmp (warcinfo, then request,
 * response and metadata per fetched URL, one gzip member each), the fetch log
 * (OUT.log.jsonl.tmp, one JSON line per URL without a response) and the
 * checkpoint journal (OUT.warc.gz.done). Records are staged and written in
 * batches: WARC first, then log, then journal, so the journal never names
 * data that is not in the files. finish() renames the .tmp files. */
#ifndef CRAWL_FETCH_OUTPUT_H
#define CRAWL_FETCH_OUTPUT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crawl/fetch.h"
#include "crawl/fetch_journal.h"
#include "error.h"
#include "warc_write.h"

/* A finished HTTP exchange, as captured. */
typedef struct fetch_response {
    const char *target; /* the URL fetched (after redirects) */
    const char *ip;     /* the address connected to, e.g. "93.184.216.34" */
    const char *req;    /* request header block as sent */
    size_t req_len;
    const char *head; /* response status line and headers as received, CRLF CRLF */
    size_t head_len;
    const char *body; /* payload: de-chunked and content-decoded */
    size_t body_len;
    bool truncated; /* cut at --max-body */
} fetch_response;

/* A page served by an archive. */
typedef struct fetch_archived {
    const char *target; /* WARC-Target-URI: the original URL captured */
    const void *raw;    /* Common Crawl: the gzip member as received, stored as is */
    size_t raw_len;
    const char *refers_id;   /* Common Crawl: that record's WARC-Record-ID */
    const char *refers_date; /* Common Crawl: its WARC-Date */
    const char *date;        /* Wayback: the capture's date, "2017-12-11T09:30:12Z" */
    const char *head, *body; /* Wayback: the restored header block and the payload */
    size_t head_len, body_len;
    bool truncated;
    const char *meta; /* the metadata record's JSON */
} fetch_archived;

typedef struct fetch_item fetch_item; /* a finished URL on its way to the writer thread */

typedef struct fetch_output {
    char *warc_path, *warc_tmp; /* OUT.warc.gz and OUT.warc.gz.tmp */
    char *log_path, *log_tmp;   /* OUT.log.jsonl and its .tmp */
    wt_warc_writer *warc;
    int log_fd;
    char *log_buf; /* staged log lines */
    size_t log_len, log_cap;
    uint64_t log_written;  /* bytes in the log file */
    fetch_journal journal; /* the writer thread's once it runs */
    uint64_t *skip;        /* the done set at open (main thread), a bitmap */
    size_t skip_words;
    uint64_t resumed; /* URLs done at open */
    char info_id[WT_WARC_ID_LEN];
    double last_flush, last_sync; /* wt_now() seconds */
    uint64_t responses, truncated, failures[FR_COUNT], body_bytes;
    uint64_t by_source[SRC_COUNT];                /* responses per source */
    uint64_t fail_by_source[SRC_COUNT][FR_COUNT]; /* final failures per last source tried */
    bool archives; /* --source names an archive: log lines name their source */
    /* the writer thread: compresses, digests and writes in submission order */
    pthread_t thread;
    bool started, stop, failed, mu_ready;
    pthread_mutex_t mu;
    pthread_cond_t can_put, can_get;
    fetch_item *qhead, *qtail;
    size_t q_bytes; /* bytes queued, bounded by FETCH_QUEUE_BYTES */
    wt_error werr;  /* the writer's error when failed */
} fetch_output;

/* Queued bytes at which submitting blocks (memory bound). */
#define FETCH_QUEUE_BYTES (64u << 20)

/* Opens the outputs for `out` (e.g. "crawl-00000.warc.gz"), resuming from
 * the journal when there is one (force: start again). `log` NULL: derived
 * from out. gzip_level: libdeflate level of the per-record gzip members (1-9). `info` is the
 * warcinfo body (application/warc-fields). */
int fetch_output_open(fetch_output *o, const char *out, const char *log, const char *input,
                      bool force, int gzip_level, const char *info, wt_error *err);
bool fetch_output_is_done(const fetch_output *o, uint64_t index);
uint64_t fetch_output_resumed(const fetch_output *o); /* URLs finished by earlier runs */
int fetch_output_response(fetch_output *o, const fetch_job *job, const fetch_response *r,
                          wt_error *err);
/* Stores a page from an archive (a copy of a Common Crawl record, or a
 * Wayback capture) and its metadata record. */
int fetch_output_archived(fetch_output *o, const fetch_job *job, const fetch_archived *a,
                          wt_error *err);
/* Logs a URL without a response. status: the HTTP status or 0; detail may be NULL. */
int fetch_output_failure(fetch_output *o, const fetch_job *job, fetch_reason reason, long status,
                         const char *detail, wt_error *err);
/* Hands a finished URL to the writer thread (which stages records and writes
 * them when enough are staged or time has passed, fsyncing every few seconds).
 * Returns -1 once the writer has failed. */
int fetch_output_check(fetch_output *o, wt_error *err);
/* Waits until the writer has written everything submitted, and stops it. */
int fetch_output_drain(fetch_output *o, wt_error *err);
/* Completes the shard: sync, rename the .tmp files, remove the journal. */
int fetch_output_finish(fetch_output *o, wt_error *err);
/* Flushes what is staged and closes, leaving the .tmp files and journal for a rerun. */
void fetch_output_close(fetch_output *o);

/* The default log path for out: "x.warc.gz" -> "x.log.jsonl" (malloc'd). */
char *fetch_output_log_path(const char *out);

#endif
