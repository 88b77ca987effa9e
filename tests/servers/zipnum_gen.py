#!/usr/bin/env python3
"""Generates a Common Crawl style zipnum index for the cc-lookup tests and
the benchmark, standard library only: N CDX lines ("SURT TIMESTAMP {json}",
sorted) in gzip blocks of 3,000 lines, files of 50 blocks, cluster.idx;
two URL files to look up (spelling variants of indexed URLs, absent URLs, a
URL with captures across several blocks); and what a linear scan of all the
lines finds for each URL line.

usage: zipnum_gen.py DIR N_LINES N_QUERIES CRAWL
writes DIR/data/cc-index/collections/CRAWL/indexes/{cluster.idx,cdx-NNNNN.gz},
DIR/urls-00000.jsonl, DIR/urls-00001.txt, DIR/expect.tsv (FILE LINE JSON, sorted),
DIR/blocks.txt (the number of blocks that can hold the queried keys)"""
import gzip
import json
import os
import random
import sys
from bisect import bisect_left, bisect_right

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from surt import surt  # noqa: E402

BLOCK, PER_FILE = 3000, 50


def main():
    out, n, nq, crawl = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    rng = random.Random(5)
    idx = f"{out}/data/cc-index/collections/{crawl}/indexes"
    os.makedirs(idx, exist_ok=True)
    urls = []
    hosts = [f"{rng.choice(['', 'www.', 'blog.', 'm.'])}h{i}.example{rng.randint(0, 9)}.com"
             for i in range(max(10, n // 25))]
    lines = []
    hot = "http://hot.example.org/front"
    for i in range(6500):  # one URL with captures in three blocks or more
        lines.append((surt(hot), f"2017{(i % 12) + 1:02d}{(i % 28) + 1:02d}{i % 24:02d}{i % 60:02d}{i % 59:02d}", hot))
    while len(lines) < n:
        h = rng.choice(hosts)
        path = "/" + "/".join(rng.choice(["news", "a", "b", "post", "2017", "x-y", "Item"]) for _ in range(rng.randint(0, 3)))
        if rng.random() < 0.3:
            path += f"?id={rng.randint(0, 999)}&p={rng.randint(0, 9)}"
        u = f"{rng.choice(['http', 'https'])}://{h}{path}"
        urls.append(u)
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            ts = f"2017{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 23):02d}{rng.randint(0, 59):02d}{rng.randint(0, 59):02d}"
            lines.append((surt(u), ts, u))
    lines = lines[:n]
    text = []
    for key, ts, u in lines:
        j = json.dumps({"url": u, "mime": "text/html", "status": "200", "digest": "D",
                        "length": str(rng.randint(500, 9000)), "offset": str(rng.randint(0, 10 ** 9)),
                        "filename": f"crawl-data/{crawl}/segments/1/warc/f{rng.randint(0, 99)}.warc.gz"})
        text.append(f"{key} {ts} {j}")
    text.sort()
    keys = [t.split(" ", 1)[0] for t in text]
    cluster, first_keys = [], []
    for b in range(0, len(text), BLOCK):
        fno = b // BLOCK // PER_FILE
        fn = f"cdx-{fno:05d}.gz"
        path = f"{idx}/{fn}"
        off = os.path.getsize(path) if os.path.exists(path) else 0
        member = gzip.compress(("\n".join(text[b:b + BLOCK]) + "\n").encode(), 1)
        with open(path, "ab") as f:
            f.write(member)
        first = text[b].split(" ")
        cluster.append(f"{first[0]} {first[1]}\t{fn}\t{off}\t{len(member)}\t{b // BLOCK + 1}")
        first_keys.append(first[0])
    with open(f"{idx}/cluster.idx", "w") as f:
        f.write("\n".join(cluster) + "\n")
    # queries: spelling variants of indexed URLs, absent ones, the hot one
    def variant(u):
        s, rest = u.split("://", 1)
        host, _, path = rest.partition("/")
        r = rng.random()
        if r < 0.2 and not host.startswith("www."):
            host = "www." + host
        elif r < 0.4:
            host = host.upper()
        elif r < 0.5:
            s = "https" if s == "http" else "http"
        if "?" in path and rng.random() < 0.5:
            p, _, q = path.partition("?")
            path = p + "?" + "&".join(reversed(q.split("&")))
        if rng.random() < 0.2 and not path.endswith("/") and "?" not in path:
            path += "/"
        return f"{s}://{host}/{path}"
    # from a SURT range holding 40% of the URLs, so that most blocks are not needed
    urls.sort(key=surt)
    part = urls[: max(1, len(urls) * 2 // 5)]
    qs = [variant(rng.choice(part)) for _ in range(nq)]
    qs += [f"http://absent{i}.example.com/p{i}" for i in range(nq // 3)]
    qs += [u.split("?")[0] + f"/not/there/{i}" for i, u in enumerate(rng.sample(part, nq // 3))]
    qs.append(hot)
    rng.shuffle(qs)
    half = len(qs) // 2
    files = [("urls-00000.jsonl", qs[:half]), ("urls-00001.txt", qs[half:])]
    with open(f"{out}/urls-00000.jsonl", "w") as f:
        for u in files[0][1]:
            f.write(json.dumps({"url": u, "created_utc": 1510000000}) + "\n")
    with open(f"{out}/urls-00001.txt", "w") as f:
        for u in files[1][1]:
            f.write(u + "\n")
    # the linear scan
    by_key = {}
    for t in text:
        k, ts, rest = t.split(" ", 2)
        by_key.setdefault(k, []).append(f'{{"crawl":"{crawl}","timestamp":"{ts}",{rest[1:]}')
    exp, blocks = [], set()
    for fi, (name, q) in enumerate(files):
        for ln, u in enumerate(q, 1):
            k = surt(u)
            for j in by_key.get(k, []):
                exp.append(f"{fi}\t{ln}\t{j}")
            lo, hi = bisect_left(first_keys, k), bisect_right(first_keys, k)
            if hi:
                blocks.update(range(max(lo - 1, 0), hi))
    exp.sort()
    with open(f"{out}/expect.tsv", "w") as f:
        f.write("".join(e + "\n" for e in exp))
    with open(f"{out}/blocks.txt", "w") as f:
        f.write(f"{len(blocks)} {len(cluster)}\n")


if __name__ == "__main__":
    main()
