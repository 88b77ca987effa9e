/* See paths.h. */
#include "paths.h"

#include <stdio.h>
#include <stdlib.h>

void wt_data_dir(char *buf, size_t n) {
    const char *env = getenv("WEBTEXT_DATA");
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    if (env && *env)
        snprintf(buf, n, "%s", env);
    else if (xdg && *xdg)
        snprintf(buf, n, "%s/webtext/data", xdg);
    else
        snprintf(buf, n, "%s/.local/share/webtext/data", home && *home ? home : ".");
}
