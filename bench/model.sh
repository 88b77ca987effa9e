#!/usr/bin/env bash
# Benchmarks model/ on the GPT-2 124M shape (12 layers, 12 heads, 768, 1024
# context, 50257 vocabulary; random weights) against the anchor, a hand-written
# PyTorch CPU GPT-2 (bench/model/torch_gpt2.py, fp32, inference_mode, same
# thread count) in the same run: (a) scoring BENCH_MODEL_SEQS (default 1) x 1024
# tokens, (b) top-k generation of BENCH_MODEL_GEN (default 32) tokens with a KV cache; plus the
# sgemm-bound limit measured on the same shapes (bench/model/sgemm_peak.c) and
# peak memory. Both sides in-process (each program's own timer around the
# forward passes, loading excluded), the median of 3 runs after 1 warm-up each
# (bench/lib.sh, BENCH_REPS=3 here); the same work checked: equal log-probs (max |difference|
# < 1e-3) and the same number of generated tokens. The sgemm limit is measured on
# the 8 x 1024 shapes. BENCH_THREADS (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
# the median of 3 runs here (after 1 warm-up): a torch run of this model takes 20-50 s on 2 cores
: "${BENCH_REPS:=3}"
source bench/lib.sh
seqs=${BENCH_MODEL_SEQS:-1}
gen=${BENCH_MODEL_GEN:-32}
M=${WEBTEXT_BIN:-$PWD/bin}/model
threads=${BENCH_THREADS:-2}
py=/usr/bin/python3
[ -x "$M" ] || { echo "bench/model: build first ($M missing)"; exit 1; }
if ! $py -c 'import torch, numpy' 2>/dev/null; then
  echo "bench/model: installing python3-torch and python3-numpy (Debian) for the anchor"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends \
    python3-torch python3-numpy >/dev/null
fi
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

"$M" init --out "$t/g124" --n-layer 12 --n-head 12 --n-embd 768 --n-ctx 1024 --seed 1
awk -v n="$seqs" 'BEGIN { srand(1); for (l = 0; l < n; l++) { s = ""
  for (i = 0; i < 1024; i++) s = s (i ? " " : "") int(rand() * 50257); print s } }' >"$t/ids"
file_mib=$(( $(stat -c %s "$t/g124/model.safetensors") / 1048576 ))
# Activations of 8 x 1024 tokens: 10 x N x C floats, the attention block and the logits tile.
act_mib=$(( (10 * seqs * 1024 * 768 + 128 * 1024 + 1024 * 4100) * 4 / 1048576 ))

# Our kernel: whatever gpt2_blas_autoselect picks when the environment does not choose.
ours_env=(env -u OPENBLAS_CORETYPE)
kernel=$("${ours_env[@]}" "$M" info --model "$t/g124" | awk '/^blas/ { print $3 }')
echo "threads $threads; our OpenBLAS kernel $kernel (auto); torch with OPENBLAS_CORETYPE=SkylakeX"
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); load $(cut -d' ' -f1-3 /proc/loadavg)"

# the sgemm ceiling on the same shapes, same kernel and threads, just before
# our run (a shared machine's load changes both alike)
gcc -O2 -o "$t/sgemm_peak" bench/model/sgemm_peak.c $(pkg-config --cflags --libs openblas)
OPENBLAS_CORETYPE=$kernel "$t/sgemm_peak" "$threads" | tee "$t/peak"
read -r _ limit peak_gf mflop_tok < <(grep '^limit' "$t/peak")

# (a) scoring: in-process rates (our "(N tok/s" on stderr, torch's "N tok/s"); peak RSS from GNU time
ours_score() {
  /usr/bin/time -f '%M' -o "$t/rss" "${ours_env[@]}" "$M" logprobs --model "$t/g124" \
    --threads "$threads" --batch "$seqs" --ctx 1024 <"$t/ids" >"$t/ours.txt" 2>"$t/ours.err"
  grep -o '([0-9.]* tok/s' "$t/ours.err" | tr -d '(' | cut -d' ' -f1
}
torch_score() {
  OPENBLAS_CORETYPE=SkylakeX OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads \
    $py bench/model/torch_gpt2.py score --model "$t/g124" --threads "$threads" --tokens "$t/ids" \
    --out "$t/torch.txt" | awk '{ print $(NF-1) }'
}
bench_rates ours_score ours_score
rss_mib=$(( $(tail -1 "$t/rss") / 1024 ))
bench_rates torch_score torch_score
diff=$($py -c "import numpy as n; print('%.2g' % abs(n.loadtxt('$t/ours.txt') - n.loadtxt('$t/torch.txt')).max())")
awk -v d="$diff" 'BEGIN { exit !(d < 1e-3) }' || { echo "bench/model: log-probs differ by $diff: not the same work"; exit 1; }

# (b) generation with the KV cache, token by token
prompt="464 2068 7586 21831 18045 625 262 16931 3290 13"
ours_gen() {
  "${ours_env[@]}" "$M" generate --model "$t/g124" --prompt-ids "$prompt" -n "$gen" \
    --threads "$threads" 2>"$t/gen.err" >/dev/null
  grep -q " $gen tokens in " "$t/gen.err" || { cat "$t/gen.err" >&2; return 1; }
  grep -o '([0-9.]* tok/s' "$t/gen.err" | tr -d '(' | cut -d' ' -f1
}
torch_gen() {
  OPENBLAS_CORETYPE=SkylakeX OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads \
    $py bench/model/torch_gpt2.py generate --model "$t/g124" --threads "$threads" \
    --prompt-ids "$prompt" -n "$gen" >"$t/tgen.out"
  grep -q "; $gen tokens in " "$t/tgen.out" || { cat "$t/tgen.out" >&2; return 1; }
  awk '{ print $(NF-1) }' "$t/tgen.out"
}
bench_rates ours_gen ours_gen
bench_rates torch_gen torch_gen
best=$ours_score_rate tr=$torch_score_rate og=$ours_gen_rate tg=$torch_gen_rate
METHOD="in-process on both sides, median of $BENCH_REPS runs after $BENCH_WARMUP warm-up each"

awk -v o="$best" -v t="$tr" -v l="$limit" -v pg="$peak_gf" -v mf="$mflop_tok" -v og="$og" \
    -v tg="$tg" -v d="$diff" -v rss="$rss_mib" -v f="$file_mib" -v a="$act_mib" -v n="$seqs" -v gn="$gen" -v m="$METHOD" 'BEGIN {
  printf "scoring %dx1024: ours %.1f tok/s, torch %.1f tok/s: ratio %.2f  [%s]\n", n, o, t, o / t, m
  printf "sgemm-bound limit %.1f tok/s (%.1f GFLOP/s over %.1f MFLOP/token): ours %.1f GFLOP/s = %.0f%% of it\n", l, pg, mf, o * mf / 1000, 100 * o / l
  printf "generation of %d tokens: ours %.1f tok/s, torch %.1f tok/s: ratio %.2f  [%s]\n", gn, og, tg, og / tg, m
  printf "peak RSS scoring: %d MiB (checkpoint %d MiB mmap + activations %d MiB)\n", rss, f, a
  printf "log-probs ours vs torch: max |difference| %s\n", d }'
