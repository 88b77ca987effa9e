# Sourced by tests/e2e/crawl_fetch_*.sh: a temp folder, the loopback test
# server started with a bounded lifetime and killed on exit, and the fetch
# binary. Sets TMP, PORT, CRAWL, SERVERS.
set -euo pipefail
: "${WEBTEXT_BIN:?}" "${WEBTEXT_ROOT:?}"
CRAWL="$WEBTEXT_BIN/crawl"
SERVERS="$WEBTEXT_ROOT/tests/servers"
TMP=$(mktemp -d)
SERVER_PID=
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$TMP"
}
trap cleanup EXIT

# start_server [BIND_ADDR [SERVER OPTIONS...]]: sets PORT
start_server() {
    python3 "$SERVERS/fetch_server.py" --bind "${1:-127.0.0.1}" --port-file "$TMP/port" \
        --lifetime 400 "${@:2}" &
    SERVER_PID=$!
    for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.1; done
    PORT=$(cat "$TMP/port")
}
