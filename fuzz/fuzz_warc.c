/* Fuzz target: the WARC reader on arbitrary bytes (plain, gzip or zstd, as
 * the magic says) with a small block cap: every record's fields stay inside
 * their limits and damage is reported, never fatal. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz_memfile.h"
#include "warc_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *path = memfile_open(data, size);
    if (!path) return 0;
    wt_error err;
    wt_warc_reader *r = wt_warc_open(path, 4096, &err);
    if (r) {
        wt_warc_rec rec;
        int rc;
        uint64_t guard = 0;
        while ((rc = wt_warc_next(r, &rec, &err)) > 0) {
            if (rc == 1) {
                if (rec.block_len > 4096 || (rec.block_len && !rec.block)) abort();
                if (!rec.type || !rec.target_uri || !rec.date || !rec.content_type) abort();
                if (rec.block_len > rec.content_length) abort();
                char v[64];
                /* an empty block may be NULL, and wt_header_get(NULL, 0) does
                 * NULL + 0 (UB; tests/faults/pending/warc_header_null.c) */
                if (rec.block_len) {
                    (void)wt_header_get((const char *)rec.block, rec.block_len, "content-type", v,
                                        sizeof v);
                    (void)((volatile const unsigned char *)rec.block)[rec.block_len - 1];
                }
            } else if (!wt_warc_damage(r)) {
                abort();
            }
            if (++guard > (1u << 20)) __builtin_trap(); /* each call must consume input */
        }
        wt_warc_close(r);
    }
    memfile_close();
    return 0;
}
