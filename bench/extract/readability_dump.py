"""readability-lxml's text for every page of a ground truth, as
{id: {"articleBody": text}} on stdout, for `extract score`. The summary's
HTML is turned into text with one line per block (lxml's text_content of
each paragraph-like element)."""
import gzip
import json
import sys

import lxml.html
from readability import Document

BLOCKS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "td"}


def text_of(html):
    try:
        root = lxml.html.fromstring(html)
    except Exception:
        return ""
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag in BLOCKS:
            el.tail = "\n" + (el.tail or "")
    return root.text_content()


truth_path, folder = sys.argv[1], sys.argv[2]
out = {}
for pid in json.load(open(truth_path)):
    raw = gzip.open("%s/%s.html.gz" % (folder, pid)).read().decode("utf-8", "replace")
    try:
        out[pid] = {"articleBody": text_of(Document(raw).summary())}
    except Exception:
        out[pid] = {"articleBody": ""}
json.dump(out, sys.stdout, ensure_ascii=False)
