#!/usr/bin/env python3
"""Writes the eval tests' own fixtures in the layout `bin/eval` reads (the
real CBT, enwik8, text8 and 1BW files are not available here): synthetic
text from a small made-up vocabulary, deterministic for a given seed.

usage: make_fixtures.py ROOT   (creates ROOT/cbt, ROOT/enwik8, ROOT/text8,
                                ROOT/1bw, ROOT/webtext)
       make_fixtures.py --cbt-full ROOT   (only ROOT/cbt: two sets of the real
                                size, 2,500 questions of 20 long sentences)
"""
import os
import random
import struct
import subprocess
import sys

NOUNS = ["fox", "kettle", "garden", "lantern", "river", "baker", "window", "pony", "cloud",
         "hammer", "meadow", "sailor", "basket", "candle", "owl", "bridge", "teacup", "wagon"]
NAMES = ["Tilda", "Bram", "Oswin", "Marigold", "Pell", "Juniper", "Corwin", "Edda", "Fenn",
         "Hollis", "Isolde", "Wren"]
VERBS = ["saw", "carried", "painted", "found", "mended", "followed", "counted", "lost"]
ADJS = ["small", "green", "quiet", "old", "bright", "muddy", "happy", "crooked"]


def sentence(rng, subject=None):
    """A PTB-style tokenized sentence (space-separated tokens, `` '' quotes)."""
    subj = subject or rng.choice(["the " + rng.choice(NOUNS), rng.choice(NAMES)])
    obj = "the " + rng.choice(ADJS) + " " + rng.choice(NOUNS)
    form = rng.randrange(4)
    if form == 0:
        return f"{subj} {rng.choice(VERBS)} {obj} ."
    if form == 1:
        return f"`` Where is {obj} ? '' asked {rng.choice(NAMES)} ."
    if form == 2:
        return f"{subj} {rng.choice(VERBS)} {obj} , and {rng.choice(NAMES)} did n't mind ."
    return f"Then {subj} 's {rng.choice(NOUNS)} {rng.choice(VERBS)} {obj} !"


def cbt_file(path, kind, n, rng, clauses=1):
    """n questions; each context line is `clauses` sentences long (the real
    set's lines are books' sentences of about 20-25 words: clauses=3)."""
    pool = NOUNS if kind == "CN" else NAMES
    with open(path, "w") as f:
        for _ in range(n):
            for i in range(1, 21):
                f.write(f"{i} {' '.join(sentence(rng) for _ in range(clauses))}\n")
            answer = rng.choice(pool)
            cands = sorted(set(rng.sample(pool, 9) + [answer]))
            while len(cands) < 10:
                cands = sorted(set(cands + [rng.choice(pool)]))
            blank = f"the XXXXX" if kind == "CN" else "XXXXX"
            query = f"Later {blank} {rng.choice(VERBS)} the {rng.choice(NOUNS)} ."
            f.write(f"21 {query}\t{answer}\t\t{'|'.join(cands)}\n\n")


def words(rng, n):
    return " ".join(rng.choice(NOUNS + VERBS + ADJS + ["the", "a", "of"]) for _ in range(n))


def enwik8_file(path, rng):
    """Wiki-XML-like text with multi-byte UTF-8, cut so that the last
    5,000,000 bytes start inside a multi-byte character."""
    parts, size = [], 0
    while size < 5_020_000:
        p = f"<page><title>{rng.choice(NAMES)}</title><text>caf\u00e9 \u20ac{rng.randrange(100)} " \
            f"{words(rng, 12)} na\u00efve \u00fcber \u2014 {words(rng, 5)}</text></page>\n"
        b = p.encode("utf-8")
        parts.append(b)
        size += len(b)
    data = b"".join(parts)
    cut = next(i for i in range(2000, len(data)) if (data[i] & 0xC0) == 0x80)
    with open(path, "wb") as f:
        f.write(data[: cut + 5_000_000])


def text8_file(path, rng):
    out, size = [], 0
    while size < 5_000_777:
        w = rng.choice(NOUNS + VERBS + ADJS + ["the", "a", "of", "and"])
        out.append(w)
        size += len(w) + 1
    s = " " + " ".join(out)
    with open(path, "w") as f:
        f.write(s[: 5_000_777])


def onebw_file(path, rng, n=60):
    with open(path, "w") as f:
        for _ in range(n):
            f.write(sentence(rng) + "\n")


def webtext_shard(path, rng, ndocs=7):
    """An llm.c shard: 256 int32 header (magic, version, count), uint16 ids,
    every document preceded by 50256; compressed with the zstd tool."""
    toks = []
    for d in range(ndocs):
        toks.append(50256)
        toks.extend(rng.randrange(50256) for _ in range(rng.randrange(1, 300)))
    hdr = [20240520, 1, len(toks)] + [0] * 253
    raw = struct.pack("<256i", *hdr) + struct.pack(f"<{len(toks)}H", *toks)
    with open(path[:-4], "wb") as f:
        f.write(raw)
    subprocess.run(["zstd", "-q", "-f", "--rm", path[:-4], "-o", path], check=True)
    return ndocs, len(toks) - ndocs


def main():
    if sys.argv[1] == "--cbt-full":
        root, rng = sys.argv[2], random.Random(2500)
        os.makedirs(os.path.join(root, "cbt"), exist_ok=True)
        for kind in ["CN", "NE"]:
            cbt_file(os.path.join(root, "cbt", f"cbtest_{kind}_test_2500ex.txt"), kind, 2500, rng, 3)
        return
    root = sys.argv[1]
    rng = random.Random(20190214)
    for d in ["cbt", "enwik8", "text8", "1bw", "webtext"]:
        os.makedirs(os.path.join(root, d), exist_ok=True)
    cbt_file(os.path.join(root, "cbt", "cbtest_CN_test_2500ex.txt"), "CN", 12, rng)
    cbt_file(os.path.join(root, "cbt", "cbtest_NE_test_2500ex.txt"), "NE", 12, rng)
    enwik8_file(os.path.join(root, "enwik8", "enwik8"), rng)
    text8_file(os.path.join(root, "text8", "text8"), rng)
    onebw_file(os.path.join(root, "1bw", "news.en.heldout-00000-of-00050"), rng)
    a = webtext_shard(os.path.join(root, "webtext", "tokens-00000.bin.zst"), rng)
    b = webtext_shard(os.path.join(root, "webtext", "tokens-00001.bin.zst"), rng, 4)
    print(f"webtext docs {a[0] + b[0]} tokens {a[1] + b[1]}")


if __name__ == "__main__":
    main()
