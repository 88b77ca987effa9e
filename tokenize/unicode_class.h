/* Character classes of the GPT-2 pre-tokenizer regex: \p{L}, \p{N} and \s
 * (Unicode White_Space), per code point, from the generated Unicode 16.0
 * table (unicode_tables.c). Private to tokenize/. */
#ifndef TOK_UNICODE_CLASS_H
#define TOK_UNICODE_CLASS_H

#include <stdint.h>

enum { TOK_C_OTHER = 0, TOK_C_LETTER = 1, TOK_C_NUMBER = 2, TOK_C_SPACE = 3 };

extern const uint8_t tok_uclass_stage1[0x1100];
extern const uint8_t tok_uclass_stage2[][256];

/* Class of code point cp (< 0x110000). */
static inline int tok_uclass(uint32_t cp) {
    return tok_uclass_stage2[tok_uclass_stage1[cp >> 8]][cp & 0xff];
}

#endif
