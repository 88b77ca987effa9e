#!/usr/bin/env bash
# A real full file system: each stage writing into a 64 KiB tmpfs. A stage
# whose outputs fit must give a clean run's outputs; one whose outputs do not
# fit must fail cleanly: exit 1, "cannot write OUT/....tmp: No space left on
# device", no *.tmp left, only finished shards equal to a clean run's; a rerun
# with space then gives the clean run's outputs. Needs root (mount); skips
# (exit 77) where a tmpfs cannot be mounted.
set -uo pipefail
source "$WEBTEXT_ROOT/tests/faults/lib.sh"
faults_setup
mnt=$TMP/small
mkdir -p "$mnt"
if ! mount -t tmpfs -o size=64k tmpfs "$mnt" 2>/dev/null; then
  echo "SKIP: cannot mount a tmpfs here (not root?) (run: sudo WEBTEXT_DATA=\$WEBTEXT_DATA tests/run.sh faults_enospc_tmpfs)"
  exit 77
fi
trap 'umount "$mnt" 2>/dev/null; rm -rf "$TMP"' EXIT
fail=0 nfail=0
for s in urls extract tokenize model; do
  ref=$TMP/ref-$s
  stage_run "$s" "$ref" >/dev/null 2>"$TMP/err" || { echo "FAIL $s: clean run failed"; cat "$TMP/err"; fail=1; continue; }
  out=$mnt/$s
  stage_run "$s" "$out" >/dev/null 2>"$TMP/err"
  rc=$?
  no_sanitizer_report "$TMP/err" || fail=1
  left=$(find "$out" -name '*.tmp' 2>/dev/null | head -n 1)
  [ -z "$left" ] || { echo "FAIL tmpfs $s: $left left behind (exit $rc)"; fail=1; }
  if [ $rc -eq 0 ]; then
    [ "$(outputs_digest "$out")" = "$(outputs_digest "$ref")" ] || { echo "FAIL tmpfs $s: other outputs"; fail=1; }
    echo "ok tmpfs $s: fits, outputs equal a clean run's"
  else
    nfail=$((nfail + 1))
    msg=$(grep -E "cannot write $out/[^ ]*\.tmp: No space left on device" "$TMP/err" | head -n 1)
    [ $rc -eq 1 ] && [ -n "$msg" ] || { echo "FAIL tmpfs $s: exit $rc"; cat "$TMP/err"; fail=1; }
    finals_complete "$out" "$ref" "$(stage_outputs "$s")" || fail=1
    rm -rf "$out"
    # with space (outside the tmpfs): the clean run's outputs
    stage_run "$s" "$TMP/again-$s" >/dev/null 2>&1 && [ "$(outputs_digest "$TMP/again-$s")" = "$(outputs_digest "$ref")" ] ||
      { echo "FAIL tmpfs $s: the run with space differs"; fail=1; }
    echo "ok tmpfs $s: exit 1, ${msg//$out/OUT}"
  fi
  rm -rf "$out"
done
# the model (a 2-layer checkpoint, ~100 KB) cannot fit: at least one stage must have met the full disk
[ $nfail -ge 1 ] || { echo "FAIL: no stage filled the 64 KiB tmpfs; the test shows nothing"; fail=1; }
umount "$mnt"
[ $fail -eq 0 ] && echo PASS
exit $fail
