#!/usr/bin/env bash
# dedup overlap: a test set against itself is 100%; the Bloom filter and the
# exact set agree within 0.01 percentage points; docs JSON Lines references
# are detected by content; the JSON maps each test file to ngrams/overlap.
set -euo pipefail
. "$WEBTEXT_ROOT/tests/e2e/lib.sh"
need_data wikitext-2/wiki.test.tokens ptb/ptb.test.txt
bin=${WEBTEXT_BIN:-bin}/dedup
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
wt2=$WEBTEXT_DATA/wikitext-2/wiki.test.tokens
ptb=$WEBTEXT_DATA/ptb/ptb.test.txt

"$bin" overlap --ref "$wt2" --json "$t/self.json" "$wt2" | tee "$t/self.txt"
"$bin" overlap --exact --ref "$wt2" --json "$t/selfx.json" "$wt2"
"$bin" overlap --ref "$wt2" --json "$t/bloom.json" "$ptb" "$wt2"
"$bin" overlap --ref "$wt2" --exact --json "$t/exact.json" "$ptb" "$wt2"
"$bin" overlap --ref "$ptb" --json "$t/bloom2.json" "$wt2"
"$bin" overlap --ref "$ptb" --exact --json "$t/exact2.json" "$wt2"
grep -q '100.0000%' "$t/self.txt"

# a docs shard as the reference: lines of PTB become documents
python3 - "$ptb" "$t/docs-00000.jsonl" <<'PY'
import json, sys
with open(sys.argv[2], "w") as out:
    for i, line in enumerate(open(sys.argv[1])):
        out.write(json.dumps({"id": "%016x" % i, "url": "https://p/%d" % i, "text": line}) + "\n")
PY
zstd -q "$t/docs-00000.jsonl"
"$bin" overlap --ref "$t/docs-00000.jsonl.zst" --json "$t/docs.json" "$ptb"
# a mostly-unrelated generated reference
printf 'nothing in common with anything at all here ok\n' >"$t/other.txt"
"$bin" overlap --ref "$t/other.txt" --json "$t/none.json" "$wt2"

python3 - "$t" "$wt2" "$ptb" <<'PY'
import json, sys
t, wt2, ptb = sys.argv[1:]
L = lambda n: json.load(open("%s/%s.json" % (t, n)))
for n in ("self", "selfx"):
    j = L(n)
    assert j[wt2]["overlap"] == 1.0 and j[wt2]["ngrams"] > 200000, j
b, x = L("bloom"), L("exact")
for f in (ptb, wt2):
    assert b[f]["ngrams"] == x[f]["ngrams"]
    assert abs(b[f]["overlap"] - x[f]["overlap"]) * 100 <= 0.01, (b[f], x[f])
assert 0 < b[ptb]["overlap"] < 0.1, b
b2, x2 = L("bloom2"), L("exact2")
assert abs(b2[wt2]["overlap"] - x2[wt2]["overlap"]) * 100 <= 0.01, (b2, x2)
# per-line documents: n-grams do not cross lines (PTB lines are short sentences)
d = L("docs")
assert 0.5 < d[ptb]["overlap"] < 1.0, d
assert L("none")[wt2]["overlap"] == 0.0
print("bloom vs exact:", b[ptb], x[ptb])
PY
# usage
if "$bin" overlap "$wt2" 2>/dev/null; then exit 1; fi
if "$bin" overlap --ref "$t/missing" "$wt2" 2>"$t/err"; then exit 1; fi
grep -q missing "$t/err"
echo ok
