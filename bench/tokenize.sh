#!/usr/bin/env bash
# Tokenizer throughput beside the anchor, tiktoken (npm, WebAssembly), in the
# same run: MB/s of encoding on >= 24 MB of English prose and ~8 MB of
# Unicode-heavy text, ours with 1 and 2 threads, and the ratio. Both sides
# in-process (each encoder's own timer, loading excluded), the median of 5
# runs after 1 warm-up each (bench/lib.sh's BENCH_REPS, BENCH_WARMUP); the same
# work checked: both give the same token count. Then the shard writer on the
# prose as documents: MB/s and peak RSS (one run; no ratio).
set -euo pipefail
tok=$WEBTEXT_BIN/tokenize
ref=$WEBTEXT_ROOT/tests/tokenize/reference.js
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$WEBTEXT_ROOT/bench/tokenize/make_corpora.py" "$WEBTEXT_DATA" "$tmp"
zstd -q --rm "$tmp/docs.jsonl" -o "$tmp/docs-00000.jsonl.zst"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
source "$WEBTEXT_ROOT/bench/lib.sh"
field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }
med() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
# runs FILE CMD...: CMD once unreported, then BENCH_REPS times; each run prints
# "MB/s cpu-MB/s tokens"; sets R_MBS, R_CPU (medians) and R_TOK (the token count, equal in every run)
runs() {
  local f=$1 out=$tmp/runs i
  shift
  : >"$out"
  for ((i = 0; i < BENCH_WARMUP + BENCH_REPS; i++)); do
    "$@" >"$tmp/one" || { echo "bench/tokenize: failed: $*"; exit 1; }
    [ "$i" -ge "$BENCH_WARMUP" ] && cat "$tmp/one" >>"$out"
  done
  R_MBS=$(cut -d' ' -f1 "$out" | med) R_CPU=$(cut -d' ' -f2 "$out" | med)
  R_TOK=$(cut -d' ' -f3 "$out" | sort -u)
  [ "$(wc -l <<<"$R_TOK")" -eq 1 ] || { echo "bench/tokenize: token counts differ between runs"; exit 1; }
}
ours() { # FILE THREADS: in-process encode rate (vocabulary loading excluded)
  "$tok" encode --count --threads "$2" --stats "$tmp/st.json" <"$1" >/dev/null
  python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print("%.2f %.2f %d" % (s["bytes"]/1e6/s["seconds_encode"], s["bytes"]/1e6/s["cpu_seconds_encode"], s["tokens"]))' "$tmp/st.json"
}
tiktoken() { # FILE: in-process encode rate (tiktoken's own encoder loading excluded)
  node "$ref" bench "$1" 1 | python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.2f %.2f %d" % (d["mb_per_s"], d["cpu_mb_per_s"], d["tokens"]))'
}
METHOD="in-process encode on both sides (vocabulary loading excluded), median of $BENCH_REPS runs after $BENCH_WARMUP warm-up each"
echo "MB/s: encode rate, $METHOD; cpu: MB per CPU-second (all threads)."
for corpus in prose unicode; do
  f=$tmp/$corpus.txt
  mb=$(python3 -c "print('%.1f' % ($(stat -c %s "$f")/1e6))")
  runs "$f" tiktoken "$f"
  t=$R_MBS tc=$R_CPU ttok=$R_TOK
  runs "$f" ours "$f" 1
  o1=$R_MBS c1=$R_CPU
  [ "$R_TOK" = "$ttok" ] || { echo "bench/tokenize: $corpus: ours $R_TOK tokens, tiktoken $ttok: not the same work"; exit 1; }
  runs "$f" ours "$f" 2
  o2=$R_MBS c2=$R_CPU
  [ "$R_TOK" = "$ttok" ] || { echo "bench/tokenize: $corpus: ours (2 threads) $R_TOK tokens, tiktoken $ttok"; exit 1; }
  echo "$corpus ($mb MB, $ttok tokens on both sides): tiktoken-npm $t MB/s (cpu $tc)"
  printf '  ours, 1 thread:  %6s MB/s: ratio %.2f (cpu %s: ratio %.2f)  [%s]\n' \
    "$o1" "$(python3 -c "print($o1/$t)")" "$c1" "$(python3 -c "print($c1/$tc)")" "$METHOD"
  printf '  ours, 2 threads: %6s MB/s: ratio %.2f to tiktoken (1 thread), %.2f to our 1 thread (cpu %s)\n' \
    "$o2" "$(python3 -c "print($o2/$t)")" "$(python3 -c "print($o2/$o1)")" "$c2"
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
