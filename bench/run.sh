#!/usr/bin/env bash
# Runs the benchmarks: every bench/STAGE.sh, or those named as arguments
# (make bench BENCH="tokenize model"). Each compares a stage with its anchor
# in the same run and prints a ratio. Timings never decide pass or fail.
set -uo pipefail
cd "$(dirname "$0")/.."
: "${WEBTEXT_BIN:=$PWD/bin}" "${WEBTEXT_DATA:=${XDG_DATA_HOME:-$HOME/.local/share}/webtext/data}"
export WEBTEXT_BIN WEBTEXT_DATA WEBTEXT_ROOT=$PWD
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for f in bench/*.sh; do [ "$(basename "$f")" = run.sh ] || names+=("$(basename "$f" .sh)"); done
fi
rc=0
for n in "${names[@]}"; do
  echo "== bench/$n"
  bash "bench/$n.sh" || { echo "bench/$n failed"; rc=1; }
done
exit $rc
