#!/usr/bin/env bash
# crawl fetch against the loopback test server: ~2,000 pages on four hosts and
# every failure kind; each URL must end as exactly one response with the
# exact page bytes or one log line with the right reason, checked by an
# independent WARC reader (tests/servers/warc_check.py). Then: rerun skips,
# plain-text input, and --ignore-robots.
source "$WEBTEXT_ROOT/tests/servers/fetch_common.sh"
start_server
CLOSED=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

python3 - "$PORT" "$CLOSED" "$TMP" <<'PY'
import json, sys
port, closed, tmp = sys.argv[1], sys.argv[2], sys.argv[3]
urls, exp = [], []
def add(url, expect, **kw):
    meta = {"url": url, "domain": url.split("/")[2].split(":")[0], "score": len(urls) % 1000,
            "posts": 1, "subreddit": "test", "created_utc": 1500000000 + len(urls),
            "post_id": "p%d" % len(urls)}
    urls.append(meta)
    e = {"url": url, "expect": expect, **kw}
    if expect == "ok":
        e.setdefault("meta", {"subreddit": "test", "post_id": meta["post_id"], "score": meta["score"]})
    exp.append(e)
hosts = ["site-a.test", "site-b.test", "site-c.test", "site-d.test"]
for i in range(2000):
    add(f"http://{hosts[i % 4]}:{port}/page/{i}", "ok")
a = f"http://site-a.test:{port}"
for i in range(20): add(f"{a}/private/{i}", "robots")
for i in range(5): add(f"http://robots500.test:{port}/page/{i}", "robots")
for i in range(5): add(f"http://robots404.test:{port}/private/{i}", "ok")
for i in range(3): add(f"{a}/status/404?{i}", "http_4xx", status=404, attempts=1)
add(f"{a}/status/500", "http_5xx", status=500, attempts=2)
add(f"{a}/status/429", "http_4xx", status=429, attempts=2)
for i in range(3): add(f"{a}/flaky/{i}", "ok")
add(f"{a}/slow/1", "timeout", attempts=2)
add(f"{a}/reset/1", "reset", attempts=2)
for i in range(5): add(f"{a}/redirect/3/{i}", "ok", final=f"/page/{i}")
add(f"{a}/redirect/5/77", "ok", final="/page/77")
add(f"{a}/redirect/6/78", "too_many_redirects")
add(f"{a}/loop/a", "too_many_redirects")
for i in range(3): add(f"{a}/big/{i}", "ok", truncated=True)
for i in range(3): add(f"{a}/image/{i}", "non_text", status=200)
for i in range(3): add(f"{a}/plain/{i}", "ok")
for i in range(3): add(f"{a}/gzip/{i}", "ok", headers={"X-Crawler-Content-Encoding": "gzip", "Content-Encoding": None})
for i in range(3): add(f"{a}/latin1/{i}", "ok")
for i in range(3): add(f"{a}/chunked/{i}", "ok", headers={"X-Crawler-Transfer-Encoding": "chunked", "Transfer-Encoding": None})
add(f"{a}/nothing-here", "http_4xx", status=404)
add(f"http://site-a.test:{closed}/page/1", "connect")
add(f"http://no-such-host.invalid/page/1", "dns")
add("ftp://site-a.test/file", "bad_url")
add("http://", "bad_url")
with open(f"{tmp}/urls.jsonl", "w") as f:
    for i, u in enumerate(urls):
        f.write(json.dumps(u) + "\n")
        if i == 10: f.write("{not json\n")        # a bad line: reported, skipped
        if i == 11: f.write('{"domain": "x"}\n')  # no url: reported, skipped
with open(f"{tmp}/expect.jsonl", "w") as f:
    for e in exp: f.write(json.dumps(e) + "\n")
with open(f"{tmp}/resolve", "w") as f:
    for h in hosts + ["robots500.test", "robots404.test"]:
        f.write(f"--resolve={h}:{port}:127.0.0.1\n")
    f.write(f"--resolve=site-a.test:{closed}:127.0.0.1\n")
PY
zstd -q "$TMP/urls.jsonl" -o "$TMP/urls-00000.jsonl.zst"
mapfile -t RESOLVE <"$TMP/resolve"
OUT="$TMP/crawl-00000.warc.gz"
common=(--allow-private "${RESOLVE[@]}" --delay 0 --concurrency 32 --per-host 8 --timeout 1
        --connect-timeout 3 --retries 1 --retry-delay 50 --max-body 100000 --quiet)
start=$SECONDS
"$CRAWL" fetch "$TMP/urls-00000.jsonl.zst" -o "$OUT" "${common[@]}" --stats "$TMP/stats.json" \
    2>"$TMP/err" || { cat "$TMP/err"; exit 1; }
echo "fetch took $((SECONDS - start))s"; cat "$TMP/stats.json"; echo
grep -q "urls-00000.jsonl.zst:12: line is not valid JSON" "$TMP/err" || { cat "$TMP/err"; exit 1; }
grep -q "urls-00000.jsonl.zst:14: no \"url\" string" "$TMP/err" || { cat "$TMP/err"; exit 1; }
[ ! -e "$OUT.tmp" ] && [ ! -e "$OUT.done" ] && [ -e "$TMP/crawl-00000.log.jsonl" ]
python3 "$SERVERS/warc_check.py" "$OUT" "$TMP/crawl-00000.log.jsonl" "$TMP/expect.jsonl" --max-body 100000
# gzip -t accepts the multi-member file as a whole too
gzip -t "$OUT"
# the warcinfo names the input and the robots policy
info=$(zcat "$OUT" | head -c 2000 || true)
grep -q "isPartOf: urls-00000.jsonl.zst" <<<"$info"
grep -q "robots: obey" <<<"$info"

# a rerun skips the finished shard
before=$(stat -c %Y.%s "$OUT")
"$CRAWL" fetch "$TMP/urls-00000.jsonl.zst" -o "$OUT" "${common[@]}"
[ "$(stat -c %Y.%s "$OUT")" = "$before" ]

# plain text input, a --log path, --ignore-robots: /private/ pages are fetched
printf 'http://site-b.test:%s/private/1\n\nhttp://site-b.test:%s/page/5\n' "$PORT" "$PORT" >"$TMP/list.txt"
printf '{"url":"http://site-b.test:%s/private/1","expect":"ok"}\n{"url":"http://site-b.test:%s/page/5","expect":"ok"}\n' \
    "$PORT" "$PORT" >"$TMP/expect2.jsonl"
"$CRAWL" fetch "$TMP/list.txt" -o "$TMP/two.warc.gz" --log "$TMP/two.log" --ignore-robots "${common[@]}"
python3 "$SERVERS/warc_check.py" "$TMP/two.warc.gz" "$TMP/two.log" "$TMP/expect2.jsonl"

# usage errors exit 2
set +e
"$CRAWL" fetch "$TMP/list.txt" 2>/dev/null; [ $? -eq 2 ] || exit 1
"$CRAWL" fetch "$TMP/list.txt" -o x.warc.gz --concurrency 0 2>/dev/null; [ $? -eq 2 ] || exit 1
"$CRAWL" fetch --help | grep -q -- --allow-private || exit 1
echo PASS
