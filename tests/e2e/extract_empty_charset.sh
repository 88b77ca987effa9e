#!/usr/bin/env bash
# Regression (fixed; docs/hardening.md). Found by
# fuzz_extract (input: the single byte 0x02 = empty HTML with a declared
# charset). A WARC response "Content-Type: text/html; charset=windows-1252"
# with an empty body makes `bin/extract` die with SIGSEGV (exit 139): iconv
# converts nothing, out->p stays NULL, and extract/charset.c:241
# `out->p[w] = 0` stores through NULL (stack: convert <- ex_charset_to_utf8
# charset.c:309 <- ex_page_from_html page.c:85). One such page kills the
# whole shard. Expected: exit 0, the page dropped as empty.
set -uo pipefail
: "${WEBTEXT_BIN:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp/empty.warc" <<'PY'
import sys
http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=windows-1252\r\nContent-Length: 0\r\n\r\n"
rec = (b"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: http://a.com/\r\n"
       b"WARC-Date: 2019-01-01T00:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n"
       b"Content-Length: %d\r\n\r\n" % len(http)) + http + b"\r\n\r\n"
open(sys.argv[1], "wb").write(rec)
PY
"$WEBTEXT_BIN/extract" "$tmp/empty.warc" -o "$tmp/out.jsonl" --keep-all --quiet 2>"$tmp/err"
rc=$?
cat "$tmp/err"
if [ $rc -ne 0 ] || grep -qE 'runtime error|Sanitizer' "$tmp/err"; then echo "FAIL: exit $rc"; exit 1; fi
echo PASS
