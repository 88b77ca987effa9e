/* Fuzz target: arbitrary bytes as a (possibly compressed) input stream, read
 * line by line with a small line limit, as every stage reads its inputs. */
#include <stdint.h>

#include "fuzz/fuzz_memfile.h"
#include "jsonl.h"
#include "stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *path = memfile_open(data, size);
    if (!path) return 0;
    wt_error err;
    wt_reader *r = wt_reader_open(path, &err);
    if (r) {
        wt_reader_set_max_line(r, 4096);
        wt_badrec bad = {.stage = "fuzz", .max_print = 0};
        bad.max_print = 1;
        json_t *o;
        int rc;
        uint64_t guard = 0;
        /* each call consumes input, so this ends; the guard catches a loop bug */
        while ((rc = wt_jsonl_next(r, &bad, &o, &err)) == 1) {
            json_decref(o);
            if (++guard > (1u << 24)) __builtin_trap();
        }
        wt_reader_close(r);
    }
    memfile_close();
    return 0;
}
