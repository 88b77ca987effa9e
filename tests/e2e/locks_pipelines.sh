#!/usr/bin/env bash
# One writer per output, pipelines/: a second run.sh on the same OUT refuses at
# once (exit 3) naming the first; a task whose shard another live task holds
# (as when Slurm requeues a task whose first attempt still runs) exits 3 and
# the driver reports it, without retrying; a driver killed with -9 leaves its
# lock to the tasks it started (a rerun refuses while they run, then takes it).
# The stage `slow` waits for a gate file, so every check is made while the
# holders are known to be running.
source "$WEBTEXT_ROOT/tests/locks/lib.sh"
RUN=$WEBTEXT_ROOT/pipelines/run.sh
TASK=$WEBTEXT_ROOT/pipelines/task.sh
cat >"$TMP/stages.sh" <<'SH'
stage_slow_tasks() { echo "$SHARDS"; }
stage_slow_run() {
  while [ ! -e "$LOCKTEST_GATE-$1" ]; do sleep 0.05; done
  mkdir -p "$OUT/slow" && echo "$1" >>"$OUT/slow/$1"
}
SH
export LOCKTEST_GATE=$TMP/gate
# run ARGS: the driver (exec: call it in a subshell or in the background)
run() { exec "$RUN" --stages slow STAGES_FILE="$TMP/stages.sh" SHARDS=2 LOCAL_JOBS=2 RETRIES=2 "$@"; }
# wait_file_holder FILE: until FILE names a holder that is alive; prints its pid.
wait_file_holder() {
  local pid=""
  for _ in $(seq 1000); do
    pid=$(sed -n 's/^pid //p' "$1" 2>/dev/null || true)
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q '^command ' "$1" && { echo "$pid"; return; }
    sleep 0.01
  done
  fail "no live holder in $1"
}

# 1. two drivers on one OUT
O=$TMP/a
run -o "$O" 2>"$TMP/first.err" &
FIRST=$!
wait_holder "$O/.lock" "$FIRST"
t0=$(wait_file_holder "$O/.locks/slow-00000.lock")
wait_file_holder "$O/.locks/slow-00001.lock" >/dev/null
# the tasks write their log's first line after taking their locks: wait for it, so that
# the first run is still (blocked at the gate) while the folder is compared
for i in 0 1; do
  for _ in $(seq 500); do [ -s "$O/logs/slow-0000$i.log" ] && break; sleep 0.01; done
done
sleep 0.2
expect_refusal "$O" "pipeline: $O" run -o "$O"

# 2. the same task again (a Slurm requeue) refuses, naming the running task
rc=0
bash "$TASK" "$O/pipeline.conf" slow 0 2>"$TMP/task.err" || rc=$?
cat "$TMP/task.err"
[ "$rc" -eq 3 ] || fail "the second task exited $rc, not 3"
grep -qF "slow 00000 of $O is being written by pid $t0 on host $(hostname)" "$TMP/task.err" ||
  fail "the second task does not name the first"
touch "$LOCKTEST_GATE-0" "$LOCKTEST_GATE-1"
release_held
[ "$(cat "$O/slow/0")" = 0 ] && [ "$(cat "$O/slow/1")" = 1 ] || fail "a shard ran twice or not at all"

# 3. the driver meets a shard held by a live task outside it: reported, not retried, exit 3
rm -f "$LOCKTEST_GATE"-* "$O"/.done/slow-* "$O"/slow/*
bash "$TASK" "$O/pipeline.conf" slow 1 2>/dev/null &
other=$!
t1=$(wait_file_holder "$O/.locks/slow-00001.lock")
touch "$LOCKTEST_GATE-0"
rc=0
(run -o "$O") 2>"$TMP/drv.err" || rc=$?
cat "$TMP/drv.err"
[ "$rc" -eq 3 ] || fail "the driver exited $rc, not 3"
grep -qF "slow 00001: still being run by pid $t1 on host $(hostname)" "$TMP/drv.err" ||
  fail "the driver does not report the locked shard"
grep -q "not retried" "$TMP/drv.err" || fail "the driver does not say it did not retry"
[ -e "$O/.done/slow-00000" ] && [ ! -e "$O/.done/slow-00001" ] || fail "wrong markers"
touch "$LOCKTEST_GATE-1"
wait "$other"
(run -o "$O") 2>/dev/null || fail "the rerun after the other task finished failed"
[ "$(cat "$O/slow/1")" = 1 ] || fail "shard 1 ran twice"

# 4. kill -9 of a driver: its tasks keep the lock until they end, then a rerun takes it
rm -f "$LOCKTEST_GATE"-*
O=$TMP/k
run -o "$O" 2>/dev/null &
FIRST=$!
wait_holder "$O/.lock" "$FIRST"
wait_file_holder "$O/.locks/slow-00001.lock" >/dev/null
kill_held
rc=0
(run -o "$O") 2>"$TMP/k.err" || rc=$?
cat "$TMP/k.err"
[ "$rc" -eq 3 ] || fail "a driver ran while the killed driver's tasks still run"
grep -q "that process has exited, a child process it started still holds the lock" "$TMP/k.err" ||
  fail "the refusal does not explain the dead holder"
touch "$LOCKTEST_GATE-0" "$LOCKTEST_GATE-1"
for _ in $(seq 500); do flock -n "$O/.lock" true && break; sleep 0.02; done
(run -o "$O") 2>"$TMP/k2.err" || { cat "$TMP/k2.err"; fail "the rerun after kill -9 failed"; }
grep -q "complete: $O" "$TMP/k2.err" || fail "the rerun did not complete"
echo PASS
