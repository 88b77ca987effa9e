#!/usr/bin/env python3
"""Writes the tokenizer benchmark's inputs into the folder given:
prose.txt (>= 24 MB of English: the eval sets' lines, shuffled and repeated),
unicode.txt (~8 MB of synthetic multilingual text: Cyrillic, Greek, CJK,
Arabic, Devanagari, accented Latin, emoji, digits of several scripts) and
docs-00000.jsonl.zst's source docs.jsonl (prose cut into ~4 KB documents)."""
import json
import random
import sys

data, out = sys.argv[1], sys.argv[2]
rng = random.Random(20240520)
lines = []
for f in ["lambada/lambada_test_plain_text.txt", "lambada/lambada_development_plain_text.txt",
          "wikitext-2-raw/wiki.test.raw", "wikitext-103/wiki.test.tokens", "ptb/ptb.valid.txt"]:
    lines += open(f"{data}/{f}", encoding="utf-8").read().split("\n")
parts, size = [], 0
while size < 24_000_000:
    rng.shuffle(lines)
    for line in lines:
        parts.append(line)
        size += len(line.encode()) + 1
prose = "\n".join(parts)
open(f"{out}/prose.txt", "w", encoding="utf-8").write(prose)

with open(f"{out}/docs.jsonl", "w", encoding="utf-8") as f:
    i = 0
    for start in range(0, len(prose), 4000):
        f.write(json.dumps({"id": "%016x" % i, "text": prose[start:start + 4000]}) + "\n")
        i += 1

ranges = [(0x0430, 0x044F), (0x03B1, 0x03C9), (0x4E00, 0x4FFF), (0x0627, 0x064A),
          (0x0915, 0x0939), (0x00E0, 0x00FF), (0x3041, 0x3096), (0xAC00, 0xAD00)]
emoji = ["\U0001F600", "\U0001F44D\U0001F3FD", "\U0001F468\u200D\U0001F469\u200D\U0001F467", "\u2764\uFE0F"]
digits = ["0123456789", "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669",
          "\u0966\u0967\u0968\u0969\u096A\u096B\u096C\u096D\u096E\u096F"]
words, size = [], 0
while size < 8_000_000:
    r = rng.random()
    if r < 0.05:
        w = rng.choice(emoji)
    elif r < 0.1:
        d = rng.choice(digits)
        w = "".join(rng.choice(d) for _ in range(rng.randint(1, 6)))
    else:
        lo, hi = rng.choice(ranges)
        w = "".join(chr(rng.randint(lo, hi)) for _ in range(rng.randint(1, 8)))
    w += rng.choice([" ", " ", " ", ", ", ". ", "\n", "\u3002", "\u3000"])
    words.append(w)
    size += len(w.encode())
open(f"{out}/unicode.txt", "w", encoding="utf-8").write("".join(words))
