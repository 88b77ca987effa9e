/* crawl/commands.h: entry points of the `bin/crawl` subcommands, dispatched by
 * crawl/main.c. Each takes the argv after the subcommand name (argv[0] is the
 * subcommand) and returns the process exit status (0 ok, 1 failure, 2 usage). */
#ifndef CRAWL_COMMANDS_H
#define CRAWL_COMMANDS_H

/* `crawl urls DUMP... -o DIR`: link posts → deduplicated URL shards (crawl/urls_main.c). */
int crawl_urls_main(int argc, char **argv);

/* `crawl fetch`: download the URL shards into WARC files (crawl/fetch_main.c). */
int crawl_fetch_main(int argc, char **argv);

/* `crawl cc-lookup`: URL lists -> their captures in a Common Crawl zipnum index
 * (crawl/cclookup_main.c). */
int crawl_cclookup_main(int argc, char **argv);

#endif
