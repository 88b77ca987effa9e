#!/usr/bin/env bash
# Seeds for fuzz_extract: first byte odd = HTTP response block, even = HTML
# (2: declared windows-1252); pages with markup, chunking and gzip.
set -euo pipefail
d=$1
html='<html lang="en"><head><title>T</title><meta property="og:title" content="OG"></head><body><nav>menu</nav><article><h1>Head</h1><p>One two three four five six seven eight nine ten.</p><p>Caf&eacute; &amp; more words here for the text.</p></article><footer>f</footer></body></html>'
printf '\x00%s' "$html" > "$d/seed-html"
printf '\x02<p>caf\xe9 na\xefve words one two three four</p>' > "$d/seed-1252"
printf '\x01HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n%s' "${#html}" "$html" > "$d/seed-http"
python3 - "$d/seed-chunked-gz" "$html" <<'PY'
import gzip, sys
gz = gzip.compress(sys.argv[2].encode(), mtime=0)
head = b"\x01HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n"
open(sys.argv[1], "wb").write(head + b"%x\r\n" % len(gz) + gz + b"\r\n0\r\n\r\n")
PY
printf '\x01HTTP/1.0 404 Not Found\r\nContent-Type: text/plain\r\n\r\nnope' > "$d/seed-404"
