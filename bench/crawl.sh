#!/usr/bin/env bash
# Benchmark of `crawl fetch` (writing WARC) against `curl --parallel
# --parallel-max 64` (writing to /dev/null) on the same 10,000 loopback pages
# served by nginx (installed if missing, run on a high port with a temporary
# config, stopped at the end), and the peak RSS of a 1,000,000-URL shard whose
# URLs fail fast (connection refused on a closed loopback port, spread over
# 65,536 hosts so the host table and robots cache are exercised).
# Prints pages/s for both, the ratio, and peak RSS. Timings never fail the run.
# Both sides whole process, the median of 5 runs after 1 warm-up each
# (bench/lib.sh); the same work checked: curl got 200 for every page, crawl
# fetch stored every page as a response.
set -euo pipefail
: "${WEBTEXT_BIN:=$(cd "$(dirname "$0")/.." && pwd)/bin}"
CRAWL="$WEBTEXT_BIN/crawl"
PAGES=${BENCH_PAGES:-10000}
BIG=${BENCH_BIG_URLS:-1000000}
read -r -a EXTRA <<<"${BENCH_CRAWL_ARGS:-}" # e.g. BENCH_CRAWL_ARGS="--gzip-level 1"
HOSTS=64
source "$(dirname "$0")/lib.sh"

if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
    echo "installing nginx (Debian) for the benchmark"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
command -v curl >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl >/dev/null

TMP=$(mktemp -d)
chmod 755 "$TMP" # nginx workers run as an unprivileged user
NGINX_PID=
cleanup() {
    if [ -n "$NGINX_PID" ]; then kill "$NGINX_PID" 2>/dev/null || true; wait "$NGINX_PID" 2>/dev/null || true; fi
    rm -rf "$TMP"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
CLOSED=$(free_port)

# pages of 2-12 KB of varied HTML, a robots.txt, the URL lists and resolve flags
python3 - "$TMP" "$PAGES" "$PORT" "$HOSTS" <<'PY'
import os, random, sys
tmp, pages, port, hosts = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
rnd = random.Random(1)
words = [w.strip() for w in "the of and to in is was for on that with as by at from his her it an were are which this be".split()]
os.makedirs(f"{tmp}/www/p")
with open(f"{tmp}/www/robots.txt", "w") as f: f.write("User-agent: *\nDisallow: /private/\n")
for i in range(pages):
    paras = "".join("<p>" + " ".join(rnd.choice(words) for _ in range(rnd.randint(30, 200))) + "</p>\n"
                    for _ in range(rnd.randint(1, 8)))
    with open(f"{tmp}/www/p/{i}.html", "w") as f:
        f.write(f"<!DOCTYPE html><html><head><title>Page {i}</title></head><body>{paras}</body></html>\n")
with open(f"{tmp}/urls.txt", "w") as u, open(f"{tmp}/curl.cfg", "w") as c:
    for i in range(pages):
        url = f"http://h{i % hosts}.bench.test:{port}/p/{i}.html"
        u.write(url + "\n")
        c.write(f'url = "{url}"\noutput = "/dev/null"\n')
with open(f"{tmp}/resolve", "w") as f:
    for h in range(hosts): f.write(f"h{h}.bench.test:{port}:127.0.0.1\n")
PY
mapfile -t RES <"$TMP/resolve"
CRES=(); FRES=()
for r in "${RES[@]}"; do CRES+=(--resolve "$r"); FRES+=(--resolve "$r"); done

mkdir -p "$TMP/nginx/logs"
cat >"$TMP/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    keepalive_requests 100000;
    types { text/html html; text/plain txt; }
    client_body_temp_path $TMP/nginx/tmp;
    proxy_temp_path $TMP/nginx/tmp;
    fastcgi_temp_path $TMP/nginx/tmp;
    uwsgi_temp_path $TMP/nginx/tmp;
    scgi_temp_path $TMP/nginx/tmp;
    server {
        listen 127.0.0.1:$PORT;
        root $TMP/www;
    }
}
EOF
"$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" 2>"$TMP/nginx/start.log" &
NGINX_PID=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/robots.txt" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$PORT/p/0.html" >/dev/null || { echo "nginx does not serve the pages"; cat "$TMP/nginx/logs/error.log"; exit 1; }

now() { date +%s.%N; }
rate() { python3 -c "import sys; print(f'{int(sys.argv[1]) / (float(sys.argv[3]) - float(sys.argv[2])):.0f}')" "$@"; }
# peak RSS (KB) of a command, via GNU time when present
rss_run() {
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f "%M" -o "$TMP/rss" "$@"
    else
        python3 -c 'import resource,subprocess,sys; r=subprocess.run(sys.argv[2:]).returncode; open(sys.argv[1],"w").write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); sys.exit(r)' "$TMP/rss" "$@"
    fi
}

bench_time curl ":" bash -c "curl -s --parallel --parallel-max 64 $(printf "'%s' " "${CRES[@]}") \
    -K '$TMP/curl.cfg' -w '%{http_code}\n' >'$TMP/curl.codes' 2>/dev/null"
ok=$(grep -c '^200$' "$TMP/curl.codes" || true)
[ "$ok" -eq "$PAGES" ] || { echo "not the same work: curl got $ok/$PAGES pages"; exit 1; }
bench_time crawl_fetch "rm -f '$TMP'/out.*" "$CRAWL" fetch "$TMP/urls.txt" -o "$TMP/out.warc.gz" --allow-private "${FRES[@]}" \
    --delay 0 --concurrency 64 --per-host 2 --quiet --stats "$TMP/stats.json" ${EXTRA[@]+"${EXTRA[@]}"}
responses=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["responses"])' "$TMP/stats.json")
[ "$responses" -eq "$PAGES" ] || { echo "not the same work: crawl fetch stored $responses/$PAGES responses"; exit 1; }
echo "same work: curl 200 for $ok/$PAGES pages; crawl fetch stored $responses/$PAGES responses, WARC $(stat -c %s "$TMP/out.warc.gz") bytes"
bench_ratio "crawl fetch (WARC) / curl --parallel-max 64 (pages/s; target >= 1.0)" crawl_fetch \
  "$(awk -v n="$PAGES" -v s="$crawl_fetch_s" 'BEGIN { print n / s }')" curl "$(awk -v n="$PAGES" -v s="$curl_s" 'BEGIN { print n / s }')" pages/s

# peak RSS for a 1M-URL shard: connection refused on 65,536 loopback hosts
python3 - "$TMP/big.jsonl" "$BIG" "$CLOSED" <<'PY'
import json, sys
path, n, port = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(path, "w") as f:
    for i in range(n):
        h = i // 16 % 65536  # 16 URLs in a row per host, as in a sorted shard
        f.write(json.dumps({"url": f"http://127.1.{h >> 8}.{h & 255}:{port}/page/{i}", "domain": "x",
                            "score": i % 5000, "posts": 1, "subreddit": "bench",
                            "created_utc": 1500000000 + i, "post_id": f"b{i}"}) + "\n")
PY
zstd -q --rm "$TMP/big.jsonl" -o "$TMP/urls-big.jsonl.zst"
t0=$(now)
rss_run "$CRAWL" fetch "$TMP/urls-big.jsonl.zst" -o "$TMP/big.warc.gz" --allow-private --delay 0 \
    --retries 0 --quiet --stats "$TMP/big-stats.json"
t1=$(now)
echo "1M-URL shard (all connection refused, 65,536 hosts): peak RSS $(cat "$TMP/rss") KB," \
     "$(rate "$BIG" "$t0" "$t1") URLs/s, log $(stat -c %s "$TMP/big.log.jsonl") bytes"
