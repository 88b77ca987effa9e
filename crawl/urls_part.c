/* Partition files (see urls_part.h). Record layout, native byte order (the
 * files never leave the machine): u64 hash, i64 score, i64 created_utc,
 * u16 url_len, u8 id_len, u8 sub_len, u8 has_subreddit, then the three
 * strings without terminators. Each worker fills a buffer per partition and
 * appends it under that partition's lock. */
#include "crawl/urls_part.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define PART_HDR 29
/* Buffer per worker and partition: 16 KiB, less when there are many (all
 * buffers together stay near 32 MiB), never below one record. */
#define PART_BUF_MAX (16u << 10)
#define PART_BUF_MIN (4u << 10)
#define PART_BUF_TOTAL (32u << 20)

typedef struct {
    char *data; /* bufsize bytes, allocated on first use */
    size_t n;
} part_buf;

struct crawl_parts {
    int nparts, nworkers;
    size_t bufsize;
    FILE **files;
    char **paths;
    pthread_mutex_t *locks;
    part_buf *bufs; /* [nworkers][nparts] */
};

crawl_parts *crawl_parts_create(const char *dir, int nparts, int nworkers, wt_error *err) {
    crawl_parts *ps = calloc(1, sizeof *ps);
    if (!ps) return wt_fail(err, "out of memory"), NULL;
    ps->nparts = nparts;
    ps->nworkers = nworkers;
    size_t per = PART_BUF_TOTAL / ((size_t)nparts * (size_t)nworkers);
    ps->bufsize = per > PART_BUF_MAX ? PART_BUF_MAX : per < PART_BUF_MIN ? PART_BUF_MIN : per;
    ps->files = calloc((size_t)nparts, sizeof *ps->files);
    ps->paths = calloc((size_t)nparts, sizeof *ps->paths);
    ps->locks = calloc((size_t)nparts, sizeof *ps->locks);
    ps->bufs = calloc((size_t)nparts * (size_t)nworkers, sizeof *ps->bufs);
    if (!ps->files || !ps->paths || !ps->locks || !ps->bufs) {
        crawl_parts_destroy(ps);
        return wt_fail(err, "out of memory"), NULL;
    }
    for (int i = 0; i < nparts; i++) {
        char path[4096];
        wt_shard_path(path, sizeof path, dir, "part", (uint64_t)i, "bin");
        ps->paths[i] = strdup(path);
        pthread_mutex_init(&ps->locks[i], NULL);
        ps->files[i] = ps->paths[i] ? fopen(path, "wb") : NULL;
        if (!ps->files[i]) {
            wt_fail_errno(err, "cannot create %s", path);
            crawl_parts_destroy(ps);
            return NULL;
        }
    }
    return ps;
}

static int buf_flush(crawl_parts *ps, int part, part_buf *b, wt_error *err) {
    if (b->n == 0) return 0;
    pthread_mutex_lock(&ps->locks[part]);
    size_t w = fwrite(b->data, 1, b->n, ps->files[part]);
    pthread_mutex_unlock(&ps->locks[part]);
    if (w != b->n) return wt_fail_errno(err, "cannot write %s", ps->paths[part]);
    b->n = 0;
    return 0;
}

int crawl_parts_add(crawl_parts *ps, int worker, const crawl_post *p, uint64_t hash,
                    wt_error *err) {
    int part = crawl_part_of(hash, ps->nparts);
    part_buf *b = &ps->bufs[(size_t)worker * (size_t)ps->nparts + (size_t)part];
    if (!b->data && !(b->data = malloc(ps->bufsize))) return wt_fail(err, "out of memory");
    uint16_t ul = (uint16_t)strlen(p->url);
    uint8_t il = (uint8_t)strlen(p->id), sl = (uint8_t)strlen(p->subreddit);
    uint8_t hs = p->has_subreddit;
    size_t need = PART_HDR + ul + il + sl;
    if (b->n + need > ps->bufsize) WT_TRY(buf_flush(ps, part, b, err));
    char *d = b->data + b->n;
    memcpy(d, &hash, 8);
    memcpy(d + 8, &p->score, 8);
    memcpy(d + 16, &p->created_utc, 8);
    memcpy(d + 24, &ul, 2);
    d[26] = (char)il;
    d[27] = (char)sl;
    d[28] = (char)hs;
    memcpy(d + PART_HDR, p->url, ul);
    memcpy(d + PART_HDR + ul, p->id, il);
    memcpy(d + PART_HDR + ul + il, p->subreddit, sl);
    b->n += need;
    return 0;
}

int crawl_parts_flush(crawl_parts *ps, int worker, wt_error *err) {
    for (int i = 0; i < ps->nparts; i++)
        WT_TRY(buf_flush(ps, i, &ps->bufs[(size_t)worker * (size_t)ps->nparts + (size_t)i], err));
    return 0;
}

int crawl_parts_close(crawl_parts *ps, wt_error *err) {
    for (int w = 0; w < ps->nworkers; w++) WT_TRY(crawl_parts_flush(ps, w, err));
    for (int i = 0; i < ps->nparts; i++) {
        FILE *f = ps->files[i];
        ps->files[i] = NULL;
        if (f && fclose(f) != 0) return wt_fail_errno(err, "cannot write %s", ps->paths[i]);
    }
    return 0;
}

const char *crawl_parts_path(const crawl_parts *ps, int part) {
    return ps->paths[part];
}

void crawl_parts_destroy(crawl_parts *ps) {
    if (!ps) return;
    for (int i = 0; i < ps->nparts && ps->paths; i++) {
        if (ps->files && ps->files[i]) fclose(ps->files[i]);
        if (ps->paths[i]) unlink(ps->paths[i]);
        free(ps->paths[i]);
        if (ps->locks) pthread_mutex_destroy(&ps->locks[i]);
    }
    for (size_t i = 0; ps->bufs && i < (size_t)ps->nparts * (size_t)ps->nworkers; i++)
        free(ps->bufs[i].data);
    free(ps->files);
    free(ps->paths);
    free(ps->locks);
    free(ps->bufs);
    free(ps);
}

int crawl_part_open(crawl_part_reader *r, const char *path, wt_error *err) {
    r->path = path;
    r->f = fopen(path, "rb");
    if (!r->f) return wt_fail_errno(err, "cannot open %s", path);
    setvbuf(r->f, NULL, _IOFBF, 1u << 16);
    return 0;
}

int crawl_part_next(crawl_part_reader *r, crawl_part_rec *rec, wt_error *err) {
    unsigned char h[PART_HDR];
    size_t got = fread(h, 1, PART_HDR, r->f);
    if (got == 0 && feof(r->f)) return 0;
    if (got != PART_HDR) return wt_fail(err, "%s: truncated record", r->path);
    memcpy(&rec->hash, h, 8);
    memcpy(&rec->score, h + 8, 8);
    memcpy(&rec->created_utc, h + 16, 8);
    memcpy(&rec->url_len, h + 24, 2);
    rec->id_len = h[26];
    rec->sub_len = h[27];
    rec->has_subreddit = h[28];
    if (rec->url_len > WT_URL_MAX) return wt_fail(err, "%s: corrupt record", r->path);
    char *d = r->buf;
    if (fread(d, 1, rec->url_len, r->f) != rec->url_len) goto short_read;
    d[rec->url_len] = '\0';
    rec->url = d;
    d += rec->url_len + 1;
    if (fread(d, 1, rec->id_len, r->f) != rec->id_len) goto short_read;
    d[rec->id_len] = '\0';
    rec->id = d;
    d += rec->id_len + 1;
    if (fread(d, 1, rec->sub_len, r->f) != rec->sub_len) goto short_read;
    d[rec->sub_len] = '\0';
    rec->subreddit = d;
    return 1;
short_read:
    return wt_fail(err, "%s: truncated record", r->path);
}

void crawl_part_close(crawl_part_reader *r) {
    if (r->f) fclose(r->f);
    r->f = NULL;
}
