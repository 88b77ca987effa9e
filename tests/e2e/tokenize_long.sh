#!/usr/bin/env bash
# Adversarial lengths: 1 MB runs of one character (one pre-tokenizer piece
# each) must encode quickly (the heap merge), decode back, and split into the
# same ids with 1 and 2 threads. The reference is quadratic on such pieces, so
# their ids are checked against it up to 6,000 characters by tokenize_diff.sh
# and the heap against the flat merge by the unit tests.
set -euo pipefail
tok=$WEBTEXT_BIN/tokenize
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for ch in a é 日 ' ' 1 '!' $'\n' 😀; do
  python3 -c 'import sys; sys.stdout.write(sys.argv[1] * (1 << 20))' "$ch" >"$tmp/run"
  start=$(date +%s.%N)
  timeout 60 "$tok" encode --threads 1 <"$tmp/run" >"$tmp/ids" || { echo "FAIL: run of '$ch' did not finish"; fail=1; continue; }
  end=$(date +%s.%N)
  printf "run of %q (1 MiChars): %d tokens in %.3f s\n" "$ch" "$(wc -w <"$tmp/ids")" "$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')"
  "$tok" decode <"$tmp/ids" | cmp -s - "$tmp/run" || { echo "FAIL: run of '$ch' does not decode back"; fail=1; }
  "$tok" encode --threads 2 <"$tmp/run" | cmp -s - "$tmp/ids" || { echo "FAIL: run of '$ch' differs with 2 threads"; fail=1; }
done
exit $fail
