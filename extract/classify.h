/* Element classification for main-content extraction: which elements are
 * invisible, which are boilerplate by tag, ARIA role or class/id names, how
 * class/id names weigh a container, and how a tag lays out text. */
#ifndef EX_CLASSIFY_H
#define EX_CLASSIFY_H

#include <gumbo.h>
#include <stdbool.h>

enum {
    EX_BLOCK_INLINE = 0, /* a, span, b, ...: text flows on */
    EX_BLOCK_PARA,       /* p, div, section, blockquote, ...: blank line around */
    EX_BLOCK_LINE,       /* li, tr, dt, dd: a line break around */
    EX_BLOCK_HEADING,    /* h1..h6: blank line around */
};

typedef struct ex_node_class {
    bool invisible; /* never text: script, style, hidden=..., display:none, ... */
    /* boilerplate level: 0 none; 1 soft, named like a layout part (sidebar,
     * header, menu, widget) that sites also use for wrappers of the article;
     * 2 hard (nav/aside/footer/figure tags, ARIA landmarks, share, related,
     * cookie, newsletter, ad, ... names); 3 reader comments */
    int boilerplate;
    bool body_hint; /* itemprop=articleBody or a well-known article-body class name */
    int weight;     /* class/id weight for scoring: -50..+50 */
    int kind;       /* EX_BLOCK_* */
} ex_node_class;

void ex_classify_element(GumboNode *g, ex_node_class *out);
/* Tags that are boilerplate wherever they are: nav, aside, footer, header,
 * menu, figure, figcaption. */
bool ex_classify_boilerplate_tag(GumboTag t);
/* The word lists are searched by bsearch: true when all are sorted (a test). */
bool ex_classify_lists_sorted(void);
/* Initial score of a candidate container by its tag (readability's table). */
double ex_classify_tag_score(GumboTag t);

#endif
