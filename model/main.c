/* bin/model: the GPT-2 inference core from the command line: `info` about a
 * checkpoint, per-token `logprobs` of token-id lines, top-k `generate`, and
 * `init` to write random Hugging Face checkpoints for tests and benchmarks. */
#include <stdio.h>

#include "cli.h"
#include "gpt2.h"
#include "model_cmds.h"

int main(int argc, char **argv) {
    gpt2_blas_autoselect(argv);
    static const wt_command cmds[] = {
        {"info", model_cmd_info, "print a checkpoint's config, size, dtype and the BLAS kernel"},
        {"logprobs", model_cmd_logprobs, "per-token log-probabilities of token-id lines"},
        {"generate", model_cmd_generate, "top-k sampling with the KV cache"},
        {"next", model_cmd_next, "the next-token log-probabilities after each id line (float32)"},
        {"init", model_cmd_init, "write a random (or zero) Hugging Face GPT-2 checkpoint"},
        {NULL, NULL, NULL},
    };
    return wt_dispatch("model", "the GPT-2 inference core", cmds, argc, argv);
}
