#!/usr/bin/env bash
# tests/e2e/pipelines_executor.sh: the local executor of pipelines/run.sh on two trivial stages
# (a sharded one and a global one): parallel run, skip on rerun, retry, a failure reported by
# shard, and a run killed midway that resumes without redoing finished shards.
set -euo pipefail
ROOT=${WEBTEXT_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cat >"$T/stages.sh" <<'EOF'
stage_square_tasks() { echo "$SHARDS"; }
stage_square_run() {
  mkdir -p "$OUT/sq"
  sleep "${SLEEP:-0}"
  if [ -e "$OUT/fail-$1" ]; then rm -f "$OUT/fail-$1"; echo "injected failure"; return 3; fi
  echo $(($1 * $1)) >"$OUT/sq/$1.tmp" && mv "$OUT/sq/$1.tmp" "$OUT/sq/$1"
  echo "$1" >>"$OUT/runs"
}
stage_sum_tasks() { echo 1; }
stage_sum_run() { cat "$OUT"/sq/* | awk '{ s += $1 } END { print s }' >"$OUT/sum"; }
EOF
run() { "$ROOT/pipelines/run.sh" --stages "square sum" STAGES_FILE="$T/stages.sh" SHARDS=6 "$@"; }

# 1. a full run: every shard once, the global step after them
run -o "$T/a" LOCAL_JOBS=3 2>"$T/log1" || { cat "$T/log1"; fail "first run"; }
[ "$(cat "$T/a/sum")" = 55 ] || fail "sum is $(cat "$T/a/sum"), want 55"
[ "$(wc -l <"$T/a/runs")" -eq 6 ] || fail "want 6 shard runs"
for i in 0 1 2 3 4 5; do
  [ -s "$T/a/.done/square-0000$i" ] || fail "no marker for square $i"
  grep -q "attempt 1" "$T/a/logs/square-0000$i.log" || fail "no log for square $i"
done
[ -s "$T/a/.done/sum-00000" ] || fail "no marker for sum"
grep -q '^SHARDS=6$' "$T/a/pipeline.conf" || fail "the frozen configuration lacks the override"

# 2. a rerun does nothing
run -o "$T/a" 2>"$T/log2"
[ "$(wc -l <"$T/a/runs")" -eq 6 ] || fail "the rerun redid shards"
grep -q "square: 6/6 done, skipped" "$T/log2" || fail "the rerun did not report the skip"

# 3. a failing shard is retried (RETRIES=1) and its marker counts 2 attempts
mkdir -p "$T/b" && touch "$T/b/fail-4"
run -o "$T/b" RETRIES=1 2>"$T/log3" || { cat "$T/log3"; fail "retry run"; }
grep -q '"attempts":2' "$T/b/.done/square-00004" || fail "square 4 was not retried"
grep -q "injected failure" "$T/b/logs/square-00004.log" || fail "the failed attempt is not logged"

# 4. without retries the failure is reported by shard, the next stage does not run, and a
#    rerun runs only that shard
mkdir -p "$T/c" && touch "$T/c/fail-2"
if run -o "$T/c" RETRIES=0 2>"$T/log4"; then fail "a failed shard gave exit 0"; fi
grep -q "square shard 00002 failed" "$T/log4" || { cat "$T/log4"; fail "the failure names no shard"; }
[ ! -e "$T/c/sum" ] || fail "the global stage ran after a failure"
run -o "$T/c" RETRIES=0 2>"$T/log5" || fail "the rerun after a failure"
[ "$(wc -l <"$T/c/runs")" -eq 6 ] || fail "the rerun redid finished shards"
[ "$(cat "$T/c/sum")" = 55 ] || fail "sum after rerun"

# 5. killed midway (the whole process group), then resumed: finished shards are not redone
setsid "$ROOT/pipelines/run.sh" --stages "square sum" STAGES_FILE="$T/stages.sh" SHARDS=6 \
  LOCAL_JOBS=2 SLEEP=1 -o "$T/d" 2>"$T/log6" &
pid=$!
for _ in $(seq 1 100); do
  [ "$(ls "$T/d/.done" 2>/dev/null | wc -l)" -ge 2 ] && break
  sleep 0.1
done
kill -KILL -- -"$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
done_before=$(find "$T/d/.done" -name 'square-*' | wc -l)
[ "$done_before" -ge 2 ] && [ "$done_before" -lt 6 ] || fail "the kill came at $done_before/6 shards"
cp -r "$T/d/.done" "$T/done-before"
run -o "$T/d" SLEEP=0 2>"$T/log7" || { cat "$T/log7"; fail "the resumed run"; }
[ "$(cat "$T/d/sum")" = 55 ] || fail "the resumed sum differs from the uninterrupted one"
for m in "$T"/done-before/*; do
  cmp -s "$m" "$T/d/.done/$(basename "$m")" || fail "finished shard $(basename "$m") was redone"
done
[ "$(sort -n "$T/d/runs" | uniq | wc -l)" -eq 6 ] || fail "a shard is missing after resume"
echo "pipelines executor: ok"
