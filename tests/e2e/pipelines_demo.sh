#!/usr/bin/env bash
# tests/e2e/pipelines_demo.sh: the offline demo (pipelines/demo.sh, `make demo`) end to end on a
# small synthetic web: the output folder holds WARC files, documents, token shards, the report
# with its plots and results.md, and the stages did their jobs on the demo's traps.
set -euo pipefail
ROOT=${WEBTEXT_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
zcount() { zstd -dcq "$@" | wc -l; }

DEMO_OUT=$T/demo DEMO_SKIP_BUILD=1 DEMO_ARTICLES=${DEMO_ARTICLES:-60} DEMO_PORT=18491 \
  "$ROOT/pipelines/demo.sh" >"$T/stdout" 2>"$T/stderr" || { tail -n 40 "$T/stderr"; fail "demo.sh failed"; }
O=$T/demo
grep -q "webtext demo complete" "$T/stdout" || fail "no final summary"

# every stage's output is there
ls "$O"/input/RS_2017-1[12].zst >/dev/null || fail "no synthetic dumps"
ls "$O"/urls/urls-*.jsonl.zst >/dev/null || fail "no URL shards"
for f in "$O"/warc/crawl-0000[01].warc.gz; do [ -s "$f" ] || fail "no WARC $f"; done
gzip -dc "$O"/warc/crawl-00000.warc.gz | grep -a '^WARC-Type: response' >/dev/null || fail "WARC has no responses"
for f in "$O"/docs/docs-0000[01].jsonl.zst "$O"/dedup/docs-0000[01].jsonl.zst \
  "$O"/tokens/tokens-0000[01].bin.zst; do
  [ -e "$f" ] || fail "missing $f"
done
[ -s "$O/report/report.md" ] || fail "no report"
for p in lengths domains funnel; do
  [ "$(head -c 4 "$O/report/$p.png" | od -An -c | tr -d ' ')" = "211PNG" ] || fail "no plot $p.png"
done
[ -s "$O/eval/results.md" ] && [ -s "$O/eval/results.json" ] || fail "no eval results"
grep -qi webtext "$O/eval/results.md" || fail "results.md lacks the WebText row"

# the llm.c header of a token shard: magic 20240520, version 1, a token count > 0
read -r magic version count < <(zstd -dcq "$O/tokens/tokens-00000.bin.zst" | head -c 12 | od -An -t d4)
[ "$magic" = 20240520 ] && [ "$version" = 1 ] && [ "$count" -gt 0 ] || fail "bad token header $magic $version $count"

# the traps: robots.txt's /private/, Wikipedia hosts, exact and near copies
zstd -dcq "$O"/urls/urls-*.jsonl.zst | grep '"url":"http://[^/"]*/private/' >/dev/null || fail "no robots-disallowed URL reached fetch"
gzip -dc "$O"/warc/*.warc.gz | awk '/^WARC\/1\.[01]\r?$/ { t = ""; u = "" }
  /^WARC-Type:/ { t = $2 } /^WARC-Target-URI:/ { u = $2 }
  t ~ /^response/ && u ~ /^https?:\/\/[^\/]+\/private\// { bad = 1 } END { exit bad }' ||
  fail "a robots-disallowed page was archived"
docs=$(zcount "$O"/docs/docs-*.jsonl.zst)
kept=$(zcount "$O"/dedup/docs-*.jsonl.zst)
[ "$docs" -gt 40 ] || fail "only $docs documents extracted"
[ "$kept" -lt "$docs" ] || fail "dedup removed nothing ($kept of $docs)"
zstd -dcq "$O"/dedup/docs-*.jsonl.zst | grep -i '"url":"[^"]*wikipedia\.org' >/dev/null && fail "Wikipedia documents survived dedup"
copies=$(zstd -dcq "$O"/docs/docs-*.jsonl.zst | grep -c 'copyfeed\|wirestream' || true)
left=$(zstd -dcq "$O"/dedup/docs-*.jsonl.zst | grep -c 'copyfeed\|wirestream' || true)
[ "$copies" -gt 0 ] || fail "no copies were extracted (the demo web lost its duplicates)"
[ "$left" -lt "$copies" ] || fail "dedup kept every copy ($left of $copies)"
grep -q "documents (after dedup) | $kept |" "$O/report/report.md" || fail "report's document count != $kept"
echo "pipelines demo: ok ($docs documents, $kept after dedup, $count tokens in shard 0)"
