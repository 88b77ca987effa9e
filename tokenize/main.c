/* bin/tokenize: GPT-2 BPE from the command line. `encode` and `decode` turn
 * text into ids and back; `shards` turns document shards into llm.c token
 * shards with a document index. */
#include <jansson.h>

#include "cli.h"
#include "tokenize/commands.h"

int main(int argc, char **argv) {
    json_object_seed(0); /* before any thread parses JSON */
    static const wt_command cmds[] = {
        {"encode", tokenize_cmd_encode, "UTF-8 text on stdin -> token ids on stdout"},
        {"decode", tokenize_cmd_decode, "token ids on stdin -> text on stdout"},
        {"shards", tokenize_cmd_shards, "docs-NNNNN.jsonl.zst -> tokens-NNNNN.bin.zst + .idx"},
        {NULL, NULL, NULL},
    };
    return wt_dispatch("tokenize", "GPT-2 byte-level BPE (identical to OpenAI's encoder)", cmds,
                       argc, argv);
}
