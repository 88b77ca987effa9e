#!/usr/bin/env bash
# A full disk (writes to *.tmp failing with ENOSPC after BUDGET bytes, via the
# LD_PRELOAD shim) in every stage, at budgets from 0 bytes to 1 GB:
# - small budgets (0, 100 bytes) must fail cleanly: exit 1, a message
#   "cannot write FILE.tmp: No space left on device", no output under a final
#   name, no *.tmp left;
# - middle budgets (3000, 30000) may fail (the same, except that a shard
#   finished before the failure may stay: it must equal a clean run's) or succeed;
# - a 1 GB budget must succeed;
# - every budget that succeeds gives the clean run's outputs, and so does a
#   rerun with space after a failure.
# Also an fsync failure (EIO): exit 1, no final output. A real small tmpfs:
# faults_enospc_tmpfs.sh. `crawl fetch` on a full disk: hostile_fetch.sh.
set -uo pipefail
source "$WEBTEXT_ROOT/tests/faults/lib.sh"
faults_setup
fail=0
for s in "${FAULT_STAGES[@]}"; do
  ref=$TMP/ref-$s
  stage_run "$s" "$ref" >/dev/null 2>"$TMP/err" || { echo "FAIL $s: clean run failed"; cat "$TMP/err"; fail=1; continue; }
  want=$(outputs_digest "$ref")
  pattern=$(stage_outputs "$s")
  for budget in 0 100 3000 30000 1000000000; do
    out=$TMP/out-$s-$budget
    fault_enospc "$budget" bash -c "$(declare -f stage_run); B=$B IN=$IN; stage_run $s $out" >/dev/null 2>"$TMP/err"
    rc=$?
    no_sanitizer_report "$TMP/err" || fail=1
    left=$(find "$out" -name '*.tmp' 2>/dev/null | head -n 1)
    [ -z "$left" ] || { echo "FAIL $s/$budget: $left left behind (exit $rc)"; fail=1; }
    if [ $rc -eq 0 ]; then
      case $budget in 0 | 100) echo "FAIL $s/$budget: succeeded with no space"; fail=1 ;; esac
      [ "$(outputs_digest "$out")" = "$want" ] || { echo "FAIL $s/$budget: succeeded with other outputs"; fail=1; }
      echo "ok $s budget=$budget: succeeded, outputs equal a clean run's"
      continue
    fi
    [ "$budget" = 1000000000 ] && { echo "FAIL $s/$budget: failed with space left"; cat "$TMP/err"; fail=1; continue; }
    [ $rc -eq 1 ] || { echo "FAIL $s/$budget: exit $rc, expected 1"; cat "$TMP/err"; fail=1; }
    msg=$(grep -E "cannot write $out/[^ ]*\.tmp: No space left on device" "$TMP/err" | head -n 1)
    [ -n "$msg" ] || { echo "FAIL $s/$budget: no 'cannot write OUT/....tmp: No space left on device'"; cat "$TMP/err"; fail=1; }
    case $budget in
    0 | 100) no_final_outputs "$out" "$pattern" || { echo "FAIL $s/$budget: a final output"; fail=1; } ;;
    *) finals_complete "$out" "$ref" "$pattern" || { echo "FAIL $s/$budget: a partial final output"; fail=1; } ;;
    esac
    # with space again: the same outputs as the clean run
    stage_run "$s" "$out" >/dev/null 2>"$TMP/err" || { echo "FAIL $s/$budget: rerun failed"; cat "$TMP/err"; fail=1; continue; }
    [ "$(outputs_digest "$out")" = "$want" ] || { echo "FAIL $s/$budget: rerun differs from a clean run"; fail=1; }
    echo "ok $s budget=$budget: exit 1, ${msg//$out/OUT}"
  done
  out=$TMP/fsync-$s
  fault_fsync bash -c "$(declare -f stage_run); B=$B IN=$IN; stage_run $s $out" >/dev/null 2>"$TMP/err"
  rc=$?
  [ $rc -eq 1 ] || { echo "FAIL $s fsync: exit $rc, expected 1"; cat "$TMP/err"; fail=1; }
  grep -qE "$out/[^ ]*: .*Input/output error" "$TMP/err" || { echo "FAIL $s fsync: no 'Input/output error' naming the file"; cat "$TMP/err"; fail=1; }
  no_final_outputs "$out" "$pattern" || fail=1
  left=$(find "$out" -name '*.tmp' 2>/dev/null | head -n 1)
  [ -z "$left" ] || { echo "FAIL $s fsync: $left left behind"; fail=1; }
  no_sanitizer_report "$TMP/err" || fail=1
  echo "ok $s fsync EIO: $(grep -m1 'Input/output' "$TMP/err" | sed "s|$out|OUT|")"
done
[ $fail -eq 0 ] && echo PASS
exit $fail
