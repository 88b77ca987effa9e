/* Shared types of `crawl fetch`: the options, a URL job, and the outcome
 * reasons written to the fetch log. Private to crawl/fetch_*.c. */
#ifndef CRAWL_FETCH_H
#define CRAWL_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where a page can come from (--source, an ordered fallback). */
typedef enum { SRC_LIVE, SRC_CC, SRC_WAYBACK, SRC_COUNT } fetch_source;
#define FETCH_MAX_SOURCES 3

typedef struct fetch_opts {
    int concurrency;        /* transfers at once, e.g. 64 */
    int per_host;           /* transfers at once per host, e.g. 2 */
    int delay_ms;           /* gap between two requests to one host, e.g. 1000 */
    int timeout_ms;         /* whole transfer, per attempt, e.g. 30000 */
    int connect_timeout_ms; /* e.g. 10000 */
    int retries;            /* extra attempts after 429/5xx/timeouts/resets, e.g. 2 */
    int retry_base_ms;      /* first backoff, doubled per attempt, e.g. 1000 */
    int max_retry_after_s;  /* a longer Retry-After gives up, e.g. 120 */
    int max_redirects;      /* e.g. 5 */
    size_t max_body;        /* stored body bytes, longer ones truncated, e.g. 5 MB */
    size_t window;          /* input URLs held in memory at once, e.g. 20000 */
    size_t max_hosts;       /* idle hosts (robots cache) kept, e.g. 20000 */
    bool ignore_robots;
    bool allow_private;
    const char *user_agent; /* full User-Agent header value */
    char agent_token[64];   /* its product token for robots.txt, e.g. "webtext" */
    const char *accept;   /* kept media types, e.g. "text/html,application/xhtml+xml,text/plain" */
    const char *cacert;   /* --cacert: CA bundle instead of the system's (tests) */
    const char **resolve; /* --resolve HOST:PORT:ADDR entries */
    size_t n_resolve;
    const char **allow_addr; /* --allow-addr: addresses exempt from the private check */
    size_t n_allow_addr;
    /* the archives (crawl/archive_engine.c) */
    fetch_source sources[FETCH_MAX_SOURCES]; /* --source, e.g. {SRC_LIVE} */
    int n_sources;
    const char *cc_index;    /* --cc-index, e.g. "https://index.commoncrawl.org" */
    const char *cc_data;     /* --cc-data, e.g. "https://data.commoncrawl.org" */
    const char *wayback;     /* --wayback, e.g. "https://web.archive.org" */
    const char *cc_crawls;   /* --cc-crawls "CC-MAIN-2017-51,...", NULL: nearest to the post */
    int cc_nearest;          /* crawls asked per URL when cc_crawls is NULL, e.g. 3 */
    double cc_index_rate;    /* requests/s to the index server, e.g. 1 */
    double cc_data_rate;     /* range requests/s to the data server, e.g. 10 */
    double wayback_rate;     /* requests/s to the Wayback Machine, e.g. 1 */
    int wayback_window_days; /* CDX from/to around the post, e.g. 365 */
    const char **cc_lookup;  /* --cc-lookup files from `crawl cc-lookup` */
    size_t n_cc_lookup;
} fetch_opts;

/* One input URL on its way to a response record or a log line. */
typedef struct fetch_job {
    struct fetch_job *next; /* in its host's queue */
    uint64_t index;         /* 1-based line of the URL file */
    char *url;              /* as listed */
    char *cur;              /* the URL being fetched (differs after redirects) */
    char *path;             /* cur's path and query, for robots.txt */
    char *meta;             /* JSON object text for the metadata record */
    int hops;               /* redirects followed */
    int attempts;           /* requests made, all URLs of the chain */
    int tries;              /* requests made for the current URL (retries) */
    int64_t created;        /* the post's created_utc, 0 when unknown */
    int src;                /* index in opts->sources being tried */
    fetch_source source;    /* that source */
    char *captures;         /* Common Crawl captures from --cc-lookup (JSON lines), or NULL */
    char *trail;            /* what earlier sources said, e.g. "live: http_4xx 404" */
} fetch_job;

/* Why a URL has no response record (the log's "reason"). */
typedef enum {
    FR_ROBOTS,
    FR_DNS,
    FR_CONNECT,
    FR_TIMEOUT,
    FR_RESET,
    FR_TLS,
    FR_HTTP_3XX,
    FR_HTTP_4XX,
    FR_HTTP_5XX,
    FR_TOO_MANY_REDIRECTS,
    FR_PRIVATE_ADDRESS,
    FR_NON_TEXT,
    FR_BAD_URL,
    FR_ERROR,
    FR_NOT_ARCHIVED, /* no usable capture in the archive */
    FR_BAD_RANGE,    /* a Common Crawl range answer failed its checks */
    FR_COUNT
} fetch_reason;

const char *fetch_reason_name(fetch_reason r);
const char *fetch_source_name(fetch_source s); /* "live", "cc", "wayback" */

void fetch_job_free(fetch_job *job);

#endif
