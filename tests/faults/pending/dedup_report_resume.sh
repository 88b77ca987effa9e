#!/usr/bin/env bash
# Pending regression (move to tests/e2e once dedup/ is fixed): after `dedup
# run` is killed between steps and rerun, report.json lists the finished steps
# as {"skipped": true} without their counts (records, kept_for_dedup, keys,
# edges...), so a resumed pipeline's report loses the numbers an uninterrupted
# run gives. Expected: the rerun's report equals a clean run's (times aside).
set -uo pipefail
source "$WEBTEXT_ROOT/tests/faults/lib.sh"
faults_setup
stage_run dedup "$TMP/ref" >/dev/null 2>&1 || exit 1
# as if killed after step 1: its outputs are there when `dedup run` starts
"$B/dedup" signatures "$IN/docs-00000.jsonl.zst" -o "$TMP/out/work" --partitions 16 --quiet || exit 1
stage_run dedup "$TMP/out" >/dev/null 2>&1 || exit 1
python3 - "$TMP/ref/report.json" "$TMP/out/report.json" <<'PY'
import json, sys
def counts(o):
    return {k: counts(v) for k, v in o.items() if "second" not in k and not k.endswith("_per_s")
            and k not in ("input", "output")} if isinstance(o, dict) else \
           [counts(v) for v in o] if isinstance(o, list) else o
a, b = (counts(json.load(open(p))) for p in sys.argv[1:])
sys.exit(0 if a == b else "report.json of a resumed run differs: %s" % json.dumps(b)[:300])
PY
