/* robots.txt parsing and matching (RFC 9309, see fetch_robots.h). Only the
 * rules of the applicable group are kept, so a cached host costs little. Paths
 * and patterns are compared after the same percent-encoding normalisation:
 * %XX of unreserved characters decoded, other %xx upper-cased, bytes outside
 * printable ASCII encoded. */
#include "crawl/fetch_robots.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct robots_rule {
    char *pattern; /* normalised, e.g. "/cgi-bin*.php$" */
    size_t len;
    bool allow;
} robots_rule;

struct fetch_robots {
    int mode; /* 0 rules, 1 allow all, 2 disallow all */
    robots_rule *rules;
    size_t n, cap;
};

enum { MODE_RULES, MODE_ALLOW_ALL, MODE_DISALLOW_ALL };

static bool unreserved(int c) {
    return isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Normalises n bytes of a path or pattern into a new string (see the top). */
static char *normalise(const char *s, size_t n, size_t *out_len) {
    char *out = malloc(3 * n + 1);
    if (!out) return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            int v = hexval(s[i + 1]) * 16 + hexval(s[i + 2]);
            if (unreserved(v)) {
                out[k++] = (char)v;
            } else {
                out[k++] = '%';
                out[k++] = (char)toupper((unsigned char)s[i + 1]);
                out[k++] = (char)toupper((unsigned char)s[i + 2]);
            }
            i += 2;
        } else if (c <= 0x20 || c >= 0x7f) {
            static const char hex[] = "0123456789ABCDEF";
            out[k++] = '%';
            out[k++] = hex[c >> 4];
            out[k++] = hex[c & 15];
        } else {
            out[k++] = (char)c;
        }
    }
    out[k] = '\0';
    *out_len = k;
    return out;
}

/* Does pattern p (with '*' wildcards, a final '$' anchoring the end) match
 * the start of s? Greedy matching with backtracking to the last '*': O(|p||s|). */
static bool pattern_match(const char *p, size_t pn, const char *s, size_t sn) {
    bool anchored = pn > 0 && p[pn - 1] == '$';
    if (anchored) pn--;
    size_t pi = 0, si = 0, star = SIZE_MAX, mark = 0;
    for (;;) {
        if (pi == pn && (!anchored || si == sn)) return true;
        if (si == sn) break;
        if (pi < pn && p[pi] == '*') {
            star = pi++;
            mark = si;
        } else if (pi < pn && p[pi] == s[si]) {
            pi++, si++;
        } else if (star != SIZE_MAX) {
            pi = star + 1;
            si = ++mark;
        } else {
            return false;
        }
    }
    while (pi < pn && p[pi] == '*') pi++;
    return pi == pn;
}

static fetch_robots *robots_new(int mode) {
    fetch_robots *r = calloc(1, sizeof *r);
    if (r) r->mode = mode;
    return r;
}

fetch_robots *fetch_robots_fixed(bool allow_all) {
    return robots_new(allow_all ? MODE_ALLOW_ALL : MODE_DISALLOW_ALL);
}

static int rules_add(fetch_robots *r, const char *v, size_t n, bool allow) {
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 8;
        robots_rule *p = realloc(r->rules, cap * sizeof *p);
        if (!p) return -1;
        r->rules = p, r->cap = cap;
    }
    robots_rule *rule = &r->rules[r->n];
    rule->pattern = normalise(v, n, &rule->len);
    if (!rule->pattern) return -1;
    rule->allow = allow;
    r->n++;
    return 0;
}

/* Trims spaces and tabs from both ends of [*s, *s+*n). */
static void trim(const char **s, size_t *n) {
    while (*n && (**s == ' ' || **s == '\t')) (*s)++, (*n)--;
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r')) (*n)--;
}

/* Does a user-agent line's value name `agent`? 1 exact token, 2 '*', 0 no. */
static int agent_match(const char *v, size_t n, const char *agent) {
    if (n == 1 && v[0] == '*') return 2;
    size_t k = 0;
    while (k < n && (isalpha((unsigned char)v[k]) || v[k] == '_' || v[k] == '-')) k++;
    return k > 0 && k == strlen(agent) && !strncasecmp(v, agent, k) ? 1 : 0;
}

/* Two passes over the groups: the first finds whether any group names our
 * token (then only those apply), the second collects the applicable rules. */
fetch_robots *fetch_robots_parse(const char *txt, size_t n, const char *agent) {
    fetch_robots *r = robots_new(MODE_RULES);
    if (!r) return NULL;
    if (n > FETCH_ROBOTS_MAX_BYTES) n = FETCH_ROBOTS_MAX_BYTES;
    if (n >= 3 && !memcmp(txt, "\xEF\xBB\xBF", 3)) txt += 3, n -= 3; /* UTF-8 BOM */
    for (int pass = 0, want = 2; pass < 2; pass++) {
        bool in_agents = false; /* the previous line was a user-agent line */
        int group = 0;          /* best match kind of the current group's agents */
        for (size_t i = 0; i < n;) {
            const char *line = txt + i;
            size_t len = 0;
            while (i + len < n && txt[i + len] != '\n' && txt[i + len] != '\r') len++;
            i += len;
            while (i < n && (txt[i] == '\n' || txt[i] == '\r')) i++;
            const char *hash = memchr(line, '#', len);
            if (hash) len = (size_t)(hash - line);
            const char *colon = memchr(line, ':', len);
            if (!colon) continue;
            const char *key = line, *val = colon + 1;
            size_t kn = (size_t)(colon - line), vn = len - kn - 1;
            trim(&key, &kn);
            trim(&val, &vn);
            if (kn == 10 && !strncasecmp(key, "user-agent", 10)) {
                if (!in_agents) group = 0;
                in_agents = true;
                int m = agent_match(val, vn, agent);
                if (m == 1 || (m == 2 && group == 0)) group = m;
                if (pass == 0 && m == 1) want = 1;
                continue;
            }
            bool allow = kn == 5 && !strncasecmp(key, "allow", 5);
            bool disallow = kn == 8 && !strncasecmp(key, "disallow", 8);
            if (!allow && !disallow) continue; /* sitemap, crawl-delay, unknown: not group ends */
            in_agents = false;
            if (pass == 1 && group == want && vn > 0 && rules_add(r, val, vn, allow) < 0) {
                fetch_robots_free(r);
                return NULL;
            }
        }
    }
    return r;
}

bool fetch_robots_allowed(const fetch_robots *r, const char *path) {
    if (r->mode != MODE_RULES) return r->mode == MODE_ALLOW_ALL;
    if (!strcmp(path, "/robots.txt")) return true;
    size_t pn;
    char *p = normalise(path, strlen(path), &pn);
    if (!p) return true;
    long best = -1;
    bool allowed = true;
    for (size_t i = 0; i < r->n; i++) {
        const robots_rule *rule = &r->rules[i];
        long len = (long)rule->len;
        if (len < best || (len == best && !rule->allow)) continue;
        if (!pattern_match(rule->pattern, rule->len, p, pn)) continue;
        best = len;
        allowed = rule->allow;
    }
    free(p);
    return allowed;
}

size_t fetch_robots_rules(const fetch_robots *r) {
    return r->n;
}

void fetch_robots_free(fetch_robots *r) {
    if (!r) return;
    for (size_t i = 0; i < r->n; i++) free(r->rules[i].pattern);
    free(r->rules);
    free(r);
}

void fetch_robots_token(const char *user_agent, char *out, size_t n) {
    size_t k = 0;
    while (k + 1 < n &&
           (isalpha((unsigned char)user_agent[k]) || user_agent[k] == '_' || user_agent[k] == '-'))
        out[k] = user_agent[k], k++;
    if (n) out[k] = '\0';
}
