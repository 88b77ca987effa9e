#!/usr/bin/env bash
# Throughput of `eval run` against the PyTorch scorer (bench/model/torch_gpt2.py:
# GPT-2 by hand in PyTorch, fp32, CPU, inference_mode), in the same run, on the
# same sequences: BENCH_EVAL_DOCS documents of BENCH_EVAL_LEN tokens
# (<|endoftext|> + random ids; default 4 x 256) in one llm.c token shard, scored
# by `eval run --tasks webtext` (each document one window: every token after
# the first scored) and by torch_gpt2.py score on the same id lines (one batch),
# on a 124M-shaped random checkpoint, both with BENCH_THREADS (default 2)
# threads. Same work, checked: both must give the same total log-likelihood
# (relative difference < 1e-4) before any rate is printed. Two ratios: whole
# process (bench/lib.sh: median of 5 after 1 warm-up; includes loading the
# model and, for torch, importing it) and in-process scoring (each side's own
# timer around the forward passes, the median over the same runs).
# Then CBT on a fixture of the real size: the ten candidates' time against the
# time of running each question's context once (target <= 1.5), and the prefix
# cache's speed-up over re-running the context per candidate (each side timed
# by eval itself, one run: a ratio of two parts of the same run).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
: "${WEBTEXT_BIN:?}"
docs=${BENCH_EVAL_DOCS:-4}
len=${BENCH_EVAL_LEN:-256}
threads=${BENCH_THREADS:-2}
py=/usr/bin/python3
if ! $py -c 'import torch, numpy' 2>/dev/null; then
  echo "bench/eval: installing python3-torch and python3-numpy (Debian) for the anchor"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends python3-torch python3-numpy >/dev/null
fi
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
"$WEBTEXT_BIN/model" init --out "$t/m" --n-layer 12 --n-head 12 --n-embd 768 --n-ctx 1024 --seed 1 >/dev/null
mkdir -p "$t/shard"
$py - "$docs" "$len" "$t/shard/tokens-00000.bin" "$t/ids.txt" <<'PY'
import random, struct, sys
docs, n, shard, lines = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
r = random.Random(1)
seqs = [[50256] + [r.randrange(50256) for _ in range(n - 1)] for _ in range(docs)]
flat = [t for s in seqs for t in s]
with open(shard, "wb") as f:
    f.write(struct.pack("<256i", 20240520, 1, len(flat), *([0] * 253)))
    f.write(struct.pack("<%dH" % len(flat), *flat))
with open(lines, "w") as f:
    for s in seqs:
        f.write(" ".join(map(str, s)) + "\n")
PY
zstd -q --rm "$t/shard/tokens-00000.bin"
echo "$docs x $len tokens, 124M-shaped random model, $threads threads; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

# each side also records its in-process scoring rate, one line per run
bench_time eval "rm -rf '$t/ev'" bash -c "'$WEBTEXT_BIN/eval' run --model '$t/m' --tasks webtext --webtext '$t/shard' \
  --threads $threads --quiet -o '$t/ev' && $py -c \"import json; print(json.load(open('$t/ev/results.json'))['tasks']['webtext']['scored_tokens_per_s'])\" >>'$t/eval.rates'"
bench_time torch ":" bash -c "OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads $py bench/model/torch_gpt2.py score \
  --model '$t/m' --threads $threads --tokens '$t/ids.txt' --out '$t/torch.lp' | awk '{ print \$(NF-1) }' >>'$t/torch.rates'"

# the same work: equal total log-likelihood over the same scored tokens
$py - "$t/ev/results.json" "$t/torch.lp" <<'PY'
import json, sys
import numpy as np
w = json.load(open(sys.argv[1]))["tasks"]["webtext"]
lp = np.loadtxt(sys.argv[2], ndmin=2)
ours, ref = w["nll"], -float(lp.sum())
print("same work: eval %d scored tokens, NLL %.3f; torch %d scored tokens, NLL %.3f" % (w["tokens"], ours, lp.size, ref))
if w["tokens"] != lp.size or abs(ours - ref) > 1e-4 * abs(ref):
    sys.exit("FAIL: eval and torch did not score the same tokens alike")
PY
scored=$((docs * (len - 1)))
median() { sort -g "$1" | tail -n "$BENCH_REPS" | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
bench_ratio "eval / torch, whole process (scored tok/s)" eval "$(awk -v n=$scored -v s="$eval_s" 'BEGIN { print n / s }')" \
  torch "$(awk -v n=$scored -v s="$torch_s" 'BEGIN { print n / s }')" tok/s
# the warm-up's rate is left out: the last BENCH_REPS lines are the measured runs
BENCH_METHOD="in-process on both sides (eval: its task timer, reading the shard and scoring; torch: its timer around the forward pass), median of $BENCH_REPS runs after $BENCH_WARMUP warm-up" \
  bench_ratio "eval / torch, in-process (scored tok/s)" eval "$(tail -n "$BENCH_REPS" "$t/eval.rates" | median /dev/stdin)" \
  torch "$(tail -n "$BENCH_REPS" "$t/torch.rates" | median /dev/stdin)" tok/s

# CBT: shared context scored once (KV cache) vs once per candidate, on a
# fixture of the real size (2,500 questions of 20 long sentences per set).
# BENCH_CBT_QUESTIONS (default 30; 2500 for the whole sets) and
# BENCH_CBT_UNCACHED (default 5) set how many questions are scored.
python3 "$WEBTEXT_ROOT/tests/eval/make_fixtures.py" --cbt-full "$t/cbt"
nq=${BENCH_CBT_QUESTIONS:-30} nu=${BENCH_CBT_UNCACHED:-5}
"$WEBTEXT_BIN/eval" run --model "$t/m" --data "$t/cbt" --tasks cbt-cn,cbt-ne --limit "$nq" \
  --quiet -o "$t/cbt-cached"
"$WEBTEXT_BIN/eval" run --model "$t/m" --data "$t/cbt" --tasks cbt-cn --limit "$nu" \
  --no-prefix-cache --quiet -o "$t/cbt-uncached"
"$WEBTEXT_BIN/eval" run --model "$t/m" --data "$t/cbt" --tasks cbt-cn --limit "$nu" \
  --quiet -o "$t/cbt-cached-small"
python3 - "$t" "$nq" "$nu" <<'EOF'
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
