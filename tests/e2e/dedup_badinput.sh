#!/usr/bin/env bash
# dedup on bad input: invalid JSON, non-objects, missing fields, blank lines
# are counted and skipped (fatal with --strict, naming file and line); a
# truncated shard is a clear error with no output under the final name;
# usage errors exit 2; steps run out of order say what to run first.
set -uo pipefail
bin=${WEBTEXT_BIN:-bin}/dedup
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
mkdir -p "$t/in"
{
  echo '{"id":"0000000000000001","url":"https://a.example.com/1","text":"one two three four five six seven","score":5}'
  echo '{"id":"0000000000000002","url":"https://b.example.com/2","text":"One  TWO three four five six seven","score":9}'
  echo '{"id":"0000000000000003","url":"https://c.example.com/3","text":"unrelated words here for the test"'
  echo ''
  echo '   '
  echo '[1,2,3]'
  echo '{"id":"0000000000000004","url":"https://d.example.com/4"}'
  echo '{"id":"0000000000000005","url":"https://d.example.com/5","text":null}'
  echo 'not json at all'
  printf '{"id":"0000000000000006","url":"https://e.example.com/6","text":"bytes \xff\xfe invalid utf8"}\n'
  echo '{"id":"0000000000000007","url":"https://EN.M.WIKIPEDIA.ORG./wiki/X","text":"wiki"}'
  echo '{"id":"0000000000000008","url":"https://x.example.com/8","text":""}'
  echo '{"id":"0000000000000009","url":"https://x.example.com/9","text":"   "}'
  echo '{"id":"000000000000000a","url":"noscheme","text":"short"}'
} | zstd -q >"$t/in/docs-00000.jsonl.zst"
: | zstd -q >"$t/in/docs-00001.jsonl.zst"   # an empty shard

"$bin" run "$t"/in/*.zst -o "$t/out" --quiet 2>"$t/err" || fail "bad records must be skipped"
cat "$t/err"
grep -q 'docs-00000.jsonl.zst:3: line is not valid JSON' "$t/err" || fail "no file:record message"
python3 - "$t/out/report.json" <<'PY' || fail "report"
import json, sys
r = json.load(open(sys.argv[1]))
rr = r["removed_by_reason"]
assert r["documents"] == 12, r["documents"]
assert rr["bad_record"] == 6, rr   # invalid UTF-8 is invalid JSON
assert rr["wikipedia"] == 1 and rr["exact_duplicate"] == 2, rr   # 1~2, 8~9 ("" and "   ")
assert r["kept"] == 3, r["kept"]
PY
zstd -dc "$t/out/docs-00000.jsonl.zst" | grep -q '"score":9' || fail "higher score must be kept"
test -f "$t/out/docs-00001.jsonl.zst" || fail "empty shard gives an empty output"

# --drop-domains: hosts under a listed domain are removed as "domain"
printf '# test list\nB.Example.COM.\n' >"$t/drop.txt"
"$bin" run "$t"/in/*.zst -o "$t/dom" --drop-domains "$t/drop.txt" --quiet 2>/dev/null || fail "drop-domains"
python3 - "$t/dom/report.json" <<'PY' || fail "drop-domains report"
import json, sys
r = json.load(open(sys.argv[1]))
rr = r["removed_by_reason"]
assert rr["domain"] == 1 and rr["wikipedia"] == 1 and rr["exact_duplicate"] == 1, rr
assert "b.example.com" in r["parameters"]["drop_domains"], r["parameters"]
PY
zstd -dc "$t/dom/docs-00000.jsonl.zst" | grep -q '"score":5' || fail "the other copy is kept"

# --strict: the first bad record is fatal
"$bin" run "$t"/in/*.zst -o "$t/strict" --strict --quiet 2>"$t/err"
test $? -eq 1 || fail "--strict must fail"
grep -q 'docs-00000.jsonl.zst:3' "$t/err" || fail "strict message"

# a truncated shard: a clear error, nothing under the final name
zstd -dc "$t/in/docs-00000.jsonl.zst" >"$t/plain.jsonl"
for i in $(seq 1 300); do cat "$t/plain.jsonl"; done | zstd -q >"$t/big.zst"
mkdir -p "$t/trunc"
head -c $(( $(stat -c %s "$t/big.zst") / 2 )) "$t/big.zst" >"$t/trunc/docs-00003.jsonl.zst"
"$bin" run "$t/trunc/docs-00003.jsonl.zst" -o "$t/tout" --quiet 2>"$t/err"
test $? -eq 1 || fail "truncated shard must fail"
cat "$t/err"
grep -q 'docs-00003.jsonl.zst' "$t/err" || fail "error must name the file"
test ! -e "$t/tout/docs-00003.jsonl.zst" || fail "partial output"
test -z "$(find "$t/tout" -name '*.tmp')" || fail "left a .tmp"

# usage errors
"$bin" >/dev/null 2>&1; test $? -eq 2 || fail "no command"
"$bin" run -o "$t/x" >/dev/null 2>&1; test $? -eq 2 || fail "no input"
"$bin" run --bogus "$t/in/docs-00000.jsonl.zst" -o "$t/x" >/dev/null 2>&1; test $? -eq 2 || fail "bad option"
"$bin" signatures --rank 2 --world 2 "$t/in/docs-00000.jsonl.zst" -o "$t/x" >/dev/null 2>&1; test $? -eq 2 || fail "rank"
"$bin" run --bands 0 "$t/in/docs-00000.jsonl.zst" -o "$t/x" >/dev/null 2>&1; test $? -eq 2 || fail "bands"
for c in signatures buckets cluster filter run overlap; do "$bin" $c --help | grep -q usage || fail "$c --help"; done
# two inputs with one shard index
mkdir -p "$t/dup"
cp "$t/in/docs-00000.jsonl.zst" "$t/dup/"
"$bin" run "$t/in/docs-00000.jsonl.zst" "$t/dup/docs-00000.jsonl.zst" -o "$t/x" 2>"$t/err"
test $? -eq 1 || fail "duplicate shard index"
grep -q "same shard index" "$t/err" || fail "duplicate index message"
# steps out of order
"$bin" buckets "$t/in/docs-00000.jsonl.zst" -o "$t/nowork" 2>"$t/err"; test $? -eq 1 || fail "buckets first"
grep -q HINT "$t/err" || fail "hint"
"$bin" signatures "$t/in/docs-00000.jsonl.zst" -o "$t/w" --quiet 2>/dev/null || fail "signatures"
"$bin" cluster "$t/in/docs-00000.jsonl.zst" -o "$t/w" 2>"$t/err"; test $? -eq 1 || fail "cluster before buckets"
grep -q 'dedup buckets' "$t/err" || fail "cluster hint"
# a damaged step file is detected, not trusted
"$bin" buckets "$t/in/docs-00000.jsonl.zst" -o "$t/w" --quiet || fail "buckets"
f=$(ls "$t"/w/edges/edges-*.bin | head -1)
truncate -s -3 "$f"
"$bin" cluster "$t/in/docs-00000.jsonl.zst" -o "$t/w" 2>"$t/err"; test $? -eq 1 || fail "damaged edges"
grep -q 'truncated\|size' "$t/err" || fail "damage message"
echo ok
