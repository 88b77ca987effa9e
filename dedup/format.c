/* Writing and mapping the dedup step files (see format.h). */
#include "format.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

_Static_assert(sizeof(dedup_meta) == 64, "meta record layout");
_Static_assert(sizeof(dedup_key) == 16, "key record layout");
_Static_assert(sizeof(dedup_edge) == 20, "edge record layout");
_Static_assert(sizeof(dedup_removal) == 8, "removal record layout");
_Static_assert(sizeof(dedup_file_header) == 40, "header layout");

static const char MAGIC[8] = {'W', 'T', 'D', 'E', 'D', 'U', 'P', '1'};
static const char END[8] = {'W', 'T', 'D', 'E', 'D', 'E', 'N', 'D'};

int dedup_tw_open(dedup_table_writer *t, const char *path, uint32_t type, uint32_t rec_size,
                  uint64_t fingerprint, uint64_t shard, wt_error *err) {
    wt_writer_opts o = {.codec = WT_CODEC_PLAIN, .no_fsync = true};
    *t = (dedup_table_writer){.rec_size = rec_size};
    t->w = wt_writer_open(path, &o, err);
    if (!t->w) return -1;
    dedup_file_header h = {.type = type,
                           .version = DEDUP_FORMAT_VERSION,
                           .fingerprint = fingerprint,
                           .shard = shard,
                           .rec_size = rec_size};
    memcpy(h.magic, MAGIC, 8);
    if (wt_writer_write(t->w, &h, sizeof h, err) < 0) {
        dedup_tw_abort(t);
        return -1;
    }
    return 0;
}

int dedup_tw_append(dedup_table_writer *t, const void *recs, size_t n, wt_error *err) {
    if (n == 0) return 0;
    WT_TRY(wt_writer_write(t->w, recs, n * t->rec_size, err));
    t->count += n;
    return 0;
}

int dedup_tw_commit(dedup_table_writer *t, wt_error *err) {
    char trailer[16];
    memcpy(trailer, END, 8);
    memcpy(trailer + 8, &t->count, 8);
    if (wt_writer_write(t->w, trailer, sizeof trailer, err) < 0) {
        dedup_tw_abort(t);
        return -1;
    }
    int rc = wt_writer_commit(t->w, err);
    t->w = NULL;
    return rc;
}

void dedup_tw_abort(dedup_table_writer *t) {
    if (t->w) wt_writer_abort(t->w);
    t->w = NULL;
}

static const char *HINT = "HINT: rerun the step that writes it (with --force)";

int dedup_table_open(dedup_table *t, const char *path, uint32_t type, uint32_t rec_size,
                     uint64_t fingerprint, wt_error *err) {
    *t = (dedup_table){0};
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return wt_fail_errno(err, "cannot open %s", path);
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return wt_fail_errno(err, "cannot stat %s", path);
    }
    size_t len = (size_t)st.st_size;
    if (len < sizeof(dedup_file_header) + 16) {
        close(fd);
        return wt_fail(err, "%s: too short for a dedup file (truncated?). %s", path, HINT);
    }
    void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) return wt_fail_errno(err, "cannot map %s", path);
    t->map = map;
    t->map_len = len;
    memcpy(&t->hdr, map, sizeof t->hdr);
    const char *end = (const char *)map + len - 16;
    uint64_t count;
    memcpy(&count, end + 8, 8);
    const char *why = NULL;
    if (memcmp(t->hdr.magic, MAGIC, 8) != 0)
        why = "not a dedup file (bad magic)";
    else if (t->hdr.version != DEDUP_FORMAT_VERSION)
        why = "written by another format version";
    else if (t->hdr.type != type || t->hdr.rec_size != rec_size)
        why = "not the expected kind of file";
    else if (memcmp(end, END, 8) != 0)
        why = "truncated (no trailer)";
    else if (count > (len - sizeof(dedup_file_header) - 16) / rec_size ||
             sizeof(dedup_file_header) + count * rec_size + 16 != len)
        why = "size does not match its record count";
    else if (fingerprint && t->hdr.fingerprint != fingerprint)
        why = "made with other parameters or another shard list";
    if (why) {
        dedup_table_close(t);
        return wt_fail(err, "%s: %s. %s", path, why, HINT);
    }
    t->count = count;
    t->recs = (const char *)map + sizeof(dedup_file_header);
    return 0;
}

void dedup_table_close(dedup_table *t) {
    if (t->map) munmap(t->map, t->map_len);
    *t = (dedup_table){0};
}

bool dedup_table_complete(const char *path, uint32_t type, uint32_t rec_size,
                          uint64_t fingerprint) {
    if (access(path, F_OK) != 0) return false;
    dedup_table t;
    wt_error err;
    if (dedup_table_open(&t, path, type, rec_size, fingerprint, &err) < 0) return false;
    dedup_table_close(&t);
    return true;
}

void dedup_path_meta(char *buf, size_t n, const char *work, uint32_t shard) {
    snprintf(buf, n, "%s/sig/meta-%05u.bin", work, shard);
}
void dedup_path_urls(char *buf, size_t n, const char *work, uint32_t shard) {
    snprintf(buf, n, "%s/sig/urls-%05u.txt", work, shard);
}
void dedup_path_sigs(char *buf, size_t n, const char *work, uint32_t shard) {
    snprintf(buf, n, "%s/sig/sigs-%05u.bin", work, shard);
}
void dedup_path_keys(char *buf, size_t n, const char *work, uint32_t shard, uint32_t part) {
    snprintf(buf, n, "%s/keys/keys-%05u-p%03u.bin", work, shard, part);
}
void dedup_path_edges(char *buf, size_t n, const char *work, uint32_t part) {
    snprintf(buf, n, "%s/edges/edges-%05u.bin", work, part);
}
void dedup_path_remove(char *buf, size_t n, const char *work, uint32_t shard) {
    snprintf(buf, n, "%s/cluster/remove-%05u.bin", work, shard);
}
