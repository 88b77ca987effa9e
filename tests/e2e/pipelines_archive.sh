#!/usr/bin/env bash
# The pipeline's archive path: STAGES="cc_lookup fetch extract" with
# FETCH_SOURCE=cc,wayback against the loopback archive imitation (its crawls'
# zipnum indexes, WARC files and a Wayback CDX API): cc_lookup writes the
# lookup files (one task per crawl), fetch uses them (bulk mode; the index
# server only for redirect captures), every URL ends exactly once with the
# expected capture, and extract reads the records.
set -euo pipefail
: "${WEBTEXT_ROOT:?}" "${WEBTEXT_BIN:?}"
source "$WEBTEXT_ROOT/tests/servers/fetch_common.sh"
python3 "$SERVERS/archive_fixtures.py" "$TMP" 30 3
python3 "$SERVERS/archive_server.py" --spec "$TMP/spec.json" --port-file "$TMP/aport" \
    --warc-dir "$TMP/warcs" --log "$TMP/requests.jsonl" --lifetime 200 &
SERVER_PID=$!
for _ in $(seq 100); do [ -s "$TMP/aport" ] && break; sleep 0.1; done
A="http://127.0.0.1:$(cat "$TMP/aport")"
mkdir -p "$TMP/out/urls"
zstd -q "$TMP/urls-00000.jsonl" -o "$TMP/out/urls/urls-00000.jsonl.zst"
# the far crawl CC-MAIN-2017-04 is left out, as the index-server mode leaves it out by date
"$WEBTEXT_ROOT/pipelines/run.sh" -o "$TMP/out" --stages "cc_lookup fetch extract" SHARDS=1 \
    FETCH_SOURCE=cc,wayback FETCH_CC_INDEX="$A/idx" FETCH_CC_DATA="$A/data" FETCH_WAYBACK="$A/wb" \
    CC_CRAWLS="CC-MAIN-2017-22 CC-MAIN-2017-39 CC-MAIN-2017-43 CC-MAIN-2017-47 CC-MAIN-2017-51" \
    CC_LOOKUP_ARGS="--rate 1000" EXTRACT_ARGS="--keep-all" \
    FETCH_ARGS="--max-redirects 3 --cc-data-rate 500 --cc-index-rate 500 --wayback-rate 500 --retry-delay 100" \
    BIN="$WEBTEXT_BIN" 2>"$TMP/run.log" || { cat "$TMP/run.log"; tail -n 30 "$TMP"/out/logs/*.log; exit 1; }
ls "$TMP/out/cclookup/"*.cc.tsv | wc -l | grep -qx 5
python3 "$SERVERS/archive_check.py" "$TMP/out/warc/crawl-00000.warc.gz" \
    "$TMP/out/warc/crawl-00000.log.jsonl" "$TMP/expect.jsonl" "$TMP/spec.json" "$TMP/warcs"
# bulk mode: the index server was asked only for the redirect captures' targets
python3 - "$TMP/requests.jsonl" "$TMP/out/warc/stats-00000.json" <<'PY'
import json, sys
idx = [json.loads(l)["path"] for l in open(sys.argv[1]) if "-index?" in l]
s = json.load(open(sys.argv[2]))
assert 0 < len(idx) <= 10, idx
assert s["archive"]["cc_index_requests"] == len(idx), (s["archive"], len(idx))
print(f"index server asked {len(idx)} times (redirect targets), data server {s['archive']['cc_data_requests']}")
PY
zstd -dc "$TMP/out/docs/docs-00000.jsonl.zst" | grep -c '"source"' >/dev/null || true
[ "$(zstd -dc "$TMP/out/docs/docs-00000.jsonl.zst" | wc -l)" -ge 30 ]
echo PASS
