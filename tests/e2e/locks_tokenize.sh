#!/usr/bin/env bash
# One writer per output, `tokenize shards`: a second run on the same output
# shard refuses (exit 3, naming the holder, touching nothing) while a run on
# another shard into the same folder goes ahead; the first's shard equals a
# lone run's; after kill -9 of the first, a rerun takes the lock.
source "$WEBTEXT_ROOT/tests/locks/lib.sh"
. "$WEBTEXT_ROOT/tests/e2e/lib.sh"
need_vocab
python3 - "$TMP" <<'PY'
import json, random, sys
rng = random.Random(5)
words = ["river", "stone", "light", "table", "seven", "north", "quiet", "paper", "glass", "field"]
for shard in (0, 1):
    with open(f"{sys.argv[1]}/docs-0000{shard}.jsonl", "w") as f:
        for i in range(300):
            text = " ".join(rng.choice(words) for _ in range(rng.randint(20, 200)))
            f.write(json.dumps({"url": f"http://t.test/{shard}/{i}", "text": text}) + "\n")
PY
zstd -q --rm "$TMP"/docs-00000.jsonl "$TMP"/docs-00001.jsonl
run_stage() { exec "$WEBTEXT_BIN/tokenize" shards "$TMP/docs-00000.jsonl.zst" -o "$1" --quiet; }
same_output() {
  cmp "$1/tokens-00000.bin.zst" "$2/tokens-00000.bin.zst" && cmp "$1/tokens-00000.idx" "$2/tokens-00000.idx"
}
lock_check .tokens-00000.bin.zst.lock tokens-00000.bin.zst

# the tasks of other shards share the folder: shard 1 runs while shard 0 is held
start_held "$TMP/s/.tokens-00000.bin.zst.lock" run_stage "$TMP/s"
"$WEBTEXT_BIN/tokenize" shards "$TMP/docs-00001.jsonl.zst" -o "$TMP/s" --quiet ||
  fail "a run on another shard of the same folder was refused"
release_held
test -s "$TMP/s/tokens-00001.bin.zst" && test -s "$TMP/s/tokens-00000.bin.zst"
echo PASS
