#!/usr/bin/env bash
# Bad input never crashes bin/tokenize: a truncated .zst, a line that is not
# JSON, a missing text field, invalid UTF-8 inside a JSON line, a bad token id
# and a missing vocabulary each get a message naming the file (and line), the
# documented exit code, and no output under a final name.
set -uo pipefail
tok=$WEBTEXT_BIN/tokenize
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
expect() { # expect RC GREP-PATTERN FILE: exit code and message
  if [ "$1" != "$rc" ]; then echo "FAIL: $4: exit $rc, expected $1"; cat "$3"; fail=1; fi
  grep -qE -- "$2" "$3" || { echo "FAIL: $4: no message matching '$2'"; cat "$3"; fail=1; }
}
mkdir "$tmp/in"
{
  echo '{"id":"a","text":"The first document."}'
  echo '{"id":"b","text":"Second'
  echo '{"id":"c","body":"no text field"}'
  printf '{"id":"d","text":"bad \xff byte"}\n'
  echo '{"id":"e","text":12}'
  echo '[1,2]'
  echo ''
  echo '{"id":"f","text":"The last <|endoftext|> one.\u0000ok"}'
} >"$tmp/in/docs-00003.jsonl"
"$tok" shards --quiet "$tmp/in/docs-00003.jsonl" -o "$tmp/out" --stats "$tmp/s.json" 2>"$tmp/err"
rc=$?
expect 0 'docs-00003.jsonl:2: ' "$tmp/err" "invalid JSON"
expect 0 'docs-00003.jsonl:3: no string field "text"' "$tmp/err" "missing field"
expect 0 'docs-00003.jsonl:4: ' "$tmp/err" "invalid UTF-8 in JSON"
expect 0 'docs-00003.jsonl:5: no string field' "$tmp/err" "text not a string"
expect 0 'docs-00003.jsonl:6: ' "$tmp/err" "not an object"
python3 - "$tmp/s.json" "$tmp/out/tokens-00003.idx" <<'PY' || fail=1
import json, sys
s = json.load(open(sys.argv[1]))
assert s["documents"] == 2 and s["bad_records"] == 5, s
assert [json.loads(l)["id"] for l in open(sys.argv[2])] == ["a", "f"]
PY
# --strict: the first bad record is fatal and nothing is written
"$tok" shards --quiet --strict "$tmp/in/docs-00003.jsonl" -o "$tmp/strict" 2>"$tmp/err"
rc=$?
expect 1 'docs-00003.jsonl:2' "$tmp/err" "--strict"
ls "$tmp/strict" 2>/dev/null | grep -q . && { echo "FAIL: --strict left files: $(ls "$tmp/strict")"; fail=1; }
# a truncated zstd file: an error naming it, no output
python3 -c 'import json; [print(json.dumps({"id": str(i), "text": "word %d " % i * 50})) for i in range(3000)]' |
  zstd -q -c >"$tmp/full.zst"
head -c $(($(stat -c %s "$tmp/full.zst") / 2)) "$tmp/full.zst" >"$tmp/in/docs-00004.jsonl.zst"
"$tok" shards --quiet "$tmp/in/docs-00004.jsonl.zst" -o "$tmp/out" 2>"$tmp/err"
rc=$?
expect 1 'docs-00004.jsonl.zst' "$tmp/err" "truncated zstd"
ls "$tmp/out" | grep -q 00004 && { echo "FAIL: truncated input left output: $(ls "$tmp/out")"; fail=1; }
# other bad invocations
"$tok" shards "$tmp/in/nonumber.jsonl" -o "$tmp/out" 2>"$tmp/err"; rc=$?
expect 1 'nonumber.jsonl: no shard number' "$tmp/err" "no shard number"
"$tok" shards "$tmp/in/docs-00009.jsonl" -o "$tmp/out" 2>"$tmp/err"; rc=$?
expect 1 'docs-00009.jsonl' "$tmp/err" "missing input"
"$tok" shards "$tmp/in/docs-00003.jsonl" 2>"$tmp/err"; rc=$?
expect 2 '-o DIR is required' "$tmp/err" "no -o"
"$tok" encode --bogus </dev/null 2>"$tmp/err"; rc=$?
expect 2 'usage' "$tmp/err" "unknown option"
echo '15496 995 x 11' | "$tok" decode >/dev/null 2>"$tmp/err"; rc=$?
expect 1 "'x' is not part of a token id" "$tmp/err" "decode garbage"
echo '15496 99999' | "$tok" decode >/dev/null 2>"$tmp/err"; rc=$?
expect 1 'token 2: token id 99999 is outside' "$tmp/err" "decode bad id"
echo hi | "$tok" encode --vocab "$tmp/none" 2>"$tmp/err"; rc=$?
expect 1 'HINT' "$tmp/err" "missing vocabulary"
echo hi | WEBTEXT_VOCAB="$tmp/none" "$tok" encode 2>"$tmp/err"; rc=$?
expect 1 "$tmp/none" "$tmp/err" "WEBTEXT_VOCAB"
# a corrupt vocabulary: a clear message, not a crash
mkdir "$tmp/badvocab"
echo '{"a": 0, "b": 5}' >"$tmp/badvocab/encoder.json"
printf '#version: 0.2\na b\n' >"$tmp/badvocab/vocab.bpe"
echo hi | "$tok" encode --vocab "$tmp/badvocab" 2>"$tmp/err"; rc=$?
expect 1 'encoder.json' "$tmp/err" "corrupt vocabulary"
"$tok" --help >/dev/null && "$tok" shards --help >/dev/null && "$tok" encode --help >/dev/null &&
  "$tok" decode --help >/dev/null || { echo "FAIL: --help"; fail=1; }
exit $fail
