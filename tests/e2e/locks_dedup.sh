#!/usr/bin/env bash
# One writer per output, `dedup`: a second `dedup run` on the same -o refuses
# (exit 3, naming the holder, touching nothing); the first's output equals a
# lone run's; after kill -9 of the first, a rerun takes the lock. The steps
# lock per task (OUT/.STEP-RANK.lock): a second task of one rank refuses while
# another rank writes into the same folder.
source "$WEBTEXT_ROOT/tests/locks/lib.sh"
python3 "$WEBTEXT_ROOT/tests/dedup/gen_corpus.py" --seed 4 --docs 600 --shards 2 "$TMP/in" >/dev/null
IN=("$TMP"/in/docs-*.jsonl.zst)
run_stage() { exec "$WEBTEXT_BIN/dedup" run "${IN[@]}" -o "$1" --threads 1 --quiet; }
same_output() {
  cmp "$1/docs-00000.jsonl.zst" "$2/docs-00000.jsonl.zst" &&
    cmp "$1/docs-00001.jsonl.zst" "$2/docs-00001.jsonl.zst" &&
    python3 - "$1/report.json" "$2/report.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for k in ("documents", "kept", "removed_by_reason", "clusters"):
    assert a[k] == b[k], (k, a[k], b[k])
PY
}
lock_check .lock ""

# steps: signatures rank 0 of 2 held; the same task again refuses; rank 1 goes ahead
sig() { exec "$WEBTEXT_BIN/dedup" signatures "${IN[@]}" --rank "$1" --world 2 -o "$TMP/w" --quiet; }
start_held "$TMP/w/.signatures-00000.lock" sig 0
expect_refusal "$TMP/w" "$TMP/w" sig 0
(sig 1) || fail "rank 1 was refused while rank 0 ran"
release_held
ls -A "$TMP/w"
[ ! -e "$TMP/w/.signatures-00000.lock" ] && [ ! -e "$TMP/w/.signatures-00001.lock" ] ||
  fail "step lock files left behind"
echo PASS
