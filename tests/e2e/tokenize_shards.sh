#!/usr/bin/env bash
# `tokenize shards`: real documents (LAMBADA's texts, the extraction
# benchmark's ground truth) become llm.c token shards whose decompressed
# bytes equal the reference's header + ids exactly, for 1 and 2 threads;
# the index sidecar points at each document; reruns skip; --stats works.
set -euo pipefail
. "$WEBTEXT_ROOT/tests/e2e/lib.sh"
need_data lambada/lambada_test_openai.jsonl article-extraction-benchmark/dev/ground-truth.json
D=$WEBTEXT_DATA
wt_tmpdir
tmp=$T ref=$WEBTEXT_ROOT/tests/tokenize/reference.js tok=$WEBTEXT_BIN/tokenize
mkdir "$tmp/in"
zstd -q -c "$D"/lambada/lambada_test_openai.jsonl >"$tmp/in/docs-00000.jsonl.zst"
python3 - "$D"/article-extraction-benchmark/dev/ground-truth.json "$tmp/gt.jsonl" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
with open(sys.argv[2], "w") as f:
    for k, v in d.items():
        f.write(json.dumps({"id": k, "url": v["url"], "body": v["articleBody"]}) + "\n")
PY
gzip -c "$tmp/gt.jsonl" >"$tmp/in/docs-00007.jsonl.gz"
fail=0
"$tok" shards --quiet --threads 1 "$tmp/in/docs-00000.jsonl.zst" -o "$tmp/o1" --stats "$tmp/s1.json"
"$tok" shards --quiet --threads 2 "$tmp/in/docs-00000.jsonl.zst" -o "$tmp/o2"
"$tok" shards --quiet --threads 2 --field body "$tmp/in/docs-00007.jsonl.gz" -o "$tmp/o1"
node "$ref" shard "$tmp/ref0.bin" text "$D"/lambada/lambada_test_openai.jsonl
node "$ref" shard "$tmp/ref7.bin" body "$tmp/gt.jsonl"
zstd -q -d -c "$tmp/o1/tokens-00000.bin.zst" | cmp - "$tmp/ref0.bin" || { echo "FAIL: shard 0 != reference"; fail=1; }
zstd -q -d -c "$tmp/o1/tokens-00007.bin.zst" | cmp - "$tmp/ref7.bin" || { echo "FAIL: shard 7 != reference"; fail=1; }
cmp "$tmp/o1/tokens-00000.bin.zst" "$tmp/o2/tokens-00000.bin.zst" || { echo "FAIL: threads change the shard"; fail=1; }
cmp "$tmp/o1/tokens-00000.idx" "$tmp/o2/tokens-00000.idx" || { echo "FAIL: threads change the index"; fail=1; }
# the index: one line per document, pointing at its <|endoftext|> and tokens
python3 - "$tmp/ref7.bin" "$tmp/o1/tokens-00007.idx" "$tmp/gt.jsonl" "$tmp/s1.json" "$D"/lambada/lambada_test_openai.jsonl <<'PY'
import json, struct, sys
data = open(sys.argv[1], "rb").read()
ids = struct.unpack("<%dH" % ((len(data) - 1024) // 2), data[1024:])
idx = [json.loads(l) for l in open(sys.argv[2])]
docs = [json.loads(l) for l in open(sys.argv[3])]
assert len(idx) == len(docs), (len(idx), len(docs))
for i, (e, d) in enumerate(zip(idx, docs)):
    assert e["id"] == d["id"] and e["line"] == i + 1, e
    assert ids[e["start"]] == 50256, e
    end = e["start"] + 1 + e["ntokens"]
    assert end == len(ids) or ids[end] == 50256, e
assert idx[-1]["start"] + 1 + idx[-1]["ntokens"] == len(ids)
s = json.load(open(sys.argv[4]))
n = sum(1 for _ in open(sys.argv[5]))
assert s["documents"] == n and s["bad_records"] == 0, s
assert s["tokens"] == s["files"][0]["tokens"] > n, s
print("index and stats ok:", len(idx), "documents;", s["documents"], "LAMBADA documents,", s["tokens"], "tokens")
PY
# a rerun skips complete outputs; --force rewrites them
before=$(stat -c %Y.%i "$tmp/o1/tokens-00000.bin.zst")
"$tok" shards --quiet "$tmp/in/docs-00000.jsonl.zst" -o "$tmp/o1" --stats "$tmp/s2.json"
[ "$(stat -c %Y.%i "$tmp/o1/tokens-00000.bin.zst")" = "$before" ] || { echo "FAIL: rerun rewrote a complete output"; fail=1; }
grep -q '"skipped": *true' "$tmp/s2.json" || { echo "FAIL: skip not in stats"; fail=1; }
"$tok" shards --quiet --force "$tmp/in/docs-00000.jsonl.zst" -o "$tmp/o1"
[ "$(stat -c %Y.%i "$tmp/o1/tokens-00000.bin.zst")" != "$before" ] || { echo "FAIL: --force did not rewrite"; fail=1; }
zstd -q -d -c "$tmp/o1/tokens-00000.bin.zst" | cmp - "$tmp/ref0.bin" || { echo "FAIL: forced shard 0 != reference"; fail=1; }
ls "$tmp/o1" | grep -E '\.(tmp|body)$' && { echo "FAIL: temporary files left"; fail=1; }
exit $fail
