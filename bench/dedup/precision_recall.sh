#!/usr/bin/env bash
# The precision/recall table of dedup/README.md: one generated corpus (20,000
# documents, 25% with planted copies, 15% sharing a boilerplate block), run with
# OWT2-like (3x3), datatrove (14x8) and other band x row settings, with and
# without signature verification; scored by tests/dedup/eval_dedup.py.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${WEBTEXT_BIN:-bin}/dedup
C=$(mktemp -d /tmp/dedup-pr.XXXXXX)
trap 'rm -rf "$C"' EXIT
python3 tests/dedup/gen_corpus.py --seed 3 --docs 20000 --shards 2 --dup 0.25 --related 0.15 \
  --truth "$C/truth.jsonl" "$C/in"
names=()
for cfg in "3 3 0" "14 8 0" "10 10 0" "20 5 0" "16 6 0.7" "20 5 0.6" "20 5 0.7"; do
  set -- $cfg
  n=$1x$2v$3
  "$bin" run "$C"/in/*.zst -o "$C/out-$n" --bands "$1" --rows "$2" --verify "$3" --quiet
  python3 tests/dedup/eval_dedup.py "$C/truth.jsonl" "$C/out-$n" >"$C/eval-$n.json"
  names+=("$n")
done
python3 bench/dedup/pr_table.py "$C" "${names[@]}"
