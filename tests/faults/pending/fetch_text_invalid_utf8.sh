#!/usr/bin/env bash
# Pending regression (move to tests/e2e once crawl/ is fixed): a plain-text URL
# list with a line that is not valid UTF-8 (a Latin-1 URL, or a NUL byte) makes
# `crawl fetch` stop with "out of memory" (exit 1) before fetching anything:
# crawl/fetch_input.c job_from_text() builds the job's metadata with
# json_pack("{s:s%}"), which fails on invalid UTF-8, and the NULL is reported
# as out of memory. Expected: the line counted as a bad record (or its URL
# percent-encoded), the other lines fetched, exit 0.
set -uo pipefail
: "${WEBTEXT_BIN:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'http://192.0.2.1/caf\xe9\nhttp://192.0.2.1/ok\n' >"$tmp/urls.txt"
"$WEBTEXT_BIN/crawl" fetch "$tmp/urls.txt" -o "$tmp/out.warc.gz" --quiet --timeout 1 \
  --connect-timeout 1 --retries 0 --delay 0 --ignore-robots 2>"$tmp/err"
rc=$?
cat "$tmp/err"
if grep -q "out of memory" "$tmp/err" || [ $rc -ne 0 ]; then echo "FAIL: exit $rc"; exit 1; fi
echo PASS
