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
task_lock_path() { echo "$OUT/.locks/$1-$(shard_name "$2").lock"; }

# ---- one writer per output (as lib/outlock.h in the binaries): flock(1) on a lock file holding
# "pid P", "host H", "since T", "command C" lines. The kernel drops the lock when the holder and
# every child that inherited the descriptor have exited, so a stale file never blocks.

# lock_holder FILE: "pid P on host H since T (command: C)" from a lock file.
lock_holder() {
  local k v pid="" host="" since="" cmd="" i
  for i in $(seq 50); do # a holder that has just taken the lock writes its details a moment later
    grep -q '^command ' "$1" 2>/dev/null && break
    sleep 0.01
  done
  while read -r k v; do
    case $k in pid) pid=$v ;; host) host=$v ;; since) since=$v ;; command) cmd=$v ;; esac
  done <"$1" 2>/dev/null || true
  if [ -z "$pid" ]; then echo "an unknown process (no holder details in $1)"; return; fi
  printf 'pid %s on host %s since %s (command: %s)' "$pid" "$host" "$since" "$cmd"
  if [ "$host" = "$(hostname)" ] && ! kill -0 "$pid" 2>/dev/null; then
    printf '; that process has exited, a child process it started still holds the lock'
  fi
  echo
}

# lock_take FILE WHAT COMMAND: takes FILE's lock without waiting, on a descriptor that this
# shell and its children keep (LOCK_FD), and writes our details into it. When another live
# process holds it: prints "pipeline: WHAT is being written by ...; refusing" and exits 3.
lock_take() {
  local fd
  exec {fd}<>"$1" || die "cannot open the lock file $1"
  if ! flock -n "$fd"; then
    exec {fd}>&-
    echo "pipeline: $2 is being written by $(lock_holder "$1"); refusing" >&2
    exit 3
  fi
  printf 'pid %s\nhost %s\nsince %s\ncommand %s\n' "$$" "$(hostname)" "$(date -u +%FT%TZ)" \
    "${3//$'\n'/ }" >"$1"
  LOCK_FD=$fd
}

# lock_is_held FILE: whether a live process holds FILE's lock.
lock_is_held() { [ -e "$1" ] && ! flock -n "$1" true 2>/dev/null; }
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
