#!/usr/bin/env bash
# Benchmarks model/ on the GPT-2 124M shape (12 layers, 12 heads, 768, 1024
# context, 50257 vocabulary; random weights) against the anchor, a hand-written
# PyTorch CPU GPT-2 (bench/model/torch_gpt2.py, fp32, inference_mode, same
# thread count) in the same run: (a) scoring 8 x 1024 tokens, (b) top-k
# generation with a KV cache; plus the sgemm-bound limit measured on the same
# shapes (bench/model/sgemm_peak.c) and peak memory. BENCH_THREADS (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
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
awk 'BEGIN { srand(1); for (l = 0; l < 8; l++) { s = ""
  for (i = 0; i < 1024; i++) s = s (i ? " " : "") int(rand() * 50257); print s } }' >"$t/ids"
file_mib=$(( $(stat -c %s "$t/g124/model.safetensors") / 1048576 ))
# Activations of 8 x 1024 tokens: 10 x N x C floats, the attention block and the logits tile.
act_mib=$(( (10 * 8192 * 768 + 128 * 1024 + 1024 * 4100) * 4 / 1048576 ))

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

# (a) scoring: best of two runs, peak RSS from GNU time
best=0
for run in 1 2; do
  /usr/bin/time -f '%M' -o "$t/rss" "${ours_env[@]}" "$M" logprobs --model "$t/g124" \
    --threads "$threads" --batch 8 --ctx 1024 <"$t/ids" >"$t/ours.txt" 2>"$t/ours.err"
  r=$(grep -o '([0-9.]* tok/s' "$t/ours.err" | tr -d '(' | cut -d' ' -f1)
  best=$(awk -v a="$best" -v b="$r" 'BEGIN { print (b > a ? b : a) }')
done
rss_mib=$(( $(tail -1 "$t/rss") / 1024 ))
OPENBLAS_CORETYPE=SkylakeX OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads \
  $py bench/model/torch_gpt2.py score --model "$t/g124" --threads "$threads" --tokens "$t/ids" \
  --out "$t/torch.txt" | tee "$t/torch.out"
tr=$(awk '{ print $(NF-1) }' "$t/torch.out")
diff=$($py -c "import numpy as n; print('%.2g' % abs(n.loadtxt('$t/ours.txt') - n.loadtxt('$t/torch.txt')).max())")


# (b) generation with the KV cache, token by token
prompt="464 2068 7586 21831 18045 625 262 16931 3290 13"
"${ours_env[@]}" "$M" generate --model "$t/g124" --prompt-ids "$prompt" -n 128 \
  --threads "$threads" 2>"$t/gen.err" >/dev/null
cat "$t/gen.err"
og=$(grep -o '([0-9.]* tok/s' "$t/gen.err" | tr -d '(' | cut -d' ' -f1)
OPENBLAS_CORETYPE=SkylakeX OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads \
  $py bench/model/torch_gpt2.py generate --model "$t/g124" --threads "$threads" \
  --prompt-ids "$prompt" -n 128 | tee "$t/tgen.out"
tg=$(awk '{ print $(NF-1) }' "$t/tgen.out")

awk -v o="$best" -v t="$tr" -v l="$limit" -v pg="$peak_gf" -v mf="$mflop_tok" -v og="$og" \
    -v tg="$tg" -v d="$diff" -v rss="$rss_mib" -v f="$file_mib" -v a="$act_mib" 'BEGIN {
  printf "scoring 8x1024: ours %.1f tok/s, torch %.1f tok/s: ratio %.2f\n", o, t, o / t
  printf "sgemm-bound limit %.1f tok/s (%.1f GFLOP/s over %.1f MFLOP/token): ours %.1f GFLOP/s = %.0f%% of it\n", l, pg, mf, o * mf / 1000, 100 * o / l
  printf "generation: ours %.1f tok/s, torch %.1f tok/s: ratio %.2f\n", og, tg, og / tg
  printf "peak RSS scoring: %d MiB (checkpoint %d MiB mmap + activations %d MiB)\n", rss, f, a
  printf "log-probs ours vs torch: max |difference| %s\n", d }'
