# Sourced by tests/e2e/locks_*.sh: two runs on one output. start_held starts
# a first run that pauses (libholdlock.so) right after it took its lock and
# wrote its details; the test then checks that a second run refuses at once,
# naming the holder, and touches nothing; release_held lets the first finish.
# Sets TMP (removed on exit, with any run still going; a TMP already set is
# kept, and EXTRA_CLEANUP, a command, runs on exit too).
set -euo pipefail
: "${WEBTEXT_BIN:?}" "${WEBTEXT_BUILD:?}" "${WEBTEXT_ROOT:?}"
HOLDLOCK_SO=$WEBTEXT_BUILD/tests/libholdlock.so
[ -e "$HOLDLOCK_SO" ] || HOLDLOCK_SO=$(dirname "$WEBTEXT_BUILD")/build/tests/libholdlock.so
if [ ! -e "$HOLDLOCK_SO" ]; then
  echo "SKIP: libholdlock.so not built (run: make all)"
  exit 77
fi
TMP=${TMP:-$(mktemp -d)}
FIRST=
locks_cleanup() {
  if [ -n "$FIRST" ]; then kill -KILL "$FIRST" 2>/dev/null || true; wait "$FIRST" 2>/dev/null || true; fi
  if [ -n "${EXTRA_CLEANUP:-}" ]; then eval "$EXTRA_CLEANUP"; fi
  rm -rf "$TMP"
}
trap locks_cleanup EXIT

fail() { echo "FAIL: $*"; exit 1; }

# wait_holder LOCKFILE PID: until LOCKFILE names PID as its holder (10 s at most).
wait_holder() {
  local i
  for i in $(seq 1000); do
    grep -qx "pid $2" "$1" 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || { cat "$TMP/first.err" 2>/dev/null; fail "the first run ended before holding $1"; }
    sleep 0.01
  done
  fail "no holder details in $1 after 10 s"
}

# start_held LOCKFILE CMD...: CMD in the background, paused once it holds LOCKFILE. Sets FIRST.
start_held() {
  local lock=$1
  shift
  rm -f "$TMP/gate"
  mkfifo "$TMP/gate"
  ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" WT_HOLD_GATE=$TMP/gate \
    LD_PRELOAD=$HOLDLOCK_SO "$@" >"$TMP/first.out" 2>"$TMP/first.err" &
  FIRST=$!
  wait_holder "$lock" "$FIRST"
}

# release_held: lets the first run go on and waits for it; it must succeed.
release_held() {
  : >"$TMP/gate"
  local rc=0
  wait "$FIRST" || rc=$?
  FIRST=
  [ "$rc" -eq 0 ] || { cat "$TMP/first.err"; fail "the first run failed (exit $rc)"; }
}

# kill_held: SIGKILL the paused first run (its lock file stays behind, unheld).
kill_held() {
  kill -KILL "$FIRST"
  wait "$FIRST" 2>/dev/null || true
  FIRST=
}

# tree DIR: every entry under DIR with its size, mtime, inode and content hash.
tree() {
  find "$1" -printf '%p %y %s %T@ %i\n' | sort
  find "$1" -type f -print0 | sort -z | xargs -0 -r md5sum
}

# expect_refusal DIR OUTPUT CMD...: CMD (while the first run holds OUTPUT's lock) exits 3 in
# under a second, naming OUTPUT and the first run (pid, host), and changes nothing under DIR
# (DIR "": not checked, for a first run that is not paused).
expect_refusal() {
  local dir=$1 output=$2 before after t0 ms rc=0
  shift 2
  [ -z "$dir" ] || before=$(tree "$dir")
  t0=$(date +%s%N)
  ("$@") >"$TMP/second.out" 2>"$TMP/second.err" &
  local pid=$! dog
  (sleep 10 && kill -KILL "$pid") 2>/dev/null &
  dog=$!
  wait "$pid" || rc=$?
  kill "$dog" 2>/dev/null || true
  wait "$dog" 2>/dev/null || true
  ms=$((($(date +%s%N) - t0) / 1000000))
  [ -z "$dir" ] || after=$(tree "$dir")
  cat "$TMP/second.err"
  [ "$rc" -eq 3 ] || fail "the second run exited $rc, not 3"
  [ "$ms" -lt 1000 ] || fail "the second run took ${ms} ms to refuse"
  grep -qF "${output%/} is being written by pid $FIRST on host $(hostname) since " "$TMP/second.err" ||
    fail "the message does not name $output and pid $FIRST"
  grep -q "refusing" "$TMP/second.err" || fail "the message does not say it refuses"
  [ -z "$dir" ] || [ "$before" = "$after" ] || { diff <(echo "$before") <(echo "$after") || true; fail "the second run changed $dir"; }
  echo "refused in ${ms} ms"
}

# lock_check LOCK OUTPUT: the three checks for a stage whose test defines
#   run_stage DIR: exec the stage writing its output into DIR (called in a subshell)
#   same_output A B: succeed when the outputs in folders A and B are equal
# LOCK and OUTPUT are relative to DIR: the lock file and what the message names.
#   1. a lone run into $TMP/alone;
#   2. a first run into $TMP/out paused holding LOCK: a second refuses (expect_refusal);
#      the first then completes and equals the lone run;
#   3. a first run into $TMP/k killed (-9) while it holds LOCK: the rerun takes the lock,
#      completes and equals the lone run; no lock file is left.
lock_check() {
  local lock=$1 output=$2
  (run_stage "$TMP/alone") || fail "the lone run failed"
  start_held "$TMP/out/$lock" run_stage "$TMP/out"
  expect_refusal "$TMP/out" "$TMP/out/$output" run_stage "$TMP/out"
  release_held
  [ ! -e "$TMP/out/$lock" ] || fail "the lock file $lock was left behind"
  same_output "$TMP/alone" "$TMP/out" || fail "the first run's output differs from a lone run's"
  start_held "$TMP/k/$lock" run_stage "$TMP/k"
  kill_held
  [ -e "$TMP/k/$lock" ] || fail "kill -9 should leave the (unheld) lock file"
  (run_stage "$TMP/k") || fail "the rerun after kill -9 failed"
  [ ! -e "$TMP/k/$lock" ] || fail "the lock file $lock was left behind"
  same_output "$TMP/alone" "$TMP/k" || fail "the rerun's output differs from a lone run's"
  echo "lock_check $lock: ok"
}
