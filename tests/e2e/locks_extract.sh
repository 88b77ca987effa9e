#!/usr/bin/env bash
# One writer per output, `extract`: a second run on the same -o refuses (exit
# 3, naming the holder, touching nothing); the first's documents equal a lone
# run's; after kill -9 of the first, a rerun takes the lock. Also a folder
# output: the lock is per output shard (DIR/.docs-NNNNN.jsonl.zst.lock).
source "$WEBTEXT_ROOT/tests/locks/lib.sh"
python3 - "$TMP" <<'PY'
import gzip, random, sys
rng = random.Random(3)
words = ["the", "harbour", "boats", "morning", "were", "painted", "and", "fishermen", "sold",
         "their", "catch", "before", "noon", "while", "gulls", "circled", "above", "market"]
out = open(f"{sys.argv[1]}/crawl-00004.warc.gz", "wb")
for i in range(200):
    paras = "".join("<p>%s.</p>" % " ".join(rng.choice(words) for _ in range(60)) for _ in range(4))
    html = f"<html><head><title>Page {i}</title></head><body><article>{paras}</article></body></html>"
    body = html.encode()
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body)) + body
    head = ("WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-%012d>\r\n"
            "WARC-Date: 2019-01-01T00:00:00Z\r\nWARC-Target-URI: http://h.test/%d\r\n"
            "Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n"
            % (i, i, len(http))).encode()
    out.write(gzip.compress(head + http + b"\r\n\r\n"))
PY
W=$TMP/crawl-00004.warc.gz
run_stage() { exec "$WEBTEXT_BIN/extract" "$W" -o "$1/docs.jsonl.zst" --threads 1 --quiet; }
same_output() { cmp "$1/docs.jsonl.zst" "$2/docs.jsonl.zst"; }
lock_check .docs.jsonl.zst.lock docs.jsonl.zst
[ "$(zstd -dc "$TMP/alone/docs.jsonl.zst" | wc -l)" -gt 100 ] || fail "too few documents"

# a folder output: OUT/docs-00004.jsonl.zst is locked, another shard of OUT is not
run_dir() { exec "$WEBTEXT_BIN/extract" "$W" -o "$1" --threads 1 --quiet; }
start_held "$TMP/d/.docs-00004.jsonl.zst.lock" run_dir "$TMP/d"
expect_refusal "$TMP/d" "$TMP/d/docs-00004.jsonl.zst" run_dir "$TMP/d"
release_held
cmp "$TMP/alone/docs.jsonl.zst" "$TMP/d/docs-00004.jsonl.zst"
echo PASS
