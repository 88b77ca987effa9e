#!/usr/bin/env bash
# Runs every test: the cmocka unit-test binaries in $WEBTEXT_BUILD/tests and the
# end-to-end scripts tests/e2e/*.sh. Prints each failure's output, and ends
# with one summary line: "N passed, N failed, N skipped", after a list of the
# skipped tests with their reasons. A test that cannot run is skipped, never
# passed: an e2e script exits 77 after a line "SKIP: reason (run: command)", a
# cmocka test calls skip() after printing such a line. With
# WEBTEXT_TEST_STRICT=1 (make test STRICT=1, as CI runs it) a skip is a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
: "${WEBTEXT_BUILD:=$PWD/build}" "${WEBTEXT_BIN:=$PWD/bin}"
: "${WEBTEXT_DATA:=${XDG_DATA_HOME:-$HOME/.local/share}/webtext/data}"
export WEBTEXT_BUILD WEBTEXT_BIN WEBTEXT_DATA
export WEBTEXT_ROOT=$PWD
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=99}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=98}
filter=${1:-}
strict=${WEBTEXT_TEST_STRICT:-0}
passed=0 failed=0 skipped=0 failed_names=() skip_lines=()
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

for t in "$WEBTEXT_BUILD"/tests/test_*; do
  [ -f "$t" ] && [ -x "$t" ] || continue
  name=$(basename "$t")
  [[ -n $filter && $name != *$filter* ]] && continue
  out="$log/$name.out"
  "$t" >"$out" 2>&1
  rc=$?
  # cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s), listed below:"
  p=$(grep -aoE '^\[  PASSED  \] [0-9]+' "$out" | awk '{s+=$NF} END {print s+0}')
  f=$(grep -aoE '^\[  FAILED  \] [0-9]+ test' "$out" | awk '{s+=$(NF-1)} END {print s+0}')
  k=$(grep -aoE '^\[  SKIPPED \] [0-9]+ test' "$out" | awk '{s+=$(NF-1)} END {print s+0}')
  if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + k))
  if [ "$k" -gt 0 ]; then
    while IFS= read -r line; do skip_lines+=("$name: ${line#SKIP: }"); done < <(grep -a '^SKIP: ' "$out")
    [ "$(grep -ac '^SKIP: ' "$out")" -ge "$k" ] || skip_lines+=("$name: $k test(s) skipped without a reason")
  fi
  if [ "$f" -gt 0 ]; then
    failed_names+=("$name"); echo "FAIL $name (exit $rc)"; tail -n 60 "$out"
  else
    if [ "$k" -gt 0 ]; then echo "ok   $name ($p tests, $k skipped)"; else echo "ok   $name ($p tests)"; fi
  fi
done

for t in tests/e2e/*.sh; do
  [ -e "$t" ] && [ "$t" != tests/e2e/lib.sh ] || continue # lib.sh is sourced by the tests
  name=$(basename "$t" .sh)
  [[ -n $filter && $name != *$filter* ]] && continue
  out="$log/$name.out"
  start=$SECONDS
  bash "$t" >"$out" 2>&1
  rc=$?
  if [ $rc -eq 0 ]; then
    passed=$((passed + 1)); echo "ok   e2e/$name ($((SECONDS - start))s)"
  elif [ $rc -eq 77 ]; then
    skipped=$((skipped + 1))
    why=$(grep -a -m1 '^SKIP: ' "$out" || echo "SKIP: no reason given")
    skip_lines+=("e2e/$name: ${why#SKIP: }"); echo "skip e2e/$name: ${why#SKIP: }"
  else
    failed=$((failed + 1)); failed_names+=("e2e/$name")
    echo "FAIL e2e/$name (exit $rc)"; tail -n 60 "$out"
  fi
done

if [ "$strict" = 1 ] && [ "$skipped" -gt 0 ]; then
  echo "strict mode (WEBTEXT_TEST_STRICT=1): the $skipped skipped test(s) below count as failed"
  failed=$((failed + skipped)) failed_names+=("(every skipped test)")
fi
[ ${#failed_names[@]} -gt 0 ] && echo "failed: ${failed_names[*]}"
if [ "$skipped" -gt 0 ]; then
  echo "skipped: $(printf '%s; ' "${skip_lines[@]}")"
fi
[ "$strict" = 1 ] && skipped=0
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
