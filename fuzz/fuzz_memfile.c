/* In-memory files for fuzz targets (see fuzz_memfile.h). One at a time:
 * libFuzzer calls a target from a single thread. */
#include "fuzz/fuzz_memfile.h"

#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

static int memfile_fd = -1;
static char memfile_path[64];

const char *memfile_open(const uint8_t *data, size_t size) {
    memfile_close();
    memfile_fd = memfd_create("fuzz", MFD_CLOEXEC);
    if (memfile_fd < 0) return NULL;
    size_t off = 0;
    while (off < size) {
        ssize_t k = write(memfile_fd, data + off, size - off);
        if (k <= 0) return NULL;
        off += (size_t)k;
    }
    snprintf(memfile_path, sizeof memfile_path, "/proc/self/fd/%d", memfile_fd);
    return memfile_path;
}

void memfile_close(void) {
    if (memfile_fd >= 0) close(memfile_fd);
    memfile_fd = -1;
}
