#!/usr/bin/env bash
# pipelines/task.sh: runs one task (one shard) of one stage, as both executors do:
#   task.sh OUT/pipeline.conf STAGE [INDEX]     (INDEX defaults to $SLURM_ARRAY_TASK_ID)
# Skips a shard whose marker exists; retries a failure RETRIES times; logs every attempt to
# OUT/logs/STAGE-NNNNN.log; writes OUT/.done/STAGE-NNNNN last, only after success.
# One task per shard at a time (OUT/.locks/STAGE-NNNNN.lock): a task whose shard another live
# task holds (a Slurm requeue while the first attempt still runs) exits 3 at once, as does one
# whose stage binary refused because another live run holds its output; neither is retried.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] || { echo "usage: task.sh PIPELINE_CONF STAGE [INDEX]" >&2; exit 2; }
command_line="$0 $*"
conf=$1 stage=$2 idx=${3:-${SLURM_ARRAY_TASK_ID:-}}
[ -n "$idx" ] || { echo "task.sh: no INDEX and no SLURM_ARRAY_TASK_ID" >&2; exit 2; }
conf_load "$conf"
conf_finish
declare -F "stage_${stage}_run" >/dev/null || die "unknown stage '$stage'"

marker=$(marker_path "$stage" "$idx")
log=$(log_path "$stage" "$idx")
if [ -e "$marker" ]; then
  echo "pipeline: $stage $(shard_name "$idx") already done, skipped" >&2
  exit 0
fi
mkdir -p "$OUT/logs" "$OUT/.done" "$OUT/.locks"
lock_take "$(task_lock_path "$stage" "$idx")" "$stage $(shard_name "$idx") of $OUT" "$command_line"
if [ -e "$marker" ]; then # finished by the task that held the lock a moment ago
  echo "pipeline: $stage $(shard_name "$idx") already done, skipped" >&2
  exit 0
fi

attempt=0
start=$(date +%s.%N)
while :; do
  attempt=$((attempt + 1))
  echo "== $stage $(shard_name "$idx") attempt $attempt on $(hostname) at $(date -u +%FT%TZ)" >>"$log"
  # each attempt in a subshell with errexit, so a stage function stops at its first failure
  (
    set -euo pipefail
    "stage_${stage}_run" "$idx"
  ) >>"$log" 2>&1
  rc=$?
  [ $rc -eq 0 ] && break
  if [ $rc -eq 3 ] && tail -n 1 "$log" | grep -q 'is being written by .*; refusing$'; then
    echo "== attempt $attempt refused (exit 3): another live run holds the output; not retried" >>"$log"
    echo "pipeline: $stage shard $(shard_name "$idx") refused: $(tail -n 2 "$log" | head -n 1)" >&2
    exit 3
  fi
  echo "== attempt $attempt failed with exit $rc" >>"$log"
  if [ "$attempt" -gt "$RETRIES" ]; then
    echo "pipeline: $stage shard $(shard_name "$idx") failed (exit $rc) after $attempt attempt(s); log: $log" >&2
    tail -n 8 "$log" | sed 's/^/  | /' >&2
    exit 1
  fi
done
secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')
printf '{"stage":"%s","shard":%d,"attempts":%d,"seconds":%s,"host":"%s","finished":"%s"}\n' \
  "$stage" "$idx" "$attempt" "$secs" "$(hostname)" "$(date -u +%FT%TZ)" >"$marker.tmp"
mv -f "$marker.tmp" "$marker"
echo "== done in ${secs}s" >>"$log"
