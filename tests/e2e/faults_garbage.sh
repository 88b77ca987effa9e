#!/usr/bin/env bash
# Every stage binary on bad inputs (tests/faults/garbage.py: random bytes,
# truncated compressed files, lying lengths, malformed records): it exits 0
# (bad records counted), 1 or 2 (a message on stderr), never on a signal or a
# timeout, never with a sanitizer report. Runs in the normal and SAN builds.
set -uo pipefail
source "$WEBTEXT_ROOT/tests/faults/lib.sh"
faults_setup
G=$TMP/g
python3 "$WEBTEXT_ROOT/tests/faults/garbage.py" "$G" "$IN"
fail=0 n=0
# try LABEL CMD...: runs CMD (60 s at most), checks how it ended
try() {
  local label=$1 rc
  shift
  n=$((n + 1))
  timeout 60 "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
  rc=$?
  if [ $rc -gt 2 ]; then
    echo "FAIL $label: exit $rc ($([ $rc -eq 124 ] && echo timeout || echo signal/crash)): $*"
    tail -n 20 "$TMP/err"
    fail=1
  elif [ $rc -ne 0 ] && ! [ -s "$TMP/err" ]; then
    echo "FAIL $label: exit $rc without a message"
    fail=1
  fi
  no_sanitizer_report "$TMP/err" || { echo "FAIL $label: $*"; fail=1; }
  printf '%-34s exit %d  %s\n' "$label" "$rc" "$(grep -v '^$' "$TMP/err" | tail -n 1 | cut -c1-110)"
}
o=$TMP/o
q=(--quiet --threads 2)
# crawl urls: Pushshift dumps
for f in empty/x.jsonl random/x.jsonl random/x.jsonl.zst random/x.jsonl.gz trunc/dump.jsonl.zst \
         trunc/dump.jsonl.gz lying/dump.jsonl.gz malformed/dump.jsonl malformed/long-line.jsonl; do
  try "urls $f" "$B/crawl" urls "$G/$f" -o "$o/u-${f//\//_}" "${q[@]}" --after 2000-01-01
done
try "urls --strict malformed" "$B/crawl" urls "$G/malformed/dump.jsonl" -o "$o/us" "${q[@]}" --strict
# crawl fetch: URL lists that hold no fetchable URL (no network is touched)
for f in random/x.jsonl malformed/urls.jsonl trunc/dump.jsonl.zst empty/x.jsonl; do
  try "fetch $f" "$B/crawl" fetch "$G/$f" -o "$o/f-${f//\//_}.warc.gz" --quiet --timeout 2 \
    --connect-timeout 1 --retries 0 --delay 0 --ignore-robots
done
# extract: WARC files
for f in empty/x.warc.gz random/x.warc random/x.warc.gz random/x.warc.zst trunc/pages.warc.gz \
         lying/long.warc lying/short.warc lying/negative.warc lying/huge.warc \
         lying/junk-between.warc.gz lying/chunked.warc lying/bomb.warc.gz; do
  try "extract $f" "$B/extract" "$G/$f" -o "$o/e-${f//\//_}.jsonl.zst" "${q[@]}" --keep-all
done
try "extract --strict trunc" "$B/extract" "$G/trunc/pages.warc.gz" -o "$o/es.jsonl" "${q[@]}" --strict
for f in random/x.warc lying/bomb.warc.gz empty/x.jsonl; do
  try "extract html $f" "$B/extract" html "$G/$f" --title
done
# dedup: document shards
for f in trunc/docs-00000.jsonl.zst malformed/docs-00000.jsonl.zst random/x.jsonl.zst empty/x.jsonl.zst; do
  try "dedup run $f" "$B/dedup" run "$G/$f" -o "$o/d-${f//\//_}" "${q[@]}"
done
# dedup steps on damaged work files (cut, random, grown): each step that reads one
"$B/dedup" run "$IN/docs-00000.jsonl.zst" -o "$TMP/dw" --keep-work --partitions 2 --quiet --threads 2
for f in params.json sig/meta-00000.bin sig/sigs-00000.bin keys/keys-00000-p001.bin edges/edges-00000.bin \
         cluster/remove-00000.bin; do
  case $f in
  params.json | keys/*) step=(buckets "$IN/docs-00000.jsonl.zst" -o) ;;
  edges/* | sig/*) step=(cluster "$IN/docs-00000.jsonl.zst" -o) ;;
  cluster/*) step=(filter "$IN/docs-00000.jsonl.zst" -o "$TMP/dwo" --work) ;;
  esac
  for how in cut random grow; do
    rm -rf "$TMP/w" "$TMP/dwo" && cp -r "$TMP/dw/work" "$TMP/w"
    size=$(stat -c %s "$TMP/w/$f")
    case $how in
    cut) truncate -s $((size / 2 + 1)) "$TMP/w/$f" ;;
    random) head -c "$size" /dev/urandom >"$TMP/w/$f" ;;
    grow) head -c 4099 /dev/urandom >>"$TMP/w/$f" ;;
    esac
    try "dedup ${step[0]} $f $how" "$B/dedup" "${step[@]}" "$TMP/w" --force --quiet --threads 2
  done
done
try "dedup overlap random" "$B/dedup" overlap --ref "$G/random/x.jsonl" "$G/malformed/dump.jsonl"
# tokenize: shards, encode, decode
for f in trunc/docs-00000.jsonl.zst malformed/docs-00000.jsonl.zst random/x.jsonl.zst malformed/long-line.jsonl; do
  try "tokenize shards $f" "$B/tokenize" shards "$G/$f" -o "$o/t-${f//\//_}" "${q[@]}"
done
try "tokenize encode random" bash -c "head -c 20000 /dev/urandom | '$B/tokenize' encode"
try "tokenize decode bad ids" "$B/tokenize" decode --input "$G/ids.txt"
# model: lying checkpoints, bad configs, bad id lines
for d in "$G"/model-*; do
  try "model info ${d##*/}" "$B/model" info --model "$d"
done
try "model logprobs bad ids" "$B/model" logprobs --model "$IN/model" "$G/ids.txt"
try "model generate bad ids" "$B/model" generate --model "$IN/model" --prompt-ids "1 x 99999999 -3" -n 4
try "model generate past n_ctx" "$B/model" generate --model "$IN/model" --prompt-ids "$(seq -s ' ' 1 70)" -n 4
try "model generate bad prompt" "$B/model" generate --model "$IN/model" --prompt "$(printf 'a\xff\xfe b')" -n 4 --top-k 0
try "model logprobs bad model" "$B/model" logprobs --model "$G/model-hlen-huge" "$G/ids.txt"
# eval: damaged token shards, a lying model, damaged data files
for d in "$G"/shards-*; do
  try "eval webtext ${d##*/}" "$B/eval" run --model "$IN/model" --tasks webtext --webtext "$d" \
    -o "$o/ev-${d##*/}" --quiet --threads 2
done
try "eval bad model" "$B/eval" run --model "$G/model-shape" --tasks webtext --webtext "$IN/tokens" -o "$o/evm" --quiet
for t in lambada cbt-cn cbt-ne wikitext2 ptb; do
  try "eval $t damaged" "$B/eval" run --model "$IN/model" --tasks "$t" --data "$G/evaldata" \
    --limit 50 -o "$o/ev-$t" --quiet --threads 2
done
echo "$n runs"
[ $fail -eq 0 ] && echo PASS
exit $fail
