/* Hosts of `crawl fetch`: per origin (scheme://host:port) a queue of waiting
 * jobs, the transfers in flight, the time of the next allowed request
 * (politeness) and the robots.txt verdict. A min-heap orders hosts by when
 * they may start their next request; idle hosts sit in an LRU list and the
 * oldest are dropped beyond a cap, which bounds memory on million-URL shards
 * (a dropped host's robots.txt is fetched again if it comes back). */
#ifndef CRAWL_FETCH_HOSTS_H
#define CRAWL_FETCH_HOSTS_H

#include <stdbool.h>
#include <stddef.h>

#include "crawl/fetch.h"
#include "crawl/fetch_robots.h"

enum { ROBOTS_UNKNOWN, ROBOTS_FETCHING, ROBOTS_READY };

typedef struct fetch_host {
    char *key;                /* e.g. "https://example.com:443" */
    struct fetch_host *chain; /* hash bucket */
    struct fetch_host *idle_prev, *idle_next;
    fetch_job *qhead, *qtail; /* jobs waiting, FIFO */
    size_t queued;
    int active;     /* transfers in flight (robots.txt included) */
    double next_ok; /* wt_now() seconds before which no request starts */
    bool in_heap, on_idle;
    int robots_state;     /* ROBOTS_* */
    fetch_robots *robots; /* when READY */
    int fail_reason;      /* -1, or the fetch_reason every job gets (robots.txt unreachable) */
    char *fail_detail;
} fetch_host;

typedef struct fetch_heap_item {
    double t;
    fetch_host *h;
} fetch_heap_item;

typedef struct fetch_hosts {
    fetch_host **buckets;
    size_t n_buckets, count;
    fetch_host *idle_head, *idle_tail; /* least recently idle first */
    size_t n_idle, max_idle;
    fetch_heap_item *heap;
    size_t heap_len, heap_cap;
} fetch_hosts;

int fetch_hosts_init(fetch_hosts *hs, size_t max_idle);
void fetch_hosts_free(fetch_hosts *hs);
/* Finds or creates the host for key; NULL when out of memory. */
fetch_host *fetch_hosts_get(fetch_hosts *hs, const char *key);
void fetch_host_enqueue(fetch_host *h, fetch_job *job, bool front);
fetch_job *fetch_host_dequeue(fetch_host *h);
/* Puts h in the heap at time t unless it is there already. -1: out of memory. */
int fetch_hosts_schedule(fetch_hosts *hs, fetch_host *h, double t);
/* Removes and returns the earliest host if its time is <= now, else NULL. */
fetch_host *fetch_hosts_pop(fetch_hosts *hs, double now);
/* Time of the earliest host in the heap; a huge value when empty. */
double fetch_hosts_next(const fetch_hosts *hs);
/* Call after a host's state changed: files it in (or out of) the idle list,
 * and drops the oldest idle hosts beyond the cap (never h itself). */
void fetch_hosts_touch(fetch_hosts *hs, fetch_host *h);

#endif
