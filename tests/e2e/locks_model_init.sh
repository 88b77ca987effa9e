#!/usr/bin/env bash
# One writer per output, `model init`: a second run on the same --out refuses
# (exit 3, naming the holder, touching nothing); the first's checkpoint equals
# a lone run's; after kill -9 of the first, a rerun takes the lock.
source "$WEBTEXT_ROOT/tests/locks/lib.sh"
M=$WEBTEXT_BIN/model
init=(init --n-layer 2 --n-head 2 --n-embd 32 --n-ctx 64 --vocab 500 --seed 7)
"$M" "${init[@]}" --out "$TMP/alone"
rm -f "$TMP/alone/.lock" 2>/dev/null || true

start_held "$TMP/m/.lock" "$M" "${init[@]}" --out "$TMP/m"
expect_refusal "$TMP/m" "$TMP/m" "$M" "${init[@]}" --out "$TMP/m"
release_held
diff -r "$TMP/alone" "$TMP/m" || fail "the first run's checkpoint differs from a lone run's"
[ ! -e "$TMP/m/.lock" ] || fail "the lock file was left behind"

start_held "$TMP/k/.lock" "$M" "${init[@]}" --out "$TMP/k"
kill_held
"$M" "${init[@]}" --out "$TMP/k" || fail "the rerun after kill -9 did not take the lock"
diff -r "$TMP/alone" "$TMP/k"
echo PASS
