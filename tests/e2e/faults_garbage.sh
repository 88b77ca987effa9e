#!/usr/bin/env bash
# Every stage binary on bad inputs (tests/faults/garbage.py: random bytes,
# truncated compressed files, lying lengths, malformed records): each case
# asserts the exit status and the message that docs/hardening.md lists for it
# (exit 0: bad records counted, one message each; 1: a failure naming the
# file; never a signal, a timeout or a sanitizer report). Runs in the normal
# and SAN builds.
set -uo pipefail
source "$WEBTEXT_ROOT/tests/faults/lib.sh"
faults_setup
G=$TMP/g
python3 "$WEBTEXT_ROOT/tests/faults/garbage.py" "$G" "$IN"
fail=0 n=0 label=
# try LABEL RC REGEX CMD...: runs CMD (60 s at most) and asserts that it exits
# with RC and that stderr matches the extended regex REGEX ("": stderr empty).
try() {
  local want=$2 re=$3 rc
  label=$1
  shift 3
  n=$((n + 1))
  # CMD may be one of the helper functions below: run in a shell that has them
  timeout 60 bash -c "$(declare -f urls fetch ex dedup_run tk ev evd); $(declare -p B G IN o q); \"\$@\"" \
    try "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
  rc=$?
  if [ $rc -ne "$want" ]; then
    echo "FAIL $label: exit $rc ($([ $rc -eq 124 ] && echo timeout || { [ $rc -gt 128 ] && echo signal; })), expected $want: $*"
    tail -n 20 "$TMP/err"
    fail=1
  fi
  if [ -z "$re" ]; then
    [ ! -s "$TMP/err" ] || { echo "FAIL $label: a message where none is due"; head -n 5 "$TMP/err"; fail=1; }
  else
    also "$re"
  fi
  no_sanitizer_report "$TMP/err" || { echo "FAIL $label: $*"; fail=1; }
  printf '%-34s exit %d  %s\n' "$label" "$rc" "$(grep -v '^$' "$TMP/err" | tail -n 1 | sed "s|$TMP/||g" | cut -c1-110)"
}
# also REGEX: the last run's stderr matches REGEX too
also() {
  grep -qE -- "$1" "$TMP/err" || { echo "FAIL $label: no message matching: $1"; head -n 5 "$TMP/err"; fail=1; }
}
# lines FILE N: FILE (compressed or not) holds N lines
lines() {
  local got
  got=$(zstd -dcf "$1" 2>/dev/null | wc -l)
  [ "$got" -eq "$2" ] || { echo "FAIL $label: $1 has $got lines, expected $2"; fail=1; }
}
# jstat FILE KEY.PATH VALUE: a statistics JSON holds VALUE at KEY.PATH
jstat() {
  python3 -c 'import json,sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): v = v[k]
sys.exit(0 if str(v) == sys.argv[3] else 1)' "$@" || { echo "FAIL $label: $2 != $3 in $1"; fail=1; }
}
o=$TMP/o
mkdir -p "$o"
q=(--quiet --threads 2)
JSON='line is not valid JSON'
# ---- crawl urls: Pushshift dumps
urls() { "$B/crawl" urls "$G/$1" -o "$o/u-${1//\//_}${2:-}" "${q[@]}" --after 2000-01-01 "${@:2}"; }
try "urls empty" 0 "" urls empty/x.jsonl
lines "$o/u-empty_x.jsonl/urls-00000.jsonl.zst" 0
try "urls random/x.jsonl" 0 "x\.jsonl:[0-9]+: $JSON" urls random/x.jsonl
try "urls random/x.jsonl.zst" 1 "x\.jsonl\.zst: corrupt zstd data near byte 0" urls random/x.jsonl.zst
try "urls random/x.jsonl.gz" 1 "x\.jsonl\.gz: corrupt gzip data near byte [0-9]+" urls random/x.jsonl.gz
try "urls trunc/dump.jsonl.zst" 1 "dump\.jsonl\.zst: truncated zstd stream \(input ends at byte [0-9]+ inside a frame\)" \
  urls trunc/dump.jsonl.zst
try "urls trunc/dump.jsonl.gz" 1 "dump\.jsonl\.gz: truncated gzip stream \(input ends at byte 5000 inside" urls trunc/dump.jsonl.gz
try "urls lying/dump.jsonl.gz" 1 "dump\.jsonl\.gz: corrupt gzip data near byte [0-9]+: incorrect data check" urls lying/dump.jsonl.gz
try "urls malformed/dump.jsonl" 0 "dump\.jsonl:1: $JSON: '}' expected" urls malformed/dump.jsonl
also "dump\.jsonl:2: line is not a JSON object"
also "dump\.jsonl:5: created_utc is not a number"
also "dump\.jsonl:6: $JSON: invalid Unicode '.uD800'"
also "dump\.jsonl:7: $JSON: unable to decode byte 0xff"
also "dump\.jsonl:8: $JSON: maximum parsing depth reached"
also "dump\.jsonl:10: $JSON: real number overflow"
also "dump\.jsonl:12: $JSON: trailing bytes"
try "urls malformed/long-line.jsonl" 0 "long-line\.jsonl:1: created_utc missing" urls malformed/long-line.jsonl
try "urls --strict malformed" 1 "crawl urls: .*dump\.jsonl:1: $JSON" urls malformed/dump.jsonl --strict
# ---- crawl fetch: URL lists that hold no fetchable URL (no network is touched)
fetch() {
  "$B/crawl" fetch "$G/$1" -o "$o/f-${1//\//_}.warc.gz" --quiet --timeout 2 --connect-timeout 1 --retries 0 \
    --delay 0 --ignore-robots
}
try "fetch random/x.jsonl" 0 "x\.jsonl:[0-9]+: URL is not UTF-8 text" fetch random/x.jsonl
try "fetch malformed/urls.jsonl" 0 "urls\.jsonl:1: $JSON" fetch malformed/urls.jsonl
also "urls\.jsonl:5: no \"url\" string"
also "urls\.jsonl:7: URL is not UTF-8 text"
try "fetch trunc/dump.jsonl.zst" 1 "dump\.jsonl\.zst: truncated zstd stream \(input ends at byte [0-9]+ inside a frame\)" \
  fetch trunc/dump.jsonl.zst
try "fetch empty" 0 "" fetch empty/x.jsonl
[ -e "$o/f-empty_x.jsonl.warc.gz" ] || { echo "FAIL fetch empty: no WARC"; fail=1; }
# ---- extract: WARC files
ex() { "$B/extract" "$G/$1" -o "$o/e-${1//\//_}.jsonl" "${q[@]}" --keep-all --stats "$o/e-${1//\//_}.stats" "${@:2}"; }
try "extract empty" 0 "" ex empty/x.warc.gz
lines "$o/e-empty_x.warc.gz.jsonl" 0
try "extract random/x.warc" 0 "x\.warc:1: expected a WARC record header at byte 0" ex random/x.warc
try "extract random/x.warc.gz" 0 "x\.warc\.gz:1: corrupt gzip member at byte 0" ex random/x.warc.gz
try "extract random/x.warc.zst" 0 "x\.warc\.zst:1: expected a WARC record header at byte 0" ex random/x.warc.zst
try "extract trunc/pages.warc.gz" 0 "pages\.warc\.gz:31: truncated gzip member at byte [0-9]+" ex trunc/pages.warc.gz
lines "$o/e-trunc_pages.warc.gz.jsonl" 30
try "extract lying/long.warc" 0 "long\.warc:1: truncated WARC record at byte 0 \([0-9]+ of [0-9]+ block bytes\)" ex lying/long.warc
try "extract lying/short.warc" 0 "short\.warc:1: WARC record at byte 0 is not followed by CRLF CRLF \(wrong Content-Length\?\)" \
  ex lying/short.warc
lines "$o/e-lying_short.warc.jsonl" 1
try "extract lying/negative.warc" 0 "negative\.warc:1: WARC record at byte 0 has no valid Content-Length" ex lying/negative.warc
try "extract lying/huge.warc" 0 "huge\.warc:1: truncated WARC record at byte 0 \([0-9]+ of 18446744073709551615 block bytes\)" \
  ex lying/huge.warc
try "extract lying/junk-between.warc.gz" 0 "junk-between\.warc\.gz:2: bytes that are not a gzip member at byte 194" \
  ex lying/junk-between.warc.gz
lines "$o/e-lying_junk-between.warc.gz.jsonl" 2
try "extract lying/chunked.warc" 0 "" ex lying/chunked.warc
jstat "$o/e-lying_chunked.warc.stats" http.bad_chunking 1
lines "$o/e-lying_chunked.warc.jsonl" 1
try "extract lying/bomb.warc.gz" 0 "" ex lying/bomb.warc.gz
jstat "$o/e-lying_bomb.warc.gz.stats" html_cut 1
jstat "$o/e-lying_bomb.warc.gz.stats" dropped.binary 1
try "extract --strict trunc" 1 "pages\.warc\.gz:31: truncated gzip member at byte [0-9]+" \
  "$B/extract" "$G/trunc/pages.warc.gz" -o "$o/es.jsonl" "${q[@]}" --strict
[ ! -e "$o/es.jsonl" ] || { echo "FAIL extract --strict: an output after a failure"; fail=1; }
try "extract html random/x.warc" 0 "x\.warc: binary content, no text" "$B/extract" html "$G/random/x.warc" --title
try "extract html lying/bomb.warc.gz" 0 "bomb\.warc\.gz: binary content, no text" "$B/extract" html "$G/lying/bomb.warc.gz" --title
try "extract html empty" 0 "" "$B/extract" html "$G/empty/x.jsonl" --title
# ---- dedup: document shards
dedup_run() { "$B/dedup" run "$G/$1" -o "$o/d-${1//\//_}" "${q[@]}"; }
try "dedup run trunc" 1 "docs-00000\.jsonl\.zst: truncated zstd stream \(input ends at byte [0-9]+ inside a frame\)" \
  dedup_run trunc/docs-00000.jsonl.zst
try "dedup run malformed" 0 "docs-00000\.jsonl\.zst:1: $JSON" dedup_run malformed/docs-00000.jsonl.zst
also "docs-00000\.jsonl\.zst:5: missing string field \"id\""
also "docs-00000\.jsonl\.zst:8: $JSON: nesting too deep"
also "docs-00000\.jsonl\.zst:10: $JSON: number out of range"
try "dedup run random" 1 "x\.jsonl\.zst: corrupt zstd data near byte 0" dedup_run random/x.jsonl.zst
try "dedup run empty" 0 "" dedup_run empty/x.jsonl.zst
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
    # what the step must say: the file, what is wrong with it, and a HINT naming the step to rerun
    case $f:$how in
    params.json:*) re="w/params\.json: not a JSON object" ;;
    sig/meta*) re="HINT: run \`dedup signatures\` for .*docs-00000\.jsonl\.zst first: .*w/sig/meta-00000\.bin" ;;
    sig/sigs*:random) re="w/sig/sigs-00000\.bin: not a dedup file \(bad magic\)\. HINT: rerun the step that writes it" ;;
    sig/sigs*) re="w/sig/sigs-00000\.bin: truncated \(no trailer\)\. HINT: rerun the step that writes it" ;;
    keys/*) re="HINT: run \`dedup signatures\` for .*docs-00000\.jsonl\.zst first: .*w/keys/keys-00000-p001\.bin" ;;
    edges/*:random) re="HINT: run \`dedup buckets\` with the same inputs first: .*w/edges/edges-00000\.bin: not a dedup file \(bad magic\)" ;;
    edges/*) re="HINT: run \`dedup buckets\` with the same inputs first: .*w/edges/edges-00000\.bin: truncated \(no trailer\)" ;;
    cluster/*:random) re="HINT: run \`dedup cluster\` with the same inputs first: .*w/cluster/remove-00000\.bin: not a dedup file \(bad magic\)" ;;
    cluster/*) re="HINT: run \`dedup cluster\` with the same inputs first: .*w/cluster/remove-00000\.bin: truncated \(no trailer\)" ;;
    esac
    try "dedup ${step[0]} $f $how" 1 "$re" "$B/dedup" "${step[@]}" "$TMP/w" --force --quiet --threads 2
  done
done
try "dedup overlap random" 0 "dedup overlap: reference [0-9]+ 8-grams" \
  "$B/dedup" overlap --ref "$G/random/x.jsonl" "$G/malformed/dump.jsonl"
grep -qE 'malformed/dump\.jsonl +[0-9]+ +0\.0000%' "$TMP/out" || { echo "FAIL dedup overlap: no 0% row"; fail=1; }
# ---- tokenize: shards (named as shards, so that the content is what fails), encode, decode
mkdir -p "$G/tok-random" "$G/tok-long"
cp "$G/random/x.jsonl.zst" "$G/tok-random/docs-00000.jsonl.zst"
cp "$G/malformed/long-line.jsonl" "$G/tok-long/docs-00000.jsonl"
tk() { "$B/tokenize" shards "$G/$1" -o "$o/t-${1//\//_}" "${q[@]}"; }
try "tokenize shards trunc" 1 "docs-00000\.jsonl\.zst: truncated zstd stream \(input ends at byte [0-9]+ inside a frame\)" \
  tk trunc/docs-00000.jsonl.zst
try "tokenize shards malformed" 0 "docs-00000\.jsonl\.zst:1: $JSON" tk malformed/docs-00000.jsonl.zst
also "docs-00000\.jsonl\.zst:5: no string field \"text\""
also "docs-00000\.jsonl\.zst:7: $JSON: unable to decode byte 0xff"
try "tokenize shards random" 1 "docs-00000\.jsonl\.zst: corrupt zstd data near byte 0" tk tok-random/docs-00000.jsonl.zst
try "tokenize shards 20 MiB line" 0 "docs-00000\.jsonl:1: no string field \"text\"" tk tok-long/docs-00000.jsonl
try "tokenize shards no shard number" 1 "x\.jsonl\.zst: no shard number in the name" tk random/x.jsonl.zst
try "tokenize encode random" 0 "<stdin>: [0-9]+ invalid UTF-8 sequence\(s\) read as U\+FFFD" \
  bash -c "head -c 20000 /dev/urandom | '$B/tokenize' encode"
try "tokenize decode bad ids" 1 "ids\.txt: byte 9: 'x' is not part of a token id" "$B/tokenize" decode --input "$G/ids.txt"
# ---- model: lying checkpoints, bad configs, bad id lines
cfg_range() { echo "model-$1/config\.json: \"$2\" must be an integer in \[1, $3\]\. HINT"; }
try "model info model-cfg-heads" 1 "$(cfg_range cfg-heads n_head 1024)" "$B/model" info --model "$G/model-cfg-heads"
try "model info model-cfg-layers" 1 "$(cfg_range cfg-layers n_layer 1024)" "$B/model" info --model "$G/model-cfg-layers"
try "model info model-cfg-neg" 1 "$(cfg_range cfg-neg n_embd 65536)" "$B/model" info --model "$G/model-cfg-neg"
try "model info model-cfg-vocab" 1 "$(cfg_range cfg-vocab vocab_size 16777216)" "$B/model" info --model "$G/model-cfg-vocab"
try "model info model-cfg-junk" 1 "model-cfg-junk/config\.json: .*HINT: --model names a" "$B/model" info --model "$G/model-cfg-junk"
# n_ctx given as a string: read tolerantly, the checkpoint's position table gives 64
try "model info model-cfg-type" 0 "" "$B/model" info --model "$G/model-cfg-type"
grep -qE '^n_ctx +64$' "$TMP/out" || { echo "FAIL model-cfg-type: n_ctx is not 64"; fail=1; }
hlen() { echo "model-$1/model\.safetensors: header length [0-9]+ passes the end of the file"; }
try "model info model-hlen-huge" 1 "$(hlen hlen-huge)" "$B/model" info --model "$G/model-hlen-huge"
try "model info model-hlen-past" 1 "$(hlen hlen-past)" "$B/model" info --model "$G/model-hlen-past"
try "model info model-random" 1 "$(hlen random)" "$B/model" info --model "$G/model-random"
try "model info model-offsets" 1 "model-offsets/model\.safetensors: tensor '[^']+': data_offsets" \
  "$B/model" info --model "$G/model-offsets"
try "model info model-shape" 1 "model-shape/model\.safetensors: tensor '[^']+': shape too large\. HINT" \
  "$B/model" info --model "$G/model-shape"
try "model info model-truncated" 1 "model-truncated/model\.safetensors: tensor '[^']+': data_offsets" \
  "$B/model" info --model "$G/model-truncated"
try "model logprobs bad ids" 1 "ids\.txt:1: 'x' is not a token id" "$B/model" logprobs --model "$IN/model" "$G/ids.txt"
try "model generate bad ids" 1 "--prompt-ids: 'x 99999999 -3' is not a list of token ids" \
  "$B/model" generate --model "$IN/model" --prompt-ids "1 x 99999999 -3" -n 4
try "model generate past n_ctx" 1 "--prompt-ids: more than 64 tokens \(n_ctx\)" \
  "$B/model" generate --model "$IN/model" --prompt-ids "$(seq -s ' ' 1 70)" -n 4
try "model generate bad prompt" 0 "model generate: prompt 3 tokens" \
  "$B/model" generate --model "$IN/model" --prompt "$(printf 'a\xff\xfe b')" -n 4 --top-k 0
# the prompt is echoed as given, then the continuation
grep -q $'^a\xff\xfe b' "$TMP/out" || { echo "FAIL model generate bad prompt: the prompt is not echoed"; fail=1; }
try "model logprobs bad model" 1 "$(hlen hlen-huge)" "$B/model" logprobs --model "$G/model-hlen-huge" "$G/ids.txt"
# ---- eval: damaged token shards, a lying model, damaged data files
ev() { "$B/eval" run --model "$IN/model" --tasks webtext --webtext "$G/$1" -o "$o/ev-$1" "${q[@]}"; }
SH="tokens-00000\.bin\.zst"
try "eval webtext shards-count-big" 1 "$SH: header says 2147483647 tokens, the" ev shards-count-big
try "eval webtext shards-count-neg" 1 "$SH: header says 4294967289 tokens, the" ev shards-count-neg
try "eval webtext shards-ids" 1 "$SH: token 0: id 65535 is outside the vocabul" ev shards-ids
try "eval webtext shards-magic" 1 "$SH: not an llm\.c token shard \(bad magic\)" ev shards-magic
also "HINT: expected tokens-NNNNN\.bin\[\.zst\] written by \`tokenize\`"
try "eval webtext shards-short" 1 "$SH: odd number of token bytes" ev shards-short
try "eval webtext shards-trunc" 1 "$SH: truncated zstd stream" ev shards-trunc
try "eval webtext shards-version" 1 "$SH: token shard version 99, expected 1" ev shards-version
try "eval bad model" 1 "model-shape/model\.safetensors: tensor '[^']+': shape too large\. HINT" \
  "$B/eval" run --model "$G/model-shape" --tasks webtext --webtext "$IN/tokens" -o "$o/evm" --quiet
evd() { "$B/eval" run --model "$IN/model" --tasks "$1" --data "$G/evaldata" --limit 50 -o "$o/ev-$1" "${q[@]}"; }
try "eval lambada damaged" 1 "eval: lambada: .*lambada_test_openai\.jsonl:1: $JSON" evd lambada
try "eval cbt-cn damaged" 1 "eval: cbt-cn: .*cbtest_CN_test_2500ex\.txt:3: expected a line numbered 3" evd cbt-cn
try "eval cbt-ne damaged" 1 "eval: cbt-ne: .*cbtest_NE_test_2500ex\.txt:21: more than 16 candidates" evd cbt-ne
try "eval wikitext2 damaged" 1 "eval: wikitext2: .*wiki\.test\.tokens:1: invalid UTF-8 or NUL byte at column" evd wikitext2
try "eval ptb damaged" 1 "eval: ptb: .*ptb\.test\.txt:1: invalid UTF-8 or NUL byte at column 1" evd ptb
echo "$n runs"
[ $fail -eq 0 ] && echo PASS
exit $fail
