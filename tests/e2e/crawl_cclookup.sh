#!/usr/bin/env bash
# crawl cc-lookup on a generated zipnum crawl (100,000 CDX lines, 34 blocks, URLs
# drawn from 40% of them;
# bench/crawl_cclookup.sh runs 1 M) served by the loopback archive imitation:
# it finds exactly what a linear scan of every line finds for each URL line
# (spelling variants, absent URLs, a URL spread over three blocks), fetches
# exactly the blocks that can hold the keys, gives the same result with a
# tiny sort budget (external sort runs on disk) and split in three SURT shards;
# then crawl fetch --source cc --cc-lookup reads the lookup files.
set -euo pipefail
: "${WEBTEXT_ROOT:?}" "${WEBTEXT_BIN:?}"
source "$WEBTEXT_ROOT/tests/servers/fetch_common.sh"
N=${CCLOOKUP_LINES:-100000}
CRAWL_ID=CC-MAIN-2017-47
python3 "$SERVERS/zipnum_gen.py" "$TMP" "$N" "${CCLOOKUP_QUERIES:-3000}" "$CRAWL_ID"
echo "{\"zipnum\": {\"dir\": \"$TMP/data\"}}" >"$TMP/spec.json"
python3 "$SERVERS/archive_server.py" --spec "$TMP/spec.json" --port-file "$TMP/aport" \
    --lifetime 300 &
SERVER_PID=$!
for _ in $(seq 100); do [ -s "$TMP/aport" ] && break; sleep 0.1; done
A="http://127.0.0.1:$(cat "$TMP/aport")"
U=("$TMP/urls-00000.jsonl" "$TMP/urls-00001.txt")
printf '\n{"no_url": 1}\n' >>"$TMP/urls-00000.jsonl" # reported with file and line, skipped
compare() { # DIR [SHARD-SUFFIX...]: the lookup files against the linear scan
    python3 - "$TMP/expect.tsv" "$CRAWL_ID" "$@" <<'PY'
import glob, sys
exp = open(sys.argv[1]).read().splitlines()
crawl, d = sys.argv[2], sys.argv[3]
got = []
for fi, name in enumerate(["urls-00000.jsonl", "urls-00001.txt"]):
    files = sorted(glob.glob(f"{d}/{name}.{crawl}*.cc.tsv"))
    assert files, f"no lookup file for {name}"
    for path in files:
        lines = open(path).read().splitlines()
        assert lines[0].startswith(f"#webtext cc-lookup 1 input={name} crawl={crawl} "), lines[0]
        prev = 0
        for l in lines[1:]:
            ln, _, j = l.partition("\t")
            assert int(ln) >= prev, "not sorted by line"
            prev = int(ln)
            got.append(f"{fi}\t{ln}\t{j}")
got.sort()
if got != exp:
    missing = set(exp) - set(got); extra = set(got) - set(exp)
    print(f"FAIL: {len(got)} found, {len(exp)} by the linear scan; missing {list(missing)[:3]}, extra {list(extra)[:3]}")
    sys.exit(1)
print(f"ok: {len(got)} captures, as the linear scan")
PY
}
read -r -a WRAP <<<"${CCLOOKUP_WRAP:-}" # the benchmark measures this run
${WRAP[@]+"${WRAP[@]}"} "$CRAWL" cc-lookup "${U[@]}" --crawl "$CRAWL_ID" -o "$TMP/lk" \
    --cc-data "$A/data" --rate 1000 --mem 100000000 2>"$TMP/err1"
cat "$TMP/err1"
compare "$TMP/lk"
grep -q "urls-00000.jsonl:$(($(wc -l <"$TMP/urls-00000.jsonl"))): no URL" "$TMP/err1"
python3 - "$TMP/lk/$CRAWL_ID.s00000-00001.cc-lookup.json" "$TMP/blocks.txt" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
need, total = map(int, open(sys.argv[2]).read().split())
print(f"blocks fetched {s['blocks_fetched']} / {s['blocks_total']} (the keys can be in {need})")
assert s["blocks_total"] == total and s["blocks_fetched"] == need < total, s
assert s["sort_runs"] == 0, s
PY
# a small sort budget: the same result through sort runs on disk
${WRAP[@]+"${WRAP[@]}"} "$CRAWL" cc-lookup "${U[@]}" --crawl "$CRAWL_ID" -o "$TMP/lk2" \
    --cc-data "$A/data" --rate 1000 --mem 200000 --quiet
compare "$TMP/lk2"
python3 -c "import json,sys; s=json.load(open(sys.argv[1])); assert s['sort_runs'] > 2, s; print('sort runs', s['sort_runs'])" \
    "$TMP/lk2/$CRAWL_ID.s00000-00001.cc-lookup.json"
[ -z "$(ls -A "$TMP/lk2" | grep tmp || true)" ]
# three SURT shards together find the same
for s in 0 1 2; do
    "$CRAWL" cc-lookup "${U[@]}" --crawl "$CRAWL_ID" -o "$TMP/lk3" --cc-data "$A/data" \
        --rate 1000 --shard $s/3 --quiet
done
compare "$TMP/lk3"
# a rerun skips; a broken range is an error, not a silent miss
"$CRAWL" cc-lookup "${U[@]}" --crawl "$CRAWL_ID" -o "$TMP/lk" --cc-data "$A/data" 2>&1 | grep -q skipping
printf 'com,x)/ 2017\tcdx-00000.gz\t0\t99999999\t1\n' >"$TMP/lk4.idx"
mkdir -p "$TMP/lk4" && cp "$TMP/lk4.idx" "$TMP/lk4/.cluster-$CRAWL_ID.idx"
if "$CRAWL" cc-lookup "${U[@]}" --crawl "$CRAWL_ID" -o "$TMP/lk4" --cc-data "$A/data" --retries 0 \
    --quiet 2>"$TMP/err4"; then echo "accepted a bad range"; exit 1; fi
grep -q "wanted 206" "$TMP/err4"; cat "$TMP/err4"

# crawl fetch reads the lookup files: the found URLs' records are asked of the data server
# (the imitation has no WARC files, so each fails its range check), the others are not_archived
head -c 0 /dev/null
"$CRAWL" fetch "$TMP/urls-00001.txt" -o "$TMP/f.warc.gz" --source cc --cc-data "$A/data" \
    --cc-lookup "$TMP/lk/urls-00001.txt.$CRAWL_ID.cc.tsv" --cc-data-rate 1000 --retries 0 --quiet \
    --stats "$TMP/fstats.json"
python3 - "$TMP/fstats.json" "$TMP/expect.tsv" "$TMP/f.log.jsonl" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
found = {l.split("\t")[1] for l in open(sys.argv[2]) if l.startswith("1\t")}
log = [json.loads(l) for l in open(sys.argv[3])]
bad = [o for o in log if o["reason"] == "bad_range"]
na = [o for o in log if o["reason"] == "not_archived"]
assert {str(o["line"]) for o in bad} == found, (len(bad), len(found))
assert all(o["detail"] == "0 captures" for o in na)
assert s["archive"]["cc_index_requests"] == 0, s
print(f"fetch with lookup ok: {len(bad)} looked up, {len(na)} not archived")
PY
echo PASS
