/* Checkpoint journal of `crawl fetch` (see fetch_journal.h). Reading it back
 * costs one pass; the done set is a bitmap over input line numbers, 125 KB
 * for a million-line shard. */
#include "crawl/fetch_journal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stream.h"

#define JOURNAL_MAGIC "webtext-fetch-journal 1"

static int mark_done(fetch_journal *j, uint64_t index, wt_error *err) {
    if (index == 0) {
        j->has_info = true;
        return 0;
    }
    size_t w = (size_t)(index / 64);
    if (w >= j->done_words) {
        size_t n = j->done_words ? j->done_words : 1024;
        while (n <= w) n *= 2;
        uint64_t *p = realloc(j->done, n * sizeof *p);
        if (!p) return wt_fail(err, "out of memory");
        memset(p + j->done_words, 0, (n - j->done_words) * sizeof *p);
        j->done = p, j->done_words = n;
    }
    uint64_t bit = 1ull << (index % 64);
    if (!(j->done[w] & bit)) j->n_done++;
    j->done[w] |= bit;
    return 0;
}

bool fetch_journal_is_done(const fetch_journal *j, uint64_t index) {
    size_t w = (size_t)(index / 64);
    return w < j->done_words && (j->done[w] >> (index % 64) & 1);
}

/* Reads the journal's lines and returns the byte length of the accepted part. */
static int journal_load(fetch_journal *j, const char *input, uint64_t warc_size, uint64_t log_size,
                        size_t *keep, wt_error *err) {
    wt_reader *r = wt_reader_open(j->path, err);
    if (!r) return -1;
    char *line;
    size_t len, pos = 0;
    int rc;
    *keep = 0;
    bool header = false;
    while ((rc = wt_reader_getline(r, &line, &len, err)) > 0) {
        size_t next = pos + len + 1;
        if (wt_reader_offset(r) < next) break; /* last line without '\n': torn */
        if (!header) {
            char want[4096];
            snprintf(want, sizeof want, "%s\t%s", JOURNAL_MAGIC, input);
            if (len != strlen(want) || memcmp(line, want, len)) {
                wt_fail(err,
                        "%s: not a journal of %s (first line '%.*s'); HINT: rerun with "
                        "--force to start the shard again",
                        j->path, input, (int)(len > 200 ? 200 : len), line);
                wt_reader_close(r);
                return -1;
            }
            header = true;
        } else {
            uint64_t idx, we, le;
            char tail;
            if (sscanf(line, "%" SCNu64 " %" SCNu64 " %" SCNu64 "%c", &idx, &we, &le, &tail) != 3)
                break;
            if (we > warc_size || le > log_size || we < j->warc_end || le < j->log_end) break;
            j->warc_end = we, j->log_end = le;
            if (mark_done(j, idx, err) < 0) rc = -1;
            if (rc < 0) break;
        }
        pos = next;
        *keep = pos;
    }
    wt_reader_close(r);
    return rc < 0 ? -1 : 0;
}

int fetch_journal_open(fetch_journal *j, const char *path, const char *input, uint64_t warc_size,
                       uint64_t log_size, wt_error *err) {
    memset(j, 0, sizeof *j);
    j->fd = -1;
    if (!(j->path = strdup(path))) return wt_fail(err, "out of memory");
    size_t keep = 0;
    if (access(path, F_OK) == 0 && journal_load(j, input, warc_size, log_size, &keep, err) < 0)
        goto fail;
    j->fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
    if (j->fd < 0 || ftruncate(j->fd, (off_t)keep) != 0 || lseek(j->fd, 0, SEEK_END) < 0) {
        wt_fail_errno(err, "cannot open %s", path);
        goto fail;
    }
    if (keep == 0) {
        char head[4096];
        int n = snprintf(head, sizeof head, "%s\t%s\n", JOURNAL_MAGIC, input);
        if (n < 0 || (size_t)n >= sizeof head || write(j->fd, head, (size_t)n) != n) {
            wt_fail_errno(err, "cannot write %s", path);
            goto fail;
        }
        j->warc_end = j->log_end = 0;
        j->has_info = false;
        j->n_done = 0;
        if (j->done) memset(j->done, 0, j->done_words * sizeof *j->done);
    }
    return 0;
fail:
    fetch_journal_close(j, false);
    return -1;
}

int fetch_journal_add(fetch_journal *j, uint64_t index, uint64_t warc_end, uint64_t log_end,
                      wt_error *err) {
    if (j->cap - j->len < 64) {
        size_t cap = j->cap ? j->cap * 2 : 1 << 14;
        char *p = realloc(j->buf, cap);
        if (!p) return wt_fail(err, "out of memory");
        j->buf = p, j->cap = cap;
    }
    j->len += (size_t)snprintf(j->buf + j->len, j->cap - j->len,
                               "%" PRIu64 " %" PRIu64 " %" PRIu64 "\n", index, warc_end, log_end);
    j->warc_end = warc_end, j->log_end = log_end;
    return mark_done(j, index, err);
}

int fetch_journal_flush(fetch_journal *j, wt_error *err) {
    size_t off = 0;
    while (off < j->len) {
        ssize_t k = write(j->fd, j->buf + off, j->len - off);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) return wt_fail_errno(err, "cannot write %s", j->path);
        off += (size_t)k;
    }
    j->len = 0;
    return 0;
}

int fetch_journal_sync(fetch_journal *j, wt_error *err) {
    WT_TRY(fetch_journal_flush(j, err));
    if (fsync(j->fd) != 0) return wt_fail_errno(err, "cannot sync %s", j->path);
    return 0;
}

void fetch_journal_close(fetch_journal *j, bool remove) {
    if (j->fd >= 0) close(j->fd);
    if (remove && j->path) unlink(j->path);
    free(j->path);
    free(j->done);
    free(j->buf);
    memset(j, 0, sizeof *j);
    j->fd = -1;
}
