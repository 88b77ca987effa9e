#!/usr/bin/python3
"""The dedup benchmark's anchor: datatrove's MinHash method (its defaults:
5-gram word shingles, 14 buckets x 8 hashes, 32-bit hashes, seed 1) written
in Python + numpy for this benchmark, as a whole process over the same
document shards as `dedup run`, writing the kept documents the same way
(OUT/docs-NNNNN.jsonl.zst, zstd level 3).

Faithful to datatrove (src/datatrove/pipeline/dedup/minhash.py, read, not
copied):
- text simplified as its simplify_content: lower case, whitespace runs to one
  space, its punctuation set removed, NFD with combining marks dropped;
- shingle = the first 4 bytes (little endian) of SHA-1 of the 5 words joined by
  spaces; a document with fewer than 5 words has no shingle and no signature;
- permutations h = (shingle * a + b) mod (2^61 - 1) in numpy uint64 (the
  product wraps modulo 2^64, as in datatrove), a, b drawn by
  numpy.random.RandomState(seed).randint over [1, p) and [0, p), masked to 32
  bits, minimum per permutation, split into 14 bands of 8;
- two documents are duplicates when one band is equal; pairs joined with a
  union-find whose root is the earlier document; every non-root is removed.
Differences, none of which changes which documents are removed:
- words are split on whitespace after simplification, where datatrove uses
  nltk's word_tokenize (which also splits contractions; the simplified text has
  no punctuation left, and nltk's model is not installed here);
- each band's signatures are sorted in memory with numpy (datatrove writes one
  file per band and merges them through a Python heap), so steps 2-4 cost
  less here than in datatrove.
Usage: datatrove_minhash.py SHARD... -o OUTDIR"""
import hashlib
import json
import os
import re
import struct
import subprocess
import sys
import unicodedata

import numpy as np

N_GRAMS, BANDS, ROWS, SEED = 5, 14, 8, 1
PRIME = np.uint64((1 << 61) - 1)
MASK32 = np.uint64((1 << 32) - 1)
# datatrove's punctuation set (utils.PUNCTUATION), control characters included
PUNCT = ("!/—”:％１〈&(、━\\【#%「」，】；+^]~“《„';’{|∶´[=-`*．（–？！：$～«〉,><》)?）。…@_.\"}►»"
         + "".join(map(chr, list(range(0, 32)) + list(range(127, 160)))))
DROP = str.maketrans("", "", PUNCT)
SPACES = re.compile(r"\s+")


def simplify(text):
    text = SPACES.sub(" ", text.lower().strip()).translate(DROP)
    text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return text.strip()


def shingles(text):
    """uint64 array (N, 1) of 32-bit SHA-1 shingle hashes."""
    w = simplify(text).split()
    hs = [struct.unpack("<I", hashlib.sha1(" ".join(w[i:i + N_GRAMS]).encode()).digest()[:4])[0]
          for i in range(len(w) - N_GRAMS + 1)]
    return np.array(hs, dtype=np.uint64).reshape((-1, 1))


def read_lines(path):
    p = subprocess.Popen(["zstd", "-dcq", path], stdout=subprocess.PIPE)
    yield from p.stdout
    if p.wait() != 0:
        sys.exit("%s: zstd failed" % path)


def main():
    args = sys.argv[1:]
    if "-o" not in args:
        sys.exit(__doc__)
    i = args.index("-o")
    out, shards = args[i + 1], args[:i] + args[i + 2:]
    gen = np.random.RandomState(SEED)
    a = gen.randint(1, PRIME, dtype=np.uint64, size=(1, BANDS * ROWS))
    b = gen.randint(0, PRIME, dtype=np.uint64, size=(1, BANDS * ROWS))
    # step 1: signatures, one row of 112 hashes per document that has shingles
    sigs, owners = [], []  # owners: (shard index, document index)
    for f, path in enumerate(shards):
        for d, line in enumerate(read_lines(path)):
            sh = shingles(json.loads(line)["text"])
            if sh.size == 0:
                continue
            phv = np.bitwise_and((sh * a + b) % PRIME, MASK32)
            sigs.append(phv.min(axis=0).astype(np.uint32))
            owners.append((f, d))
    sigs = np.array(sigs, dtype=np.uint32).reshape((-1, BANDS * ROWS))
    # step 2: per band, equal signatures are adjacent once sorted (ties by document order)
    pairs = []
    for band in range(BANDS):
        s = sigs[:, band * ROWS:(band + 1) * ROWS]
        order = np.lexsort([np.arange(len(s))] + [s[:, r] for r in reversed(range(ROWS))])
        ss = s[order]
        same = np.all(ss[1:] == ss[:-1], axis=1)
        for k in np.nonzero(same)[0]:
            pairs.append((int(order[k]), int(order[k + 1])))
    # step 3: union-find as datatrove's: parent(b) joins parent(a), a before b
    parent = {}

    def root(x):
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    for x, y in pairs:
        parent[root(y)] = root(x)
    remove = {owners[n] for n in parent if root(n) != n}
    # step 4: filter, writing the kept documents
    os.makedirs(out, exist_ok=True)
    kept = removed = 0
    for f, path in enumerate(shards):
        dst = os.path.join(out, os.path.basename(path))
        with open(dst + ".tmp", "wb") as fo:
            z = subprocess.Popen(["zstd", "-q", "-3", "-c"], stdin=subprocess.PIPE, stdout=fo)
            for d, line in enumerate(read_lines(path)):
                if (f, d) in remove:
                    removed += 1
                    continue
                z.stdin.write(line)
                kept += 1
            z.stdin.close()
            if z.wait() != 0:
                sys.exit("%s: zstd failed" % dst)
        os.replace(dst + ".tmp", dst)
    json.dump({"documents": kept + removed, "kept": kept, "removed": removed, "pairs": len(pairs)},
              open(os.path.join(out, "report.json"), "w"))


if __name__ == "__main__":
    main()
