/* What every unit-test binary shares (linked into each): temporary folders,
 * the data folder, and skips that say why and what would make them run. */
#ifndef WT_TESTUTIL_H
#define WT_TESTUTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

/* A fresh folder under /tmp (fails the test when it cannot be made). */
char *tu_tmpdir(void);
/* Removes it with everything inside, and frees the name. */
void tu_rmdir(char *dir);

/* Prints "SKIP: <reason> (run: <command>)", the line tests/run.sh lists. */
void tu_skip_reason(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Skips the current test, saying why. */
#define TU_SKIP(command, ...)                                                                      \
    do {                                                                                           \
        tu_skip_reason(command, __VA_ARGS__);                                                      \
        skip();                                                                                    \
    } while (0)

/* The path of `rel` in the data folder (lib/paths.h); false when it is absent. */
bool tu_data_file(const char *rel, char *buf, size_t n);
/* The same, skipping the current test (naming `make data`) when it is absent. */
#define TU_NEED_DATA(rel, buf, n)                                                                  \
    do {                                                                                           \
        if (!tu_data_file(rel, buf, n))                                                            \
            TU_SKIP("make data", "no %s in the data folder (%s)", rel, buf);                       \
    } while (0)

#endif
