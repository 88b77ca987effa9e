#!/usr/bin/env bash
# tests/e2e/pipelines_slurm_executor.sh: the Slurm executor on a real one-node Slurm
# (pipelines/slurm-local.sh): job arrays chained with afterok give the local executor's output,
# a failed shard cancels the dependent stage and is reported, and a rerun resubmits only it.
set -euo pipefail
. "$WEBTEXT_ROOT/tests/e2e/lib.sh"
ROOT=$WEBTEXT_ROOT
fail() { echo "FAIL: $*" >&2; exit 1; }
with_slurm

cat >"$T/stages.sh" <<'EOF'
stage_square_tasks() { echo "$SHARDS"; }
stage_square_run() {
  mkdir -p "$OUT/sq"
  if [ -e "$OUT/fail-$1" ]; then rm -f "$OUT/fail-$1"; echo "injected failure"; return 3; fi
  echo "$SLURM_ARRAY_TASK_ID $(($1 * $1))" >"$OUT/sq/$1.tmp" && mv "$OUT/sq/$1.tmp" "$OUT/sq/$1"
}
stage_sum_tasks() { echo 1; }
stage_sum_run() { cat "$OUT"/sq/* | awk '{ s += $2 } END { print s }' >"$OUT/sum"; }
EOF
run() {
  "$ROOT/pipelines/run.sh" --stages "square sum" STAGES_FILE="$T/stages.sh" SHARDS=4 \
    SLURM_MEM=100M SLURM_TIME=00:05:00 SLURM_POLL=0.5 --executor slurm "$@"
}

# 1. job arrays: each task sees its array index as the shard, sum runs after all of them
run -o "$T/a" 2>"$T/log1" || { cat "$T/log1"; fail "slurm run"; }
grep -q "square: submitted job array" "$T/log1" || fail "no job array submitted"
[ "$(cat "$T/a/sum")" = 14 ] || fail "sum is $(cat "$T/a/sum"), want 14"
for i in 0 1 2 3; do
  [ "$(cut -d' ' -f1 "$T/a/sq/$i")" = "$i" ] || fail "shard $i ran as another array index"
  [ -s "$T/a/logs/slurm/square-$i.out" ] || [ -e "$T/a/logs/slurm/square-$i.out" ] || fail "no slurm log $i"
done

# 2. a failure (no retries): reported by shard, the dependent stage never runs
mkdir -p "$T/b" && touch "$T/b/fail-1"
if run -o "$T/b" RETRIES=0 2>"$T/log2"; then fail "a failed shard gave exit 0"; fi
grep -q "square: incomplete shard(s): 1" "$T/log2" || { cat "$T/log2"; fail "failure not reported"; }
[ ! -e "$T/b/sum" ] || fail "sum ran after a failed dependency"

# 3. the rerun resubmits only the failed shard and completes
run -o "$T/b" RETRIES=0 2>"$T/log3" || { cat "$T/log3"; fail "rerun"; }
grep -q "submitted job array [0-9]* (tasks 1)" "$T/log3" || { cat "$T/log3"; fail "rerun resubmitted more"; }
[ "$(cat "$T/b/sum")" = 14 ] || fail "sum after rerun"
echo "pipelines slurm executor: ok"
