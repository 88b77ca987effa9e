/* The token shard writer: llm.c's layout (a 256 x int32 little-endian header
 * with magic 20240520, version 1 and the token count, then uint16 ids, every
 * document preceded by <|endoftext|>), zstd-compressed, and its index sidecar
 * (JSON Lines, one document per line). Memory stays bounded: the ids stream
 * into a compressed body file and the header frame is prepended at the end. */
#ifndef TOK_SHARD_H
#define TOK_SHARD_H

#include <stdint.h>

#include "error.h"

#define TOK_SHARD_MAGIC 20240520
#define TOK_SHARD_VERSION 1
#define TOK_SHARD_HEADER_INTS 256

/* Fills the 1024-byte header (little-endian int32s) for ntokens tokens. */
void tok_shard_header(uint8_t hdr[TOK_SHARD_HEADER_INTS * 4], uint32_t ntokens);

typedef struct tok_shard_writer tok_shard_writer;

/* Starts BIN (tokens-NNNNN.bin.zst) and IDX (tokens-NNNNN.idx); nothing
 * appears under either name before tok_shard_commit. level: zstd level. */
tok_shard_writer *tok_shard_open(const char *bin_path, const char *idx_path, int level,
                                 wt_error *err);
/* Appends one document: <|endoftext|> (eot) then ids, and its index line
 * {"id": doc_id or null, "line": line, "start": S, "ntokens": n}. */
int tok_shard_add(tok_shard_writer *w, const char *doc_id, uint64_t line, uint32_t eot,
                  const uint32_t *ids, size_t n, wt_error *err);
uint64_t tok_shard_tokens(const tok_shard_writer *w); /* tokens so far, eot included */
/* Writes the header and renames both files into place. Frees w. */
int tok_shard_commit(tok_shard_writer *w, wt_error *err);
/* Removes the temporary files. Frees w. */
void tok_shard_abort(tok_shard_writer *w);

#endif
