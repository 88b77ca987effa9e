/* Markup pruning before the HTML parser (see prune.h). A single forward
 * scan: text is copied, comments and the elements whose content is never
 * text for us are dropped whole, and start tags keep only the attributes
 * that extraction reads. The parser then sees a fraction of the bytes. */
#include "prune.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

/* Elements dropped with their content (their content is never main text). */
static const char *const dropped[] = {
    "script", "style",  "svg",   "noscript", "template", "iframe",   "textarea", "math", "select",
    "object", "canvas", "video", "audio",    "noembed",  "noframes", "xmp",      NULL};

/* Attributes read by extraction (classify.c, content.c, the meta prescan). */
static const char *const kept_attrs[] = {
    "class",    "id",       "role",    "itemprop", "hidden",     "aria-hidden", "style", "lang",
    "xml:lang", "property", "content", "charset",  "http-equiv", "name",        NULL};

static bool in_list(const char *s, size_t n, const char *const *list) {
    for (int i = 0; list[i]; i++)
        if ((list[i][0] | 32) == (s[0] | 32) && strncasecmp(s, list[i], n) == 0 && !list[i][n])
            return true;
    return false;
}

/* Position after the end tag "</name ...>" from p, or end. */
static const char *skip_to_end_tag(const char *p, const char *end, const char *name, size_t n) {
    while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
        if ((size_t)(end - p) >= n + 2 && p[1] == '/' && strncasecmp(p + 2, name, n) == 0 &&
            !isalnum((unsigned char)p[2 + n])) {
            const char *gt = memchr(p, '>', (size_t)(end - p));
            return gt ? gt + 1 : end;
        }
        p++;
    }
    return end;
}

/* Copies a start tag's kept attributes; p is after the tag name. Returns
 * the position after '>' (or end) and sets *self_closing. */
static const char *copy_attrs(const char *p, const char *end, ex_buf *out, bool keep_all,
                              int *err) {
    for (;;) {
        while (p < end && (isspace((unsigned char)*p) || *p == '/')) {
            if (*p == '/' && p + 1 < end && p[1] == '>') {
                if (ex_buf_add(out, "/", 1) < 0) *err = 1;
            }
            p++;
        }
        if (p >= end) return end;
        if (*p == '>') return p + 1;
        const char *an = p;
        while (p < end && !isspace((unsigned char)*p) && *p != '=' && *p != '>' &&
               !(*p == '/' && p + 1 < end && p[1] == '>'))
            p++;
        size_t anl = (size_t)(p - an);
        while (p < end && isspace((unsigned char)*p)) p++;
        const char *val = NULL;
        size_t vl = 0;
        if (p < end && *p == '=') {
            p++;
            while (p < end && isspace((unsigned char)*p)) p++;
            if (p < end && (*p == '"' || *p == '\'')) {
                char q = *p++;
                val = p;
                const char *qe = memchr(p, q, (size_t)(end - p));
                p = qe ? qe : end;
                vl = (size_t)(p - val);
                if (p < end) p++;
            } else {
                val = p;
                while (p < end && !isspace((unsigned char)*p) && *p != '>') p++;
                vl = (size_t)(p - val);
            }
        }
        bool keep = anl && (keep_all || in_list(an, anl, kept_attrs));
        if (keep && anl == 5 && !strncasecmp(an, "style", 5))
            keep = val && (memmem(val, vl, "none", 4) || memmem(val, vl, "hidden", 6));
        if (keep) {
            if (ex_buf_addc(out, ' ') < 0 || ex_buf_add(out, an, anl) < 0) *err = 1;
            if (val) {
                /* re-quote with the quote character the value does not hold */
                char q = memchr(val, '"', vl) ? '\'' : '"';
                if (ex_buf_addc(out, '=') < 0 || ex_buf_addc(out, q) < 0 ||
                    ex_buf_add(out, val, vl) < 0 || ex_buf_addc(out, q) < 0)
                    *err = 1;
            }
        }
    }
}

/* Appends text with each whitespace run collapsed to one character (a
 * newline if the run holds one): the parser then handles far fewer
 * characters, and extraction collapses whitespace anyway. */
static int add_collapsed(ex_buf *out, const char *p, const char *end) {
    while (p < end) {
        const char *q = p;
        while (q < end && !isspace((unsigned char)*q)) q++;
        if (q > p && ex_buf_add(out, p, (size_t)(q - p)) < 0) return -1;
        if (q == end) break;
        bool nl = false;
        p = q;
        while (p < end && isspace((unsigned char)*p)) nl |= *p++ == '\n';
        if (ex_buf_addc(out, nl ? '\n' : ' ') < 0) return -1;
    }
    return 0;
}

/* A <meta> that extraction reads: og:title, charset, http-equiv. */
static bool useful_meta(const char *p, const char *end) {
    const char *gt = memchr(p, '>', (size_t)(end - p));
    size_t n = (size_t)((gt ? gt : end) - p);
    return memmem(p, n, "og:title", 8) || memmem(p, n, "charset", 7) ||
           memmem(p, n, "http-equiv", 10) || memmem(p, n, "HTTP-EQUIV", 10);
}

/* Position after the end tag matching an open <name> (same-name elements
 * nested inside are counted), or end. */
static const char *skip_nested(const char *p, const char *end, const char *name, size_t n) {
    int depth = 1;
    while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
        bool closing = p + 1 < end && p[1] == '/';
        const char *q = p + 1 + closing;
        if ((size_t)(end - q) > n && strncasecmp(q, name, n) == 0 &&
            !isalnum((unsigned char)q[n])) {
            depth += closing ? -1 : 1;
            if (depth == 0) {
                const char *gt = memchr(q, '>', (size_t)(end - q));
                return gt ? gt + 1 : end;
            }
        }
        p++;
    }
    return end;
}

int ex_prune_html(const char *s, size_t n, int flags, ex_buf *out) {
    bool drop_layout = flags & EX_PRUNE_LAYOUT;
    bool noscript = flags & EX_PRUNE_KEEP_NOSCRIPT;
    ex_buf_clear(out);
    if (ex_buf_reserve(out, n / 3 + 64) < 0) return -1;
    const char *p = s, *end = s + n;
    int err = 0;
    bool in_pre = false; /* inside <pre>: whitespace is text */
    while (p < end && !err) {
        const char *lt = memchr(p, '<', (size_t)(end - p));
        if (!lt) lt = end;
        if (lt > p &&
            (in_pre ? ex_buf_add(out, p, (size_t)(lt - p)) : add_collapsed(out, p, lt)) < 0)
            return -1;
        p = lt;
        if (p >= end) break;
        if (end - p >= 4 && !memcmp(p, "<!--", 4)) { /* comment: dropped */
            const char *c = memmem(p + 4, (size_t)(end - p - 4), "-->", 3);
            p = c ? c + 3 : end;
            continue;
        }
        const char *q = p + 1;
        bool closing = q < end && *q == '/';
        if (closing) q++;
        const char *name = q;
        while (q < end && (isalnum((unsigned char)*q) || *q == '-' || *q == ':' || *q == '_')) q++;
        size_t nl = (size_t)(q - name);
        if (nl == 0 || !isalpha((unsigned char)name[0])) {
            /* "<!DOCTYPE ...>", "<?xml ...>", "</>" or a bare '<': copy as is */
            if (*(p + 1) == '!' || *(p + 1) == '?') {
                const char *gt = memchr(p, '>', (size_t)(end - p));
                const char *e = gt ? gt + 1 : end;
                if (ex_buf_add(out, p, (size_t)(e - p)) < 0) return -1;
                p = e;
            } else {
                if (ex_buf_addc(out, '<') < 0) return -1;
                p++;
            }
            continue;
        }
        if (noscript && nl == 8 && !strncasecmp(name, "noscript", 8)) {
            /* its content, for browsers without scripts, read as a block */
            const char *gt = memchr(q, '>', (size_t)(end - q));
            if (ex_buf_add(out, closing ? "</div>" : "<div>", closing ? 6 : 5) < 0) return -1;
            p = gt ? gt + 1 : end;
            continue;
        }
        if (closing) {
            if (nl == 3 && !strncasecmp(name, "pre", 3)) in_pre = false;
            const char *gt = memchr(q, '>', (size_t)(end - q));
            if (ex_buf_add(out, "</", 2) < 0 || ex_buf_add(out, name, nl) < 0 ||
                ex_buf_addc(out, '>') < 0)
                return -1;
            p = gt ? gt + 1 : end;
            continue;
        }
        if (in_list(name, nl, dropped)) {
            /* skip the start tag, then everything to the matching end tag */
            const char *gt = memchr(q, '>', (size_t)(end - q));
            if (gt && gt[-1] == '/' && strncasecmp(name, "script", 6) != 0) {
                p = gt + 1; /* <svg ... /> */
                continue;
            }
            char nm[16];
            size_t k = nl < sizeof nm - 1 ? nl : sizeof nm - 1;
            memcpy(nm, name, k);
            nm[k] = 0;
            p = skip_to_end_tag(gt ? gt + 1 : end, end, nm, k);
            continue;
        }
        if (drop_layout && ((nl == 3 && !strncasecmp(name, "nav", 3)) ||
                            (nl == 6 && !strncasecmp(name, "footer", 6)))) {
            /* navigation and footers are removed by extraction in any case */
            const char *gt = memchr(q, '>', (size_t)(end - q));
            p = gt && gt[-1] != '/' ? skip_nested(gt + 1, end, name, nl) : (gt ? gt + 1 : end);
            continue;
        }
        if ((nl == 4 && !strncasecmp(name, "link", 4)) ||
            (nl == 4 && !strncasecmp(name, "meta", 4) && !useful_meta(q, end))) {
            const char *gt = memchr(q, '>', (size_t)(end - q));
            p = gt ? gt + 1 : end; /* stylesheets, icons, most meta: nothing to read */
            continue;
        }
        if (nl == 3 && !strncasecmp(name, "pre", 3)) in_pre = true;
        if (ex_buf_addc(out, '<') < 0 || ex_buf_add(out, name, nl) < 0) return -1;
        p = copy_attrs(q, end, out, false, &err);
        if (ex_buf_addc(out, '>') < 0) return -1;
    }
    return err ? -1 : 0;
}
