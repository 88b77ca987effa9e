#!/usr/bin/env bash
# SIGKILL at random moments of every stage, then a plain rerun: the outputs
# equal an uninterrupted run's byte for byte (JSON reports without their
# times), and no *.tmp is left behind. Each stage is killed at delays drawn
# over its measured run time until KILLS kills have interrupted a running
# stage (a kill that lands after the stage finished, or before it started,
# does not count); fewer than KILLS in 8*KILLS tries fails the test.
# `crawl fetch`: crawl_fetch_resume.sh (SIGKILL, SIGTERM, torn records).
set -uo pipefail
source "$WEBTEXT_ROOT/tests/faults/lib.sh"
faults_setup
KILLS=${KILLS:-3}
fail=0
for s in "${FAULT_STAGES[@]}"; do
  ref=$TMP/ref-$s
  stage_run "$s" "$ref" >/dev/null 2>&1 || { echo "FAIL $s: clean run failed"; fail=1; continue; }
  # the run time, measured on a second (warm) clean run: the first pays for cold caches
  t0=$(now_ms)
  stage_run "$s" "$TMP/warm-$s" >/dev/null 2>&1
  ms=$(($(now_ms) - t0 + 5))
  rm -rf "$TMP/warm-$s"
  want=$(outputs_digest "$ref")
  landed=0 tries=0
  while [ $landed -lt "$KILLS" ] && [ $tries -lt $((8 * KILLS)) ]; do
    tries=$((tries + 1))
    out=$TMP/out-$s-$tries
    k=$tries
    if kill_at_random "$ms" bash -c "$(declare -f stage_run); B=$B IN=$IN STAGE_EXEC=exec; stage_run $s $out"; then
      landed=$((landed + 1))
    fi
    finals_complete "$out" "$ref" "$(stage_outputs "$s")" || fail=1
    stage_run "$s" "$out" >/dev/null 2>"$TMP/err" || { echo "FAIL $s/$k: rerun after kill failed"; cat "$TMP/err"; fail=1; continue; }
    no_sanitizer_report "$TMP/err" || fail=1
    if [ "$(outputs_digest "$out")" != "$want" ]; then
      echo "FAIL $s/$k: rerun after a kill differs from an uninterrupted run"
      diff <(echo "$want") <(outputs_digest "$out")
      fail=1
    fi
    left=$(find "$out" -name '*.tmp' | head -n 1)
    [ -z "$left" ] || { echo "FAIL $s/$k: $left left after a successful rerun"; fail=1; }
  done
  if [ $landed -lt "$KILLS" ]; then
    echo "FAIL $s: only $landed of $tries kills interrupted a running stage (wanted $KILLS)"
    fail=1
  else
    echo "ok $s: $landed of $tries kills within ${ms} ms interrupted the stage, reruns identical"
  fi
done
[ $fail -eq 0 ] && echo PASS
exit $fail
