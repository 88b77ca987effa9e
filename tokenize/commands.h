/* The subcommands of bin/tokenize (each returns the exit code). Private to
 * the binary. */
#ifndef TOK_COMMANDS_H
#define TOK_COMMANDS_H

int tokenize_cmd_encode(int argc, char **argv);
int tokenize_cmd_decode(int argc, char **argv);
int tokenize_cmd_shards(int argc, char **argv);

#endif
