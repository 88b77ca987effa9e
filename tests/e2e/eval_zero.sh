#!/usr/bin/env bash
# eval on an all-zero checkpoint (uniform over the 50257 tokens): every task
# runs (real LAMBADA/WikiText/PTB files, the project's own fixtures for CBT,
# enwik8, text8, 1BW and WebText shards), and the metrics must equal the
# closed forms: token_ppl = 50257, word_ppl = exp(tokens ln V / words),
# bpb = tokens log2 V / bytes, with counts checked independently (awk, python).
set -euo pipefail
. "$WEBTEXT_ROOT/tests/e2e/lib.sh"
need_data lambada/lambada_test_openai.jsonl ptb/ptb.test.txt wikitext-2/wiki.test.tokens \
  wikitext-103/wiki.test.tokens
need_vocab
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$WEBTEXT_BIN/model" init --out "$tmp/zero" --n-layer 1 --n-head 2 --n-embd 32 --n-ctx 128 --zero >/dev/null
python3 "$WEBTEXT_ROOT/tests/eval/make_fixtures.py" "$tmp/data" >"$tmp/fixtures.txt"
for d in lambada ptb wikitext-2 wikitext-103; do ln -s "$WEBTEXT_DATA/$d" "$tmp/data/$d"; done

limit=40
"$WEBTEXT_BIN/eval" run --model "$tmp/zero" --data "$tmp/data" --limit $limit --stride 48 \
  --batch 5 --quiet -o "$tmp/out"
test -s "$tmp/out/results.md"
grep -q '| 117M (paper) | 35.13 | 45.99 | 87.65 | 83.4 | 29.41 | 65.85 | 1.16 | 1.17 | 37.50 | 75.20 |' "$tmp/out/results.md"
grep -q '^| \*\*this model\*\*' "$tmp/out/results.md"

# independent counts of the first $limit lines: whitespace tokens + one per line
words() { head -n $limit "$1" | awk '{ w += NF } END { print w + NR }'; }
python3 - "$tmp/out/results.json" "$tmp/data" "$limit" \
  "$(words "$WEBTEXT_DATA/wikitext-2/wiki.test.tokens")" \
  "$(words "$WEBTEXT_DATA/wikitext-103/wiki.test.tokens")" \
  "$(words "$WEBTEXT_DATA/ptb/ptb.test.txt")" \
  "$(words "$tmp/data/1bw/news.en.heldout-00000-of-00050")" \
  "$(awk '{print $3}' "$tmp/fixtures.txt")" "$(awk '{print $5}' "$tmp/fixtures.txt")" <<'EOF'
import hashlib, json, math, sys
path, root, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
want_words = dict(zip(["wikitext2", "wikitext103", "ptb", "1bw"], map(int, sys.argv[4:8])))
wt_docs, wt_tokens = int(sys.argv[8]), int(sys.argv[9])
r = json.load(open(path))
V = 50257
lnV = math.log(V)
def close(a, b, rel=2e-5):
    return abs(a - b) <= rel * abs(b)
t = r["tasks"]
assert set(t) == {"lambada", "cbt-cn", "cbt-ne", "wikitext2", "ptb", "enwik8", "text8",
                  "wikitext103", "1bw", "webtext"}, sorted(t)
assert not r["skipped"] and not r["failed"], (r["skipped"], r["failed"])
for name, x in t.items():
    m = x["metrics"]
    if "token_ppl" in m:
        assert close(m["token_ppl"], V), (name, m)
    if "word_ppl" in m:
        assert x["words"] == want_words[name], (name, x["words"], want_words[name])
        assert x["examples"] == limit
        assert close(m["word_ppl"], math.exp(x["tokens"] * lnV / x["words"])), (name, m)
    assert x["tokens"] > 0 and x["tokens_per_s"] > 0
    f = x.get("data", {}).get("file")
    if f:
        assert x["data"]["sha256"] == hashlib.sha256(open(f, "rb").read()).hexdigest(), name
# LAMBADA: ppl = exp(mean over examples of target tokens * ln V); nothing is the argmax
lam = t["lambada"]
assert lam["examples"] == limit
assert close(lam["metrics"]["ppl"], math.exp(lam["tokens"] * lnV / limit))
# a uniform model's argmax is token 0 ("!"), never a LAMBADA target's first token
assert lam["metrics"]["acc"] == 0 and lam["metrics"]["acc_stopword_filter"] == 0
# enwik8: limit*1000 bytes after the skipped continuation byte(s) of the cut character
e8 = t["enwik8"]
data = open(f"{root}/enwik8/enwik8", "rb").read()
cut = len(data) - 5_000_000
skip = 0
while (data[cut + skip] & 0xC0) == 0x80:
    skip += 1
assert skip >= 1 and e8["skipped_continuation_bytes"] == skip, (skip, e8)
assert e8["bytes"] == limit * 1000 and e8["slice_offset"] == cut + skip
assert close(e8["metrics"]["bpb"], e8["tokens"] * math.log2(V) / e8["bytes"])
t8 = t["text8"]
assert t8["chars"] == limit * 1000
assert close(t8["metrics"]["bpc"], t8["tokens"] * math.log2(V) / t8["chars"])
# CBT: all 12 questions; the zero model scores a candidate -(its tokens) ln V
for name in ["cbt-cn", "cbt-ne"]:
    assert t[name]["examples"] == 12 and 0 <= t[name]["metrics"]["acc"] <= 1
# WebText: every document (all 11, under the limit) and every non-EOT token
assert t["webtext"]["examples"] == wt_docs and t["webtext"]["tokens"] == wt_tokens
print("ok")
EOF

# a rerun skips complete outputs; --force redoes them
"$WEBTEXT_BIN/eval" run --model "$tmp/zero" --data "$tmp/data" --tasks ptb -o "$tmp/out" 2>&1 | grep -q exists
# full PTB test set: 82,430 words (SOURCE.md), token_ppl exactly uniform
"$WEBTEXT_BIN/eval" run --model "$tmp/zero" --data "$tmp/data" --tasks ptb --ctx 128 --stride 128 \
  --quiet --force -o "$tmp/out"
python3 - "$tmp/out/results.json" <<'EOF'
import json, math, sys
x = json.load(open(sys.argv[1]))["tasks"]["ptb"]
assert x["words"] == 82430 and x["lines"] == 3761, x
# --stride == --ctx: windows overlap by one token, every token is scored
assert x["unscored_tokens"] == 0 and x["method"]["stride_used"] == 127, x
assert abs(x["metrics"]["token_ppl"] - 50257) < 50257 * 2e-5
assert abs(x["metrics"]["word_ppl"] / math.exp(x["tokens"] * math.log(50257) / 82430) - 1) < 2e-5
EOF
echo "eval_zero: ok"
