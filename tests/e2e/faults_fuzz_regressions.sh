#!/usr/bin/env bash
# Replays every saved fuzz input in the normal (or SAN) build: each fuzz target
# is also linked with fuzz/replay_main.c into $WEBTEXT_BUILD/fuzz-replay/NAME,
# and runs here on fuzz/regressions/NAME/* (inputs that once crashed a target
# or broke one of its properties) and on its generated seed corpus. A crash, a
# broken property (abort) or a sanitizer report fails the test.
set -uo pipefail
: "${WEBTEXT_BUILD:?}" "${WEBTEXT_ROOT:?}"
replay=$WEBTEXT_BUILD/fuzz-replay
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 targets=0 skipped=()
for bin in "$replay"/fuzz_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  targets=$((targets + 1))
  mkdir -p "$tmp/$name"
  bash "$WEBTEXT_ROOT/fuzz/seeds.sh" "$name" "$tmp/$name" >/dev/null
  files=("$tmp/$name"/*)
  for f in "$WEBTEXT_ROOT/fuzz/regressions/$name"/*; do [ -f "$f" ] && files+=("$f"); done
  if ! timeout 120 "$bin" "${files[@]}" >"$tmp/out" 2>&1 || grep -qE 'Sanitizer|runtime error:' "$tmp/out"; then
    echo "FAIL $name:"
    tail -n 30 "$tmp/out"
    fail=1
  elif grep -q 'every input is skipped' "$tmp/out"; then
    skipped+=("$name ($(grep -m1 'every input is skipped' "$tmp/out"))")
  else
    echo "ok   $name: $(tail -n 1 "$tmp/out")"
  fi
done
[ $targets -gt 0 ] || { echo "no replay binaries in $replay (run make)"; exit 1; }
[ $fail -eq 0 ] || exit 1
# a target that could not look at its inputs makes the whole replay a counted skip
[ ${#skipped[@]} -eq 0 ] || { echo "SKIP: ${skipped[*]} (run: make deps)"; exit 77; }
echo PASS
