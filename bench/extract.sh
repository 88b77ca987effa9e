#!/usr/bin/env bash
# Extraction benchmark on the article-extraction benchmark's dev split:
# quality (F1, precision, recall by the benchmark's own metric, our scorer
# for every tool's stored output and for us, in the same run) and speed
# (pages/s with 1 and 2 threads beside readability-lxml on the same pages,
# each run repeated for >= 10 s), printed as ratios.
set -euo pipefail
BIN=${WEBTEXT_BIN:?}
D=${WEBTEXT_DATA:?}/article-extraction-benchmark/dev
SECS=${EXTRACT_BENCH_SECONDS:-10}
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
if ! $PY -c 'import readability' 2>/dev/null; then
  echo "installing python3-readability (readability-lxml) ..."
  apt-get install -y -qq python3-readability >/dev/null || { echo "cannot install python3-readability"; exit 1; }
fi

echo "-- quality: dev split (61 pages), benchmark metric, one scorer for all rows"
"$BIN/extract" score --truth "$D/ground-truth.json" --html-dir "$D/html" "$D"/output/*.json |
  awk '{ for (i = 1; i < NF; i++) if ($i == "F1") print $(i + 1) "\t" $0 }' | sort -r | cut -f2- |
  sed 's/^/  /'

echo "-- speed: $(ls "$D"/html/*.html.gz | wc -l) pages, $(nproc) cores, ${SECS}s per run"
ours1=$("$BIN/extract" speed "$D/html" --threads 1 --seconds "$SECS")
ours2=$("$BIN/extract" speed "$D/html" --threads 2 --seconds "$SECS")
rl=$($PY "$HERE/extract/readability_speed.py" "$D/html" "$SECS")
echo "  $ours1"; echo "  $ours2"; echo "  $rl"
rate() { sed -E "s/.* $2=([0-9.]+).*/\1/" <<<"$1"; }
awk -v a="$(rate "$ours1" pages_per_s)" -v b="$(rate "$ours2" pages_per_s)" -v r="$(rate "$rl" pages_per_s)" \
    -v ac="$(rate "$ours1" pages_per_cpu_s)" -v bc="$(rate "$ours2" pages_per_cpu_s)" \
    -v rc="$(rate "$rl" pages_per_cpu_s)" 'BEGIN {
  printf "  wall clock: 1 thread %.1fx readability-lxml (1 core); 2 threads %.1fx readability-lxml x 2\n", a / r, b / (2 * r);
  printf "  per CPU second (fair on a loaded machine): 1 thread %.1fx, 2 threads %.1fx readability-lxml\n", ac / rc, bc / rc }'
