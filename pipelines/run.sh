#!/usr/bin/env bash
# pipelines/run.sh: runs the webtext stages in order over SHARDS shards with the chosen
# executor (local: shards in parallel bounded by cores; slurm: one sbatch job array per stage,
# chained with afterok). Resumable: rerun the same command and finished shards are skipped.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

usage() {
  cat <<'EOF'
usage: pipelines/run.sh -o OUT [-c CONF]... [--executor local|slurm] [--stages "A B"] [KEY=VALUE]...
  -o OUT          output folder (every stage writes under it; reruns resume it)
  -c CONF         configuration file (KEY=VALUE, see pipelines/webtext.conf); repeatable
  --executor X    local or slurm (the EXECUTOR key)
  --stages LIST   stages to run, in order (the STAGES key)
  KEY=VALUE       override one configuration key
Writes OUT/pipeline.conf (the frozen configuration the tasks read), OUT/logs/STAGE-NNNNN.log
and OUT/.done/STAGE-NNNNN (completion markers). Exit 0 when every stage is complete.
EOF
}

command_line="$0 $*"
confs=() overrides=() out=""
while [ $# -gt 0 ]; do
  case $1 in
    -h | --help) usage; exit 0 ;;
    -o) [ $# -ge 2 ] || { usage >&2; exit 2; }; out=$2; shift 2 ;;
    -c) [ $# -ge 2 ] || { usage >&2; exit 2; }; confs+=("$2"); shift 2 ;;
    --executor) [ $# -ge 2 ] || { usage >&2; exit 2; }; overrides+=("EXECUTOR=$2"); shift 2 ;;
    --stages) [ $# -ge 2 ] || { usage >&2; exit 2; }; overrides+=("STAGES=$2"); shift 2 ;;
    [A-Z]*=*) overrides+=("$1"); shift ;;
    *) echo "run.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[ -n "$out" ] || { echo "run.sh: -o OUT is required" >&2; usage >&2; exit 2; }
mkdir -p "$out" || die "cannot create $out"
OUT=$(cd "$out" && pwd)
# one driver per output folder at a time: OUT/.lock, kept by the tasks it starts (exit 3 if held)
lock_take "$OUT/.lock" "$OUT" "$command_line"

# The frozen configuration: the user's files and overrides, in order, then OUT. Tasks (local
# or on a Slurm node) load the defaults and this file, so they all see the same values.
snapshot=$OUT/pipeline.conf
{
  echo "# written by pipelines/run.sh at $(date -u +%FT%TZ); tasks read this file"
  for f in "${confs[@]}"; do
    [ -f "$f" ] || die "config file not found: $f"
    echo "# ---- from $f"
    cat "$f"
    echo
  done
  echo "# ---- overrides"
  for kv in "${overrides[@]}"; do printf '%s=%q\n' "${kv%%=*}" "${kv#*=}"; done
  printf 'OUT=%q\n' "$OUT"
} >"$snapshot.tmp" && mv -f "$snapshot.tmp" "$snapshot"
conf_load "$snapshot"
conf_finish
for s in $STAGES; do stage_tasks "$s" >/dev/null; done
mkdir -p "$OUT/logs" "$OUT/.done"
TASK="$PIPELINES_DIR/task.sh"

# ---- local executor: each stage's pending shards through xargs -P, a barrier between stages
run_local() {
  local stage pending n jobs
  for stage in $STAGES; do
    pending=$(stage_pending "$stage")
    n=$(stage_tasks "$stage")
    if [ -z "$pending" ]; then
      note "$stage: $n/$n done, skipped"
      continue
    fi
    jobs=$LOCAL_JOBS
    [ "$n" -eq 1 ] && jobs=1
    note "$stage: running $(echo "$pending" | wc -l) of $n task(s), $jobs at a time"
    local t0=$SECONDS
    echo "$pending" | xargs -P "$jobs" -I{} bash "$TASK" "$snapshot" "$stage" {}
    pending=$(stage_pending "$stage")
    if [ -n "$pending" ]; then
      note "$stage: failed shard(s): ${pending//$'\n'/ }; logs in $OUT/logs/$stage-*.log"
      report_locked "$stage" "$pending"
      return
    fi
    note "$stage: done in $((SECONDS - t0))s"
  done
}

# report_locked STAGE PENDING: names the pending shards that another live run holds (a task
# still running, or a stage binary's output held by a run outside this pipeline). Returns 3 if
# there are any (nothing was retried), else 1.
report_locked() {
  local i rc=1 lock log
  for i in $2; do
    lock=$(task_lock_path "$1" "$i") log=$(log_path "$1" "$i")
    if lock_is_held "$lock"; then
      note "$1 $(shard_name "$i"): still being run by $(lock_holder "$lock")"
      rc=3
    elif [ -e "$log" ] && tail -n 2 "$log" | grep -q '^== .*refused'; then
      note "$1 $(shard_name "$i"): refused, $(tail -n 2 "$log" | grep -v '^== ' | tail -n 1)"
      rc=3
    fi
  done
  [ "$rc" -eq 3 ] && note "not retried: a shard is locked by another live run (exit 3)"
  return "$rc"
}

# ---- slurm executor: one job array per stage with pending shards, afterok on the previous
slurm_opt() { # slurm_opt STAGE KEY: SLURM_<STAGE>_<KEY> if set, else SLURM_<KEY>
  local v d="SLURM_$2"
  v="SLURM_$(echo "$1" | tr 'a-z-' 'A-Z_')_$2"
  echo "${!v:-${!d:-}}"
}

run_slurm() {
  command -v sbatch >/dev/null || die "sbatch not found (EXECUTOR=slurm); pipelines/slurm-local.sh start sets up a one-node Slurm"
  local stage pending n array prev="" jid ids=() cpus opts
  mkdir -p "$OUT/logs/slurm"
  for stage in $STAGES; do
    pending=$(stage_pending "$stage")
    n=$(stage_tasks "$stage")
    if [ -z "$pending" ]; then
      note "$stage: $n/$n done, skipped"
      continue
    fi
    array=${pending//$'\n'/,}
    [ -n "$SLURM_ARRAY_MAX" ] && array="$array%$SLURM_ARRAY_MAX"
    cpus=$(slurm_opt "$stage" CPUS)
    [ -n "$cpus" ] || cpus=$(stage_threads "$stage")
    opts=(--parsable --job-name="wt-$stage" --array="$array" --chdir="$PWD"
      --output="$OUT/logs/slurm/$stage-%a.out" --cpus-per-task="$cpus"
      --time="$(slurm_opt "$stage" TIME)" --mem="$(slurm_opt "$stage" MEM)" --export=ALL)
    [ -n "$SLURM_PARTITION" ] && opts+=(--partition="$SLURM_PARTITION")
    [ -n "$prev" ] && opts+=(--dependency="afterok:$prev" --kill-on-invalid-dep=yes)
    # shellcheck disable=SC2086
    jid=$(sbatch "${opts[@]}" $SLURM_ARGS --wrap="exec bash $(printf %q "$TASK") $(printf %q "$snapshot") $stage") ||
      die "$stage: sbatch failed"
    jid=${jid%%;*}
    note "$stage: submitted job array $jid (tasks $array)"
    ids+=("$jid")
    prev=$jid
  done
  echo "${ids[*]}" >"$OUT/logs/slurm/jobs"
  [ ${#ids[@]} -gt 0 ] || return 0
  if [ "$SLURM_WAIT" != 1 ]; then
    note "submitted ${ids[*]}; rerun this command after they finish to check completion"
    return 0
  fi
  local list
  list=$(IFS=,; echo "${ids[*]}")
  while [ -n "$(squeue -h -o %i -j "$list" 2>/dev/null)" ]; do sleep "$SLURM_POLL"; done
  for stage in $STAGES; do
    pending=$(stage_pending "$stage")
    if [ -n "$pending" ]; then
      note "$stage: incomplete shard(s): ${pending//$'\n'/ }; logs in $OUT/logs/$stage-*.log and $OUT/logs/slurm/"
      report_locked "$stage" "$pending"
      return
    fi
  done
}

note "executor $EXECUTOR, $SHARDS shard(s), stages: $STAGES, output $OUT"
case $EXECUTOR in
  local) run_local ;;
  slurm) run_slurm ;;
  *) die "unknown EXECUTOR '$EXECUTOR' (local or slurm)" ;;
esac || exit
note "complete: $OUT"
