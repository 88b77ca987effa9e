/* The subcommands of bin/extract (each in its own file). */
#ifndef EX_CMDS_H
#define EX_CMDS_H

int ex_cmd_warc(int argc, char **argv);  /* cmd_warc.c: WARC files to documents */
int ex_cmd_html(int argc, char **argv);  /* main.c: one HTML page to its text */
int ex_cmd_score(int argc, char **argv); /* cmd_score.c: the benchmark metric */
int ex_cmd_speed(int argc, char **argv); /* cmd_score.c: pages per second */

#endif
