/* Pending regression (not run by `make test` until lib/warc_read.c is fixed):
 * wt_header_get on an empty header block given as (NULL, 0) -- what an empty
 * WARC record block is -- computes NULL + 0 at lib/warc_read.c:310, which UBSan
 * reports ("applying zero offset to null pointer"). Found by fuzz_warc.
 * Build and run: cc -fsanitize=undefined -I lib tests/faults/pending/warc_header_null.c \
 *   build-san/libwebtext.a $(pkg-config --libs zlib libzstd liblzma jansson) -lbz2 && ./a.out */
#include <stdio.h>

#include "warc_read.h"

int main(void) {
    char v[16];
    return wt_header_get(NULL, 0, "content-type", v, sizeof v) ? 1 : 0;
}
