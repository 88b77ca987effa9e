#!/usr/bin/env bash
# One writer per output, `crawl urls`: a second run on the same -o refuses
# (exit 3, naming the holder, touching nothing); the first's URL shards equal
# a lone run's; after kill -9 of the first, a rerun takes the lock.
source "$WEBTEXT_ROOT/tests/locks/lib.sh"
python3 - "$TMP/dump.ndjson" <<'PY'
import json, random, sys
rng = random.Random(9)
with open(sys.argv[1], "w") as f:
    for i in range(5000):
        host = "site%d.example.org" % rng.randrange(400)
        f.write(json.dumps({"created_utc": 1400000000 + i, "id": "p%x" % i, "score": rng.randrange(8),
                            "subreddit": "s%d" % (i % 7), "url": "https://%s/a/%d" % (host, rng.randrange(3000))}) + "\n")
PY
zstd -q --rm "$TMP/dump.ndjson" -o "$TMP/RS_2015-01.zst"
run_stage() { exec "$WEBTEXT_BIN/crawl" urls "$TMP/RS_2015-01.zst" -o "$1" --shards 3 --threads 1 --quiet; }
same_output() {
  local s
  for s in 00000 00001 00002; do cmp "$1/urls-$s.jsonl.zst" "$2/urls-$s.jsonl.zst" || return 1; done
}
lock_check .lock ""
[ "$(zstd -dc "$TMP"/alone/urls-*.jsonl.zst | wc -l)" -gt 500 ] || fail "too few URLs kept"
echo PASS
