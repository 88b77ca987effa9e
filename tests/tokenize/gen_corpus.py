#!/usr/bin/env python3
"""Writes the tokenizer's adversarial test corpus (valid UTF-8) to the folder
given: one file per theme, each compared id for id with the reference by
tests/e2e/tokenize_diff.sh. Deterministic; nothing here comes from real data."""
import random
import sys
import unicodedata

out = sys.argv[1]
rng = random.Random(20240520)


def write(name, text):
    with open(f"{out}/{name}.txt", "w", encoding="utf-8", newline="") as f:
        f.write(text)


def codepoints():
    """Every code point of planes 0-1, a sample of the rest (no surrogates)."""
    for cp in range(0x20000):
        if not 0xD800 <= cp <= 0xDFFF:
            yield cp
    for cp in range(0x20000, 0x110000, 97):
        yield cp


# 1. Every code point (so every general category) in contexts that tell the
# pre-tokenizer's classes apart: before a contraction, after a space, after a
# letter and a digit, doubled, before punctuation.
parts = []
for cp in codepoints():
    c = chr(cp)
    parts.append(f"{c}'s {c}x{c}1 a{c}{c}. ")
    if len(parts) % 16 == 0:
        parts.append("\n")
text = "".join(parts)
half = len(text) // 2
write("codepoints-1", text[:half])
write("codepoints-2", text[half:])

# 2. Per general category, runs of its characters with spaces and digits.
by_cat = {}
for cp in range(0x110000):
    if 0xD800 <= cp <= 0xDFFF:
        continue
    by_cat.setdefault(unicodedata.category(chr(cp)), []).append(chr(cp))
parts = []
for cat, chars in sorted(by_cat.items()):
    sample = rng.sample(chars, min(len(chars), 400))
    for i in range(0, len(sample), 5):
        parts.append(cat + " " + "".join(sample[i:i + 5]) + " " + " ".join(sample[i:i + 5]) + "\n")
write("categories", "".join(parts))

# 3. Whitespace of every kind, in runs and before every class of character.
spaces = [" ", "\t", "\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x85",
          "\xa0", "\u1680", "\u2000", "\u2007", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f",
          "\u3000", "\u200b", "\ufeff", "\u180e", "  ", "   "]
after = ["a", "A", "1", "!", "'s", "'", "é", "日", "\U0001F600", "", " a", "\n"]
parts = []
for a in spaces:
    for b in spaces:
        for f in after:
            parts.append("x" + a + b + f)
    parts.append("\n")
for n in range(1, 40):
    parts.append("word" + " " * n + "\n" + " " * n + "word" + "\t" * n + "\r\n" * n + "end")
write("whitespace", "".join(parts))

# 4. Contractions in every case, after every kind of character.
conts = ["s", "t", "re", "ve", "m", "ll", "d"]
cased = set()
for c in conts:
    for mask in range(1 << len(c)):
        cased.add("".join(ch.upper() if mask >> i & 1 else ch for i, ch in enumerate(c)))
parts = []
for c in sorted(cased):
    for q in ["'", "\u2019", "''", "`"]:
        for pre in ["it", "IT", "1", " ", "", "!", "é", "\n", "x "]:
            parts.append(pre + q + c + " " + pre + q + c + "x" + q + c + q + "\n")
write("contractions", "".join(parts))

# 5. Digits of every script, numbers of every kind, and mixed runs.
parts = []
for cp in range(0x110000):
    ch = chr(cp) if not 0xD800 <= cp <= 0xDFFF else ""
    if ch and unicodedata.category(ch) == "Nd" and unicodedata.digit(ch, -1) == 0:
        run = "".join(chr(cp + i) for i in range(10))
        parts.append(f"{run} {run}{run} x{run}y 1{run} {run[::-1]}.\n")
    elif ch and unicodedata.category(ch) in ("Nl", "No") and cp % 3 == 0:
        parts.append(f"{ch}{ch}1 {ch}a ")
parts.append(" ".join(str(rng.randrange(10 ** rng.randrange(1, 30))) for _ in range(2000)))
write("digits", "".join(parts))

# 6. Emoji: ZWJ sequences, skin tones, flags, keycaps, variation selectors.
tones = ["", "\U0001F3FB", "\U0001F3FC", "\U0001F3FD", "\U0001F3FE", "\U0001F3FF"]
bases = ["\U0001F44D", "\U0001F469", "\U0001F468", "\U0001F9D1", "\U0001F476", "\u270B"]
parts = []
for b in bases:
    for t in tones:
        parts.append(b + t + " " + b + t + "\u200D\U0001F4BB" + b + t + "\u200D\u2764\uFE0F\u200D" + b)
flags = ["\U0001F1FA\U0001F1F8", "\U0001F1EB\U0001F1F7", "\U0001F1EF\U0001F1F5",
         "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F"]
parts += [f + " " + f + f for f in flags]
parts += [k + "\uFE0F\u20E3" for k in "0123456789#*"]
parts.append("\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466 family! ok\u2764\uFE0F.")
write("emoji", "\n".join(parts))

# 7. Combining marks, scripts without spaces, mixed text.
parts = []
marks = [chr(c) for c in range(0x300, 0x370)] + ["\u0941", "\u093F", "\u20DD", "\u05B4", "\u0E34"]
for m in marks:
    parts.append(f"e{m} a{m}{m} {m}x 1{m} !{m} '{m}s {m}")
parts.append("नमस्ते दुनिया ไทยภาษา 日本語のテキスト 한국어 텍스트 Ελληνικά Кириллица עברית عربي")
parts.append("Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e\u0349\u035a\u032f\u031e\u0320\u034dA\u036b\u0357")
write("marks", "\n".join(parts))

# 8. Random mixtures of all of the above, and the end-of-text marker as text.
pool = list("abcXYZ019 \n\t'!.,-") + ["'s", "'LL", "\u3000", "\xa0", "\x85", "\x1c", "é", "日",
                                       "\U0001F600", "\u0301", "<|endoftext|>", "\r\n"]
write("mixed", "".join(rng.choice(pool) for _ in range(200000)))

# 9. Runs of one character (lengths 1..300, then 6,000: the reference is
# quadratic on long pieces; the 1 MB runs are checked by tokenize_long.sh).
parts = []
for ch in ["a", "A", "é", "日", " ", "\n", "1", "!", "\U0001F600", "'", "\t", "\u0301", "ab"]:
    for n in list(range(1, 70)) + [127, 128, 129, 255, 256, 257, 300]:
        parts.append(ch * n + "|")
    parts.append(ch * 6000 + "|")
write("runs", "".join(parts))
