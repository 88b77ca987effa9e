#!/usr/bin/env bash
# Regression (docs/hardening.md): a resumed `dedup run` reported the steps it
# skipped as {"skipped": true} without their counts. Now each step keeps its
# statistics beside its outputs and a rerun reads them back, so the report of
# a resumed run equals an uninterrupted run's (times aside), wherever it
# resumes. Also: a run killed while removing work/ leaves it behind; the
# rerun, finding the outputs complete, removes it.
set -uo pipefail
source "$WEBTEXT_ROOT/tests/faults/lib.sh"
faults_setup
DOCS=$IN/docs-00000.jsonl.zst
fail=0
stage_run dedup "$TMP/ref" >/dev/null 2>&1 || { echo "FAIL: clean run"; exit 1; }

# same_report NAME DIR: DIR/report.json equals the clean run's, times aside
same_report() {
  python3 - "$TMP/ref/report.json" "$2/report.json" "$1" <<'PY' || fail=1
import json, sys
def counts(o):
    if isinstance(o, dict):
        return {k: counts(v) for k, v in o.items() if "second" not in k
                and not k.endswith("_per_s") and k not in ("input", "output")}
    return [counts(v) for v in o] if isinstance(o, list) else o
a, b = (counts(json.load(open(p))) for p in sys.argv[1:3])
if a != b:
    sys.exit("FAIL %s: report.json of a resumed run differs: %s" % (sys.argv[3], json.dumps(b)[:400]))
if "skipped" in json.dumps(b):
    sys.exit("FAIL %s: a step still reports skipped" % sys.argv[3])
print("ok   %s" % sys.argv[3])
PY
}
same_docs() {
  cmp -s <(zstd -dc "$TMP/ref/docs-00000.jsonl.zst") <(zstd -dc "$2/docs-00000.jsonl.zst") ||
    { echo "FAIL $1: documents differ"; fail=1; }
}

# as if killed after step 1: its outputs are there when `dedup run` starts
"$B/dedup" signatures "$DOCS" -o "$TMP/a/work" --quiet || exit 1
stage_run dedup "$TMP/a" >/dev/null 2>&1 || { echo "FAIL: run after signatures"; exit 1; }
same_report "after step 1" "$TMP/a"
same_docs "after step 1" "$TMP/a"

# as if killed after step 2
"$B/dedup" signatures "$DOCS" -o "$TMP/b/work" --quiet || exit 1
"$B/dedup" buckets "$DOCS" -o "$TMP/b/work" --quiet || exit 1
stage_run dedup "$TMP/b" >/dev/null 2>&1 || { echo "FAIL: run after buckets"; exit 1; }
same_report "after step 2" "$TMP/b"

# every step done, the final report lost: all four steps are skipped
"$B/dedup" run "$DOCS" -o "$TMP/c" --keep-work --quiet --threads 2 || exit 1
rm -f "$TMP/c/report.json"
stage_run dedup "$TMP/c" >/dev/null 2>&1 || { echo "FAIL: run after all steps"; exit 1; }
same_report "all steps skipped" "$TMP/c"
same_docs "all steps skipped" "$TMP/c"

# step 1's statistics from other parameters (a run killed between writing its
# statistics and its meta file): not taken, the shard is redone
"$B/dedup" signatures "$DOCS" -o "$TMP/d/work" --quiet || exit 1
python3 - "$TMP/d/work/sig/stats-00000.json" <<'PY' || exit 1
import json, sys
j = json.load(open(sys.argv[1]))
j["fingerprint"], j["stats"]["records"] = "0123456789abcdef", 999999
json.dump(j, open(sys.argv[1], "w"))
PY
stage_run dedup "$TMP/d" >/dev/null 2>&1 || { echo "FAIL: run with stale statistics"; exit 1; }
same_report "stale statistics" "$TMP/d"

# killed while removing work/ (here: left by --keep-work, which the rerun lacks)
"$B/dedup" run "$DOCS" -o "$TMP/f" --keep-work --quiet --threads 2 || exit 1
[ -d "$TMP/f/work" ] || { echo "FAIL: --keep-work removed work/"; fail=1; }
rm -rf "$TMP/f/work/sig" # part of it already gone
stage_run dedup "$TMP/f" >/dev/null 2>&1 || { echo "FAIL: rerun of a complete run"; exit 1; }
if [ -e "$TMP/f/work" ]; then echo "FAIL: the rerun left work/ behind"; fail=1; else echo "ok   work/ removed"; fi
same_report "complete rerun" "$TMP/f"
same_docs "complete rerun" "$TMP/f"
[ $fail -eq 0 ] && echo PASS
exit $fail
