#!/usr/bin/env bash
# Throughput of `eval` against its anchor, in the same run: eval's WikiText-2
# scoring (detokenize, encode, sliding windows batched through gpt2_score) vs
# `model logprobs` scoring the same number of tokens with the same window
# rule, on a 124M-shaped random checkpoint. Prints tokens/s and the ratio.
# BENCH_EVAL_LINES (default 300) sets how many WikiText-2 lines are scored.
set -euo pipefail
: "${WEBTEXT_BIN:?}" "${WEBTEXT_DATA:?}"
export WEBTEXT_VOCAB=${WEBTEXT_VOCAB:-$WEBTEXT_DATA/gpt2-vocab}
lines=${BENCH_EVAL_LINES:-300}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$WEBTEXT_BIN/model" init --out "$tmp/m" --n-layer 12 --n-head 12 --n-embd 768 --n-ctx 1024 >/dev/null

start=$(date +%s.%N)
"$WEBTEXT_BIN/eval" run --model "$tmp/m" --tasks wikitext2 --limit "$lines" --quiet -o "$tmp/out"
t_eval=$(python3 -c "print($(date +%s.%N) - $start)")
read -r fwd tok < <(python3 -c "
import json; t = json.load(open('$tmp/out/results.json'))['tasks']['wikitext2']
print(t['forward_tokens'], t['tokens'])")

# the anchor: the same token count, one line for model logprobs (50256 first)
head -n "$lines" "$WEBTEXT_DATA/wikitext-2/wiki.test.tokens" | "$WEBTEXT_BIN/tokenize" encode |
  python3 -c "import sys; ids = sys.stdin.read().split()[:$tok]; print(' '.join(['50256'] + ids))" >"$tmp/ids.txt"
start=$(date +%s.%N)
"$WEBTEXT_BIN/model" logprobs --model "$tmp/m" --quiet --ctx 1024 --stride 512 "$tmp/ids.txt" >/dev/null
t_ref=$(python3 -c "print($(date +%s.%N) - $start)")

python3 - "$tok" "$fwd" "$t_eval" "$t_ref" <<'EOF'
import sys
tok, fwd, te, tr = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
print(f"eval wikitext2: {tok} scored tokens ({fwd} through the model) in {te:.1f} s: "
      f"{tok / te:.0f} scored tok/s, {fwd / te:.0f} forward tok/s (includes model load)")
print(f"model logprobs (anchor), same tokens and windows: {tr:.1f} s: {tok / tr:.0f} scored tok/s")
print(f"ratio eval/anchor: {tr / te:.2f} (1.00 = eval adds no overhead)")
EOF
