#!/usr/bin/env bash
# Differential test of `tokenize encode` against the reference (tiktoken's
# gpt2 encoding, npm, run with node): every eval text in $WEBTEXT_DATA, the
# extraction benchmark's pages, Reddit samples and a generated adversarial
# corpus must give identical ids, with 1 and 2 threads; decoding must give
# the input back. Invalid UTF-8 (hand-made and random
# bytes) must be read as U+FFFD exactly as the reference's decoder does.
set -euo pipefail
. "$WEBTEXT_ROOT/tests/e2e/lib.sh"
need_data lambada/lambada_development_plain_text.txt lambada/lambada_test_plain_text.txt \
  lambada/lambada_test_openai.jsonl wikitext-2/wiki.test.tokens wikitext-2/wiki.valid.tokens \
  wikitext-103/wiki.test.tokens wikitext-2-raw/wiki.test.raw ptb/ptb.test.txt ptb/ptb.valid.txt \
  article-extraction-benchmark/dev/ground-truth.json article-extraction-benchmark/dev/html \
  pushshift-sample-2018 pushshift-sample/RS_v2_2005-06.ndjson
D=$WEBTEXT_DATA
wt_tmpdir
tmp=$T ref=$WEBTEXT_ROOT/tests/tokenize/reference.js tok=$WEBTEXT_BIN/tokenize
python3 "$WEBTEXT_ROOT/tests/tokenize/gen_corpus.py" "$tmp"
files=("$tmp"/*.txt
  "$D"/lambada/lambada_development_plain_text.txt "$D"/lambada/lambada_test_plain_text.txt
  "$D"/lambada/lambada_test_openai.jsonl "$D"/wikitext-2/wiki.test.tokens
  "$D"/wikitext-2/wiki.valid.tokens "$D"/wikitext-103/wiki.test.tokens
  "$D"/wikitext-2-raw/wiki.test.raw "$D"/ptb/ptb.test.txt "$D"/ptb/ptb.valid.txt
  "$D"/article-extraction-benchmark/dev/ground-truth.json)
# the ground truth's texts, unescaped, one file
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); open(sys.argv[2],"w").write("\n\n".join(v["articleBody"] for v in d.values()))' \
  "$D"/article-extraction-benchmark/dev/ground-truth.json "$tmp/gt-bodies.txt"
files+=("$tmp/gt-bodies.txt")
# real web pages (14.7 MB of HTML, every script and entity soup) and Reddit dumps
zcat "$D"/article-extraction-benchmark/dev/html/*.html.gz >"$tmp/pages.html"
cat "$D"/pushshift-sample-2018/*.ndjson "$D"/pushshift-sample/RS_v2_2005-06.ndjson >"$tmp/reddit.ndjson"
files+=("$tmp/pages.html" "$tmp/reddit.ndjson")
fail=0 n=0 tokens=0
for f in "${files[@]}"; do [ -s "$f" ] || { echo "missing input $f"; exit 1; }; done
mkdir "$tmp/ref"
node "$ref" encode-to "$tmp/ref" "${files[@]}"
for f in "${files[@]}"; do
  r=$tmp/ref/$n.ids
  "$tok" encode --threads 1 <"$f" >"$tmp/one"
  n=$((n + 1)) tokens=$((tokens + $(wc -w <"$r")))
  if ! cmp -s "$r" "$tmp/one"; then
    echo "FAIL: $f: ids differ from the reference"
    diff <(tr ' ' '\n' <"$r") <(tr ' ' '\n' <"$tmp/one") | head -5  || true
    fail=1
  fi
  # files over 1 MB are cut into chunks: the same ids with 2 threads
  if [ "$(stat -c %s "$f")" -gt 1100000 ]; then
    "$tok" encode --threads 2 --input "$f" | cmp -s - "$tmp/one" ||
      { echo "FAIL: $f: --threads 2 differs from --threads 1"; fail=1; }
  fi
  "$tok" decode <"$tmp/one" | cmp -s - "$f" || { echo "FAIL: $f: decode(encode(x)) != x"; fail=1; }
done
echo "$n files, $tokens tokens compared"
# invalid UTF-8: each maximal invalid subpart is U+FFFD, as node's TextDecoder
printf 'ok \xff\xfe caf\xc3 \xe2\x82 x\xed\xa0\x80y \xf0\x9f\x98 \xc0\xaf end\x80' >"$tmp/bad.bin"
node "$ref" encode "$tmp/bad.bin" >"$tmp/bad.ref"
"$tok" encode <"$tmp/bad.bin" >"$tmp/one" 2>"$tmp/err"
cmp -s "$tmp/bad.ref" "$tmp/one" || { echo "FAIL: invalid UTF-8 handled unlike the reference"; fail=1; }
grep -q 'invalid UTF-8' "$tmp/err" || { echo "FAIL: invalid UTF-8 not reported"; fail=1; }
# 300 KB of random bytes, mostly UTF-8 lead and continuation bytes
python3 -c '
import random, sys
r = random.Random(5)
pool = list(range(0x20, 0x7f)) + list(range(0x80, 0xc0)) * 2 + list(range(0xc0, 0x100)) * 2 + [10, 32, 39]
open(sys.argv[1], "wb").write(bytes(r.choice(pool) for _ in range(300000)))' "$tmp/random.bin"
node "$ref" encode "$tmp/random.bin" >"$tmp/bad.ref"
"$tok" encode --threads 2 <"$tmp/random.bin" >"$tmp/one" 2>/dev/null
cmp -s "$tmp/bad.ref" "$tmp/one" || { echo "FAIL: random bytes encoded unlike the reference"; fail=1; }
exit $fail
