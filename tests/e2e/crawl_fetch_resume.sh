#!/usr/bin/env bash
# crawl fetch is resumable: SIGKILL at random moments (and a SIGTERM, a torn
# record appended to the .tmp, a .tmp cut short behind the journal's back),
# then the same command again, until it completes; every URL must be in the
# WARC or the log exactly once, with exact page bytes (warc_check.py).
source "$WEBTEXT_ROOT/tests/servers/fetch_common.sh"
start_server
python3 - "$PORT" "$TMP" <<'PY'
import json, sys
port, tmp = sys.argv[1], sys.argv[2]
hosts = ["r1.test", "r2.test", "r3.test", "r4.test"]
with open(f"{tmp}/urls.jsonl", "w") as u, open(f"{tmp}/expect.jsonl", "w") as e:
    for i in range(3000):
        h = hosts[i % 4]
        # every tenth URL fails in one of three ways
        kind, want = {0: ("private", "robots"), 1: ("status/404", "http_4xx"),
                      2: ("image", "non_text")}[i // 10 % 3] if i % 10 == 9 else ("page", "ok")
        url = f"http://{h}:{port}/{kind}/{i}"
        u.write(json.dumps({"url": url, "domain": h, "score": i, "posts": 1,
                            "subreddit": "r", "created_utc": i, "post_id": f"p{i}"}) + "\n")
        e.write(json.dumps({"url": url, "expect": want}) + "\n")
with open(f"{tmp}/resolve", "w") as f:
    for h in hosts: f.write(f"--resolve={h}:{port}:127.0.0.1\n")
PY
zstd -q --rm "$TMP/urls.jsonl" -o "$TMP/urls-00007.jsonl.zst"
mapfile -t RESOLVE <"$TMP/resolve"
OUT="$TMP/crawl-00007.warc.gz"
cmd=("$CRAWL" fetch "$TMP/urls-00007.jsonl.zst" -o "$OUT" --allow-private "${RESOLVE[@]}"
     --delay 0 --concurrency 16 --per-host 4 --retries 0 --quiet)

runs=0
kill_after() { # run the command in the background and kill it with signal $1 after $2 seconds
    "${cmd[@]}" 2>>"$TMP/err" &
    local pid=$!
    sleep "$2"
    kill -"$1" "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    runs=$((runs + 1))
}
for t in 0.3 0.7 0.15 1.1; do
    kill_after KILL "$t"
    [ -e "$OUT" ] && break
done
if [ ! -e "$OUT" ] && [ -e "$OUT.tmp" ]; then
    # a torn record: half a gzip member after the last complete one
    head -c 700 /dev/urandom >>"$OUT.tmp"
    kill_after KILL 0.5
fi
if [ ! -e "$OUT" ] && [ -e "$OUT.tmp" ]; then
    # data lost behind the journal (as after a power cut): entries past the end are not believed
    size=$(stat -c %s "$OUT.tmp")
    truncate -s $((size * 3 / 4)) "$OUT.tmp"
    kill_after TERM 0.5
fi
"${cmd[@]}" 2>>"$TMP/err"
runs=$((runs + 1))
echo "$runs runs"; cat "$TMP/err"
[ -e "$OUT" ] && [ ! -e "$OUT.tmp" ] && [ ! -e "$OUT.done" ] && [ ! -e "$TMP/crawl-00007.log.jsonl.tmp" ]
python3 "$SERVERS/warc_check.py" "$OUT" "$TMP/crawl-00007.log.jsonl" "$TMP/expect.jsonl"

# --force starts again and gives the same set
"${cmd[@]}" --force
python3 "$SERVERS/warc_check.py" "$OUT" "$TMP/crawl-00007.log.jsonl" "$TMP/expect.jsonl"
# a journal of another shard is refused with a hint
"${cmd[@]}" --force &
pid=$!; sleep 0.3; kill -KILL $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
if [ -e "$OUT.done" ]; then
    sed -i '1s/urls-00007/urls-00008/' "$OUT.done"
    mv "$OUT" "$OUT.keep" 2>/dev/null || true
    if "${cmd[@]}" 2>"$TMP/err2"; then echo "accepted a foreign journal"; exit 1; fi
    grep -q -- "--force" "$TMP/err2"
fi
echo PASS
