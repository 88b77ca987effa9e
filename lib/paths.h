/* Where webtext keeps what it installs for a user: one rule, used by the
 * binaries (the C side) and mirrored by scripts/get_data.py and tests/run.sh. */
#ifndef WT_PATHS_H
#define WT_PATHS_H

#include <stddef.h>

/* The data folder that `make data` fills: $WEBTEXT_DATA if set, else
 * ${XDG_DATA_HOME:-$HOME/.local/share}/webtext/data. */
void wt_data_dir(char *buf, size_t n);

#endif
