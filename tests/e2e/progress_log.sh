#!/usr/bin/env bash
# Progress in a log: with stderr a file (not a terminal), every long-running
# stage (crawl urls, crawl fetch, extract, dedup run, tokenize shards, eval run)
# prints whole progress lines ("LABEL: done[/total] UNIT ... UNIT/s", no \r)
# every --progress-interval seconds; 0 prints none, and neither does --quiet.
# A tiny interval (1 ms) makes lines appear on these small inputs.
set -uo pipefail
source "$WEBTEXT_ROOT/tests/faults/lib.sh"
faults_setup
fail=0
# check NAME EXPECT_LINES(yes|no) CMD...: runs CMD with stderr to a file
check() {
  local name=$1 want=$2 n
  shift 2
  "$@" >/dev/null 2>"$TMP/err" || { echo "FAIL $name: exit $?"; cat "$TMP/err"; fail=1; return; }
  n=$(grep -cE '^[^ ].*: [0-9]+\.[0-9](/[0-9]+\.[0-9])? [A-Za-z]+ .*[0-9]+\.[0-9] [A-Za-z]+/s' "$TMP/err")
  if grep -q $'\r' "$TMP/err"; then echo "FAIL $name: a carriage return in a log"; fail=1; fi
  if [ "$want" = yes ] && [ "$n" -lt 1 ]; then
    echo "FAIL $name: no progress line in the log"; cat "$TMP/err"; fail=1
  elif [ "$want" = no ] && [ "$n" -ne 0 ]; then
    echo "FAIL $name: $n progress line(s) where none is due"; cat "$TMP/err"; fail=1
  else
    echo "ok $name: $n progress line(s)$([ "$n" -gt 0 ] && echo ", e.g. $(grep -m1 '/s' "$TMP/err")")"
  fi
}
# extract: the 60 pages 30 times over (gzip members concatenate), so the run lasts a few ms
for _ in $(seq 30); do cat "$IN/pages.warc.gz"; done >"$TMP/pages.warc.gz"
for want in yes no; do
  [ $want = yes ] && iv=0.001 || iv=0
  P=(--progress-interval "$iv")
  rm -rf "$TMP/o"
  check "crawl urls ($iv)" $want "$B/crawl" urls "$IN/dump.jsonl" -o "$TMP/o/urls" --after 2010-01-01 \
    --threads 2 --partitions 4 "${P[@]}"
  check "extract ($iv)" $want "$B/extract" "$TMP/pages.warc.gz" -o "$TMP/o/docs.jsonl" --threads 2 "${P[@]}"
  check "dedup run ($iv)" $want "$B/dedup" run "$IN/docs-00000.jsonl.zst" -o "$TMP/o/dedup" --threads 2 "${P[@]}"
  check "tokenize shards ($iv)" $want "$B/tokenize" shards "$IN/docs-00000.jsonl.zst" -o "$TMP/o/tok" \
    --threads 2 "${P[@]}"
  check "eval run ($iv)" $want "$B/eval" run --model "$IN/model" --tasks webtext --webtext "$IN/tokens" \
    -o "$TMP/o/eval" --threads 2 "${P[@]}"
done
check "tokenize shards --quiet" no "$B/tokenize" shards "$IN/docs-00000.jsonl.zst" -o "$TMP/o/tq" --quiet \
  --progress-interval 0.001
"$B/tokenize" shards "$IN/docs-00000.jsonl.zst" -o "$TMP/o/bad" --progress-interval soon 2>"$TMP/err"
rc=$?
grep -q "progress-interval: 'soon' is not a number" "$TMP/err" && [ $rc -eq 2 ] ||
  { echo "FAIL: a bad --progress-interval: exit $rc, $(cat "$TMP/err")"; fail=1; }

# crawl fetch against a loopback server (40 pages)
python3 "$WEBTEXT_ROOT/tests/servers/fetch_server.py" --bind 127.0.0.1 --port-file "$TMP/port" --lifetime 60 &
spid=$!
trap 'kill $spid 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.1; done
port=$(cat "$TMP/port")
for i in $(seq 40); do echo "http://127.0.0.1:$port/page/$i"; done >"$TMP/list.txt"
for iv in 0.001 0; do
  [ $iv = 0 ] && want=no || want=yes
  check "crawl fetch ($iv)" $want "$B/crawl" fetch "$TMP/list.txt" -o "$TMP/o/f-$iv.warc.gz" --allow-private \
    --delay 0 --timeout 5 --retries 0 --progress-interval $iv
done
[ $fail -eq 0 ] && echo PASS
exit $fail
