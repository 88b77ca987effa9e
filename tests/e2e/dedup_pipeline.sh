#!/usr/bin/env bash
# dedup end to end on a generated corpus with planted duplicates: Wikipedia
# and exact copies all removed, >= 95% of near copies (5-gram Jaccard >= 0.8)
# removed with one kept per cluster, <= 1% of distinct documents removed; the
# kept set identical for 1 or 3 shards, 1 or 2 threads, `run` or the four
# steps run as rank/world tasks; output lines are input lines, byte for byte.
set -euo pipefail
bin=${WEBTEXT_BIN:-bin}/dedup
gen=$WEBTEXT_ROOT/tests/dedup/gen_corpus.py
ev=$WEBTEXT_ROOT/tests/dedup/eval_dedup.py
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

python3 "$gen" --seed 11 --docs 4000 --shards 3 --truth "$t/truth.jsonl" "$t/in3"
python3 "$gen" --seed 11 --docs 4000 --shards 1 "$t/in1"

"$bin" run "$t"/in3/docs-*.jsonl.zst -o "$t/out3" --threads 2 --quiet
"$bin" run "$t"/in3/docs-*.jsonl.zst -o "$t/out3t1" --threads 1 --quiet --partitions 5
"$bin" run "$t"/in1/docs-*.jsonl.zst -o "$t/out1" --threads 1 --quiet
ls "$t/out3"
test -f "$t/out3/docs-00002.jsonl.zst"
test ! -e "$t/out3/work"

python3 "$ev" "$t/truth.jsonl" "$t/out3" | tee "$t/eval.json"
python3 - "$t/eval.json" "$t/out3/report.json" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))
r = json.load(open(sys.argv[2]))
assert e["wikipedia"] > 50 and e["wikipedia_kept"] == 0, e
assert e["exact_groups"] > 100 and e["exact_groups_over_kept"] == 0, e
assert e["near_ge_0.8"] > 30 and e["near_ge_0.8_recall"] >= 0.95, e
assert e["clusters_over_kept"] == 0, e  # (none kept: the keeper may be a looser copy)
assert e["distinct"] > 2000 and e["distinct_removed_share"] <= 0.01, e
assert e["duplicate_kept_lines"] == 0, e
rr = r["removed_by_reason"]
assert rr["wikipedia"] == e["wikipedia"], rr
assert rr["exact_duplicate"] > 0 and rr["near_duplicate"] > 0 and rr["url_duplicate"] > 0, rr
assert r["documents"] == e["documents"] and r["kept"] == e["kept"], r
assert r["parameters"]["bands"] == 20 and r["parameters"]["rows"] == 5, r
assert sum(r["cluster_size_histogram"].values()) == r["clusters"] > 0, r
ex = r["examples"]["exact_duplicate"][0]
assert ex["kept"]["url"].startswith("https://") and ex["removed"]["id"], ex
print("pipeline checks ok")
PY

# the same kept set whatever the shard count, thread count or partition count
for d in out3 out3t1 out1; do zstd -dc "$t"/$d/docs-*.jsonl.zst | sort >"$t/$d.sorted"; done
cmp "$t/out3.sorted" "$t/out3t1.sorted"
cmp "$t/out3.sorted" "$t/out1.sorted"
# every output line is an input line, unchanged (unknown fields carried)
zstd -dc "$t"/in3/docs-*.jsonl.zst | sort >"$t/in.sorted"
test "$(comm -23 "$t/out3.sorted" "$t/in.sorted" | wc -l)" -eq 0
grep -q '"x":{"kind":"distinct"}' "$t/out3.sorted"

# shard i comes from input shard i
n0=$(zstd -dc "$t/out3/docs-00000.jsonl.zst" | python3 -c 'import sys,json; print(min(json.loads(l)["gid"] for l in sys.stdin))')
zstd -dc "$t/in3/docs-00000.jsonl.zst" >"$t/in0.jsonl"
grep -q "\"gid\":$n0," "$t/in0.jsonl"

# a rerun skips complete work; --force redoes it
before=$(stat -c %Y.%s "$t/out3/docs-00000.jsonl.zst")
"$bin" run "$t"/in3/docs-*.jsonl.zst -o "$t/out3" --threads 2 2>"$t/rerun.err"
grep -q complete "$t/rerun.err"
test "$(stat -c %Y.%s "$t/out3/docs-00000.jsonl.zst")" = "$before"
"$bin" run "$t"/in3/docs-*.jsonl.zst -o "$t/out3" --threads 2 --force --quiet --stats "$t/stats.json"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["step"]=="run"' "$t/stats.json"

# the four steps as Slurm-style tasks (rank/world) give the same result
w="$t/work"
in=("$t"/in3/docs-*.jsonl.zst)
for r in 0 1; do "$bin" signatures "${in[@]}" -o "$w" --rank $r --world 2 --quiet; done
for r in 0 1 2; do "$bin" buckets "${in[@]}" -o "$w" --rank $r --world 3 --quiet; done
"$bin" cluster "${in[@]}" -o "$w" --quiet --stats "$t/cluster.json"
for r in 0 1; do "$bin" filter "${in[@]}" --work "$w" -o "$t/steps" --rank $r --world 2 --quiet; done
zstd -dc "$t"/steps/docs-*.jsonl.zst | sort | cmp - "$t/out3.sorted"
# a step rerun skips (outputs untouched) and reports the counts of the run
# that did the work (dedup_report_resume.sh); changed parameters are refused
before=$(stat -c %Y.%s "$w/sig/meta-00000.bin")
"$bin" signatures "${in[@]}" -o "$w" --quiet --stats "$t/sig.json"
test "$(stat -c %Y.%s "$w/sig/meta-00000.bin")" = "$before"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; assert len(r)==3 and all(x["records"]>0 and "skipped" not in x for x in r), r' "$t/sig.json"
if "$bin" signatures "${in[@]}" -o "$w" --bands 10 --quiet 2>"$t/err"; then exit 1; fi
grep -q "other parameters" "$t/err"
echo ok
