#!/usr/bin/env bash
# Regression (found by the hardening pass): a plain-text URL list with a line
# that is not valid UTF-8 (a Latin-1 URL, or a NUL byte) once stopped
# `crawl fetch` with a false "out of memory". Now the line is a counted bad
# record naming file and line, the other lines are fetched, exit 0.
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
grep -q "urls.txt:1: URL is not UTF-8 text" "$tmp/err" || { echo "FAIL: bad line not reported"; exit 1; }
echo PASS
