#!/usr/bin/env bash
# e2e: `crawl urls` on hand-written NDJSON in the shapes Pushshift drifted
# through (numbers as strings, nulls, missing fields, "\/", &amp;), broken lines
# (counted, reported as "crawl: FILE:LINE: reason", fatal under --strict), a
# truncated .zst (a clear error, no output), every compression, stdin, score
# aggregation, dates, list overrides, rerun skip / --force and usage errors.
set -euo pipefail
: "${WEBTEXT_BIN:?}"
crawl=$WEBTEXT_BIN/crawl
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# The fixture, one outcome per line (17 records; the blank line is not one):
cat >"$tmp/in.ndjson" <<'NDJSON'
{"created_utc":1400000000,"id":"a1","is_self":false,"over_18":false,"score":5,"subreddit":"news","url":"http:\/\/Example.COM:80\/story?id=1&amp;x=2#c"}
{"created_utc":"1400000100","id":"a2","score":"2","subreddit":"misc","url":"http://example.com/story?id=1&x=2"}
{"created_utc":1400000200.0,"id":"a3","score":1,"subreddit":null,"url":"https://BLOG.example.org/p"}
{"created_utc":1400000300,"id":"a4","score":2,"subreddit":"b","url":"https://blog.example.org./p"}
{"created_utc":1400000000,"id":"s1","is_self":true,"score":50,"url":"https://www.reddit.com/r/x/comments/s1/t/"}
{"created_utc":1400000000,"id":"zz9","is_self":false,"score":50,"url":"https://www.reddit.com/r/x/comments/zz9/t/"}
{"created_utc":1400000000,"id":"n1","over_18":"true","score":50,"url":"http://nsfw.example.com/"}
{"created_utc":1600000000,"id":"d1","score":50,"url":"http://late.example.com/"}
{"created_utc":1400000000,"id":"u1","score":50,"url":"ftp://files.example.com/"}
{"created_utc":1400000000,"id":"u2","score":50,"url":null}
{"created_utc":1400000000,"id":"x1","score":50,"url":"https://i.imgur.com/abc.html"}
{"created_utc":1400000000,"id":"x2","score":50,"url":"http://example.net/paper.PDF?dl=1"}
{"created_utc": 1400000000, "url": "http://broken.example.com/"
[1,2,3]
{"url":"http://nodate.example.com/","score":9}

{"created_utc":1400000500,"id":"c1","score":3,"url":"http://c.example.com/a%7eb"}
{"created_utc":1400000400,"id":"c0","score":4,"subreddit":"s2","url":"http://c.example.com/a~b"}
NDJSON
# Outcomes: malformed 3 (lines 13 broken JSON, 14 not an object, 15 no created_utc),
# self 2 (is_self; a link to its own comments page), nsfw 1 ("true" as a string),
# date 1 (2020), bad_url 2 (ftp; null), excluded domain 1 (i.imgur.com), excluded
# extension 1 (.PDF before a query). 6 posts reach dedup and make 3 URLs (lines 1-2:
# port, case, "\/", &amp; and fragment normalise away; 3-4: host case and trailing
# dot; 17-18: %7e = ~), so 3 duplicates merged. max: 5, 2, 4 -> 2 kept, 1 low_score.
# sum: 7, 3, 7 -> 3 kept.
fields='[.records_read,.malformed,.self_posts,.nsfw,.date_out_of_range,.bad_url,.excluded_domain,.excluded_extension,.duplicate_urls_merged,.low_score,.kept]|map(tostring)|join(" ")'

"$crawl" urls -q "$tmp/in.ndjson" -o "$tmp/max" 2>"$tmp/max.err"
[[ $(jq -r "$fields" "$tmp/max/stats.json") == "17 3 2 1 1 2 1 1 3 1 2" ]] ||
  fail "max counts: $(jq -r "$fields" "$tmp/max/stats.json")"
[[ $(jq -r '.bad_url_reasons|"\(.scheme) \(.empty)"' "$tmp/max/stats.json") == "1 1" ]] || fail "bad_url reasons"
for l in 13 14 15; do grep -q "^crawl: $tmp/in.ndjson:$l: " "$tmp/max.err" || fail "no report for line $l"; done
grep -q "in.ndjson:15: created_utc missing" "$tmp/max.err" || fail "line 15 reason"
zstd -dc "$tmp/max/urls-00000.jsonl.zst" | jq -c . >"$tmp/max.jsonl"
[[ $(wc -l <"$tmp/max.jsonl") == 2 ]] || fail "max: $(cat "$tmp/max.jsonl")"
grep -qF '{"url":"http://example.com/story?id=1&x=2","domain":"example.com","score":5,"posts":2,"subreddit":"news","created_utc":1400000000,"post_id":"a1"}' "$tmp/max.jsonl" || fail "example.com record"
# first post = earliest (c0 at ...400, not c1 at ...500); its subreddit
grep -qF '{"url":"http://c.example.com/a~b","domain":"example.com","score":4,"posts":2,"subreddit":"s2","created_utc":1400000400,"post_id":"c0"}' "$tmp/max.jsonl" || fail "c.example.com record"

# --score-agg sum: the threshold applies to the aggregated score
"$crawl" urls -q --score-agg sum "$tmp/in.ndjson" -o "$tmp/sum" 2>/dev/null
[[ $(jq -r "$fields" "$tmp/sum/stats.json") == "17 3 2 1 1 2 1 1 3 0 3" ]] || fail "sum counts"
zstd -dc "$tmp/sum/urls-00000.jsonl.zst" | grep -qF '"url":"https://blog.example.org/p","domain":"example.org","score":3,"posts":2,"subreddit":null,"created_utc":1400000200,"post_id":"a3"' || fail "sum record"

# --strict: the first bad line is fatal, nothing is written
if "$crawl" urls -q --strict "$tmp/in.ndjson" -o "$tmp/strict" 2>"$tmp/strict.err"; then fail "strict passed"; fi
grep -q "in.ndjson:13:" "$tmp/strict.err" || fail "strict message: $(cat "$tmp/strict.err")"
[[ ! -e $tmp/strict/stats.json && ! -e $tmp/strict/urls-00000.jsonl.zst ]] || fail "strict wrote outputs"

# every compression and stdin give the same records
zstd -q --long=31 -c "$tmp/in.ndjson" >"$tmp/in.zst"
xz -c "$tmp/in.ndjson" >"$tmp/in.xz"
bzip2 -c "$tmp/in.ndjson" >"$tmp/in.bz2"
gzip -c "$tmp/in.ndjson" >"$tmp/in.gz"
for f in in.zst in.xz in.bz2 in.gz; do
  "$crawl" urls -q "$tmp/$f" -o "$tmp/o-$f" 2>/dev/null
  zstd -dc "$tmp/o-$f/urls-00000.jsonl.zst" | cmp -s - "$tmp/max.jsonl" || fail "$f differs"
done
"$crawl" urls -q - -o "$tmp/o-stdin" <"$tmp/in.ndjson" 2>/dev/null
zstd -dc "$tmp/o-stdin/urls-00000.jsonl.zst" | cmp -s - "$tmp/max.jsonl" || fail "stdin differs"

# a truncated .zst is a clear error naming the file, and leaves no output
head -c $(($(stat -c %s "$tmp/in.zst") - 20)) "$tmp/in.zst" >"$tmp/cut.zst"
if "$crawl" urls -q "$tmp/cut.zst" -o "$tmp/cut" 2>"$tmp/cut.err"; then fail "truncated zst accepted"; fi
grep -q "cut.zst" "$tmp/cut.err" || fail "truncated zst message: $(cat "$tmp/cut.err")"
[[ ! -e $tmp/cut/stats.json && ! -e $tmp/cut/urls-00000.jsonl.zst && ! -e $tmp/cut/.tmp-urls ]] || fail "truncated zst left outputs"

# dates: --after/--before as YYYY-MM-DD or unix seconds ([after, before))
"$crawl" urls -q --before 2014-05-13 "$tmp/in.ndjson" -o "$tmp/dates" 2>/dev/null
# 2014-05-13 = 1399939200 is before every post: the 12 records that reach the date
# rule (17 - 3 malformed - 2 self) are all out of range
[[ $(jq -r .date_out_of_range "$tmp/dates/stats.json") == 12 ]] || fail "dates: $(jq -c . "$tmp/dates/stats.json")"
# after 1400000300: the 8 posts created earlier and the 2020 one are out (9); of
# lines 4, 17, 18 only c.example.com (max 4) reaches 3
"$crawl" urls -q --after 1400000300 "$tmp/in.ndjson" -o "$tmp/after" 2>/dev/null
[[ $(jq -r '"\(.date_out_of_range) \(.kept)"' "$tmp/after/stats.json") == "9 1" ]] || fail "after: $(jq -c . "$tmp/after/stats.json")"

# list overrides: no domain list keeps imgur; an extension file of our own
printf '# none\n' >"$tmp/nodomains"
printf 'html\n' >"$tmp/exts"
"$crawl" urls -q --exclude-domains "$tmp/nodomains" --exclude-extensions "$tmp/exts" "$tmp/in.ndjson" -o "$tmp/lists" 2>/dev/null
[[ $(jq -r '"\(.excluded_domain) \(.excluded_extension)"' "$tmp/lists/stats.json") == "0 1" ]] || fail "lists"
"$crawl" urls --print-default-lists | grep -qx 'imgur.com' || fail "--print-default-lists"

# rerun skips complete outputs; --force redoes them; --shards N makes N files
touch -d '2001-01-01' "$tmp/max/urls-00000.jsonl.zst"
"$crawl" urls "$tmp/in.ndjson" -o "$tmp/max" 2>"$tmp/rerun.err"
grep -q skipping "$tmp/rerun.err" || fail "no skip"
[[ $(stat -c %Y "$tmp/max/urls-00000.jsonl.zst") == $(date -d 2001-01-01 +%s) ]] || fail "rerun rewrote"
"$crawl" urls -q --force "$tmp/in.ndjson" -o "$tmp/max" 2>/dev/null
[[ $(stat -c %Y "$tmp/max/urls-00000.jsonl.zst") != $(date -d 2001-01-01 +%s) ]] || fail "--force did not redo"
"$crawl" urls -q --shards 4 "$tmp/in.ndjson" -o "$tmp/shards" 2>/dev/null
[[ $(ls "$tmp/shards"/urls-0000[0-3].jsonl.zst | wc -l) == 4 ]] || fail "shards"
[[ $(zstd -dc "$tmp/shards"/urls-*.jsonl.zst | wc -l) == 2 ]] || fail "shard contents"

# usage errors exit 2, --help exits 0, a missing input exits 1
set +e
"$crawl" urls "$tmp/in.ndjson" 2>/dev/null; [[ $? == 2 ]] || fail "no -o"
"$crawl" urls -o "$tmp/u" 2>/dev/null; [[ $? == 2 ]] || fail "no input"
"$crawl" urls --score-agg avg "$tmp/in.ndjson" -o "$tmp/u" 2>/dev/null; [[ $? == 2 ]] || fail "bad agg"
"$crawl" urls --before 2017-02-30 "$tmp/in.ndjson" -o "$tmp/u" 2>/dev/null; [[ $? == 2 ]] || fail "bad date"
"$crawl" urls --after 2017-01-01 --before 2016-01-01 "$tmp/in.ndjson" -o "$tmp/u" 2>/dev/null; [[ $? == 2 ]] || fail "empty window"
"$crawl" urls --help >/dev/null; [[ $? == 0 ]] || fail "--help"
"$crawl" --help >/dev/null; [[ $? == 0 ]] || fail "crawl --help"
"$crawl" urls "$tmp/nope.zst" -o "$tmp/u" 2>"$tmp/nope.err"; [[ $? == 1 ]] || fail "missing input"
grep -q nope.zst "$tmp/nope.err" || fail "missing input message"
echo PASS
