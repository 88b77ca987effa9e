#!/usr/bin/env bash
# bench: `crawl urls` on a synthetic Pushshift-like dump (default 400,000
# lines, CRAWL_BENCH_LINES to change): throughput and peak RSS with 1 and 16
# dedup partitions, against the anchor: a Python json.loads + per-post filter +
# in-memory dict dedup in the style of the reproductions (jcpeterson
# extract_urls.py / OWT2), run on the same file in the same run. Both whole
# process, the median of 5 runs after 1 warm-up each (bench/lib.sh); the same
# work checked: both keep the same number of URLs.
set -euo pipefail
: "${WEBTEXT_BIN:?}"
lines=${CRAWL_BENCH_LINES:-400000}
source "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ~1.4 M distinct URLs over 400 k hosts; a quarter self posts, 2 % NSFW, scores 0..49.
python3 - "$lines" <<'PY' | zstd -q -1 -T2 -o "$tmp/RS_synth.zst"
import json, random, sys
r = random.Random(1)
n = int(sys.argv[1])
out = sys.stdout
for i in range(n):
    pid = format(1000000 + i, "x")
    u = r.randrange(int(n * 0.7))
    host = "www.site%d.com" % (u % 400000)
    url = "http://%s/article/%d?ref=a&amp;x=%d" % (host, u, u % 7)
    self_post = r.random() < 0.25
    rec = {"author": "user%d" % r.randrange(100000), "created_utc": 1300000000 + i * 100,
           "domain": host, "id": pid, "is_self": self_post, "num_comments": r.randrange(50),
           "over_18": r.random() < 0.02, "permalink": "/r/sub%d/comments/%s/title/" % (u % 500, pid),
           "score": r.randrange(50) if r.random() < 0.5 else r.randrange(3),
           "selftext": "" if not self_post else "text " * 20, "subreddit": "sub%d" % (u % 500),
           "title": "A title for post %d with some words" % i,
           "url": ("https://www.reddit.com/r/sub/comments/%s/title/" % pid) if self_post else url.replace("/", "\\/")}
    out.write(json.dumps(rec).replace("\\\\/", "\\/") + "\n")
PY
# (compressed without --long=31 so that peak RSS shows crawl's own memory: a real
# Pushshift .zst has a 2 GiB window, and any decoder of it holds up to that much.)
size=$(stat -c %s "$tmp/RS_synth.zst")
echo "input: $lines lines, $((size / 1000000)) MB zstd ($(zstd -dc "$tmp/RS_synth.zst" | wc -c | awk '{printf "%d", $1/1e6}') MB NDJSON)"

bench_time crawl_p1 "rm -rf '$tmp/p1'" "$WEBTEXT_BIN/crawl" urls -q --threads 1 --partitions 1 "$tmp/RS_synth.zst" -o "$tmp/p1"
bench_time crawl_p16 "rm -rf '$tmp/p16'" "$WEBTEXT_BIN/crawl" urls -q --threads 1 --partitions 16 "$tmp/RS_synth.zst" -o "$tmp/p16"
cmp <(zstd -dc "$tmp/p1/urls-00000.jsonl.zst") <(zstd -dc "$tmp/p16/urls-00000.jsonl.zst") ||
  { echo "partition count changed the output"; exit 1; }
jq -c '{records_read, self_posts, nsfw, duplicate_urls_merged, low_score, kept, peak_partition_bytes}' "$tmp/p16/stats.json"
jq -r '"partition table peak: \(.peak_partition_bytes / 1048576 | floor) MiB with 16 partitions"' "$tmp/p16/stats.json"
jq -r '"partition table peak: \(.peak_partition_bytes / 1048576 | floor) MiB with 1 partition"' "$tmp/p1/stats.json"

cat >"$tmp/anchor.py" <<'PY'
import html, json, subprocess, sys
p = subprocess.Popen(["zstd", "-dc", sys.argv[1]], stdout=subprocess.PIPE)
best = {}
for line in p.stdout:
    o = json.loads(line)
    if o.get("is_self") or o.get("over_18") or o["created_utc"] >= 1514764800: continue
    url = html.unescape(o["url"]).split("#")[0]
    if (o.get("score") or 0) > best.get(url, -1): best[url] = o.get("score") or 0
print(sum(1 for s in best.values() if s >= 3))
PY
bench_time anchor ":" bash -c "python3 '$tmp/anchor.py' '$tmp/RS_synth.zst' >'$tmp/anchor.kept'"
ours_kept=$(jq .kept "$tmp/p16/stats.json")
[ "$(cat "$tmp/anchor.kept")" = "$ours_kept" ] ||
  { echo "not the same work: crawl urls kept $ours_kept URLs, the anchor $(cat "$tmp/anchor.kept")"; exit 1; }
echo "same work: both keep $ours_kept URLs"
bench_ratio "crawl urls (16 partitions) / anchor (lines/s)" crawl_p16 "$(awk -v n="$lines" -v s="$crawl_p16_s" 'BEGIN { print n / s }')" \
  anchor "$(awk -v n="$lines" -v s="$anchor_s" 'BEGIN { print n / s }')" lines/s
BENCH_METHOD="per CPU-second (median CPU time of the same runs), whole process on both sides" \
  bench_ratio "crawl urls (16 partitions) / anchor (lines per CPU-second)" crawl_p16 "$(awk -v n="$lines" -v s="$crawl_p16_cpu" 'BEGIN { print n / s }')" \
  anchor "$(awk -v n="$lines" -v s="$anchor_cpu" 'BEGIN { print n / s }')" lines/cpu-s
