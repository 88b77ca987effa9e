/* Element classification (see classify.h). The name lists are the usual
 * boilerplate vocabulary of web pages (as used by readability, boilerpipe,
 * trafilatura and justext alike), written for general pages, not for any
 * particular site. */
#include "classify.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Class/id names are split into lowercase words at punctuation and camelCase
 * humps (a name like "SiteLayout-pageRow" gives site layout page row) and
 * matched word by word, so that a short boilerplate word never matches
 * inside a longer layout word ("pager" is not in "pagerow", "ad" not in
 * "header"). Long distinctive names are also matched inside words
 * ("socialshare", "relatedposts"). */

/* Hard boilerplate: always removed. */
static const char *const hard_words[] = {
    "ad",          "ads",       "adsense",    "adv",          "advert",      "advertisement",
    "advertising", "agegate",   "author",     "breadcrumb",   "breadcrumbs", "byline",
    "caption",     "comment",   "comments",   "consent",      "cookie",      "cookies",
    "credit",      "credits",   "cta",        "date",         "dateline",    "disqus",
    "donate",      "gdpr",      "login",      "modal",        "newsletter",  "newsletters",
    "outbrain",    "pager",     "pagination", "popular",      "popup",       "posted",
    "print",       "promo",     "promotion",  "published",    "readmore",    "recommendations",
    "recommended", "related",   "rss",        "share",        "sharebar",    "shares",
    "sharing",     "shoutbox",  "signup",     "skip",         "skyscraper",  "social",
    "sponsor",     "sponsored", "subscribe",  "subscription", "taboola",     "tag",
    "tags",        "timestamp", "toolbar",    "trending",     "updated"};
static const char *const hard_substrings[] = {
    "comments",        "comment-",   "-comment",   "commentlist",  "disqus",      "socialshare",
    "sharebar",        "share-",     "-share",     "sharing",      "related",     "recommend",
    "cookie",          "consent",    "newsletter", "subscribe",    "outbrain",    "taboola",
    "sponsor",         "breadcrumb", "shoutbox",   "most-popular", "mostpopular", "more-stories",
    "read-more",       "author-bio", "authorbio",  "skip-link",    "skiplink",    "sr-only",
    "visually-hidden", NULL};
/* Reader comments: always removed, however much text they hold. */
static const char *const comment_words[] = {"comment", "commentlist", "comments",
                                            "disqus",  "replies",     "respond"}; /* sorted */
static const char *const comment_substrings[] = {"comments",    "comment-", "-comment",
                                                 "commentlist", "disqus",   NULL};
/* Soft boilerplate: layout names, kept when they hold the article. */
static const char *const soft_words[] = {
    "aside",   "banner",     "combx",        "community", "extra",  "follow",
    "footer",  "header",     "legends",      "masthead",  "menu",   "nav",
    "navbar",  "navigation", "overlay",      "rail",      "remark", "replies",
    "sidebar", "subnav",     "supplemental", "topbar",    "widget", "widgets"};
static const char *const soft_substrings[] = {"sidebar", "masthead", "navbar", NULL};

/* Scoring weights (readability's idea): names that suggest content or not. */
static const char *const positive_words[] = {"article", "blog",   "body",  "content",
                                             "entry",   "hentry", "main",  "page",
                                             "post",    "prose",  "story", "text"};
static const char *const negative_words[] = {
    "ad",      "ads",      "author",    "banner",   "byline",     "caption",  "combx",
    "comment", "comments", "contact",   "foot",     "footer",     "footnote", "gdpr",
    "hidden",  "masthead", "media",     "meta",     "newsletter", "outbrain", "promo",
    "related", "scroll",   "share",     "shopping", "shoutbox",   "sidebar",  "skyscraper",
    "social",  "sponsor",  "subscribe", "tags",     "tool",       "widget"};

/* Well-known names of the element that holds an article's body. */
static const char *const body_names[] = {
    "articlebody",    "article-body",    "article_body",    "article__body",
    "articlecontent", "article-content", "article_content", "article__content",
    "post-content",   "post_content",    "postcontent",     "entry-content",
    "entry_content",  "story-body",      "storybody",       "story-content",
    "story__body",    "post-body",       "postbody",        "article-text",
    "articletext",    "body-text",       "article__text",   "content-body",
    "page-content",   "main-content",    "article-main",    NULL};

enum { MAX_WORDS = 48 };
typedef struct words {
    char buf[400];
    const char *w[MAX_WORDS];
    int n;
} words;

/* Splits names into lowercase words at non-alphanumerics and camelCase humps. */
static void split_words(const char *s, words *out) {
    out->n = 0;
    size_t k = 0;
    bool in = false;
    for (size_t i = 0; s && s[i] && k + 2 < sizeof out->buf; i++) {
        unsigned char c = (unsigned char)s[i];
        bool alnum = isalnum(c);
        bool hump = in && isupper(c) && i > 0 && islower((unsigned char)s[i - 1]);
        if ((!alnum || hump) && in) {
            out->buf[k++] = 0;
            in = false;
        }
        if (!alnum) continue;
        if (!in) {
            if (out->n == MAX_WORDS) break;
            out->w[out->n++] = out->buf + k;
            in = true;
        }
        out->buf[k++] = (char)tolower(c);
    }
    out->buf[k] = 0;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The word lists are sorted (plain byte order) for binary search. */
#define WORD_IN(w, list) word_in(w, list, sizeof list / sizeof list[0])
static bool word_in(const words *w, const char *const *list, size_t n) {
    for (int i = 0; i < w->n; i++)
        if (bsearch(&w->w[i], list, n, sizeof *list, cmp_str)) return true;
    return false;
}

static bool has_any(const char *s, const char *const *list) {
    for (int i = 0; list[i]; i++)
        if (strstr(s, list[i])) return true;
    return false;
}

static void lower_into(char *dst, size_t n, const char *s) {
    size_t i = 0;
    for (; s && s[i] && i + 1 < n; i++) dst[i] = (char)tolower((unsigned char)s[i]);
    dst[i] = 0;
}

static const char *get(GumboNode *g, const char *name) {
    GumboAttribute *a = gumbo_get_attribute(&g->v.element.attributes, name);
    return a ? a->value : NULL;
}

static bool invisible_tag(GumboTag t) {
    switch (t) {
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_OPTION:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_MAP:
    case GUMBO_TAG_LINK:
    case GUMBO_TAG_META:
    case GUMBO_TAG_BASE:
    case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_TRACK:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_FRAMESET:
    case GUMBO_TAG_APPLET:
    case GUMBO_TAG_NOEMBED:
    case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_DATALIST:
    case GUMBO_TAG_KEYGEN:
    case GUMBO_TAG_PARAM:
        return true;
    default:
        return false;
    }
}

bool ex_classify_boilerplate_tag(GumboTag t) {
    switch (t) {
    case GUMBO_TAG_FIGURE: /* images with captions and credits */
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_MENU:
    case GUMBO_TAG_FIGCAPTION:
        return true;
    default:
        return false;
    }
}

static int block_kind(GumboTag t) {
    switch (t) {
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
        return EX_BLOCK_HEADING;
    case GUMBO_TAG_LI:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_CAPTION:
        return EX_BLOCK_LINE;
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_HTML:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_LISTING:
    case GUMBO_TAG_HGROUP:
        return EX_BLOCK_PARA;
    default:
        return EX_BLOCK_INLINE;
    }
}

static bool boilerplate_role(const char *role) {
    static const char *const roles[] = {"navigation", "complementary", "banner",  "contentinfo",
                                        "menu",       "menubar",       "dialog",  "alertdialog",
                                        "search",     "alert",         "tooltip", NULL};
    for (int i = 0; roles[i]; i++)
        if (!strcasecmp(role, roles[i])) return true;
    return false;
}

static bool hidden_style(const char *style) {
    char s[256];
    size_t w = 0;
    for (size_t i = 0; style[i] && w + 1 < sizeof s; i++)
        if (!isspace((unsigned char)style[i])) s[w++] = (char)tolower((unsigned char)style[i]);
    s[w] = 0;
    return strstr(s, "display:none") || strstr(s, "visibility:hidden");
}

void ex_classify_element(GumboNode *g, ex_node_class *out) {
    memset(out, 0, sizeof *out);
    GumboTag t = g->v.element.tag;
    out->kind = block_kind(t);
    if (invisible_tag(t)) {
        out->invisible = true;
        return;
    }
    const char *v;
    if (gumbo_get_attribute(&g->v.element.attributes, "hidden") ||
        ((v = get(g, "aria-hidden")) && !strcasecmp(v, "true")) ||
        ((v = get(g, "style")) && hidden_style(v))) {
        out->invisible = true;
        return;
    }
    if (t == GUMBO_TAG_BODY || t == GUMBO_TAG_HTML) return;
    char cls[200], id[120], names[330];
    lower_into(cls, sizeof cls, get(g, "class"));
    lower_into(id, sizeof id, get(g, "id"));
    snprintf(names, sizeof names, "%s %s", cls, id);
    const char *role = get(g, "role");
    const char *itemprop = get(g, "itemprop");
    if (itemprop && !strcasecmp(itemprop, "articleBody")) out->body_hint = true;
    if (names[1] && has_any(names, body_names)) out->body_hint = true;
    if (ex_classify_boilerplate_tag(t) || (role && boilerplate_role(role))) {
        out->boilerplate = 2;
        return;
    }
    if (!names[1]) return;
    words wc, wi;
    split_words(get(g, "class"), &wc);
    split_words(get(g, "id"), &wi);
    if (!out->body_hint && t != GUMBO_TAG_ARTICLE && t != GUMBO_TAG_MAIN && t != GUMBO_TAG_A) {
        if (WORD_IN(&wc, comment_words) || WORD_IN(&wi, comment_words) ||
            has_any(names, comment_substrings))
            out->boilerplate = 3;
        else if (WORD_IN(&wc, hard_words) || WORD_IN(&wi, hard_words) ||
                 has_any(names, hard_substrings))
            out->boilerplate = 2;
        else if (WORD_IN(&wc, soft_words) || WORD_IN(&wi, soft_words) ||
                 has_any(names, soft_substrings))
            out->boilerplate = 1;
    }
    int w = 0;
    if (WORD_IN(&wc, negative_words)) w -= 25;
    if (WORD_IN(&wc, positive_words)) w += 25;
    if (WORD_IN(&wi, negative_words)) w -= 25;
    if (WORD_IN(&wi, positive_words)) w += 25;
    if (out->body_hint) w = 50;
    out->weight = w;
}

static bool sorted(const char *const *list, size_t n) {
    for (size_t i = 1; i < n; i++)
        if (strcmp(list[i - 1], list[i]) >= 0) return false;
    return true;
}
#define SORTED(list) sorted(list, sizeof list / sizeof list[0])

bool ex_classify_lists_sorted(void) {
    return SORTED(hard_words) && SORTED(soft_words) && SORTED(positive_words) &&
           SORTED(negative_words) && SORTED(comment_words);
}

double ex_classify_tag_score(GumboTag t) {
    switch (t) {
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_MAIN:
        return 5;
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_BLOCKQUOTE:
        return 3;
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_FORM:
        return -3;
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_TH:
        return -5;
    default:
        return 0;
    }
}
