#!/usr/bin/env bash
# Extraction benchmark on the article-extraction benchmark's dev split:
# quality (F1, precision, recall by the benchmark's own metric, our scorer
# for every tool's stored output and for us, in the same run) and speed
# (pages/s with 1 and 2 threads beside readability-lxml on the same pages),
# printed as ratios. Speed on both sides in-process (each program's own timer
# around whole passes over the pages, decompression and decoding before it),
# each run >= EXTRACT_BENCH_SECONDS (2) s, the median of 5 runs after 1 warm-up
# each (bench/lib.sh); the same work checked: every run did whole passes over
# all the pages.
set -euo pipefail
BIN=${WEBTEXT_BIN:?}
D=${WEBTEXT_DATA:?}/article-extraction-benchmark/dev
SECS=${EXTRACT_BENCH_SECONDS:-2}
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
source "$HERE/lib.sh"
if ! $PY -c 'import readability' 2>/dev/null; then
  echo "installing python3-readability (readability-lxml) ..."
  apt-get install -y -qq python3-readability >/dev/null || { echo "cannot install python3-readability"; exit 1; }
fi

echo "-- quality: dev split (61 pages), benchmark metric, one scorer for all rows"
"$BIN/extract" score --truth "$D/ground-truth.json" --html-dir "$D/html" "$D"/output/*.json |
  awk '{ for (i = 1; i < NF; i++) if ($i == "F1") print $(i + 1) "\t" $0 }' | sort -r | cut -f2- |
  sed 's/^/  /'

n=$(ls "$D"/html/*.html.gz | wc -l)
echo "-- speed: $n pages, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), >= ${SECS}s per run"
# one run: "pages_per_s pages_per_cpu_s" after checking that it did whole passes
one() {
  local line
  line=$("$@")
  local pages
  pages=$(sed -E 's/.* pages=([0-9]+).*/\1/' <<<"$line")
  [ $((pages % n)) -eq 0 ] && [ "$pages" -gt 0 ] || { echo "not whole passes over the $n pages: $line" >&2; return 1; }
  sed -E 's/.* pages_per_s=([0-9.]+).* pages_per_cpu_s=([0-9.]+).*/\1 \2/' <<<"$line" >>"$RATES"
  sed -E 's/.* pages_per_s=([0-9.]+).*/\1/' <<<"$line"
}
RATES=$(mktemp)
trap 'rm -f "$RATES"' EXIT
cpu_median() { tail -n "$BENCH_REPS" "$RATES" | cut -d' ' -f2 | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
bench_rates ours_1 one "$BIN/extract" speed "$D/html" --threads 1 --seconds "$SECS"
c1=$(cpu_median)
bench_rates ours_2 one "$BIN/extract" speed "$D/html" --threads 2 --seconds "$SECS"
c2=$(cpu_median)
bench_rates readability one $PY "$HERE/extract/readability_speed.py" "$D/html" "$SECS"
cr=$(cpu_median)
BENCH_METHOD="in-process on both sides, median of $BENCH_REPS runs of >= ${SECS}s after $BENCH_WARMUP warm-up each"
bench_ratio "extract 1 thread / readability-lxml (1 core), pages/s" ours_1 "$ours_1_rate" readability "$readability_rate" pages/s
bench_ratio "extract 2 threads / (readability-lxml x 2), pages/s" ours_2 "$ours_2_rate" "readability x 2" \
  "$(awk -v r="$readability_rate" 'BEGIN { print 2 * r }')" pages/s
BENCH_METHOD="$BENCH_METHOD; per CPU-second, fair on a loaded machine" \
  bench_ratio "extract 1 thread / readability-lxml, pages per CPU-second" ours_1 "$c1" readability "$cr" pages/cpu-s
BENCH_METHOD="$BENCH_METHOD; per CPU-second" \
  bench_ratio "extract 2 threads / readability-lxml, pages per CPU-second" ours_2 "$c2" readability "$cr" pages/cpu-s
