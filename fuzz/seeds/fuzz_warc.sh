#!/usr/bin/env bash
# Seeds for fuzz_warc: small WARC files (plain, gzip per record, zstd),
# written by python3 here, with a response, a metadata and a damaged record.
set -euo pipefail
d=$1
python3 - "$d" <<'PY'
import gzip, sys, os
d = sys.argv[1]
def rec(typ, uri, block):
    h = ("WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%08d>\r\nWARC-Target-URI: %s\r\n"
         "WARC-Date: 2019-01-01T00:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n"
         "Content-Length: %d\r\n\r\n" % (typ, len(block), uri, len(block))).encode()
    return h + block + b"\r\n\r\n"
http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><p>Hello world</p></html>"
recs = [rec("warcinfo", "", b"software: fuzz\r\n"), rec("response", "http://a.com/", http),
        rec("response", "<http://b.com/>", http[:40])]
plain = b"".join(recs)
open(os.path.join(d, "seed-plain"), "wb").write(plain)
open(os.path.join(d, "seed-gz"), "wb").write(b"".join(gzip.compress(r) for r in recs))
open(os.path.join(d, "seed-badlen"), "wb").write(plain.replace(b"Content-Length: 16", b"Content-Length: 99"))
open(os.path.join(d, "seed-trunc-gz"), "wb").write(b"".join(gzip.compress(r) for r in recs)[:-20])
PY
zstd -q -c "$d/seed-plain" > "$d/seed-zst"
