/* Fuzz target: `crawl fetch`'s robots.txt parser and matcher. The input's
 * first line is a path to ask about, the rest the robots.txt; the answer
 * must not depend on how many times it is asked. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crawl/fetch_robots.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *txt = (const char *)data;
    const char *nl = memchr(txt, '\n', size);
    size_t plen = nl ? (size_t)(nl - txt) : (size < 64 ? size : 64);
    char *path = malloc(plen + 2);
    path[0] = '/';
    memcpy(path + 1, txt, plen);
    path[plen + 1] = '\0';
    fetch_robots *r = fetch_robots_parse(txt, size, "webtext");
    if (!r) abort();
    bool a = fetch_robots_allowed(r, path);
    if (fetch_robots_allowed(r, path) != a) abort();
    (void)fetch_robots_allowed(r, "/");
    (void)fetch_robots_allowed(r, "");
    (void)fetch_robots_rules(r);
    fetch_robots_free(r);
    char tok[32];
    fetch_robots_token(path, tok, sizeof tok);
    if (strlen(tok) >= sizeof tok) abort();
    free(path);
    return 0;
}
