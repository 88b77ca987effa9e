/* Fuzz helper: puts the fuzzer's bytes in an anonymous in-memory file and
 * gives a path to it, for parsers that open files by name. */
#ifndef FUZZ_MEMFILE_H
#define FUZZ_MEMFILE_H

#include <stddef.h>
#include <stdint.h>

/* Returns a path like /proc/self/fd/N (valid until memfile_close), or NULL. */
const char *memfile_open(const uint8_t *data, size_t size);
void memfile_close(void);

#endif
