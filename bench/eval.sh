#!/usr/bin/env bash
# Throughput of `eval` against its anchor, in the same run: eval's WikiText-2
# scoring (detokenize, encode, sliding windows batched through gpt2_score) vs
# `model logprobs` scoring the same number of tokens with the same window
# rule, on a 124M-shaped random checkpoint. Prints tokens/s and the ratio.
# BENCH_EVAL_LINES (default 300) sets how many WikiText-2 lines are scored.
# Then CBT (see below): the ten candidates' time against the time of running
# each question's context once (target <= 1.5), and the prefix cache's
# speed-up over re-running the context per candidate.
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

# CBT: shared context scored once (KV cache) vs once per candidate, on a
# fixture of the real size (2,500 questions of 20 long sentences per set).
# BENCH_CBT_QUESTIONS (default 30; 2500 for the whole sets) and
# BENCH_CBT_UNCACHED (default 5) set how many questions are scored.
python3 "$WEBTEXT_ROOT/tests/eval/make_fixtures.py" --cbt-full "$tmp/cbt"
nq=${BENCH_CBT_QUESTIONS:-30} nu=${BENCH_CBT_UNCACHED:-5}
"$WEBTEXT_BIN/eval" run --model "$tmp/m" --data "$tmp/cbt" --tasks cbt-cn,cbt-ne --limit "$nq" \
  --quiet -o "$tmp/cbt-cached"
"$WEBTEXT_BIN/eval" run --model "$tmp/m" --data "$tmp/cbt" --tasks cbt-cn --limit "$nu" \
  --no-prefix-cache --quiet -o "$tmp/cbt-uncached"
"$WEBTEXT_BIN/eval" run --model "$tmp/m" --data "$tmp/cbt" --tasks cbt-cn --limit "$nu" \
  --quiet -o "$tmp/cbt-cached-small"
python3 - "$tmp" "$nq" "$nu" <<'EOF'
import json, sys
tmp, nq, nu = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
t = json.load(open(f"{tmp}/cbt-cached/results.json"))["tasks"]
ctx = sum(t[k]["context_seconds"] for k in t)
cand = sum(t[k]["candidate_seconds"] for k in t)
fwd = sum(t[k]["forward_tokens"] for k in t)
print(f"cbt-cn + cbt-ne, {nq} questions each, prefix cache: contexts {ctx:.1f} s, "
      f"candidates {cand:.1f} s, {fwd} tokens through the model")
print(f"ratio (contexts + candidates) / contexts: {(ctx + cand) / ctx:.2f} (target <= 1.5)")
u = json.load(open(f"{tmp}/cbt-uncached/results.json"))["tasks"]["cbt-cn"]
c = json.load(open(f"{tmp}/cbt-cached-small/results.json"))["tasks"]["cbt-cn"]
print(f"cbt-cn, {nu} questions: uncached {u['seconds']:.1f} s ({u['forward_tokens']} tokens), "
      f"cached {c['seconds']:.1f} s ({c['forward_tokens']} tokens): speed-up "
      f"{u['seconds'] / c['seconds']:.1f}x")
EOF
