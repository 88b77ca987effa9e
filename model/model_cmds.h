/* Private to bin/model: one function per subcommand (argv[0] is its name),
 * returning the exit code (0 ok, 1 failure, 2 usage). */
#ifndef WT_MODEL_CMDS_H
#define WT_MODEL_CMDS_H

/* The --model row's help, the same in every subcommand. */
#define MODEL_OPT_HELP                                                                             \
    "Hugging Face GPT-2 folder, or a name fetched by\n"                                            \
    "pipelines/get-model.sh (gpt2, gpt2-medium, gpt2-large, gpt2-xl) (required)"

int model_cmd_info(int argc, char **argv);
int model_cmd_logprobs(int argc, char **argv);
int model_cmd_generate(int argc, char **argv);
int model_cmd_init(int argc, char **argv);
int model_cmd_next(int argc, char **argv);

#endif
