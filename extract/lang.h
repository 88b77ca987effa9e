/* Language identification with libexttextcat (the TextCat n-gram method,
 * Debian's C library; fingerprints from /usr/share/libexttextcat). One
 * handle per thread: handles are not shared. */
#ifndef EX_LANG_H
#define EX_LANG_H

#include <stddef.h>

#include "error.h"

typedef struct ex_lang ex_lang;

/* Loads the fingerprints (dir NULL: the Debian location). */
ex_lang *ex_lang_open(const char *dir, wt_error *err);
/* Writes the ISO 639 code of the text's language ("en", "de", ...) to out,
 * or "und" when the text is too short or no language fits. Looks at the
 * first few KiB only. */
void ex_lang_identify(ex_lang *l, const char *text, size_t len, char *out, size_t out_n);
void ex_lang_close(ex_lang *l);

#endif
