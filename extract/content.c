/* Main-content extraction (see content.h). Four passes over a flat copy of
 * the gumbo tree (pre-order array, so aggregates are one backward sweep):
 *   1. build: drop invisible and non-text elements, and boilerplate by tag,
 *      ARIA role and class/id names (nav, footer, comment, share, ...);
 *   2. measure: text, link text, commas, paragraphs per subtree;
 *   3. score: readability-style paragraph scores propagated to ancestors,
 *      damped by link density, pick the best container, merge siblings;
 *   4. emit: walk the container in order, dropping link-heavy or
 *      form-like blocks (conditional cleaning), writing text blocks. */
#include "content.h"

#include <ctype.h>
#include <gumbo.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "classify.h"
#include "guard.h"
#include "jsonld.h"
#include "prune.h"
#include "words.h"

typedef struct node {
    GumboNode *g;
    int parent; /* index, -1 for the root */
    int end;    /* one past the last descendant (pre-order) */
    int depth;
    int8_t weight; /* class/id weight: -50..+50 */
    uint8_t kind;  /* EX_BLOCK_* from classify.h */
    bool text;     /* a text node */
    uint8_t bp;    /* boilerplate level from classify (0, 1 soft, 2 hard) */
    bool removed;  /* boilerplate: skipped everywhere (so are its descendants) */
    bool has_hint; /* the subtree holds an element with hint set */
    bool scored;   /* a candidate container (score initialised) */
    bool hint;     /* named like an article body (itemprop=articleBody, ...) */
    bool in_link;  /* inside an <a> */
    uint32_t chars, link_chars, commas;
    uint32_t n_p, n_img, n_li, n_input, n_embed, n_heading_chars, n_li_chars, n_a;
    double score;
} node;

/* Classifications of elements whose only names are a class list, by tag
 * and class: pages repeat the same few (list items, links, cards), and
 * splitting and matching names is a tenth of the work. */
enum { CLASS_CACHE = 256 };
typedef struct class_cache {
    const char *cls[CLASS_CACHE]; /* gumbo's attribute value, NULL: empty slot */
    GumboTag tag[CLASS_CACHE];
    ex_node_class cl[CLASS_CACHE];
} class_cache;

typedef struct ctx {
    node *v;
    int n, cap;
    ex_content *out;
    ex_buf og_title;
    long prose_budget; /* nodes mostly_prose may still visit */
    class_cache *cache;
} ctx;

/* ---- pass 1: build ------------------------------------------------------ */

static int push_node(ctx *c, GumboNode *g, int parent, int depth) {
    if (c->n == c->cap) {
        int cap = c->cap ? c->cap * 2 : 1024;
        node *v = realloc(c->v, sizeof(node) * (size_t)cap);
        if (!v) return -1;
        c->v = v;
        c->cap = cap;
    }
    node *nd = &c->v[c->n];
    memset(nd, 0, sizeof *nd);
    nd->g = g;
    nd->parent = parent;
    nd->depth = depth;
    nd->in_link =
        parent >= 0 && (c->v[parent].in_link || (c->v[parent].g->type == GUMBO_NODE_ELEMENT &&
                                                 c->v[parent].g->v.element.tag == GUMBO_TAG_A));
    return c->n++;
}

static const char *attr(GumboNode *g, const char *name) {
    GumboAttribute *a = gumbo_get_attribute(&g->v.element.attributes, name);
    return a ? a->value : NULL;
}

/* Records <title>, og:title and <html lang> on the way. */
static void note_head(ctx *c, GumboNode *g) {
    GumboTag t = g->v.element.tag;
    if (t == GUMBO_TAG_TITLE && c->out->title.len == 0 && g->v.element.children.length > 0) {
        GumboNode *tx = g->v.element.children.data[0];
        if (tx->type == GUMBO_NODE_TEXT)
            ex_buf_add(&c->out->title, tx->v.text.text, strlen(tx->v.text.text));
    } else if (t == GUMBO_TAG_META && c->og_title.len == 0) {
        const char *p = attr(g, "property");
        const char *ct = attr(g, "content");
        if (p && ct && !strcasecmp(p, "og:title")) ex_buf_add(&c->og_title, ct, strlen(ct));
    } else if (t == GUMBO_TAG_HTML && !c->out->html_lang[0]) {
        const char *l = attr(g, "lang");
        if (!l) l = attr(g, "xml:lang");
        if (l) {
            size_t i = 0;
            for (; l[i] && i + 1 < sizeof c->out->html_lang; i++)
                c->out->html_lang[i] = (char)tolower((unsigned char)l[i]);
            c->out->html_lang[i] = 0;
        }
    }
}

/* ex_classify_element, through the cache when the element's only
 * attribute is its class (every other attribute extraction reads changes
 * the result). */
static void classify(ctx *c, GumboNode *g, ex_node_class *cl) {
    const GumboVector *at = &g->v.element.attributes;
    GumboAttribute *a = at->length == 1 ? at->data[0] : NULL;
    if (!c->cache || !a || strcmp(a->name, "class") != 0) {
        ex_classify_element(g, cl);
        return;
    }
    uint64_t h = 1469598103934665603ull ^ (uint64_t)g->v.element.tag;
    for (const unsigned char *p = (const unsigned char *)a->value; *p; p++)
        h = (h ^ *p) * 1099511628211ull; /* FNV-1a */
    size_t k = (size_t)(h % CLASS_CACHE);
    class_cache *cc = c->cache;
    if (cc->cls[k] && cc->tag[k] == g->v.element.tag && !strcmp(cc->cls[k], a->value)) {
        *cl = cc->cl[k];
        return;
    }
    ex_classify_element(g, cl);
    cc->cls[k] = a->value, cc->tag[k] = g->v.element.tag, cc->cl[k] = *cl;
}

/* Iterative pre-order copy of the visible tree. */
static int build(ctx *c, GumboNode *root, bool whole_page) {
    typedef struct frame {
        GumboNode *g;
        int parent, depth;
    } frame;
    size_t scap = 256, sn = 0;
    frame *st = malloc(sizeof(frame) * scap);
    if (!st) return -1;
    st[sn++] = (frame){root, -1, 0};
    while (sn) {
        frame f = st[--sn];
        GumboNode *g = f.g;
        if (g->type == GUMBO_NODE_TEXT || g->type == GUMBO_NODE_CDATA ||
            g->type == GUMBO_NODE_WHITESPACE) {
            if (f.parent >= 0) {
                int i = push_node(c, g, f.parent, f.depth);
                if (i < 0) goto oom;
                c->v[i].text = true;
                c->v[i].end = i + 1;
            }
            continue;
        }
        if (g->type != GUMBO_NODE_ELEMENT && g->type != GUMBO_NODE_DOCUMENT) continue;
        GumboVector *kids;
        int i = -1;
        if (g->type == GUMBO_NODE_ELEMENT) {
            note_head(c, g);
            if (g->v.element.tag == GUMBO_TAG_HEAD) {
                GumboVector *hk = &g->v.element.children;
                for (unsigned k = 0; k < hk->length; k++) {
                    GumboNode *h = hk->data[k];
                    if (h->type == GUMBO_NODE_ELEMENT) note_head(c, h);
                }
                continue;
            }
            ex_node_class cl;
            classify(c, g, &cl);
            if (cl.invisible) continue;
            i = push_node(c, g, f.parent, f.depth);
            if (i < 0) goto oom;
            c->v[i].bp = whole_page || f.parent < 0 ? 0 : (uint8_t)cl.boilerplate;
            c->v[i].weight = (int8_t)cl.weight;
            c->v[i].kind = (uint8_t)cl.kind;
            c->v[i].hint = cl.body_hint;
            kids = &g->v.element.children;
        } else {
            kids = &g->v.document.children;
        }
        /* children pushed in reverse so they pop in document order */
        if (sn + kids->length > scap) {
            while (sn + kids->length > scap) scap *= 2;
            frame *s2 = realloc(st, sizeof(frame) * scap);
            if (!s2) goto oom;
            st = s2;
        }
        for (unsigned k = kids->length; k-- > 0;) st[sn++] = (frame){kids->data[k], i, f.depth + 1};
    }
    free(st);
    return 0;
oom:
    free(st);
    return -1;
}

/* ---- pass 2: measure ------------------------------------------------------ */

/* Visible characters in a text node: non-space bytes plus one per space run,
 * counting UTF-8 code points (continuation bytes skipped). */
static void measure_text(const char *s, uint32_t *chars, uint32_t *commas) {
    uint32_t n = 0, cm = 0;
    bool space = true;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isspace(*p)) {
            if (!space) n++;
            space = true;
            continue;
        }
        space = false;
        if ((*p & 0xc0) != 0x80) n++;
        if (*p == ',')
            cm++;
        else if (p[0] == 0xef && p[1] == 0xbc && p[2] == 0x8c)
            cm++; /* U+FF0C fullwidth comma */
        else if (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x81)
            cm++; /* U+3001 ideographic comma */
    }
    *chars = n;
    *commas = cm;
}

static double link_density(const node *nd) {
    return nd->chars ? (double)nd->link_chars / nd->chars : 0.0;
}

static void measure(ctx *c) {
    for (int i = 0; i < c->n; i++) {
        node *nd = &c->v[i];
        nd->chars = nd->link_chars = nd->commas = 0;
        nd->n_p = nd->n_img = nd->n_li = nd->n_input = nd->n_embed = 0;
        nd->n_heading_chars = nd->n_li_chars = nd->n_a = 0;
        nd->has_hint = nd->hint && !nd->removed;
    }
    for (int i = c->n - 1; i >= 0; i--) {
        node *nd = &c->v[i];
        if (nd->text) {
            measure_text(nd->g->v.text.text, &nd->chars, &nd->commas);
            if (nd->in_link) nd->link_chars = nd->chars;
        } else {
            GumboTag t = nd->g->v.element.tag;
            if (t == GUMBO_TAG_P)
                nd->n_p++;
            else if (t == GUMBO_TAG_A)
                nd->n_a++;
            else if (t == GUMBO_TAG_IMG)
                nd->n_img++;
            else if (t == GUMBO_TAG_LI)
                nd->n_li++, nd->n_li_chars += nd->chars;
            else if (t == GUMBO_TAG_INPUT || t == GUMBO_TAG_SELECT || t == GUMBO_TAG_TEXTAREA ||
                     t == GUMBO_TAG_BUTTON)
                nd->n_input++;
            else if (t == GUMBO_TAG_EMBED || t == GUMBO_TAG_OBJECT || t == GUMBO_TAG_IFRAME ||
                     t == GUMBO_TAG_VIDEO)
                nd->n_embed++;
            else if (nd->kind == EX_BLOCK_HEADING)
                nd->n_heading_chars += nd->chars;
        }
        if (nd->end == 0) nd->end = i + 1;
        if (nd->parent >= 0) {
            node *p = &c->v[nd->parent];
            if (nd->end > p->end) p->end = nd->end;
            if (nd->removed) continue;
            p->chars += nd->chars;
            p->link_chars += nd->link_chars;
            p->commas += nd->commas;
            p->n_p += nd->n_p;
            p->n_img += nd->n_img;
            p->n_li += nd->n_li;
            p->n_li_chars += nd->n_li_chars;
            p->n_input += nd->n_input;
            p->n_embed += nd->n_embed;
            p->n_heading_chars += nd->n_heading_chars;
            p->n_a += nd->n_a;
            p->has_hint |= nd->has_hint;
        }
    }
}

static bool has_block_child(ctx *c, int i) {
    for (int k = i + 1; k < c->v[i].end; k = c->v[k].end)
        if (!c->v[k].text && c->v[k].kind != EX_BLOCK_INLINE) return true;
    return false;
}

/* Does txt (trailing space ignored) end a sentence: . ! ? or the
 * fullwidth and ideographic full stop, exclamation and question marks
 * (CJK text)? colon: also a colon. */
static bool ends_sentence(const char *txt, bool colon) {
    size_t l = strlen(txt);
    while (l && isspace((unsigned char)txt[l - 1])) l--;
    if (!l) return false;
    char e = txt[l - 1];
    if (e == '.' || e == '!' || e == '?' || (colon && e == ':')) return true;
    static const char *const cjk[] = {"\xe3\x80\x82", "\xef\xbc\x81", "\xef\xbc\x9f",
                                      "\xef\xbc\x8e", NULL}; /* 。！？． */
    for (int i = 0; l >= 3 && cjk[i]; i++)
        if (!memcmp(txt + l - 3, cjk[i], 3)) return true;
    return false;
}

/* Prose: a block whose text reads as sentences rather than links or labels
 * (jusText's "good" paragraph without the stop-word test): few links, and
 * long enough or ending a sentence. */
static bool prose_block(ctx *c, int i) {
    node *n = &c->v[i];
    if (n->text || n->removed || n->chars < 25 || link_density(n) > 0.25) return false;
    if (n->chars >= 80) return true;
    const char *txt = NULL;
    for (int k = i + 1; k < n->end; k++)
        if (c->v[k].text && c->v[k].g->type == GUMBO_NODE_TEXT) txt = c->v[k].g->v.text.text;
    return txt && ends_sentence(txt, true);
}

/* Mostly prose: at least 70 % of the subtree's text in prose blocks
 * (paragraph-like elements judged by prose_block), and not a teaser list
 * (a linked title and a summary per item). Visits at most *budget nodes in
 * all (so nested calls stay linear); false when the budget is spent. */
static bool mostly_prose(ctx *c, int s, long *budget) {
    node *n = &c->v[s];
    if (n->chars < 80 || link_density(n) > 0.2) return false;
    uint32_t good = 0, n_good = 0;
    for (int k = s; k < n->end; k++) {
        if (--*budget < 0) return false;
        node *b = &c->v[k];
        if (b->removed) {
            k = b->end - 1;
            continue;
        }
        if (b->text) continue;
        GumboTag t = b->g->v.element.tag;
        bool para = t == GUMBO_TAG_P || t == GUMBO_TAG_PRE || t == GUMBO_TAG_BLOCKQUOTE ||
                    t == GUMBO_TAG_LI || t == GUMBO_TAG_TD ||
                    ((t == GUMBO_TAG_DIV || t == GUMBO_TAG_SECTION) && !has_block_child(c, k));
        if (para) {
            if (prose_block(c, k)) good += b->chars, n_good++;
            k = b->end - 1;
        }
    }
    if (n->n_a >= 3 && n->n_a >= n_good) return false;
    return good * 10 >= n->chars * 7;
}

/* Decides which boilerplate-named elements go, top-down on the measured
 * whole tree. Comment-named ones go, unless comments hold more of the
 * page's text than everything else and no article (tag or body name) stands
 * beside them: then they are the page (a forum thread, a live commentary).
 * A soft one (layout names such as sidebar or header) stays when it wraps a
 * named article body, or holds over 30 % of the page's text with few links:
 * then it is the layout around the article, not a sidebar. A hard one
 * (share, related, ad, ... names; nav, aside, footer tags) stays only when
 * it wraps a named article body, or (names only) holds over half of the
 * page's text at link density < 0.3. strip_names=false keeps every named
 * element but comments (the retry when the first attempt found almost
 * nothing). */
static void decide_removal(ctx *c, bool strip_names) {
    uint32_t total = c->n ? c->v[0].chars : 0, comments = 0;
    int next_comment = c->n; /* the first comment-named element after i */
    bool article = false;    /* an article (by tag or name) beside the comments */
    for (int i = c->n - 1; i >= 0; i--) {
        node *nd = &c->v[i];
        if (nd->text) continue;
        if (nd->bp == 3) {
            next_comment = i;
        } else if ((nd->hint || nd->g->v.element.tag == GUMBO_TAG_ARTICLE) && nd->chars >= 25 &&
                   next_comment >= nd->end) {
            article = true;
        }
    }
    for (int i = 0; i < c->n; i++) /* text in comment-named elements, outermost ones */
        if (!c->v[i].text && c->v[i].bp == 3) {
            comments += c->v[i].chars;
            i = c->v[i].end - 1;
        }
    for (int i = 0; i < c->n; i++) {
        node *nd = &c->v[i];
        nd->removed = false;
        if (nd->parent >= 0 && c->v[nd->parent].removed) {
            nd->removed = true;
            continue;
        }
        if (nd->text || nd->bp == 0) continue;
        bool by_tag = ex_classify_boilerplate_tag(nd->g->v.element.tag);
        if (!strip_names && !by_tag && nd->bp != 3) continue; /* comments never return */
        double ld = link_density(nd);
        bool wrapper = nd->has_hint || (nd->chars * 10 > total * 3 && ld < 0.5);
        /* a heading (or a wrapper of one) named with a layout word such as
         * header or nav is a heading of the text; link-heavy ones are
         * cleaned when emitted */
        if (nd->chars > 0 && nd->n_heading_chars == nd->chars) wrapper = true;
        bool big = nd->has_hint || (!by_tag && nd->chars * 2 > total && ld < 0.3);
        /* comments that hold most of a page without an article are its
         * content (a forum thread, a live commentary), not a discussion */
        bool thread = !article && comments > total - comments && ld < 0.3;
        if ((nd->bp == 3 && !thread) || (nd->bp == 2 && !big) || (nd->bp == 1 && !wrapper))
            nd->removed = true;
        else if (nd->bp == 3 && nd->weight < 0)
            nd->weight = 0; /* its name no longer counts against it */
    }
}

/* ---- pass 3: score and choose -------------------------------------------- */

static void init_candidate(node *nd) {
    if (nd->scored) return;
    nd->scored = true;
    nd->score = ex_classify_tag_score(nd->g->v.element.tag) + nd->weight;
}

static int choose(ctx *c) {
    for (int i = 0; i < c->n; i++) {
        node *nd = &c->v[i];
        if (nd->removed) {
            i = nd->end - 1;
            continue;
        }
        if (nd->text || nd->chars < 25) continue;
        GumboTag t = nd->g->v.element.tag;
        bool para = t == GUMBO_TAG_P || t == GUMBO_TAG_PRE || t == GUMBO_TAG_TD ||
                    t == GUMBO_TAG_BLOCKQUOTE ||
                    ((t == GUMBO_TAG_DIV || t == GUMBO_TAG_SECTION) && !has_block_child(c, i));
        if (!para || nd->parent < 0) continue;
        double s = 1.0 + nd->commas + fmin(floor(nd->chars / 100.0), 3.0);
        int a = nd->parent;
        for (int level = 0; a >= 0 && level < 5; level++, a = c->v[a].parent) {
            node *an = &c->v[a];
            if (an->g->v.element.tag == GUMBO_TAG_HTML) break;
            init_candidate(an);
            an->score += level == 0 ? s : level == 1 ? s / 2 : s / (level * 3);
        }
    }
    int best = -1;
    for (int i = 0; i < c->n; i++) {
        node *nd = &c->v[i];
        if (!nd->scored) continue;
        nd->score *= 1.0 - link_density(nd);
        if (best < 0 || nd->score > c->v[best].score) best = i;
    }
    if (best < 0) return -1;
    /* an explicitly named article body holding most of the best text wins */
    for (int i = 0; i < c->n; i++) {
        node *nd = &c->v[i];
        if (!nd->hint || nd->text || nd->removed) continue;
        bool contains = i <= best && best < nd->end;
        if (contains || (nd->chars * 2 >= c->v[best].chars && link_density(nd) < 0.5)) {
            if (!contains || nd->chars < c->v[best].chars * 3) {
                best = i;
                break;
            }
        }
    }
    /* several strong candidates under one ancestor: take the ancestor */
    int alts[8], na = 0;
    for (int i = 0; i < c->n && na < 8; i++)
        if (c->v[i].scored && i != best && c->v[i].score >= 0.75 * c->v[best].score &&
            !(i > best && i < c->v[best].end) && !(best > i && best < c->v[i].end))
            alts[na++] = i;
    if (na >= 3) {
        for (int a = c->v[best].parent; a >= 0; a = c->v[a].parent) {
            if (c->v[a].g->v.element.tag == GUMBO_TAG_BODY) break;
            int inside = 0;
            for (int k = 0; k < na; k++) inside += alts[k] > a && alts[k] < c->v[a].end;
            if (inside >= 3) {
                best = a;
                break;
            }
        }
    }
    /* climb while the parent holds nothing else of substance */
    while (c->v[best].parent >= 0) {
        int p = c->v[best].parent;
        if (c->v[p].g->v.element.tag == GUMBO_TAG_BODY) break;
        if (c->v[p].chars > c->v[best].chars + 25) break;
        best = p;
    }
    return best;
}

/* ---- pass 4: emit ---------------------------------------------------------- */

typedef struct emitter {
    ex_buf *out;
    int pending; /* 0 none, 1 newline, 2 blank line before the next text */
    bool space;  /* a space is due before the next word */
} emitter;

static void brk(emitter *e, int level) {
    if (e->out->len && level > e->pending) e->pending = level;
    e->space = false;
}

static int put_text(emitter *e, const char *s, bool pre) {
    for (const char *p = s; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (!pre && isspace(ch)) {
            e->space = true;
            continue;
        }
        if (pre && ch == '\n') {
            if (ex_buf_addc(e->out, '\n') < 0) return -1;
            continue;
        }
        if (e->pending) {
            if (ex_buf_add(e->out, "\n\n", (size_t)e->pending) < 0) return -1;
            e->pending = 0;
        } else if (e->space && e->out->len && e->out->p[e->out->len - 1] != '\n') {
            if (ex_buf_addc(e->out, ' ') < 0) return -1;
        }
        e->space = false;
        if (ex_buf_addc(e->out, (char)ch) < 0) return -1;
    }
    return 0;
}

/* readability-style conditional cleaning: is this block boilerplate? */
static bool junk_block(ctx *c, int i) {
    node *nd = &c->v[i];
    GumboTag t = nd->g->v.element.tag;
    if (nd->kind == EX_BLOCK_HEADING) {
        /* the headline (it is the title field), teaser headings that are
         * mostly links, and headings named as boilerplate */
        return t == GUMBO_TAG_H1 || nd->weight < 0 || link_density(nd) > 0.5;
    }
    if (t == GUMBO_TAG_P) {
        /* a paragraph made mostly of links: "read also" teasers */
        double ld = link_density(nd);
        return nd->chars > 0 && ld > 0.8;
    }
    if (!(t == GUMBO_TAG_DIV || t == GUMBO_TAG_SECTION || t == GUMBO_TAG_TABLE ||
          t == GUMBO_TAG_UL || t == GUMBO_TAG_OL || t == GUMBO_TAG_DL || t == GUMBO_TAG_FORM ||
          t == GUMBO_TAG_FIGURE || t == GUMBO_TAG_ASIDE || t == GUMBO_TAG_HEADER))
        return false;
    /* lists start from a negative tag score (readability's table), which a
     * list of plain items would not outweigh: they are judged by names and
     * links alone */
    bool list_tag = t == GUMBO_TAG_UL || t == GUMBO_TAG_OL || t == GUMBO_TAG_DL;
    double sc = nd->scored ? nd->score : 0;
    if (list_tag && link_density(nd) < 0.3) sc -= ex_classify_tag_score(t) * (nd->scored ? 1 : 0);
    if (nd->weight + sc < 0) return true;
    if (nd->commas >= 10) return false;
    bool is_list = t == GUMBO_TAG_UL || t == GUMBO_TAG_OL ||
                   (nd->chars && (double)nd->n_li_chars / nd->chars > 0.9);
    double ld = link_density(nd);
    double p = nd->n_p, img = nd->n_img, li = (double)nd->n_li - 100;
    double heading_density = nd->chars ? (double)nd->n_heading_chars / nd->chars : 0;
    if (img > 1 && p / img < 0.5 && t != GUMBO_TAG_FIGURE) return true;
    if (!is_list && li > p) return true;
    if (nd->n_input > floor(p / 3)) return true;
    if (!is_list && heading_density < 0.9 && nd->chars < 25 && (img == 0 || img > 2) && ld > 0)
        return true;
    if (!is_list && nd->weight < 25 && ld > 0.2) return true;
    if (nd->weight >= 25 && ld > 0.5) return true;
    if ((nd->n_embed == 1 && nd->chars < 75) || nd->n_embed > 1) return true;
    if (is_list && ld > 0.5) return true; /* lists of links: menus, related stories */
    return false;
}

enum { ORPHAN_CHARS = 40 };

/* Is element k of the container left out of the text? */
static bool dropped(ctx *c, int root, int k, bool clean) {
    node *nd = &c->v[k];
    /* a block holding most of the container's prose is its body, whatever
     * its names say (conditional cleaning must not empty the container) */
    bool body = nd->chars * 2 > c->v[root].chars && link_density(nd) < 0.3;
    return nd->removed || (clean && k != root && !body && junk_block(c, k));
}

/* A short block (a label such as "read also" in any language) whose next
 * element was left out: it introduced what was dropped. */
static bool orphan_label(ctx *c, int root, int i, bool clean) {
    node *nd = &c->v[i];
    if (i == root || nd->kind != EX_BLOCK_PARA || nd->chars == 0 || nd->chars >= ORPHAN_CHARS)
        return false;
    const char *txt = NULL; /* a sentence is not a label */
    for (int k = i + 1; k < nd->end; k++)
        if (c->v[k].text && c->v[k].g->type == GUMBO_NODE_TEXT) txt = c->v[k].g->v.text.text;
    if (!txt || ends_sentence(txt, false)) return false;
    int k = nd->end;
    while (k < c->v[root].end && c->v[k].parent == nd->parent && c->v[k].text &&
           c->v[k].g->type == GUMBO_NODE_WHITESPACE)
        k++;
    if (k >= c->v[root].end || c->v[k].parent != nd->parent || c->v[k].text) return false;
    return c->v[k].chars >= nd->chars && dropped(c, root, k, clean);
}

static int emit(ctx *c, int root, emitter *e, bool clean) {
    /* iterative in-order walk; a block's closing break is due when the walk
     * leaves it, tracked by an explicit stack of open blocks */
    int stack[256];
    int sp = 0;
    for (int i = root; i < c->v[root].end;) {
        while (sp && i >= c->v[stack[sp - 1]].end) {
            int b = stack[--sp];
            brk(e, c->v[b].kind == EX_BLOCK_LINE ? 1 : 2);
        }
        node *nd = &c->v[i];
        if (nd->text) {
            bool pre = false;
            for (int a = nd->parent; a >= 0 && a >= root; a = c->v[a].parent)
                if (c->v[a].g->v.element.tag == GUMBO_TAG_PRE) {
                    pre = true;
                    break;
                }
            if (nd->g->type != GUMBO_NODE_WHITESPACE || pre) {
                if (put_text(e, nd->g->v.text.text, pre) < 0) return -1;
            } else {
                e->space = true;
            }
            i++;
            continue;
        }
        if (dropped(c, root, i, clean) || (clean && orphan_label(c, root, i, clean))) {
            i = nd->end;
            continue;
        }
        GumboTag t = nd->g->v.element.tag;
        if (t == GUMBO_TAG_BR) {
            brk(e, 1);
        } else if (t == GUMBO_TAG_TD || t == GUMBO_TAG_TH) {
            e->space = true;
        } else if (nd->kind != EX_BLOCK_INLINE) {
            brk(e, nd->kind == EX_BLOCK_LINE ? 1 : 2);
            if (sp < 256) stack[sp++] = i;
        }
        i++;
    }
    return 0;
}

/* Readability's sibling rule: siblings of the best container that score
 * well, share its class, or are substantial low-link paragraphs join it. */
static bool join_sibling(ctx *c, int best, int s) {
    node *b = &c->v[best], *n = &c->v[s];
    if (n->text || n->removed) return false;
    double threshold = fmax(10.0, b->score * 0.2);
    double bonus = 0;
    const char *bc = attr(b->g, "class"), *sc = attr(n->g, "class");
    if (bc && sc && bc[0] && !strcmp(bc, sc)) bonus = b->score * 0.2;
    if (n->scored && n->score + bonus >= threshold) return true;
    if (n->g->v.element.tag == GUMBO_TAG_P) {
        double ld = link_density(n);
        if (n->chars > 80 && ld < 0.25) return true;
        if (n->chars > 0 && n->chars <= 80 && ld == 0) {
            /* a short paragraph that ends a sentence */
            const char *txt = NULL;
            for (int k = s + 1; k < n->end; k++)
                if (c->v[k].text) txt = c->v[k].g->v.text.text;
            if (txt && ends_sentence(txt, false)) return true;
        }
    }
    return false;
}

/* Full-tree measures again (undoing a removal decision). */
static void measure_reset(ctx *c) {
    for (int i = 0; i < c->n; i++) c->v[i].removed = false;
    measure(c);
}

enum { MAX_ROOTS = 512, FAR_LEVELS = 3, LEAD_CHARS = 150 };

/* A sibling built like the subtree that holds the text (same tag, same
 * class list: one more section of a text split into repeated units) with
 * few links. */
static bool same_unit(ctx *c, int cur, int s) {
    node *a = &c->v[cur], *b = &c->v[s];
    if (b->text || b->removed || b->chars == 0 || link_density(b) > 0.2) return false;
    if (s < cur && b->chars < LEAD_CHARS) return false; /* a title line before the text */
    if (b->n_a >= 3 && b->n_a >= b->n_p) return false;  /* a teaser list */
    if (a->g->v.element.tag != b->g->v.element.tag) return false;
    const char *ca = attr(a->g, "class"), *cb = attr(b->g, "class");
    return ca && cb && ca[0] && !strcmp(ca, cb);
}

/* A sibling subtree further out (a column or section beside the one holding
 * the container, as page builders and templates split one text): it joins
 * when it is mostly prose. */
static bool join_far(ctx *c, int s, int best) {
    node *n = &c->v[s];
    if (n->text || n->removed || n->weight < 0 || n->kind == EX_BLOCK_HEADING) return false;
    /* before the text, a short block with a link is a notice (a disclosure,
     * a promotion pointing elsewhere), not an introduction */
    if (s < best && n->chars < LEAD_CHARS && n->link_chars > 0) return false;
    return mostly_prose(c, s, &c->prose_budget);
}

static int cmp_int(const void *a, const void *b) {
    return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

/* The subtrees that make the text: the best container, its joined siblings
 * (readability's rule) and, up to FAR_LEVELS ancestors out, sibling
 * subtrees that are mostly prose; a heading right before a joined subtree
 * comes with it. Returns the count, in document order. */
static int collect_roots(ctx *c, int best, int *roots) {
    int nr = 0;
    roots[nr++] = best;
    int cur = best;
    for (int level = 0; level <= FAR_LEVELS;) {
        int p = c->v[cur].parent;
        if (p < 0) break;
        GumboTag pt = c->v[p].g->v.element.tag;
        if (pt == GUMBO_TAG_HTML || (level > 0 && pt == GUMBO_TAG_BODY)) break;
        bool other = false;   /* the parent holds text beside cur: a level counts */
        int last = -1;        /* previous element sibling */
        bool last_in = false; /* it was joined */
        for (int s = p + 1; s < c->v[p].end; s = c->v[s].end) {
            node *n = &c->v[s];
            if (n->text) continue;
            bool in = s == cur || (level == 0 && join_sibling(c, best, s)) ||
                      join_far(c, s, best) || same_unit(c, cur, s);
            if (s != cur && n->chars > 0) other = true;
            if (in && s != cur && nr < MAX_ROOTS) roots[nr++] = s;
            /* the heading of a joined block */
            if (in && last >= 0 && !last_in && c->v[last].kind == EX_BLOCK_HEADING &&
                !c->v[last].removed && nr < MAX_ROOTS)
                roots[nr++] = last;
            last = s, last_in = in;
        }
        level += other;
        cur = p;
    }
    qsort(roots, (size_t)nr, sizeof *roots, cmp_int);
    return nr;
}

/* One extraction: removal, scoring, choice, emission into out. */
static int attempt(ctx *c, bool strip_names, ex_buf *out) {
    decide_removal(c, strip_names);
    measure(c);
    for (int i = 0; i < c->n; i++) c->v[i].scored = false, c->v[i].score = 0;
    emitter e = {.out = out};
    int best = choose(c);
    if (best < 0) return emit(c, 0, &e, true);
    if (c->v[best].parent < 0) return emit(c, best, &e, true);
    int roots[MAX_ROOTS];
    int nr = collect_roots(c, best, roots);
    for (int k = 0; k < nr; k++) {
        if (emit(c, roots[k], &e, true) < 0) return -1;
        brk(&e, 2);
    }
    return 0;
}

/* Same text ignoring case, spaces and punctuation (ASCII folding only). */
static bool same_text(const char *a, size_t an, const char *b, size_t bn) {
    size_t i = 0, j = 0;
    for (;;) {
        while (i < an && !isalnum((unsigned char)a[i]) && (unsigned char)a[i] < 0x80) i++;
        while (j < bn && !isalnum((unsigned char)b[j]) && (unsigned char)b[j] < 0x80) j++;
        if (i == an || j == bn) return i == an && j == bn;
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[j])) return false;
        i++, j++;
    }
}

/* Folds s[0..n) for comparison: ASCII letters and digits lowercased, other
 * ASCII dropped, other bytes kept. Returns the length written to out (at
 * most cap). */
static size_t fold(const char *s, size_t n, char *out, size_t cap) {
    size_t k = 0;
    for (size_t i = 0; i < n && k < cap; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x80 && !isalnum(ch)) continue;
        out[k++] = (char)(ch < 0x80 ? tolower(ch) : ch);
    }
    return k;
}

/* The line, of 2 words or more, makes most of the title: the headline,
 * where the title adds the site's name. */
static bool in_title(const char *s, size_t n, const ex_buf *title) {
    if (!title->len || n > title->len) return false;
    bool two = false;
    for (size_t i = 0; i + 1 < n; i++) two |= s[i] == ' ' && s[i + 1] != ' ';
    if (!two) return false;
    char a[1024], b[1024];
    size_t na = fold(s, n, a, sizeof a), nb = fold(title->p, title->len, b, sizeof b);
    if (na < 8 || na > nb || na * 2 < nb || nb == sizeof b) return false; /* most of it */
    return memmem(b, nb, a, na) != NULL;
}

/* A short line that is not a sentence: a label (a button or section name,
 * a time stamp) rather than prose. */
static bool label_line(const char *s, size_t n) {
    while (n && isspace((unsigned char)s[n - 1])) n--;
    if (n == 0) return true;
    if (ex_count_words(s, n) >= 5 || n >= 60) return false; /* 60 bytes: CJK lines have no spaces */
    unsigned char last = (unsigned char)s[n - 1];
    if (last == '.' || last == '!' || last == '?' || last == '"' || last == ':') return false;
    static const char *const ends[] = {"\xe2\x80\x9d", "\xe3\x80\x82", "\xef\xbc\x81",
                                       "\xef\xbc\x9f", "\xe3\x80\x8d", NULL}; /* ” 。 ！ ？ 」 */
    for (int i = 0; n >= 3 && ends[i]; i++)
        if (!memcmp(s + n - 3, ends[i], 3)) return false;
    return true;
}

static bool starts_ci(const char *s, size_t n, const char *p) {
    size_t l = strlen(p);
    return n >= l && strncasecmp(s, p, l) == 0;
}

static bool has_ci(const char *s, size_t n, const char *p) {
    size_t l = strlen(p);
    for (size_t i = 0; i + l <= n; i++)
        if (strncasecmp(s + i, p, l) == 0) return true;
    return false;
}

/* A year 1900-2099 standing alone. */
static bool has_year(const char *s, size_t n) {
    for (size_t i = 0; i + 4 <= n; i++) {
        if (!((s[i] == '1' && s[i + 1] == '9') || (s[i] == '2' && s[i + 1] == '0'))) continue;
        if (!isdigit((unsigned char)s[i + 2]) || !isdigit((unsigned char)s[i + 3])) continue;
        if ((i == 0 || !isalnum((unsigned char)s[i - 1])) &&
            (i + 4 == n || !isalnum((unsigned char)s[i + 4])))
            return true;
    }
    return false;
}

/* Article metadata rather than prose: a byline ("By" and a name), a
 * dateline (a short line with a year, or "Published"/"Updated" and a year),
 * a copyright notice, an e-mail contact, or a "follow ... on" social line. */
static bool meta_line(const char *s, size_t n) {
    while (n && isspace((unsigned char)s[n - 1])) n--;
    size_t w = ex_count_words(s, n);
    if (w > 30) return false;
    if (starts_ci(s, n, "copyright") || starts_ci(s, n, "\xc2\xa9") ||
        has_ci(s, n, "all rights reserved"))
        return true;
    if (w > 12) return false;
    if (starts_ci(s, n, "by ") && w <= 6) return true;
    if ((starts_ci(s, n, "published") || starts_ci(s, n, "updated") || starts_ci(s, n, "posted") ||
         starts_ci(s, n, "last updated")) &&
        has_year(s, n))
        return true;
    if (w <= 8 && has_year(s, n) && n && s[n - 1] != '.') return true;
    if (starts_ci(s, n, "follow ") && (has_ci(s, n, "twitter") || has_ci(s, n, "facebook") ||
                                       has_ci(s, n, "instagram") || has_ci(s, n, "linkedin")))
        return true;
    const char *at = memchr(s, '@', n); /* an e-mail address: "Write to X at x@y.com" */
    return at && at > s && isalnum((unsigned char)at[-1]) && memchr(at, '.', (size_t)(s + n - at));
}

static bool edge_line(const char *s, size_t n) {
    return label_line(s, n) || meta_line(s, n);
}

/* At the end of the text, a short line ending in a colon introduces nothing
 * that follows: the label of a section (links, contacts, sources) that was
 * dropped. */
static bool dangling_line(const char *s, size_t n) {
    while (n && isspace((unsigned char)s[n - 1])) n--;
    return n && n < 80 && s[n - 1] == ':' && ex_count_words(s, n) < 8;
}

enum { TAIL_LINES = 6 };

/* Final pass over the text: drops lines that repeat the title (the headline
 * inside the body), and label and metadata lines at the very start or end
 * of the text. */
static int tidy_text(ex_buf *t, const ex_buf *title) {
    typedef struct span {
        size_t a, b;
    } span;
    size_t nl = 0, cap = 64;
    span *ln = malloc(sizeof(span) * cap);
    if (!ln) return -1;
    for (size_t a = 0; a < t->len;) {
        const char *e = memchr(t->p + a, '\n', t->len - a);
        size_t b = e ? (size_t)(e - t->p) : t->len;
        if (b > a) {
            if (nl == cap) {
                span *l2 = realloc(ln, sizeof(span) * (cap *= 2));
                if (!l2) return free(ln), -1;
                ln = l2;
            }
            ln[nl++] = (span){a, b};
        }
        a = b + 1;
    }
    /* at most 3 label lines at each end, each a block of its own (so the
     * short lines of a poem or a list inside one block are never trimmed) */
    size_t first = 0, last = nl;
    while (first < last && first < 3 && edge_line(t->p + ln[first].a, ln[first].b - ln[first].a) &&
           ln[first].b + 1 < t->len && t->p[ln[first].b + 1] == '\n')
        first++;
    while (last > first && nl - last < TAIL_LINES &&
           (edge_line(t->p + ln[last - 1].a, ln[last - 1].b - ln[last - 1].a) ||
            dangling_line(t->p + ln[last - 1].a, ln[last - 1].b - ln[last - 1].a)) &&
           ln[last - 1].a >= 2 && t->p[ln[last - 1].a - 2] == '\n')
        last--;
    ex_buf out = {0};
    for (size_t i = first; i < last; i++) {
        const char *s = t->p + ln[i].a;
        size_t n = ln[i].b - ln[i].a;
        if (title->len && same_text(s, n, title->p, title->len)) continue;
        if (i < first + 3 && in_title(s, n, title)) continue; /* the headline at the start */
        if (out.len) {
            /* keep the original separator: one or two newlines */
            bool blank = ln[i].a >= 2 && t->p[ln[i].a - 2] == '\n';
            if (ex_buf_add(&out, "\n\n", blank ? 2 : 1) < 0) goto oom;
        }
        if (ex_buf_add(&out, s, n) < 0) goto oom;
    }
    free(ln);
    ex_buf_free(t);
    *t = out;
    return 0;
oom:
    free(ln);
    ex_buf_free(&out);
    return -1;
}

static void trim_title(ex_buf *t) {
    /* collapse whitespace */
    size_t w = 0;
    bool sp = true;
    for (size_t i = 0; i < t->len; i++) {
        unsigned char ch = (unsigned char)t->p[i];
        if (isspace(ch)) {
            if (!sp) t->p[w++] = ' ';
            sp = true;
        } else {
            t->p[w++] = (char)ch;
            sp = false;
        }
    }
    while (w && t->p[w - 1] == ' ') w--;
    t->len = w;
    if (t->p) t->p[w] = 0;
}

/* Below this many bytes of text, extraction looks for other evidence. */
enum { LITTLE_TEXT = 500 };
/* Node visits of the prose tests per parse: 4 passes over a large page. */
enum { PROSE_BUDGET = 4 << 20 };

/* One prune, parse and extraction into out (text, title, language). */
static int extract_pass(const char *html, size_t len, const ex_content_opts *opts, int prune_flags,
                        ex_content *out) {
    ex_buf_clear(&out->text);
    ex_buf_clear(&out->title);
    out->html_lang[0] = 0;
    out->depth_cut = false;
    out->nodes = 0;
    int max_depth = opts && opts->max_depth > 0 ? opts->max_depth : 1000;
    ex_buf pruned = {0};
    if (ex_prune_html(html, len, prune_flags, &pruned) < 0) return ex_buf_free(&pruned), -1;
    size_t use = ex_guard_depth_prefix(pruned.p ? pruned.p : "", pruned.len, max_depth);
    out->depth_cut = use < pruned.len;
    GumboOptions go = kGumboDefaultOptions;
    go.max_errors = 0; /* do not collect parse errors: unbounded memory for nothing */
    GumboOutput *g = gumbo_parse_with_options(&go, pruned.p ? pruned.p : "", use);
    if (!g) return ex_buf_free(&pruned), -1;
    ctx c = {.out = out, .prose_budget = PROSE_BUDGET};
    c.cache = calloc(1, sizeof *c.cache); /* without it, classify uncached */
    int rc = build(&c, g->document, opts && opts->whole_page);
    free(c.cache);
    c.cache = NULL;
    if (rc == 0 && c.n > 0) {
        out->nodes = (size_t)c.n;
        measure(&c); /* the whole tree, for removal decisions */
        if (opts && opts->whole_page) {
            emitter e = {.out = &out->text};
            rc = emit(&c, 0, &e, false);
        } else {
            rc = attempt(&c, true, &out->text);
            /* readability's retry: almost nothing found, so the names misled
             * us; try again keeping named elements, and keep the longer text */
            if (rc == 0 && out->text.len < LITTLE_TEXT) {
                ex_buf alt = {0};
                measure_reset(&c);
                rc = attempt(&c, false, &alt);
                if (rc == 0 && alt.len > out->text.len * 2) {
                    ex_buf t = out->text;
                    out->text = alt;
                    alt = t;
                }
                ex_buf_free(&alt);
            }
        }
    }
    if (c.og_title.len) {
        ex_buf_clear(&out->title);
        ex_buf_add(&out->title, c.og_title.p, c.og_title.len);
    }
    ex_buf_free(&c.og_title);
    free(c.v);
    gumbo_destroy_output(&go, g);
    ex_buf_free(&pruned);
    return rc;
}

static void swap_if_longer(ex_buf *text, ex_buf *alt) {
    if (alt->len > 2 * text->len) {
        ex_buf t = *text;
        *text = *alt;
        *alt = t;
    }
}

int ex_content_extract(const char *html, size_t len, const ex_content_opts *opts, ex_content *out) {
    bool whole = opts && opts->whole_page;
    int rc = extract_pass(html, len, opts, whole ? 0 : EX_PRUNE_LAYOUT, out);
    /* the visible markup holds little: the page may carry its text for
     * browsers without scripts (<noscript>) or as JSON-LD (articleBody, plain
     * text only); either is used when it gives much more text */
    if (rc == 0 && !whole && out->text.len < LITTLE_TEXT) {
        if (memmem(html, len, "<noscript", 9) || memmem(html, len, "<NOSCRIPT", 9)) {
            ex_content alt = {0};
            rc = extract_pass(html, len, opts, EX_PRUNE_LAYOUT | EX_PRUNE_KEEP_NOSCRIPT, &alt);
            if (rc == 0) swap_if_longer(&out->text, &alt.text);
            ex_content_free(&alt);
        }
        ex_buf jb = {0};
        if (rc == 0) rc = ex_jsonld_article_body(html, len, &jb);
        if (rc == 0 && jb.len >= 200 && !memmem(jb.p, jb.len, "</", 2))
            swap_if_longer(&out->text, &jb);
        ex_buf_free(&jb);
    }
    trim_title(&out->title);
    if (rc == 0 && !whole) rc = tidy_text(&out->text, &out->title);
    return rc;
}

void ex_content_free(ex_content *c) {
    ex_buf_free(&c->text);
    ex_buf_free(&c->title);
}
