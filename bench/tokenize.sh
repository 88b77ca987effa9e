#!/usr/bin/env bash
# Tokenizer throughput beside the anchor, tiktoken (npm, WebAssembly), in the
# same run: MB/s of encoding on >= 24 MB of English prose and ~8 MB of
# Unicode-heavy text, ours with 1 and 2 threads (vocabulary loading excluded,
# as tiktoken's; the wall time with loading is printed too), and the ratio.
# Then the shard writer on the prose as documents: MB/s and peak RSS.
set -euo pipefail
tok=$WEBTEXT_BIN/tokenize
ref=$WEBTEXT_ROOT/tests/tokenize/reference.js
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$WEBTEXT_ROOT/bench/tokenize/make_corpora.py" "$WEBTEXT_DATA" "$tmp"
zstd -q --rm "$tmp/docs.jsonl" -o "$tmp/docs-00000.jsonl.zst"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }
best_ours() { # best_ours FILE THREADS -> "encode-MB/s wall-MB/s cpu-MB/s-per-core" (best of 3)
  local best=0 wall_best=0 cpu_best=0
  for _ in 1 2 3; do
    local s=$(date +%s.%N)
    "$tok" encode --count --threads "$2" --stats "$tmp/st.json" <"$1" >/dev/null
    local e=$(date +%s.%N)
    read -r mbs cpu <<<"$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print("%.1f %.1f" % (s["bytes"]/1e6/s["seconds_encode"], s["bytes"]/1e6/s["cpu_seconds_encode"]))' "$tmp/st.json")"
    local wall=$(python3 -c 'import sys; print("%.1f" % (int(sys.argv[1])/1e6/(float(sys.argv[3])-float(sys.argv[2]))))' "$(stat -c %s "$1")" "$s" "$e")
    best=$(python3 -c "print(max($best, $mbs))") wall_best=$(python3 -c "print(max($wall_best, $wall))")
    cpu_best=$(python3 -c "print(max($cpu_best, $cpu))")
  done
  echo "$best $wall_best $cpu_best"
}
echo "MB/s: wall-clock encode rate, best of 3 (vocabulary loading excluded; 'load' includes it);"
echo "cpu: MB per CPU-second (all threads), which a busy machine disturbs less."
for corpus in prose unicode; do
  f=$tmp/$corpus.txt
  mb=$(python3 -c "print('%.1f' % ($(stat -c %s "$f")/1e6))")
  read -r t tc <<<"$(node "$ref" bench "$f" 1 | python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.2f %.2f" % (d["mb_per_s"], d["cpu_mb_per_s"]))')"
  read -r o1 w1 c1 <<<"$(best_ours "$f" 1)"
  read -r o2 w2 c2 <<<"$(best_ours "$f" 2)"
  echo "$corpus ($mb MB): tiktoken-npm $t MB/s (cpu $tc)"
  printf '  ours, 1 thread:  %6s MB/s = %5.1fx tiktoken (load %s; cpu %s = %.1fx)\n' \
    "$o1" "$(python3 -c "print($o1/$t)")" "$w1" "$c1" "$(python3 -c "print($c1/$tc)")"
  printf '  ours, 2 threads: %6s MB/s = %5.1fx tiktoken, %.2fx our 1 thread (load %s; cpu %s)\n' \
    "$o2" "$(python3 -c "print($o2/$t)")" "$(python3 -c "print($o2/$o1)")" "$w2" "$c2"
done
for th in 1 2; do
  /usr/bin/time -v "$tok" shards --quiet --force --threads "$th" --stats "$tmp/ss.json" \
    "$tmp/docs-00000.jsonl.zst" -o "$tmp/out" 2>"$tmp/time.txt"
  rss=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$tmp/time.txt")
  printf 'shards   %s threads: %s documents, %s tokens, %.1f MB/s of text, peak RSS %.1f MB\n' "$th" \
    "$(field "$tmp/ss.json" documents)" "$(field "$tmp/ss.json" tokens)" \
    "$(python3 -c "import json; s=json.load(open('$tmp/ss.json')); print(s['bytes']/1e6/s['seconds'])")" \
    "$(python3 -c "print($rss/1024)")"
done
