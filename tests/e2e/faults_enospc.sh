#!/usr/bin/env bash
# A full disk (writes to *.tmp failing with ENOSPC, via the LD_PRELOAD shim)
# in every stage: exit 1, a message naming the file, no output under its final
# name (but a shard finished before the failure, identical to a clean run's),
# no sanitizer report; a run afterwards, with space, gives the same
# outputs as a clean run. Also an fsync failure (EIO). `crawl fetch`: see
# faults_kill_fetch.sh.
set -uo pipefail
source "$WEBTEXT_ROOT/tests/faults/lib.sh"
faults_setup
fail=0
for s in "${FAULT_STAGES[@]}"; do
  ref=$TMP/ref-$s
  stage_run "$s" "$ref" >/dev/null 2>"$TMP/err" || { echo "FAIL $s: clean run failed"; cat "$TMP/err"; fail=1; continue; }
  want=$(outputs_digest "$ref")
  for budget in 0 3000; do
    out=$TMP/out-$s-$budget
    fault_enospc "$budget" bash -c "$(declare -f stage_run); B=$B IN=$IN; stage_run $s $out" >/dev/null 2>"$TMP/err"
    rc=$?
    # the budget may exceed what a small stage writes: then it must succeed
    if [ $rc -eq 0 ]; then
      [ "$(outputs_digest "$out")" = "$want" ] || { echo "FAIL $s/$budget: succeeded with other outputs"; fail=1; }
      continue
    fi
    [ $rc -eq 1 ] || { echo "FAIL $s/$budget: exit $rc, expected 1"; cat "$TMP/err"; fail=1; }
    grep -qiE 'space|ENOSPC' "$TMP/err" || { echo "FAIL $s/$budget: no 'No space' message"; cat "$TMP/err"; fail=1; }
    grep -qE "$out|\.tmp" "$TMP/err" || { echo "FAIL $s/$budget: message names no file"; cat "$TMP/err"; fail=1; }
    finals_complete "$out" "$ref" "$(stage_outputs "$s")" || fail=1
    no_sanitizer_report "$TMP/err" || fail=1
    msg=$(grep -iE 'space' "$TMP/err" | head -n 1)
    # with space again: the same outputs as the clean run
    stage_run "$s" "$out" >/dev/null 2>"$TMP/err" || { echo "FAIL $s/$budget: rerun failed"; cat "$TMP/err"; fail=1; continue; }
    [ "$(outputs_digest "$out")" = "$want" ] || { echo "FAIL $s/$budget: rerun differs from a clean run"; fail=1; }
    echo "ok $s budget=$budget: $msg"
  done
  out=$TMP/fsync-$s
  fault_fsync bash -c "$(declare -f stage_run); B=$B IN=$IN; stage_run $s $out" >/dev/null 2>"$TMP/err"
  rc=$?
  [ $rc -eq 1 ] || { echo "FAIL $s fsync: exit $rc, expected 1"; cat "$TMP/err"; fail=1; }
  no_final_outputs "$out" "$(stage_outputs "$s")" || fail=1
  no_sanitizer_report "$TMP/err" || fail=1
done

# a real full file system where we may mount one (root); CI may not allow it
mnt=$TMP/small
mkdir -p "$mnt"
if mount -t tmpfs -o size=64k tmpfs "$mnt" 2>/dev/null; then
  trap 'umount "$mnt" 2>/dev/null; rm -rf "$TMP"' EXIT
  for s in urls extract tokenize model; do
    out=$mnt/$s
    stage_run "$s" "$out" >/dev/null 2>"$TMP/err"
    rc=$?
    no_sanitizer_report "$TMP/err" || fail=1
    if [ $rc -eq 0 ]; then
      [ "$(outputs_digest "$out")" = "$(outputs_digest "$TMP/ref-$s")" ] || { echo "FAIL tmpfs $s: other outputs"; fail=1; }
    else
      [ $rc -eq 1 ] && grep -q "$out" "$TMP/err" || { echo "FAIL tmpfs $s: exit $rc"; cat "$TMP/err"; fail=1; }
      finals_complete "$out" "$TMP/ref-$s" "$(stage_outputs "$s")" || fail=1
      echo "ok tmpfs $s: $(grep -i space "$TMP/err" | head -n 1)"
    fi
    rm -rf "$out"
  done
  umount "$mnt"
else
  echo "skip: cannot mount a tmpfs here (not root?)"
fi
[ $fail -eq 0 ] && echo PASS
exit $fail
