#!/usr/bin/env bash
# crawl fetch --source cc,wayback against loopback imitations of Common Crawl
# (collinfo, CDX API, WARC files with ranges) and the Wayback Machine (CDX
# API, id_ captures), with generated fixtures: the capture nearest the post,
# only the crawls nearest the post asked, redirect captures followed (and a
# loop cut), not-archived URLs logged with what was found, 429/503 retried
# (Retry-After, or backoff without it),
# wrong ranges (short, extra bytes, wrong target, not 206) rejected and never
# archived, CC records stored byte-exact, Wayback headers restored; then
# extract reads the archived records; in a fallback list, `live` still refuses
# loopback (live,wayback and wayback,live).
set -euo pipefail
: "${WEBTEXT_ROOT:?}" "${WEBTEXT_BIN:?}"
source "$WEBTEXT_ROOT/tests/servers/fetch_common.sh"
python3 "$SERVERS/archive_fixtures.py" "$TMP" 40
python3 "$SERVERS/archive_server.py" --spec "$TMP/spec.json" --port-file "$TMP/aport" \
    --warc-dir "$TMP/warcs" --log "$TMP/requests.jsonl" --lifetime 200 &
SERVER_PID=$!
for _ in $(seq 100); do [ -s "$TMP/aport" ] && break; sleep 0.1; done
P=$(cat "$TMP/aport")
A="http://127.0.0.1:$P"
OUT="$TMP/arch-00000.warc.gz"
timeout 120 "$CRAWL" fetch "$TMP/urls-00000.jsonl" -o "$OUT" --source cc,wayback \
    --cc-index "$A/idx" --cc-data "$A/data" --wayback "$A/wb" --max-redirects 3 \
    --cc-index-rate 200 --cc-data-rate 200 --wayback-rate 200 --retry-delay 100 \
    --stats "$TMP/stats.json" --quiet
python3 "$SERVERS/archive_check.py" "$OUT" "$TMP/arch-00000.log.jsonl" "$TMP/expect.jsonl" \
    "$TMP/spec.json" "$TMP/warcs"
python3 - "$TMP/stats.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
a = s["archive"]
assert a["ranges_rejected"] == 4, a
assert a["retries"] >= 4, a                     # index 429, data 503, wayback 429 and 503
assert a["redirects_followed"] >= 5, a          # 1 + 3 (loop) + 1 wayback
assert s["sources"]["cc"]["responses"] > 0 and s["sources"]["wayback"]["responses"] > 0, s
print("stats ok:", json.dumps(a))
PY

# extract reads the archived records as it reads live ones
"$WEBTEXT_BIN/extract" "$OUT" -o "$TMP/docs.jsonl" --keep-all --quiet
python3 - "$TMP/docs.jsonl" "$TMP/expect.jsonl" <<'PY'
import json, sys
docs = {}
for line in open(sys.argv[1]):
    d = json.loads(line)
    docs[d["url"]] = d
want = [json.loads(l) for l in open(sys.argv[2])]
served = [e["url"] for e in want if e["expect"] in ("cc", "wayback")]
missing = [u for u in served if u not in docs]
assert not missing, missing[:5]
assert all("before the end of the day" in docs[u]["text"] for u in served), "text not extracted"
assert all(docs[u].get("subreddit") == "s" for u in served), "Reddit fields not carried"
print(f"extract ok: {len(served)} archived pages read")
PY

# the live fetch's private-address rules still hold: loopback refused for `live`
printf '%s\n' "$A/wb/web/x" >"$TMP/live.txt"
"$CRAWL" fetch "$TMP/live.txt" -o "$TMP/live.warc.gz" --source live,wayback --wayback "$A/wb" \
    --retries 0 --quiet --ignore-robots
grep -q '"reason":"not_archived".*"source":"wayback","sources":"live: private_address' "$TMP/live.log.jsonl"
# and the other way round: wayback gives up, then live refuses
"$CRAWL" fetch "$TMP/live.txt" -o "$TMP/live2.warc.gz" --source wayback,live --wayback "$A/wb" \
    --retries 0 --quiet --ignore-robots
grep -q '"reason":"private_address".*"source":"live","sources":"wayback: not_archived' "$TMP/live2.log.jsonl"
echo PASS
