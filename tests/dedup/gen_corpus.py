#!/usr/bin/env python3
"""Synthetic docs shards with planted duplicates for the dedup tests and
benchmark, deterministic by --seed: distinct documents (some sharing a
boilerplate block), exact copies under other URLs (some re-cased and
re-spaced), near copies with 1-10% of words replaced, URL duplicates, and
Wikipedia pages under mixed-case and mobile hosts. Writes
OUT/docs-NNNNN.jsonl.zst and, with --truth, one JSON line per document:
gid, kind, base gid, changed fraction and 5-gram Jaccard to the base."""
import argparse
import hashlib
import json
import os
import random
import subprocess
import sys

WIKI_HOSTS = ["en.wikipedia.org", "EN.Wikipedia.ORG", "en.m.wikipedia.org", "De.M.Wikipedia.Org.",
              "wikipedia.org", "fr.wikipedia.org."]


def make_vocab(rng, n):
    syll = ["ka", "lo", "mi", "ne", "tur", "pra", "sel", "vo", "qui", "da", "ren", "fo", "zu",
            "bel", "xi", "om", "tra", "ge", "wu", "ly"]
    words = set()
    while len(words) < n:
        words.add("".join(rng.choice(syll) for _ in range(rng.randint(1, 4))))
    return sorted(words)


def shingles(words, n=5):
    if len(words) < n:
        return {" ".join(words)}
    return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}


def jaccard(a, b):
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb) if sa or sb else 1.0


class Gen:
    def __init__(self, args):
        self.rng = random.Random(args.seed)
        self.vocab = make_vocab(self.rng, 20000)
        self.rng.shuffle(self.vocab)
        w = [1.0 / (r + 10) for r in range(len(self.vocab))]  # Zipf-like
        self.cum = []
        s = 0.0
        for x in w:
            s += x
            self.cum.append(s)
        self.args = args
        self.boiler = self.words(args.words // 3)
        self.gid = 0

    def words(self, n):
        return self.rng.choices(self.vocab, cum_weights=self.cum, k=n)

    def url(self, host=None):
        h = host or "site%d.example.com" % self.rng.randrange(5000)
        return "https://%s/p/%d" % (h, self.rng.randrange(10 ** 12))

    def doc(self, kind, words, url, base=-1, changed=0.0, jac=None, text=None, doc_id=None):
        g = self.gid
        self.gid += 1
        d = {"id": doc_id or hashlib.blake2b(url.lower().encode(), digest_size=8).hexdigest(),
             "url": url, "text": text if text is not None else " ".join(words),
             "score": self.rng.randrange(3, 500), "gid": g, "x": {"kind": kind}}
        t = {"gid": g, "kind": kind, "base": base, "changed": changed,
             "jaccard": jac if jac is not None else (1.0 if base >= 0 else 0.0)}
        return d, t, words

    def mutate(self, words, frac):
        out = list(words)
        k = max(1, round(frac * len(words)))
        for i in self.rng.sample(range(len(words)), k):
            out[i] = self.rng.choice(self.vocab)
        return out

    def generate(self):
        a, rng = self.args, self.rng
        while self.gid < a.docs:
            r = rng.random()
            n = max(8, int(rng.gauss(a.words, a.words / 5)))
            if r < a.wiki:
                host = rng.choice(WIKI_HOSTS)
                yield self.doc("wikipedia", self.words(n), self.url(host))[:2]
                continue
            if r < a.wiki + a.related:
                # the shared block is at most a third of the page: pairs stay distinct (J < 0.25)
                ws = self.words(max(n - len(self.boiler), 2 * len(self.boiler))) + self.boiler
                yield self.doc("related", ws, self.url())[:2]
                continue
            d, t, ws = self.doc("distinct", self.words(n), self.url())
            yield d, t
            if rng.random() >= a.dup:
                continue
            base = t["gid"]
            for _ in range(rng.randint(1, 3)):
                c = rng.random()
                if c < 0.35:
                    yield self.doc("exact", ws, self.url(), base, 0.0, 1.0)[:2]
                elif c < 0.45:  # same text up to case and whitespace
                    txt = "  ".join(w.upper() if i % 7 == 0 else w for i, w in enumerate(ws))
                    yield self.doc("exact", ws, self.url(), base, 0.0, 1.0, text=txt + "\n")[:2]
                elif c < 0.5:  # the same URL up to normalisation, other text
                    u = d["url"].replace("https://", "HTTPS://").replace(".com/", ".COM:443/")
                    yield self.doc("url", self.words(n), u + "#section", base, 1.0, 0.0,
                                   doc_id=d["id"])[:2]
                else:
                    frac = rng.uniform(0.01, 0.10)
                    mw = self.mutate(ws, frac)
                    yield self.doc("near", mw, self.url(), base, frac, jaccard(ws, mw))[:2]


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--docs", type=int, default=2000)
    p.add_argument("--shards", type=int, default=1)
    p.add_argument("--words", type=int, default=300, help="mean words per document")
    p.add_argument("--wiki", type=float, default=0.03)
    p.add_argument("--related", type=float, default=0.05)
    p.add_argument("--dup", type=float, default=0.2, help="share of distinct docs with copies")
    p.add_argument("--level", type=int, default=3, help="zstd level")
    p.add_argument("--truth")
    p.add_argument("--stream", action="store_true",
                   help="no global shuffle, bounded memory (document i goes to shard i %% shards)")
    p.add_argument("out")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    procs, files = [], []
    for i in range(a.shards):
        f = open(os.path.join(a.out, "docs-%05d.jsonl.zst" % i), "wb")
        pr = subprocess.Popen(["zstd", "-q", "-%d" % a.level, "-c"], stdin=subprocess.PIPE, stdout=f)
        procs.append(pr)
        files.append(f)
    truth = open(a.truth, "w") if a.truth else None
    g = Gen(a)
    if a.stream:  # large corpora: document i to shard i % shards, in generation order
        for i, (d, t) in enumerate(g.generate()):
            procs[i % a.shards].stdin.write((json.dumps(d, separators=(",", ":")) + "\n").encode())
            if truth:
                truth.write(json.dumps(t) + "\n")
    else:
        docs = list(g.generate())
        # spread copies away from their bases so every shard count splits groups
        random.Random(a.seed + 1).shuffle(docs)
        per = (len(docs) + a.shards - 1) // a.shards
        for i, (d, t) in enumerate(docs):
            procs[i // per].stdin.write((json.dumps(d, separators=(",", ":")) + "\n").encode())
            if truth:
                truth.write(json.dumps(t) + "\n")
    for pr, f in zip(procs, files):
        pr.stdin.close()
        pr.wait()
        f.close()
    if truth:
        truth.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
