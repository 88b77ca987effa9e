#!/usr/bin/env bash
# Regression (fixed; docs/hardening.md): exit 0 expected. Found by
# fuzz_extract: a response with "Transfer-Encoding: chunked" and
# "Content-Encoding: gzip" whose chunked framing yields no bytes leaves the
# scratch buffer unallocated, and extract/http.c:204 then calls
# ex_buf_add(out, NULL, 0) -> memcpy(dst, NULL, 0) at extract/buf.c:20
# (UBSan: "null pointer passed as argument 2, which is declared to never be
# null"); stack: ex_buf_add <- ex_http_decode (http.c:204) <- ex_page_from_http
# (page.c:119). Run with the SAN build: WEBTEXT_BIN=build-san/bin.
set -uo pipefail
: "${WEBTEXT_BIN:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp/bad.warc" <<'PY'
import sys
http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n"
        b"Content-Encoding: gzip\r\n\r\nd2\rR2\x03\x00\xf0`\x00\x00")
rec = (b"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: http://a.com/\r\n"
       b"WARC-Date: 2019-01-01T00:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n"
       b"Content-Length: %d\r\n\r\n" % len(http)) + http + b"\r\n\r\n"
open(sys.argv[1], "wb").write(rec)
PY
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=98 \
  "$WEBTEXT_BIN/extract" "$tmp/bad.warc" -o "$tmp/out.jsonl" --keep-all --quiet 2>"$tmp/err"
rc=$?
cat "$tmp/err"
# fixed: the page is read (an empty body), the run finishes: exit 0, no sanitizer report
if [ $rc -ne 0 ] || grep -qE 'runtime error|Sanitizer' "$tmp/err"; then echo "FAIL: exit $rc (expected 0)"; exit 1; fi
echo PASS
