/* WARC record reader. gzip files are inflated member by member here (not by
 * wt_reader) so that each record's compressed offset is exact and a damaged
 * member can be skipped by searching for the next gzip header; other codecs
 * come through wt_reader. Records are parsed from a small buffered window. */
#include "warc_read.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "stream.h"

enum { IN_CAP = 1 << 16, OUT_CAP = 1 << 18, MAX_LINE = 1 << 16, MAX_HEADER = 1 << 20 };
enum { N_MEMBERS = 256 };

typedef struct member_pos {
    uint64_t ustart; /* decompressed offset of the member's first byte */
    uint64_t cstart; /* compressed offset of its gzip header */
} member_pos;

struct wt_warc_reader {
    char *path;
    size_t max_block;
    /* source: gzip (f + zs) or generic (rd) */
    FILE *f;
    wt_reader *rd;
    bool gzip, zs_init, member_active, src_eof;
    z_stream zs;
    unsigned char *in; /* compressed input window */
    uint64_t in_base;  /* file offset of in[0] */
    size_t in_len;     /* valid bytes in `in` */
    member_pos members[N_MEMBERS];
    size_t n_members;
    /* decompressed window */
    unsigned char *buf;
    size_t pos, len;
    uint64_t ubase; /* decompressed offset of buf[0] */
    /* damage signalled by the source, consumed by the parser */
    bool src_damaged, src_fatal;
    char damage[1100];
    bool resyncing; /* scanning for the next "WARC/" line */
    bool at_eof_after_damage;
    uint64_t record_no;
    /* the current record */
    char *hdr; /* raw header lines, NUL-terminated values stored in vals */
    size_t hdr_len, hdr_cap;
    char *vals;
    size_t vals_len, vals_cap;
    unsigned char *block;
    size_t block_cap;
    char line[MAX_LINE + 1];
    wt_warc_stats stats;
};

/* ---- gzip source ---------------------------------------------------------- */

static void set_damage(wt_warc_reader *r, const char *fmt, uint64_t at, const char *extra) {
    snprintf(r->damage, sizeof r->damage, fmt, (unsigned long long)at, extra ? extra : "");
    r->src_damaged = true;
}

/* Ensures at least `need` compressed bytes after zs.next_in (fewer at EOF). */
static int in_ensure(wt_warc_reader *r, size_t need, wt_error *err) {
    size_t off = r->zs.next_in ? (size_t)(r->zs.next_in - r->in) : 0;
    size_t avail = r->zs.next_in ? r->zs.avail_in : 0;
    if (avail >= need) return 0;
    memmove(r->in, r->in + off, avail);
    r->in_base += off;
    r->in_len = avail;
    while (r->in_len < need && !r->src_eof) {
        size_t got = fread(r->in + r->in_len, 1, IN_CAP - r->in_len, r->f);
        if (got == 0) {
            if (ferror(r->f)) return wt_fail_errno(err, "%s: read error", r->path);
            r->src_eof = true;
        }
        r->in_len += got;
    }
    r->zs.next_in = r->in;
    r->zs.avail_in = (uInt)r->in_len;
    return 0;
}

static uint64_t in_pos(const wt_warc_reader *r) {
    return r->in_base + (uint64_t)(r->zs.next_in - r->in);
}

/* Skips compressed bytes up to the next gzip header (1f 8b 08). */
static int gz_seek_header(wt_warc_reader *r, wt_error *err) {
    for (;;) {
        WT_TRY(in_ensure(r, 3, err));
        if (r->zs.avail_in < 3) {
            r->zs.next_in += r->zs.avail_in;
            r->zs.avail_in = 0;
            return 0;
        }
        unsigned char *p = r->zs.next_in;
        if (p[0] == 0x1f && p[1] == 0x8b && p[2] == 0x08) return 0;
        unsigned char *q = memchr(p + 1, 0x1f, r->zs.avail_in - 1);
        size_t skip = q ? (size_t)(q - p) : r->zs.avail_in - 2;
        r->zs.next_in += skip;
        r->zs.avail_in -= (uInt)skip;
    }
}

static void note_member(wt_warc_reader *r, uint64_t ustart, uint64_t cstart) {
    if (r->n_members == N_MEMBERS) {
        memmove(r->members, r->members + N_MEMBERS / 2, sizeof(member_pos) * (N_MEMBERS / 2));
        r->n_members = N_MEMBERS / 2;
    }
    r->members[r->n_members++] = (member_pos){ustart, cstart};
}

/* Forgets what the damaged member (the last one) produced, so that the
 * parser sees the good members' bytes, then the damage. */
static void drop_member_output(wt_warc_reader *r) {
    uint64_t ustart = r->members[r->n_members - 1].ustart;
    if (ustart >= r->ubase + r->pos && ustart <= r->ubase + r->len)
        r->len = (size_t)(ustart - r->ubase);
    else if (ustart < r->ubase + r->pos)
        r->len = r->pos; /* the parser already read some of it */
}

/* Decompresses into buf[len..OUT_CAP). Returns bytes produced (0 at end or
 * on damage, which sets src_damaged), -1 on an I/O error. */
static ssize_t gz_produce(wt_warc_reader *r, wt_error *err) {
    for (;;) {
        if (!r->member_active) {
            WT_TRY(in_ensure(r, 3, err));
            if (r->zs.avail_in == 0) return 0;
            unsigned char *p = r->zs.next_in;
            if (r->zs.avail_in < 3 || p[0] != 0x1f || p[1] != 0x8b || p[2] != 0x08) {
                /* zero padding after the last member is common; skip it quietly */
                size_t z = 0;
                while (z < r->zs.avail_in && p[z] == 0) z++;
                if (z == r->zs.avail_in && r->src_eof) {
                    r->zs.next_in += z;
                    r->zs.avail_in = 0;
                    return 0;
                }
                set_damage(r, "bytes that are not a gzip member at byte %llu%s", in_pos(r), NULL);
                if (r->zs.avail_in) r->zs.next_in++, r->zs.avail_in--;
                WT_TRY(gz_seek_header(r, err));
                return 0;
            }
            if (inflateReset2(&r->zs, 31) != Z_OK)
                return wt_fail(err, "%s: inflate reset", r->path);
            note_member(r, r->ubase + r->len, in_pos(r));
            r->member_active = true;
        }
        if (r->zs.avail_in == 0) {
            WT_TRY(in_ensure(r, 1, err));
            if (r->zs.avail_in == 0) {
                uint64_t start = r->members[r->n_members - 1].cstart;
                set_damage(r, "truncated gzip member at byte %llu%s", start, NULL);
                r->member_active = false;
                drop_member_output(r);
                return 0;
            }
        }
        r->zs.next_out = r->buf + r->len;
        r->zs.avail_out = (uInt)(OUT_CAP - r->len);
        int ret = inflate(&r->zs, Z_NO_FLUSH);
        size_t produced = (size_t)(OUT_CAP - r->len) - r->zs.avail_out;
        r->len += produced;
        if (ret == Z_STREAM_END) {
            r->member_active = false;
            r->stats.gzip_members++;
        } else if (ret == Z_DATA_ERROR || ret == Z_NEED_DICT) {
            uint64_t start = r->members[r->n_members - 1].cstart;
            char why[128];
            snprintf(why, sizeof why, " (%s)", r->zs.msg ? r->zs.msg : "bad data");
            set_damage(r, "corrupt gzip member at byte %llu%s", start, why);
            r->member_active = false;
            drop_member_output(r);
            WT_TRY(gz_seek_header(r, err));
            return 0;
        } else if (ret == Z_MEM_ERROR) {
            return wt_fail(err, "%s: out of memory inflating", r->path);
        }
        if (produced) return (ssize_t)produced;
    }
}

/* Refills the decompressed window, keeping unread bytes. Returns bytes now
 * available, 0 at the end or on damage (src_damaged), -1 on error. */
static ssize_t src_fill(wt_warc_reader *r, wt_error *err) {
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, r->len - r->pos);
        r->ubase += r->pos;
        r->len -= r->pos;
        r->pos = 0;
    }
    if (r->src_damaged || r->src_fatal || r->len == OUT_CAP) return (ssize_t)r->len;
    ssize_t got;
    if (r->gzip) {
        got = gz_produce(r, err);
    } else {
        wt_error e;
        got = wt_reader_read(r->rd, r->buf + r->len, OUT_CAP - r->len, &e);
        if (got < 0) {
            snprintf(r->damage, sizeof r->damage, "%s", e.msg);
            r->src_damaged = r->src_fatal = true;
            got = 0;
        }
        r->len += (size_t)got;
    }
    if (got < 0) return -1;
    r->stats.bytes += (uint64_t)got;
    return (ssize_t)(r->len - r->pos);
}

/* ---- buffered parsing helpers --------------------------------------------- */

/* Reads one line (without "\r\n") into r->line. Returns its length, -2 at
 * the end, -3 on source damage, -1 on error. Overlong lines are cut. */
static ssize_t read_line(wt_warc_reader *r, wt_error *err) {
    size_t n = 0;
    for (;;) {
        if (r->pos == r->len) {
            ssize_t got = src_fill(r, err);
            if (got < 0) return -1;
            if (got == 0 && r->src_damaged) return -3;
            if (got == 0) return n ? (ssize_t)n : -2;
        }
        unsigned char *s = r->buf + r->pos;
        size_t avail = r->len - r->pos;
        unsigned char *nl = memchr(s, '\n', avail);
        size_t take = nl ? (size_t)(nl - s) : avail;
        size_t keep = take < MAX_LINE - n ? take : MAX_LINE - n;
        memcpy(r->line + n, s, keep);
        n += keep;
        r->pos += take + (nl ? 1 : 0);
        if (nl) break;
    }
    if (n && r->line[n - 1] == '\r') n--;
    r->line[n] = 0;
    return (ssize_t)n;
}

/* Reads n block bytes, keeping the first `keep` in r->block. Returns bytes
 * read (< n at the end), -3 on damage, -1 on error. */
static int64_t read_block(wt_warc_reader *r, uint64_t n, size_t keep, wt_error *err) {
    uint64_t done = 0;
    while (done < n) {
        if (r->pos == r->len) {
            ssize_t got = src_fill(r, err);
            if (got < 0) return -1;
            if (got == 0 && r->src_damaged) return -3;
            if (got == 0) break;
        }
        size_t avail = r->len - r->pos;
        size_t take = (uint64_t)avail < n - done ? avail : (size_t)(n - done);
        if (done < keep) {
            size_t k = take < keep - done ? take : keep - (size_t)done;
            memcpy(r->block + done, r->buf + r->pos, k);
        }
        r->pos += take;
        done += take;
    }
    return (int64_t)done;
}

/* Peeks at the next byte without consuming it: the byte, -2 at end, -3 damage. */
static int peek_byte(wt_warc_reader *r, wt_error *err) {
    if (r->pos == r->len) {
        ssize_t got = src_fill(r, err);
        if (got < 0) return -1;
        if (got == 0 && r->src_damaged) return -3;
        if (got == 0) return -2;
    }
    return r->buf[r->pos];
}

/* ---- records -------------------------------------------------------------- */

static uint64_t record_offset(wt_warc_reader *r, uint64_t ustart) {
    if (!r->gzip) return ustart;
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < r->n_members; i++)
        if (r->members[i].ustart <= ustart) best = i;
    if (best == SIZE_MAX) return 0;
    uint64_t off = r->members[best].cstart;
    /* members before `best` can no longer hold a record start */
    memmove(r->members, r->members + best, sizeof(member_pos) * (r->n_members - best));
    r->n_members -= best;
    return off;
}

static int vals_add(wt_warc_reader *r, const char *s, size_t n, size_t *at, wt_error *err) {
    if (r->vals_len + n + 1 > r->vals_cap) {
        size_t cap = (r->vals_len + n + 1) * 2;
        char *v = realloc(r->vals, cap);
        if (!v) return wt_fail(err, "out of memory");
        r->vals = v;
        r->vals_cap = cap;
    }
    *at = r->vals_len;
    memcpy(r->vals + r->vals_len, s, n);
    r->vals[r->vals_len + n] = 0;
    r->vals_len += n + 1;
    return 0;
}

bool wt_header_get(const char *headers, size_t len, const char *name, char *out, size_t out_n) {
    if (!headers || len == 0) { /* an empty block: no header (and no NULL arithmetic) */
        if (out_n) out[0] = '\0';
        return false;
    }
    size_t nl = strlen(name);
    const char *p = headers, *end = headers + len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *le = eol ? eol : end;
        if ((size_t)(le - p) > nl && p[nl] == ':' && strncasecmp(p, name, nl) == 0) {
            const char *v = p + nl + 1, *ve = le;
            while (v < ve && (*v == ' ' || *v == '\t')) v++;
            while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t')) ve--;
            size_t n = (size_t)(ve - v);
            if (out_n) {
                if (n > out_n - 1) n = out_n - 1;
                memcpy(out, v, n);
                out[n] = 0;
            }
            return true;
        }
        p = le + 1;
    }
    return false;
}

/* Value of field `name` in the header block as a stored string ("" if absent). */
static int field(wt_warc_reader *r, const char *name, size_t *at, wt_error *err) {
    const char *p = r->hdr, *end = r->hdr + r->hdr_len;
    size_t nl = strlen(name);
    while (p < end) {
        const char *le = memchr(p, '\n', (size_t)(end - p));
        if (!le) le = end;
        if ((size_t)(le - p) > nl && p[nl] == ':' && strncasecmp(p, name, nl) == 0) {
            const char *v = p + nl + 1, *ve = le;
            while (v < ve && (*v == ' ' || *v == '\t')) v++;
            while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t')) ve--;
            if (ve - v >= 2 && *v == '<' && ve[-1] == '>' && strcmp(name, "WARC-Target-URI") == 0)
                v++, ve--;
            return vals_add(r, v, (size_t)(ve - v), at, err);
        }
        p = le + 1;
    }
    return vals_add(r, "", 0, at, err);
}

static int damage_return(wt_warc_reader *r) {
    r->stats.bad++;
    r->record_no++;
    return 2;
}

/* Called when the source signalled damage: report it; the current record
 * is lost and scanning resumes at the next "WARC/" line. */
static int source_damage(wt_warc_reader *r) {
    r->src_damaged = false;
    r->pos = r->len; /* drop the partial record */
    r->resyncing = true;
    r->stats.resyncs++;
    if (r->src_fatal) r->at_eof_after_damage = true;
    return damage_return(r);
}

int wt_warc_next(wt_warc_reader *r, wt_warc_rec *rec, wt_error *err) {
    if (r->at_eof_after_damage) return 0;
    ssize_t n;
    uint64_t ustart;
    /* find the version line, skipping blank lines (and garbage when resyncing) */
    for (;;) {
        ustart = r->ubase + r->pos;
        n = read_line(r, err);
        if (n == -1) return -1;
        if (n == -3) return source_damage(r);
        if (n == -2) return 0;
        if (n >= 6 && memcmp(r->line, "WARC/", 5) == 0 && isdigit((unsigned char)r->line[5])) break;
        if (n == 0) continue;
        if (!r->resyncing) {
            snprintf(r->damage, sizeof r->damage,
                     "expected a WARC record header at byte %llu (wrong Content-Length "
                     "or garbage); skipping to the next record",
                     (unsigned long long)record_offset(r, ustart));
            r->resyncing = true;
            r->stats.resyncs++;
            return damage_return(r);
        }
    }
    r->resyncing = false;
    r->vals_len = 0;
    size_t at_version;
    WT_TRY(vals_add(r, r->line, (size_t)n, &at_version, err));
    /* named fields up to the blank line */
    r->hdr_len = 0;
    for (;;) {
        n = read_line(r, err);
        if (n == -1) return -1;
        if (n == -3) return source_damage(r);
        if (n == -2) {
            snprintf(r->damage, sizeof r->damage, "truncated WARC header at byte %llu",
                     (unsigned long long)record_offset(r, ustart));
            r->at_eof_after_damage = true;
            return damage_return(r);
        }
        if (n == 0) break;
        if (r->hdr_len + (size_t)n + 2 > MAX_HEADER) continue; /* absurd header: drop the excess */
        if (r->hdr_len + (size_t)n + 2 > r->hdr_cap) {
            size_t cap = (r->hdr_len + (size_t)n + 2) * 2;
            char *h = realloc(r->hdr, cap);
            if (!h) return wt_fail(err, "out of memory");
            r->hdr = h;
            r->hdr_cap = cap;
        }
        memcpy(r->hdr + r->hdr_len, r->line, (size_t)n);
        r->hdr_len += (size_t)n;
        r->hdr[r->hdr_len++] = '\n';
    }
    uint64_t offset = record_offset(r, ustart);
    char clbuf[32];
    if (!wt_header_get(r->hdr, r->hdr_len, "Content-Length", clbuf, sizeof clbuf) ||
        !isdigit((unsigned char)clbuf[0])) {
        snprintf(r->damage, sizeof r->damage,
                 "WARC record at byte %llu has no valid Content-Length",
                 (unsigned long long)offset);
        r->resyncing = true;
        r->stats.resyncs++;
        return damage_return(r);
    }
    uint64_t cl = strtoull(clbuf, NULL, 10);
    size_t keep = cl < r->max_block ? (size_t)cl : r->max_block;
    if (keep + 1 > r->block_cap) {
        size_t cap = keep + 1 > r->block_cap * 2 ? keep + 1 : r->block_cap * 2;
        unsigned char *b = realloc(r->block, cap);
        if (!b) return wt_fail(err, "out of memory");
        r->block = b;
        r->block_cap = cap;
    }
    int64_t got = read_block(r, cl, keep, err);
    if (got == -1) return -1;
    if (got == -3) return source_damage(r);
    if ((uint64_t)got < cl) {
        snprintf(r->damage, sizeof r->damage,
                 "truncated WARC record at byte %llu (%lld of %llu block bytes)",
                 (unsigned long long)offset, (long long)got, (unsigned long long)cl);
        r->at_eof_after_damage = true;
        return damage_return(r);
    }
    r->block[keep] = 0;
    /* the block is followed by CRLF CRLF; anything else means a wrong length.
     * Damage just after a complete record is left for the next call. */
    int crlf = 0, c = 0;
    while (crlf < 4) {
        c = peek_byte(r, err);
        if (c == -1) return -1;
        if (c == -2 || c == -3 || (c != '\r' && c != '\n')) break;
        r->pos++;
        crlf++;
    }
    if (crlf < 2 && c != -2 && c != -3) {
        snprintf(r->damage, sizeof r->damage,
                 "WARC record at byte %llu is not followed by CRLF CRLF (wrong Content-Length?)",
                 (unsigned long long)offset);
        r->resyncing = true;
        r->stats.resyncs++;
        return damage_return(r);
    }
    size_t f[9];
    const char *names[9] = {"WARC-Type",    "WARC-Record-ID", "WARC-Target-URI",
                            "WARC-Date",    "WARC-Refers-To", "WARC-Concurrent-To",
                            "Content-Type", "WARC-Truncated", NULL};
    for (int i = 0; names[i]; i++) WT_TRY(field(r, names[i], &f[i], err));
    memset(rec, 0, sizeof *rec);
    rec->version = r->vals + at_version;
    rec->type = r->vals + f[0];
    rec->record_id = r->vals + f[1];
    rec->target_uri = r->vals + f[2];
    rec->date = r->vals + f[3];
    rec->refers_to = r->vals + f[4];
    rec->concurrent_to = r->vals + f[5];
    rec->content_type = r->vals + f[6];
    rec->truncated = r->vals + f[7];
    rec->content_length = cl;
    rec->offset = offset;
    rec->block = r->block;
    rec->block_len = keep;
    rec->block_cut = keep < cl;
    r->stats.records++;
    r->record_no++;
    return 1;
}

wt_warc_reader *wt_warc_open(const char *path, size_t max_block, wt_error *err) {
    wt_warc_reader *r = calloc(1, sizeof *r);
    if (!r) return wt_fail(err, "out of memory"), NULL;
    r->path = strdup(path);
    r->max_block = max_block ? max_block : (size_t)64 << 20;
    r->buf = malloc(OUT_CAP);
    if (!r->path || !r->buf) goto oom;
    bool is_gzip = false;
    if (strcmp(path, "-") != 0) {
        r->f = fopen(path, "rb");
        if (!r->f) {
            wt_fail_errno(err, "%s: cannot open", path);
            wt_warc_close(r);
            return NULL;
        }
        unsigned char m[2] = {0, 0};
        is_gzip = fread(m, 1, 2, r->f) == 2 && m[0] == 0x1f && m[1] == 0x8b;
        rewind(r->f);
    }
    if (is_gzip) {
        r->gzip = true;
        r->in = malloc(IN_CAP);
        if (!r->in) goto oom;
        if (inflateInit2(&r->zs, 31) != Z_OK) goto oom;
        r->zs_init = true;
        r->zs.next_in = r->in;
        r->zs.avail_in = 0;
    } else {
        if (r->f) fclose(r->f), r->f = NULL;
        r->rd = wt_reader_open(path, err);
        if (!r->rd) {
            wt_warc_close(r);
            return NULL;
        }
    }
    return r;
oom:
    wt_fail(err, "out of memory");
    wt_warc_close(r);
    return NULL;
}

const char *wt_warc_damage(const wt_warc_reader *r) {
    return r->damage;
}
uint64_t wt_warc_record_no(const wt_warc_reader *r) {
    return r->record_no;
}
const wt_warc_stats *wt_warc_get_stats(const wt_warc_reader *r) {
    return &r->stats;
}
uint64_t wt_warc_raw_offset(const wt_warc_reader *r) {
    if (r->gzip) return in_pos(r);
    return r->rd ? wt_reader_raw_offset(r->rd) : 0;
}
uint64_t wt_warc_raw_size(const wt_warc_reader *r) {
    if (r->rd) return wt_reader_raw_size(r->rd);
    struct stat st;
    if (r->f && fstat(fileno(r->f), &st) == 0) return (uint64_t)st.st_size;
    return 0;
}

void wt_warc_close(wt_warc_reader *r) {
    if (!r) return;
    if (r->zs_init) inflateEnd(&r->zs);
    if (r->f) fclose(r->f);
    if (r->rd) wt_reader_close(r->rd);
    free(r->in);
    free(r->buf);
    free(r->hdr);
    free(r->vals);
    free(r->block);
    free(r->path);
    free(r);
}
