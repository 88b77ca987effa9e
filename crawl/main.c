/* bin/crawl: the crawl stage. `urls` turns Pushshift dumps into the
 * deduplicated URL list, `fetch` downloads it into WARC files. */
#include "cli.h"
#include "crawl/commands.h"

int main(int argc, char **argv) {
    static const wt_command cmds[] = {
        {"urls", crawl_urls_main, "Pushshift dumps -> deduplicated URLs with >= 3 karma"},
        {"fetch", crawl_fetch_main, "URL shards -> WARC archives (live, Common Crawl, Wayback)"},
        {"cc-lookup", crawl_cclookup_main, "URL shards -> their captures in a Common Crawl index"},
        {0, 0, 0},
    };
    return wt_dispatch("crawl", "crawl: build the WebText URL list and fetch it", cmds, argc, argv);
}
