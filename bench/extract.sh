#!/usr/bin/env bash
# Extraction benchmark on the two DEV sets (the held-out pages are not here):
#   quality - each benchmark's own metric, computed by `extract score` for us
#     and, in the same run, for the peers' stored outputs (article benchmark)
#     or readability-lxml run now (trafilatura's set), beside the figures the
#     peers published;
#   speed - pages/s, in process on both sides (pages read into memory before
#     the clock starts; charset + prune + parse + extraction + language for
#     us, Document(html).summary() for readability-lxml), one warm-up run and
#     the median of RUNS runs of >= SECS s each, one thread, same pages.
# Timings are figures, never pass/fail.
set -euo pipefail
BIN=${WEBTEXT_BIN:?}
DATA=${WEBTEXT_DATA:?}
A=$DATA/article-extraction-benchmark/dev
T=$DATA/trafilatura-eval/dev
SECS=${EXTRACT_BENCH_SECONDS:-3}
RUNS=${EXTRACT_BENCH_RUNS:-5}
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
source "$HERE/lib.sh"
for d in "$A" "$T"; do
  [ -f "$d/ground-truth.json" ] || { echo "SKIP: $d missing (run: make data)"; exit 77; }
done
if ! $PY -c 'import readability' 2>/dev/null; then
  echo "installing python3-readability (readability-lxml) ..."
  apt-get install -y -qq python3-readability >/dev/null || { echo "cannot install python3-readability"; exit 1; }
fi
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
byf1() { awk '{ for (i = 1; i < NF; i++) if ($i == "F1") print $(i + 1) "\t" $0 }' | sort -r | cut -f2- | sed 's/^/  /'; }

echo "-- quality: article-extraction benchmark, DEV (61 pages), its metric (shingle F1, macro)"
"$BIN/extract" score --truth "$A/ground-truth.json" --html-dir "$A/html" "$A"/output/*.json | byf1
for h in 1 2; do
  echo "  webtext, half $h of the pages (odd/even positions):$("$BIN/extract" score --truth "$A/ground-truth.json" --html-dir "$A/html" --half $h | sed "s/^webtext *[^ ]* //")"
done
echo "   published on all 181 pages: AutoExtract 0.970, rs_trafilatura 0.970, go_trafilatura 0.960,"
echo "   trafilatura 2.0.0 0.958, newspaper4k 0.949, readability.js 0.947, readability-lxml 0.922"

echo "-- quality: trafilatura's evaluation set, DEV (330 pages), its metric (snippets, micro)"
$PY "$HERE/extract/readability_dump.py" "$T/ground-truth.json" "$T/html" >"$W/readability-lxml.json"
"$BIN/extract" score --truth "$T/ground-truth.json" --html-dir "$T/html" "$W/readability-lxml.json" | byf1
for h in 1 2; do
  echo "  webtext, half $h of the pages (odd/even positions):$("$BIN/extract" score --truth "$T/ground-truth.json" --html-dir "$T/html" --half $h | sed "s/^webtext *[^ ]* //")"
done
echo "   published on all 990 pages: trafilatura 2.2.0 0.924 (P 0.906 R 0.943), magic-html 0.889,"
echo "   justext 0.862, news-please 0.836, readability-lxml 0.826, goose3 0.810, newspaper4k 0.801"

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
rate() { sed -nE "s/.* $1=([0-9.]+).*/\1/p"; }
for set in "$A" "$T"; do
  n=$(ls "$set"/html/*.html.gz | wc -l)
  echo "-- speed: $n pages of $(basename "$(dirname "$set")"), in process, 1 thread, median of $RUNS x ${SECS}s after a warm-up"
  "$BIN/extract" speed "$set/html" --threads 1 --seconds "$SECS" >/dev/null # warm-up
  for _ in $(seq "$RUNS"); do "$BIN/extract" speed "$set/html" --threads 1 --seconds "$SECS"; done >"$W/ours"
  $PY "$HERE/extract/readability_speed.py" "$set/html" "$SECS" "$RUNS" >"$W/rl"
  o=$(rate pages_per_s <"$W/ours" | median) r=$(rate pages_per_s <"$W/rl" | median)
  oc=$(rate pages_per_cpu_s <"$W/ours" | median) rc=$(rate pages_per_cpu_s <"$W/rl" | median)
  BENCH_METHOD="in-process on both sides, 1 thread, median of $RUNS runs of >= ${SECS}s after 1 warm-up each"
  bench_ratio "extract / readability-lxml, pages/s" webtext "$o" readability-lxml "$r" pages/s
  BENCH_METHOD="$BENCH_METHOD; per CPU-second, fair on a loaded machine" \
    bench_ratio "extract / readability-lxml, pages per CPU-second" webtext "$oc" readability-lxml "$rc" pages/cpu-s
done
