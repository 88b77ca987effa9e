/* Unit tests of main-content extraction (extract/content.c, classify.c,
 * prune.c, guard.c) on small synthetic pages. */
#include "extract_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/classify.h"
#include "extract/content.h"
#include "extract/guard.h"
#include "extract/jsonld.h"
#include "extract/prune.h"

static const char *page =
    "<!DOCTYPE html><html lang=\"en-GB\"><head><title>Site | Story</title>"
    "<meta property=\"og:title\" content=\"The Story\"><style>p{color:red}</style>"
    "<script>var x = '<p>not text</p>';</script></head><body>"
    "<header><nav><ul><li><a href=/>Home</a></li><li><a "
    "href=/news>News</a></li></ul></nav></header>"
    "<div id=\"cookie-banner\">We use cookies to improve your experience. Accept all cookies.</div>"
    "<div class=\"layout\"><div class=\"main-column\"><article>"
    "<h1>The Story</h1>"
    "<div class=\"share-bar\"><a href=#>Share on Facebook</a> <a href=#>Tweet</a></div>"
    "<p>The first paragraph of the story is long enough to count, with commas, clauses, and "
    "a good number of words that make it read like real prose written by a person.</p>"
    "<h2>A subheading</h2>"
    "<p>The second paragraph continues the story, adding detail, colour, and quotes from people "
    "who were there, so that a reader learns what happened and why it matters.</p>"
    "<ul><li>First point of a list inside the article body</li>"
    "<li>Second point of the same list, also plain text</li></ul>"
    "<blockquote>A quotation that belongs to the story, set apart from the rest.</blockquote>"
    "<pre>keep   this\n  spacing</pre>"
    "<table><tr><td>cell one</td><td>cell two</td></tr></table>"
    "<p style=\"display:none\">Invisible text must not appear.</p>"
    "<p>The third paragraph ends the story with a conclusion, a last quote, and a look ahead at "
    "what comes next for the people involved in these events.</p>"
    "</article>"
    "<div class=\"related-articles\"><h3>Related</h3><ul><li><a href=/a>Other story one</a></li>"
    "<li><a href=/b>Other story two</a></li></ul></div>"
    "<section id=\"comments\"><p>First comment: I disagree with this story, entirely, and "
    "here is a long explanation of why, with many words.</p></section>"
    "</div><aside class=\"sidebar\"><p>Subscribe to our newsletter for more stories.</p></aside>"
    "</div><footer><p>Copyright 2019 Example News. All rights reserved.</p></footer>"
    "</body></html>";

static void test_article(void **state) {
    (void)state;
    ex_content c = {0};
    ex_content_opts o = {.max_depth = 1000};
    assert_int_equal(ex_content_extract(page, strlen(page), &o, &c), 0);
    const char *t = c.text.p;
    assert_non_null(t);
    const char *p1 = strstr(t, "The first paragraph");
    const char *h2 = strstr(t, "A subheading");
    const char *p2 = strstr(t, "The second paragraph");
    const char *li = strstr(t, "Second point of the same list");
    const char *q = strstr(t, "A quotation");
    const char *td = strstr(t, "cell one cell two");
    const char *p3 = strstr(t, "The third paragraph");
    assert_true(p1 && h2 && p2 && li && q && td && p3);
    assert_true(p1 < h2 && h2 < p2 && p2 < li && li < q && q < td && td < p3); /* reading order */
    assert_non_null(strstr(t, "keep   this\n  spacing"));                      /* <pre> kept */
    assert_non_null(strstr(t, "to count, with commas, clauses, and a good number")); /* inline */
    assert_non_null(strstr(t, "person.\n\nA subheading\n\nThe second")); /* paragraph breaks */
    static const char *const absent[] = {"Home",        "cookies",       "Share on",   "Tweet",
                                         "Other story", "First comment", "newsletter", "Copyright",
                                         "Invisible",   "not text",      "color:red",  NULL};
    for (int i = 0; absent[i]; i++) {
        if (strstr(t, absent[i])) fail_msg("boilerplate '%s' in: %s", absent[i], t);
    }
    assert_string_equal(c.title.p, "The Story");
    assert_string_equal(c.html_lang, "en-gb");
    assert_false(c.depth_cut);
    /* the headline repeats the title: not in the text */
    assert_int_equal(strncmp(t, "The first paragraph", 19), 0);
    /* whole page mode keeps navigation */
    ex_content_opts w = {.max_depth = 1000, .whole_page = true};
    assert_int_equal(ex_content_extract(page, strlen(page), &w, &c), 0);
    assert_non_null(strstr(c.text.p, "Home"));
    assert_non_null(strstr(c.text.p, "Copyright"));
    ex_content_free(&c);
}

/* 100,000 nested elements: cut at the depth cap, bounded, no crash. */
static void test_deep_nesting(void **state) {
    (void)state;
    const char *tags[] = {"div", "b", "span"};
    for (int k = 0; k < 3; k++) {
        size_t n = 100000, tl = strlen(tags[k]) + 2;
        char *s = malloc(n * tl + 200);
        assert_non_null(s);
        size_t len = (size_t)sprintf(s, "<html><body><p>Shallow text before the nesting.</p>");
        for (size_t i = 0; i < n; i++) len += (size_t)sprintf(s + len, "<%s>", tags[k]);
        len += (size_t)sprintf(s + len, "deep text");
        ex_content c = {0};
        ex_content_opts o = {.max_depth = 500};
        assert_int_equal(ex_content_extract(s, len, &o, &c), 0);
        assert_true(c.depth_cut);
        assert_non_null(strstr(c.text.p, "Shallow text"));
        ex_content_free(&c);
        free(s);
    }
    /* many siblings whose end tags are implied (<p>, <li>) are not depth */
    char *s = malloc(200000);
    size_t len = 0;
    for (int i = 0; i < 20000; i++) len += (size_t)sprintf(s + len, "<p>x<li>y");
    assert_int_equal(ex_guard_depth_prefix(s, len, 100), len);
    free(s);
}

static void test_binary_guard(void **state) {
    (void)state;
    unsigned char bin[4096];
    for (size_t i = 0; i < sizeof bin; i++) bin[i] = (unsigned char)(i * 7919 % 256);
    assert_true(ex_guard_is_binary(bin, sizeof bin));
    assert_true(ex_guard_is_binary((const unsigned char *)"%PDF-1.4 ...", 12));
    const char *html = "<html><body>\tfine text\r\n</body></html>";
    assert_false(ex_guard_is_binary((const unsigned char *)html, strlen(html)));
    assert_false(ex_guard_is_binary((const unsigned char *)"\xff\xfe<\0h\0", 6)); /* UTF-16 */
}

static void test_prune(void **state) {
    (void)state;
    assert_true(ex_classify_lists_sorted());
    const char *s =
        "<div class=\"a\" data-x='1' onclick=\"f()\">t  \n  u<!-- c --><script>a<b</script>"
        "<img src=x /><pre>a   b</pre><span style=\"color:red\" "
        "hidden>v</span><meta name=x content=y><meta property=og:title content=T></div>";
    ex_buf out = {0};
    assert_int_equal(ex_prune_html(s, strlen(s), true, &out), 0);
    assert_string_equal(out.p, "<div class=\"a\">t\nu<img/><pre>a   b</pre><span hidden>v</span>"
                               "<meta property=\"og:title\" content=\"T\"></div>");
    const char *nav = "a<nav><ul><li><nav>x</nav>y</li></ul></nav>b<footer>c</footer>d";
    assert_int_equal(ex_prune_html(nav, strlen(nav), true, &out), 0);
    assert_string_equal(out.p, "abd");
    assert_int_equal(ex_prune_html(nav, strlen(nav), false, &out), 0);
    assert_string_equal(out.p, "a<nav><ul><li><nav>x</nav>y</li></ul></nav>b<footer>c</footer>d");
    ex_buf_free(&out);
}

/* Short label lines are trimmed only at the ends and only as blocks of
 * their own: the lines of a poem inside one block stay. */
static void test_labels_and_poems(void **state) {
    (void)state;
    const char *p =
        "<html><body><div><p>Advertisement</p><p>Share this</p>"
        "<p>A real paragraph of prose that says something, with enough words in it to "
        "be a sentence of an article.</p><p>Another paragraph follows here, also written "
        "as prose, with commas, clauses, and an ending.</p><p>Read more</p></div>"
        "</body></html>";
    ex_content c = {0};
    ex_content_opts o = {.max_depth = 1000};
    assert_int_equal(ex_content_extract(p, strlen(p), &o, &c), 0);
    assert_int_equal(strncmp(c.text.p, "A real paragraph", 16), 0);
    assert_null(strstr(c.text.p, "Read more"));
    const char *poem = "<html><body><div class=\"poem\">Line one here<br>Second line now<br>"
                       "Third line<br>Last line</div></body></html>";
    assert_int_equal(ex_content_extract(poem, strlen(poem), &o, &c), 0);
    assert_string_equal(c.text.p, "Line one here\nSecond line now\nThird line\nLast line");
    ex_content_free(&c);
}

/* Layout names are not enough to drop the article: an element named like
 * boilerplate that holds most of the page's prose stays; comments go even
 * when they are most of the page. */
static void test_wrappers(void **state) {
    (void)state;
    const char *para = "<p>This paragraph is prose of the kind an article holds, with commas, "
                       "clauses, and enough words to be counted as real content by anyone.</p>";
    char page[8192];
    int n =
        snprintf(page, sizeof page,
                 "<html><body><div class=\"has-sidebar\"><div class=\"promo-free\">%s%s%s%s"
                 "</div></div><div class=\"sidebar\"><a href=/x>Link one</a></div></body></html>",
                 para, para, para, para);
    ex_content c = {0};
    ex_content_opts o = {.max_depth = 1000};
    assert_int_equal(ex_content_extract(page, (size_t)n, &o, &c), 0);
    assert_non_null(strstr(c.text.p, "This paragraph is prose"));
    assert_null(strstr(c.text.p, "Link one"));
    n = snprintf(page, sizeof page,
                 "<html><body><article><p>The story itself is short, but it is the story, with a "
                 "clause or two, and a point.</p></article><div id=\"comments\">%s%s%s%s%s</div>"
                 "</body></html>",
                 para, para, para, para, para);
    assert_int_equal(ex_content_extract(page, (size_t)n, &o, &c), 0);
    assert_non_null(strstr(c.text.p, "The story itself"));
    assert_null(strstr(c.text.p, "This paragraph is prose"));
    ex_content_free(&c);
}

/* Comments that are the whole page (a forum thread) are its content. */
static void test_thread(void **state) {
    (void)state;
    const char *para = "<div class=\"comment-body\"><p>A reply in the thread that says something "
                       "useful, with a reason, an example, and a conclusion.</p></div>";
    char page[8192];
    int n = snprintf(page, sizeof page,
                     "<html><body><main><h2>Thread title</h2><div class=\"comments\">%s%s%s"
                     "</div></main><div class=\"sidebar\"><a href=/x>Other forum</a></div>"
                     "</body></html>",
                     para, para, para);
    ex_content c = {0};
    ex_content_opts o = {.max_depth = 1000};
    assert_int_equal(ex_content_extract(page, (size_t)n, &o, &c), 0);
    assert_non_null(strstr(c.text.p, "A reply in the thread"));
    assert_null(strstr(c.text.p, "Other forum"));
    ex_content_free(&c);
}

/* Page builders split one text over columns and rows: prose blocks a few
 * levels away from the best container join it, with the heading before
 * them; a teaser list (a link per item) does not. */
static void test_far_siblings(void **state) {
    (void)state;
    const char *p =
        "<html><body><div class=\"section\"><div class=\"row\"><div class=\"col\">"
        "<div class=\"text-block\"><p>An introduction that stands in its own column, written "
        "as a full sentence, with a comma or two, for the reader.</p></div></div></div>"
        "<div class=\"row\"><div class=\"col\"><div class=\"text-block\"><h2>The main "
        "part</h2><p>The main text of the page is here, long and written as prose, with commas, "
        "clauses, and details, so that it scores best of all the blocks.</p><p>A second "
        "paragraph of the main text continues, again with commas, clauses, and more detail "
        "about the subject at hand.</p></div></div></div>"
        "<div class=\"row\"><div class=\"col\"><div class=\"text-block\"><h3>Section "
        "three</h3><p>A closing section in another row, also prose, that ends the text of "
        "the page with a last remark.</p></div></div></div>"
        "<div class=\"row\"><div class=\"col\"><p><a href=/1>Teaser one</a> A summary of "
        "another story that is long enough to look like prose here.</p><p><a href=/2>Teaser "
        "two</a> A summary of yet another story, long enough to look like prose.</p><p><a "
        "href=/3>Teaser three</a> A third summary of a story, long enough as well.</p></div>"
        "</div></div></body></html>";
    ex_content c = {0};
    ex_content_opts o = {.max_depth = 1000};
    assert_int_equal(ex_content_extract(p, strlen(p), &o, &c), 0);
    const char *intro = strstr(c.text.p, "An introduction");
    const char *main = strstr(c.text.p, "The main text");
    const char *third = strstr(c.text.p, "Section three\n\nA closing section");
    assert_non_null(intro);
    assert_non_null(main);
    assert_non_null(third);
    assert_true(intro < main && main < third);
    assert_non_null(strstr(c.text.p, "The main part\n\nThe main text"));
    assert_null(strstr(c.text.p, "Teaser"));
    ex_content_free(&c);
}

/* A text split into repeated units (sibling <article>s of one class, each
 * short): the units beside the chosen one join it. */
static void test_same_units(void **state) {
    (void)state;
    const char *p =
        "<html><body><main><article class=\"step\"><p>Mix the flour and the sugar.</p></article>"
        "<article class=\"step\"><p>The longest step explains the dough in detail, with commas, "
        "clauses, and a careful description of what to watch for, so it scores best.</p>"
        "<p>It goes on with a second paragraph, again with commas, and more detail.</p>"
        "</article><article class=\"step\"><p>Bake for twenty minutes.</p></article></main>"
        "</body></html>";
    ex_content c = {0};
    ex_content_opts o = {.max_depth = 1000};
    assert_int_equal(ex_content_extract(p, strlen(p), &o, &c), 0);
    assert_non_null(strstr(c.text.p, "The longest step"));
    assert_non_null(strstr(c.text.p, "Bake for twenty minutes."));
    ex_content_free(&c);
}

/* Little visible text: <noscript> content, else the JSON-LD articleBody. */
static void test_hidden_evidence(void **state) {
    (void)state;
    const char *ns =
        "<html><body><div class=\"post\"><div id=\"app\">Loading</div><noscript><p>The "
        "article for browsers without scripts is here, written as prose with commas, clauses, "
        "and enough words.</p><p>Its second paragraph follows, also prose, with more words and "
        "a proper ending.</p><p>A third paragraph completes the article text of this page, to "
        "be sure it counts as the text.</p></noscript></div></body></html>";
    ex_content c = {0};
    ex_content_opts o = {.max_depth = 1000};
    assert_int_equal(ex_content_extract(ns, strlen(ns), &o, &c), 0);
    assert_non_null(strstr(c.text.p, "The article for browsers without scripts"));
    assert_non_null(strstr(c.text.p, "Its second paragraph"));
    const char *ld =
        "<html><head><script type=\"application/ld+json\">{\"@graph\": [{\"@type\": "
        "\"NewsArticle\", \"headline\": \"H\", \"articleBody\" : \"First line of the body, "
        "\\u00e9t\\u00e9 \\ud83d\\ude00 \\\"quoted\\\", and prose that goes on for a while so "
        "that it is long.\\nSecond line of the body, also long enough to matter, with more "
        "words in it than the visible page has.\"}]}</script></head><body><div id=app>Loading"
        "</div></body></html>";
    assert_int_equal(ex_content_extract(ld, strlen(ld), &o, &c), 0);
    assert_non_null(strstr(c.text.p, "First line of the body, \xc3\xa9t\xc3\xa9 "
                                     "\xf0\x9f\x98\x80 \"quoted\", and prose"));
    assert_non_null(strstr(c.text.p, "\nSecond line of the body"));
    /* malformed or unterminated scripts give nothing and no crash */
    const char *bad[] = {"<script type=application/ld+json>{\"articleBody\": \"abc\\u12",
                         "<script type=application/ld+json>{\"articleBody\": \"abc",
                         "<script type=application/ld+json>{\"articleBody\" x",
                         "application/ld+json"};
    ex_buf b = {0};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(ex_jsonld_article_body(bad[i], strlen(bad[i]), &b), 0);
        assert_int_equal(b.len, 0);
    }
    ex_buf_free(&b);
    ex_content_free(&c);
}

int extract_content_tests(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_article),          cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_binary_guard),     cmocka_unit_test(test_prune),
        cmocka_unit_test(test_labels_and_poems), cmocka_unit_test(test_wrappers),
        cmocka_unit_test(test_thread),           cmocka_unit_test(test_far_siblings),
        cmocka_unit_test(test_hidden_evidence),  cmocka_unit_test(test_same_units)};
    return cmocka_run_group_tests_name("extract_content", tests, NULL, NULL);
}
