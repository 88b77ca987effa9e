#!/usr/bin/env bash
# tests/e2e/pipelines_demo_slurm.sh: the demo through a real one-node Slurm
# (pipelines/slurm-local.sh), every stage a job array; its token shards must be byte-identical
# to the local executor's. Starts Slurm if it is not running and stops it again afterwards.
set -euo pipefail
. "$WEBTEXT_ROOT/tests/e2e/lib.sh"
ROOT=$WEBTEXT_ROOT
fail() { echo "FAIL: $*" >&2; exit 1; }
with_slurm
demo() { # demo EXECUTOR DIR
  EXECUTOR=$1 DEMO_OUT=$2 DEMO_SKIP_BUILD=1 DEMO_ARTICLES=60 DEMO_PORT=18492 \
    "$ROOT/pipelines/demo.sh" >"$2.stdout" 2>"$2.stderr" || { tail -n 40 "$2.stderr"; fail "demo with $1"; }
}
demo local "$T/local"
demo slurm "$T/slurm"

grep -q "submitted job array" "$T/slurm.stderr" || fail "the slurm demo submitted no job array"
grep -q "fetch: submitted job array [0-9]* (tasks 0,1)" "$T/slurm.stderr" || fail "fetch was not one array of 2 tasks"
[ -s "$T/slurm/logs/slurm/jobs" ] || fail "no job ids recorded"
ls "$T"/slurm/logs/slurm/fetch-[01].out >/dev/null || fail "no per-task Slurm output files"
n=0
for f in "$T"/local/tokens/tokens-*.bin.zst "$T"/local/tokens/tokens-*.idx; do
  g=$T/slurm/tokens/$(basename "$f")
  cmp "$f" "$g" || fail "$(basename "$f") differs between the local and the Slurm executor"
  n=$((n + 1))
done
[ "$n" -ge 4 ] || fail "only $n token files compared"
[ -s "$T/slurm/eval/results.md" ] && [ -s "$T/slurm/report/report.md" ] || fail "the slurm run lacks eval or report"
echo "pipelines demo on slurm: ok ($n token files identical)"
