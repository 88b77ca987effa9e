#!/usr/bin/env bash
# One writer per output, `crawl fetch` (issue 13's report): a loopback site of
# 800 pages (the report had 2,000), two fetches with the same input and -o, the second started 0.5 s
# after the first holds the lock. Before the lock the second resumed from the
# first's journal and the WARC left under the final name failed `gzip -t`. Now
# the second exits 3 at once naming the first, touches nothing, and the first's
# WARC passes gzip -t and the independent reader with every URL exactly once.
# Then kill -9 of a run mid-way: the rerun takes the lock and resumes.
source "$WEBTEXT_ROOT/tests/servers/fetch_common.sh"
source "$WEBTEXT_ROOT/tests/locks/lib.sh"
EXTRA_CLEANUP=cleanup
start_server
python3 - "$PORT" "$TMP" <<'PY'
import json, sys
port, tmp = sys.argv[1], sys.argv[2]
hosts = ["l1.test", "l2.test", "l3.test", "l4.test"]
for name, slow in (("urls", True), ("quick", False)):
    with open(f"{tmp}/{name}.jsonl", "w") as u, open(f"{tmp}/{name}-expect.jsonl", "w") as e:
        paths = [f"page/{i}" for i in range(800 if slow else 300)] + (["slow/1"] if slow else [])
        for i, p in enumerate(paths):
            h = hosts[i % 4]
            url = f"http://{h}:{port}/{p}"
            u.write(json.dumps({"url": url, "domain": h, "score": 3, "posts": 1,
                                "subreddit": "r", "created_utc": i, "post_id": f"p{i}"}) + "\n")
            e.write(json.dumps({"url": url, "expect": "ok"}) + "\n")
with open(f"{tmp}/resolve", "w") as f:
    for h in hosts: f.write(f"--resolve={h}:{port}:127.0.0.1\n")
PY
zstd -q --rm "$TMP/urls.jsonl" -o "$TMP/urls-00000.jsonl.zst"
zstd -q --rm "$TMP/quick.jsonl" -o "$TMP/urls-00001.jsonl.zst"
mapfile -t RESOLVE <"$TMP/resolve"
opts=(--allow-private "${RESOLVE[@]}" --delay 0 --concurrency 16 --per-host 4 --retries 0
      --timeout 10 --quiet)

# The report's scenario. The first run lasts at least 5 s (/slow/1 answers after 5 s).
mkdir "$TMP/out"
OUT=$TMP/out/crawl-00000.warc.gz
cmd=("$CRAWL" fetch "$TMP/urls-00000.jsonl.zst" -o "$OUT" "${opts[@]}")
"${cmd[@]}" 2>"$TMP/first.err" &
FIRST=$!
wait_holder "$TMP/out/.crawl-00000.warc.gz.lock" "$FIRST"
sleep 0.5
expect_refusal "" "$OUT" "${cmd[@]}"
rc=0
wait "$FIRST" || rc=$?
FIRST=
cat "$TMP/first.err"
[ "$rc" -eq 0 ] || fail "the first fetch failed (exit $rc)"
ls -A "$TMP/out"
[ ! -e "$TMP/out/.crawl-00000.warc.gz.lock" ] && [ ! -e "$OUT.tmp" ] || fail "lock or .tmp left behind"
gzip -t "$OUT" || fail "gzip -t fails on the first run's WARC"
python3 "$SERVERS/warc_check.py" "$OUT" "$TMP/out/crawl-00000.log.jsonl" "$TMP/urls-expect.jsonl"

# The same while paused (deterministic): a second run with --force refuses too and
# does not discard the first's partial output.
start_held "$TMP/out/.crawl-00001.warc.gz.lock" "$CRAWL" fetch "$TMP/urls-00001.jsonl.zst" \
  -o "$TMP/out/crawl-00001.warc.gz" "${opts[@]}"
expect_refusal "$TMP/out" "$TMP/out/crawl-00001.warc.gz" "$CRAWL" fetch "$TMP/urls-00001.jsonl.zst" \
  -o "$TMP/out/crawl-00001.warc.gz" "${opts[@]}" --force
release_held
python3 "$SERVERS/warc_check.py" "$TMP/out/crawl-00001.warc.gz" "$TMP/out/crawl-00001.log.jsonl" \
  "$TMP/quick-expect.jsonl"

# kill -9 mid-way (pages already in the .tmp), then the same command: it takes the lock
# left behind and resumes.
K=$TMP/k/crawl-00001.warc.gz
kcmd=("$CRAWL" fetch "$TMP/urls-00001.jsonl.zst" -o "$K" "${opts[@]}")
"${kcmd[@]}" 2>"$TMP/first.err" &
FIRST=$!
for _ in $(seq 1000); do
  [ "$(stat -c %s "$K.tmp" 2>/dev/null || echo 0)" -gt 30000 ] && break
  sleep 0.01
done
kill_held
[ -e "$K.tmp" ] && [ ! -e "$K" ] || fail "the fetch was not killed mid-way"
[ -e "$TMP/k/.crawl-00001.warc.gz.lock" ] || fail "kill -9 should leave the (unheld) lock file"
"${kcmd[@]}" --stats "$TMP/k.json" || fail "the rerun after kill -9 failed"
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["resumed_done"] > 0, s' "$TMP/k.json" ||
  fail "the rerun did not resume"
[ ! -e "$TMP/k/.crawl-00001.warc.gz.lock" ] || fail "lock file left behind"
gzip -t "$K"
python3 "$SERVERS/warc_check.py" "$K" "$TMP/k/crawl-00001.log.jsonl" "$TMP/quick-expect.jsonl"
echo PASS
