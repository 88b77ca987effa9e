#!/usr/bin/env bash
# eval's handling of bad input: malformed data files fail their task with an
# error naming the file and line (the other tasks still run, exit 1); missing
# data is skipped with the places looked at; usage errors exit 2.
set -uo pipefail
. "$WEBTEXT_ROOT/tests/e2e/lib.sh"
need_vocab
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$WEBTEXT_BIN/model" init --out "$tmp/m" --n-layer 1 --n-head 2 --n-embd 32 --n-ctx 64 --zero >/dev/null || fail "model init"
d=$tmp/data
mkdir -p "$d/lambada" "$d/wikitext-2" "$d/ptb" "$d/cbt" "$d/text8" "$d/webtext"
printf '{"text": "one two three"}\n{"text": "broken\n' >"$d/lambada/lambada_test_openai.jsonl"
printf ' = Title = \n a good line \n bad \xff\xfe byte \n' >"$d/wikitext-2/wiki.test.tokens"
printf ' a fine ptb line \n' >"$d/ptb/ptb.test.txt"
{ for i in $(seq 1 20); do echo "$i Line $i ."; done; printf '21 The XXXXX ran .\tdog\t\tcat|fox\n\n'; } \
  >"$d/cbt/cbtest_CN_test_2500ex.txt"
printf 'abc def Ghi jkl' >"$d/text8/text8"
printf 'not a shard at all, just text that is long enough......%01000d' 0 >"$d/webtext/tokens-00000.bin"

run() { "$WEBTEXT_BIN/eval" run --model "$tmp/m" --data "$d" --quiet --force "$@"; }
run --tasks all -o "$tmp/out" 2>"$tmp/err"
rc=$?
cat "$tmp/err"
[ $rc -eq 1 ] || fail "malformed data: exit $rc, want 1"
grep -q "lambada_test_openai.jsonl:2: line is not valid JSON" "$tmp/err" || fail "lambada line"
grep -q "wiki.test.tokens:3: invalid UTF-8 or NUL byte at column 6" "$tmp/err" || fail "wikitext line"
grep -q "cbtest_CN_test_2500ex.txt:21: answer is not among the candidates" "$tmp/err" || fail "cbt line"
grep -q "text8: byte 8: 0x47 is not a-z or space" "$tmp/err" || fail "text8 byte"
grep -q "tokens-00000.bin: not an llm.c token shard (bad magic)" "$tmp/err" || fail "shard magic"
grep -q "enwik8: data not found (looked for $d/enwik8/enwik8); skipped" "$tmp/err" || fail "skip message"
# the good task still ran and is in the results, the bad ones are listed as failed
python3 - "$tmp/out/results.json" <<'EOF' || fail "results.json"
import json, sys
r = json.load(open(sys.argv[1]))
assert list(r["tasks"]) == ["ptb"], list(r["tasks"])
assert set(r["failed"]) == {"lambada", "wikitext2", "cbt-cn", "text8", "webtext"}, r["failed"]
assert "enwik8" in r["skipped"] and "1bw" in r["skipped"]
EOF
# CBT: a missing sentence number, and a file that ends inside an example
sed -i '7d' "$d/cbt/cbtest_CN_test_2500ex.txt"
run --tasks cbt-cn -o "$tmp/o2" 2>"$tmp/err"; [ $? -eq 1 ] || fail "cbt gap exit"
grep -q "cbtest_CN_test_2500ex.txt:7: expected a line numbered 7" "$tmp/err" || fail "cbt gap"
head -5 "$d/ptb/ptb.test.txt" >/dev/null
{ for i in $(seq 1 12); do echo "$i Line $i ."; done; } >"$d/cbt/cbtest_CN_test_2500ex.txt"
run --tasks cbt-cn -o "$tmp/o3" 2>"$tmp/err"; [ $? -eq 1 ] || fail "cbt truncated exit"
grep -q "file ends inside an example (after sentence 12)" "$tmp/err" || fail "cbt truncated"
{ for i in $(seq 1 20); do echo "$i Line $i ."; done; printf '21 The XXXXXs ran .\tdog\t\tcat|dog\n\n'; } \
  >"$d/cbt/cbtest_CN_test_2500ex.txt"
run --tasks cbt-cn -o "$tmp/o3b" 2>"$tmp/err"; [ $? -eq 1 ] || fail "cbt glued blank exit"
grep -q "cbtest_CN_test_2500ex.txt:21: question has no separate XXXXX token" "$tmp/err" || fail "cbt glued blank"
# a shard whose header promises more tokens than it holds
python3 -c "
import struct; open('$d/webtext/tokens-00000.bin','wb').write(struct.pack('<256i', 20240520, 1, 10, *[0]*253) + struct.pack('<3H', 50256, 5, 6))"
run --tasks webtext -o "$tmp/o4" 2>"$tmp/err"; [ $? -eq 1 ] || fail "shard count exit"
grep -q "header says 10 tokens, the file holds 3" "$tmp/err" || fail "shard count"

# usage errors
"$WEBTEXT_BIN/eval" run --model "$tmp/m" --tasks nope -o "$tmp/o5" 2>/dev/null; [ $? -eq 2 ] || fail "unknown task"
"$WEBTEXT_BIN/eval" run --tasks ptb -o "$tmp/o5" 2>/dev/null; [ $? -eq 2 ] || fail "missing --model"
"$WEBTEXT_BIN/eval" run --model "$tmp/m" --ctx 65 -o "$tmp/o5" 2>/dev/null; [ $? -eq 2 ] || fail "ctx > n_ctx"
"$WEBTEXT_BIN/eval" run --model "$tmp/nomodel" --data "$d" -o "$tmp/o6" 2>"$tmp/err"; [ $? -eq 1 ] || fail "missing model"
grep -q "HINT: --model names a Hugging Face GPT-2 folder" "$tmp/err" || fail "missing model HINT"
[ ! -e "$tmp/o6/results.json" ] || fail "missing model: results written"
# not GPT-2 (another vocabulary size; a folder without model.safetensors):
# fails before any task runs, with bin/model's HINT line
"$WEBTEXT_BIN/model" init --out "$tmp/v1000" --n-layer 1 --n-head 2 --n-embd 32 --n-ctx 64 \
  --vocab 1000 >/dev/null || fail "model init --vocab"
"$WEBTEXT_BIN/eval" run --model "$tmp/v1000" --data "$d" --tasks ptb -o "$tmp/o7" 2>"$tmp/err"
[ $? -eq 1 ] || fail "vocab 1000: exit"
grep -q "config.json has vocab_size 1000 but the GPT-2 vocabulary" "$tmp/err" || fail "vocab 1000 message"
grep -q "^HINT: --model names a Hugging Face GPT-2 folder" "$tmp/err" || fail "vocab 1000 HINT"
grep -q "eval: ptb" "$tmp/err" && fail "vocab 1000: a task ran"
[ ! -e "$tmp/o7/results.json" ] || fail "vocab 1000: results written"
mkdir -p "$tmp/half" && cp "$tmp/m/config.json" "$tmp/half/"
"$WEBTEXT_BIN/eval" run --model "$tmp/half" --data "$d" --tasks ptb -o "$tmp/o8" 2>"$tmp/err"
[ $? -eq 1 ] || fail "no safetensors: exit"
grep -q "model.safetensors: cannot open (HINT: --model names a Hugging Face GPT-2" "$tmp/err" ||
  fail "no safetensors HINT"
grep -q "eval: ptb" "$tmp/err" && fail "no safetensors: a task ran"
"$WEBTEXT_BIN/eval" --help | grep -q "run" || fail "help"
"$WEBTEXT_BIN/eval" run --help | grep -q -- "--stride" || fail "run help"
"$WEBTEXT_BIN/eval" list --data "$d" | grep -q "ptb/ptb.test.txt" || fail "list"
echo "eval_errors: ok"
