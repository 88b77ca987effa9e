/* Exclusion lists (see urls_filters.h): a sorted array of strings searched
 * with bsearch; a host is checked label by label from the full host to its
 * last two labels, an extension by trying every suffix that starts at a '.'. */
#include "crawl/urls_filters.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "stream.h"

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_push(crawl_list *l, const char *s, size_t n, size_t *cap, wt_error *err) {
    if (l->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        char **p = realloc(l->items, nc * sizeof *p);
        if (!p) return wt_fail(err, "out of memory");
        l->items = p;
        *cap = nc;
    }
    char *e = strndup(s, n);
    if (!e) return wt_fail(err, "out of memory");
    l->items[l->n++] = e;
    return 0;
}

/* Splits text into entries (trimmed, comments removed), normalises each with
 * `domains` rules or extension rules, sorts and removes duplicates. */
static int list_parse(crawl_list *l, const char *text, bool domains, const char *what,
                      wt_error *err) {
    memset(l, 0, sizeof *l);
    size_t cap = 0;
    int lineno = 0;
    for (const char *p = text; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        const char *next = e ? e + 1 : p + n;
        lineno++;
        const char *hash = memchr(p, '#', n);
        if (hash) n = (size_t)(hash - p);
        while (n > 0 && isspace((unsigned char)*p)) p++, n--;
        while (n > 0 && isspace((unsigned char)p[n - 1])) n--;
        if (n > 0) {
            char buf[512];
            if (n >= sizeof buf - 1 || memchr(p, ' ', n) || memchr(p, '\t', n)) {
                crawl_list_free(l);
                return wt_fail(err, "%s: line %d: not a single entry of at most 500 bytes", what,
                               lineno);
            }
            size_t m = 0;
            if (!domains && p[0] != '.') buf[m++] = '.';
            for (size_t i = 0; i < n; i++) buf[m++] = (char)tolower((unsigned char)p[i]);
            char *s = buf;
            if (domains) {
                if (m >= 2 && s[0] == '*' && s[1] == '.') s += 2, m -= 2;
                while (m > 0 && s[0] == '.') s++, m--;
                while (m > 0 && s[m - 1] == '.') m--;
            }
            if (m > 0 && list_push(l, s, m, &cap, err) < 0) {
                crawl_list_free(l);
                return -1;
            }
        }
        p = next;
    }
    if (l->n) qsort(l->items, l->n, sizeof *l->items, cmp_str);
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (k > 0 && !strcmp(l->items[k - 1], l->items[i]))
            free(l->items[i]);
        else
            l->items[k++] = l->items[i];
    }
    l->n = k;
    return 0;
}

int crawl_list_parse_domains(crawl_list *l, const char *text, const char *what, wt_error *err) {
    return list_parse(l, text, true, what, err);
}

int crawl_list_parse_extensions(crawl_list *l, const char *text, const char *what, wt_error *err) {
    return list_parse(l, text, false, what, err);
}

int crawl_list_load(crawl_list *l, const char *path, bool domains, wt_error *err) {
    char *text;
    size_t n;
    WT_TRY(wt_read_file(path, &text, &n, 64u << 20, err));
    if (memchr(text, '\0', n)) {
        free(text);
        return wt_fail(err, "%s: not a text list (NUL byte)", path);
    }
    int rc = list_parse(l, text, domains, path, err);
    free(text);
    return rc;
}

void crawl_list_free(crawl_list *l) {
    for (size_t i = 0; i < l->n; i++) free(l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

static bool list_has(const crawl_list *l, const char *s) {
    return l->n && bsearch(&s, l->items, l->n, sizeof *l->items, cmp_str) != NULL;
}

bool crawl_list_match_host(const crawl_list *l, const char *host) {
    for (const char *s = host; s && *s; s = strchr(s, '.'), s = s ? s + 1 : NULL)
        if (list_has(l, s)) return true;
    return false;
}

bool crawl_list_match_path(const crawl_list *l, const char *path, size_t len) {
    char buf[2049];
    if (len >= sizeof buf) len = sizeof buf - 1;
    for (size_t i = 0; i < len; i++) buf[i] = (char)tolower((unsigned char)path[i]);
    buf[len] = '\0';
    const char *slash = strrchr(buf, '/');
    for (const char *d = slash ? slash : buf; (d = strchr(d, '.')) != NULL; d++)
        if (list_has(l, d)) return true;
    return false;
}
