#!/usr/bin/env bash
# crawl fetch --source cc,wayback is resumable like the live fetch: SIGKILL at
# several moments (and a torn record appended), then the same command until
# it completes; every URL must end exactly once, Common Crawl records
# byte-exact and Wayback payloads exact (archive_check.py).
set -euo pipefail
: "${WEBTEXT_ROOT:?}" "${WEBTEXT_BIN:?}"
source "$WEBTEXT_ROOT/tests/servers/fetch_common.sh"
python3 "$SERVERS/archive_fixtures.py" "$TMP" 1200 7
zstd -q --rm "$TMP/urls-00000.jsonl" -o "$TMP/urls-00000.jsonl.zst"
python3 "$SERVERS/archive_server.py" --spec "$TMP/spec.json" --port-file "$TMP/aport" \
    --warc-dir "$TMP/warcs" --lifetime 300 &
SERVER_PID=$!
for _ in $(seq 100); do [ -s "$TMP/aport" ] && break; sleep 0.1; done
A="http://127.0.0.1:$(cat "$TMP/aport")"
OUT="$TMP/arch-00000.warc.gz"
cmd=("$CRAWL" fetch "$TMP/urls-00000.jsonl.zst" -o "$OUT" --source cc,wayback
     --cc-index "$A/idx" --cc-data "$A/data" --wayback "$A/wb" --max-redirects 3
     --cc-index-rate 2000 --cc-data-rate 2000 --wayback-rate 2000 --retry-delay 100
     --concurrency 16 --quiet)
runs=0
kill_after() {
    "${cmd[@]}" 2>>"$TMP/err" &
    local pid=$!
    sleep "$2"
    kill -"$1" "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    runs=$((runs + 1))
}
for t in 0.8 1.5 0.4 2.0; do
    kill_after KILL "$t"
    [ -e "$OUT" ] && break
done
if [ ! -e "$OUT" ] && [ -e "$OUT.tmp" ]; then
    head -c 900 /dev/urandom >>"$OUT.tmp"   # a torn record after the last complete one
    kill_after KILL 1.0
fi
timeout 200 "${cmd[@]}" 2>>"$TMP/err"
runs=$((runs + 1))
echo "$runs runs"; cat "$TMP/err"
[ -e "$OUT" ] && [ ! -e "$OUT.tmp" ] && [ ! -e "$OUT.done" ]
python3 "$SERVERS/archive_check.py" "$OUT" "$TMP/arch-00000.log.jsonl" "$TMP/expect.jsonl" \
    "$TMP/spec.json" "$TMP/warcs"
echo PASS
