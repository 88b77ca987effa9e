/* OpenBLAS kernel selection: Debian's OpenBLAS 0.3.21 may choose an SSE3 or
 * AVX2 kernel on an AVX-512 CPU; OPENBLAS_CORETYPE is read only when the
 * library loads, so picking the faster kernel means re-executing ourselves. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gpt2.h"

/* OpenBLAS extensions (declared in its cblas.h, repeated here to keep this
 * file independent of which cblas.h is found). */
char *openblas_get_corename(void);
void openblas_set_num_threads(int n);

static int cpu_has_avx512(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl");
#else
    return 0;
#endif
}

/* Kernels of this OpenBLAS release that use AVX-512. */
static int core_is_avx512(const char *core) {
    static const char *const names[] = {"skylakex", "cooperlake", "sapphirerapids"};
    char low[64];
    size_t i = 0;
    for (; core[i] && i + 1 < sizeof low; i++) low[i] = (char)tolower((unsigned char)core[i]);
    low[i] = 0;
    for (size_t k = 0; k < sizeof names / sizeof *names; k++)
        if (strcmp(low, names[k]) == 0) return 1;
    return 0;
}

void gpt2_blas_autoselect(char **argv) {
    if (getenv("OPENBLAS_CORETYPE") || !cpu_has_avx512()) return;
    /* WEBTEXT_BLAS_PRETEND_SLOW=1 (tests only) exercises the re-exec on a
     * machine whose OpenBLAS already picked an AVX-512 kernel. */
    if (core_is_avx512(openblas_get_corename()) && !getenv("WEBTEXT_BLAS_PRETEND_SLOW")) return;
    if (getenv("WEBTEXT_BLAS_REEXEC")) return; /* already tried once */
    setenv("OPENBLAS_CORETYPE", "SkylakeX", 1);
    setenv("WEBTEXT_BLAS_REEXEC", "1", 1);
    execv("/proc/self/exe", argv);
    unsetenv("OPENBLAS_CORETYPE"); /* exec failed: go on with the slower kernel */
}

const char *gpt2_blas_core(void) {
    return openblas_get_corename();
}

const char *gpt2_blas_advice(void) {
    if (!cpu_has_avx512() || core_is_avx512(openblas_get_corename())) return NULL;
    if (getenv("OPENBLAS_CORETYPE"))
        return "this CPU has AVX-512 but OPENBLAS_CORETYPE selects a kernel without it; "
               "unset it (or set OPENBLAS_CORETYPE=SkylakeX) for about twice the speed";
    return "this CPU has AVX-512 but OpenBLAS chose a kernel without it; "
           "set OPENBLAS_CORETYPE=SkylakeX for about twice the speed";
}

void gpt2_blas_threads(int n) {
    if (n <= 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        n = c > 0 ? (int)c : 1;
    }
    openblas_set_num_threads(n);
}
