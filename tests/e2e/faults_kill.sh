#!/usr/bin/env bash
# SIGKILL at random moments of every stage, then a plain rerun: the outputs
# equal an uninterrupted run's byte for byte (JSON reports without their
# times), and no *.tmp is left behind. Each stage is killed KILLS times at
# delays drawn over its measured run time. `crawl fetch`: faults_kill_fetch.sh.
set -uo pipefail
source "$WEBTEXT_ROOT/tests/faults/lib.sh"
faults_setup
KILLS=${KILLS:-3}
fail=0
for s in "${FAULT_STAGES[@]}"; do
  ref=$TMP/ref-$s
  t0=$(now_ms)
  stage_run "$s" "$ref" >/dev/null 2>&1 || { echo "FAIL $s: clean run failed"; fail=1; continue; }
  ms=$(($(now_ms) - t0 + 20))
  want=$(outputs_digest "$ref")
  for k in $(seq "$KILLS"); do
    out=$TMP/out-$s-$k
    # a kill may land before the first write or after the last: both are fine
    kill_at_random "$ms" bash -c "$(declare -f stage_run); B=$B IN=$IN STAGE_EXEC=exec; stage_run $s $out"
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
  echo "ok $s: $KILLS kills within ${ms} ms, reruns identical"
done
[ $fail -eq 0 ] && echo PASS
exit $fail
