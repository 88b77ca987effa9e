# pipelines/lib.sh: helpers shared by run.sh, task.sh and the executors (sourced, not run):
# loading the configuration, shard names, completion markers, and the list of a stage's
# pending shards. A shard's marker OUT/.done/STAGE-NNNNN is written last, after its output.
# shellcheck shell=bash

PIPELINES_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$PIPELINES_DIR/.." && pwd)

die() { echo "pipeline: $*" >&2; exit 1; }
note() { echo "pipeline: $*" >&2; }

# conf_load FILE...: source the defaults, then each FILE (missing file: error).
conf_load() {
  # shellcheck source=pipelines/webtext.conf
  . "$PIPELINES_DIR/webtext.conf"
  local f
  for f in "$@"; do
    [ -f "$f" ] || die "config file not found: $f"
    # shellcheck disable=SC1090
    . "$f"
  done
}

# conf_finish: fill the derived defaults once every file and override is in.
conf_finish() {
  [ -n "$BIN" ] || BIN=${WEBTEXT_BIN:-$REPO_ROOT/bin}
  NPROC=$(nproc 2>/dev/null || echo 1)
  [ "$GLOBAL_THREADS" -gt 0 ] 2>/dev/null || GLOBAL_THREADS=$NPROC
  if ! [ "$LOCAL_JOBS" -gt 0 ] 2>/dev/null; then
    LOCAL_JOBS=$((NPROC / (THREADS > 0 ? THREADS : 1)))
    [ "$LOCAL_JOBS" -ge 1 ] || LOCAL_JOBS=1
  fi
  [ -n "$REPORT_DOMAINS" ] || REPORT_DOMAINS=${WEBTEXT_DATA:+$WEBTEXT_DATA/webtext-domains/domains.txt}
  [ -n "$EVAL_DATA" ] || EVAL_DATA=${WEBTEXT_DATA:-}
  if [ "${DEDUP_MODE:-run}" = steps ]; then
    STAGES=$(echo " $STAGES " | sed 's/ dedup / dedup_signatures dedup_buckets dedup_cluster dedup_filter /')
    # shellcheck disable=SC2086,SC2116 # squeezes the spaces
    STAGES=$(echo $STAGES)
  fi
  # stage definitions: the built-in ones, then the user's (STAGES_FILE) which may add or replace
  # shellcheck source=pipelines/stages.sh
  . "$PIPELINES_DIR/stages.sh"
  if [ -n "${STAGES_FILE:-}" ]; then
    # shellcheck disable=SC1090
    . "$STAGES_FILE" || die "cannot load STAGES_FILE $STAGES_FILE"
  fi
}

# shard_name INDEX: the 5-digit shard number used in every file name (00003).
shard_name() { printf '%05d' "$1"; }

# stage_tasks STAGE: how many tasks the stage has (SHARDS for sharded stages, 1 for global).
stage_tasks() {
  declare -F "stage_${1}_tasks" >/dev/null || die "unknown stage '$1' (no stage_${1}_tasks)"
  "stage_${1}_tasks"
}

marker_path() { echo "$OUT/.done/$1-$(shard_name "$2")"; }
log_path() { echo "$OUT/logs/$1-$(shard_name "$2").log"; }

# stage_pending STAGE: the task indexes without a completion marker, one per line.
stage_pending() {
  local n i
  n=$(stage_tasks "$1")
  for ((i = 0; i < n; i++)); do
    [ -e "$(marker_path "$1" "$i")" ] || echo "$i"
  done
}

# stage_threads STAGE: --threads for one task of the stage.
stage_threads() {
  if [ "$(stage_tasks "$1")" -eq 1 ]; then echo "$GLOBAL_THREADS"; else echo "$THREADS"; fi
}
