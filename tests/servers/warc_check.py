#!/usr/bin/env python3
"""Independent checker of `crawl fetch` output, standard library only: reads
the WARC member by member (each gzip member must hold exactly one record),
verifies WARC/1.1 headers, Content-Length, SHA-1 block and payload digests,
the request/response/metadata grouping and their ID links, then compares
every URL of an expectations file with the WARC and the fetch log: each URL
must end as exactly one response (with the exact page bytes) or exactly one
log line with the expected reason.

usage: warc_check.py OUT.warc.gz OUT.log.jsonl EXPECT.jsonl [--max-body N]
EXPECT lines: {"url": ..., "expect": "ok" | REASON, "status": N?, "final": PATH?}
"""
import base64
import hashlib
import json
import os
import sys
import zlib
from urllib.parse import urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fetch_server  # noqa: E402  (page bytes)


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def members(data):
    """Yields (offset, the member's compressed bytes, its decompressed bytes) of each gzip member."""
    off = 0
    while off < len(data):
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = d.decompress(data[off:])
        if not d.eof:
            fail(f"torn gzip member at offset {off}")
        used = len(data) - off - len(d.unused_data)
        yield off, data[off:off + used], out
        off += used


def parse_record(raw, off):
    end = raw.find(b"\r\n\r\n")
    if end < 0 or not raw.startswith(b"WARC/1.1\r\n"):
        fail(f"record at {off}: no WARC/1.1 header")
    head = {}
    for line in raw[10:end].split(b"\r\n"):
        k, _, v = line.decode("utf-8").partition(":")
        if k in head:
            fail(f"record at {off}: field {k} twice")
        head[k] = v.strip()
    n = int(head["Content-Length"])
    block = raw[end + 4:end + 4 + n]
    if len(block) != n or raw[end + 4 + n:] != b"\r\n\r\n":
        fail(f"record at {off}: Content-Length {n} does not frame the block "
             f"(member holds {len(raw) - end - 4} bytes after the header)")
    for k in ("WARC-Type", "WARC-Record-ID", "WARC-Date"):
        if k not in head:
            fail(f"record at {off}: no {k}")
    if not (head["WARC-Record-ID"].startswith("<urn:uuid:") and head["WARC-Record-ID"].endswith(">")):
        fail(f"record at {off}: bad WARC-Record-ID")
    return head, block


def digest(b):
    return "sha1:" + base64.b32encode(hashlib.sha1(b).digest()).decode()


def http_split(block):
    i = block.find(b"\r\n\r\n")
    if i < 0:
        fail("HTTP block without a header end")
    return block[:i + 4], block[i + 4:]


def header_value(head, name):
    for line in head.decode("latin-1").split("\r\n")[1:]:
        k, _, v = line.partition(":")
        if k.strip().lower() == name.lower():
            return v.strip()
    return None


def read_warc(path):
    data = open(path, "rb").read()
    recs = [parse_record(raw, off) + (off,) for off, _, raw in members(data)]
    if not recs or recs[0][0]["WARC-Type"] != "warcinfo":
        fail("the first record is not warcinfo")
    ids = set()
    for head, block, off in recs:
        if head["WARC-Record-ID"] in ids:
            fail(f"record at {off}: duplicate ID")
        ids.add(head["WARC-Record-ID"])
        if head.get("WARC-Block-Digest") != digest(block):
            fail(f"record at {off}: WARC-Block-Digest mismatch")
    responses = []  # (metadata json, response head, http head, body)
    rest = recs[1:]
    if len(rest) % 3:
        fail(f"{len(rest)} records after warcinfo: not request/response/metadata triples")
    for i in range(0, len(rest), 3):
        (rq, rqb, o1), (rs, rsb, o2), (md, mdb, o3) = rest[i:i + 3]
        if (rq["WARC-Type"], rs["WARC-Type"], md["WARC-Type"]) != ("request", "response", "metadata"):
            fail(f"record at {o1}: expected request, response, metadata")
        if rs.get("WARC-Concurrent-To") != rq["WARC-Record-ID"]:
            fail(f"record at {o2}: WARC-Concurrent-To does not name the request")
        if md.get("WARC-Refers-To") != rs["WARC-Record-ID"]:
            fail(f"record at {o3}: WARC-Refers-To does not name the response")
        if not (rq["WARC-Target-URI"] == rs["WARC-Target-URI"] == md["WARC-Target-URI"]):
            fail(f"record at {o1}: Target-URIs differ")
        if not rqb.startswith(b"GET "):
            fail(f"record at {o1}: request block is not a GET")
        if rs.get("Content-Type") != "application/http;msgtype=response":
            fail(f"record at {o2}: Content-Type {rs.get('Content-Type')}")
        hhead, body = http_split(rsb)
        if rs.get("WARC-Payload-Digest") != digest(body):
            fail(f"record at {o2}: WARC-Payload-Digest mismatch")
        if not rs.get("WARC-IP-Address"):
            fail(f"record at {o2}: no WARC-IP-Address")
        responses.append((json.loads(mdb), rs, hhead, body))
    return responses


def expected_body(url, max_body):
    u = urlsplit(url)
    kind = u.path.strip("/").split("/")[0]
    if kind == "latin1":
        return fetch_server.latin1_body(u.path)
    if kind == "big":
        return fetch_server.big_body(u.path)[:max_body]
    return fetch_server.page_body(u.hostname, u.path)


def main():
    args = sys.argv[1:]
    max_body = 5_000_000
    if "--max-body" in args:
        i = args.index("--max-body")
        max_body = int(args[i + 1])
        del args[i:i + 2]
    warc, log, expect = args
    responses = read_warc(warc)
    logged = [json.loads(l) for l in open(log, encoding="utf-8") if l.strip()]
    exp = [json.loads(l) for l in open(expect, encoding="utf-8") if l.strip()]
    seen = {}
    for md, rs, hhead, body in responses:
        seen.setdefault(md["url"], []).append(("ok", md, rs, hhead, body))
    for entry in logged:
        for k in ("url", "reason", "attempts", "time"):
            if k not in entry:
                fail(f"log line without {k}: {entry}")
        seen.setdefault(entry["url"], []).append((entry["reason"], entry))
    counts = {}
    for e in exp:
        got = seen.pop(e["url"], [])
        if len(got) != 1:
            fail(f"{e['url']}: {len(got)} outcomes (want exactly one): {[g[0] for g in got]}")
        g = got[0]
        counts[g[0]] = counts.get(g[0], 0) + 1
        if g[0] != e["expect"]:
            fail(f"{e['url']}: outcome {g[0]} ({g[1]}), expected {e['expect']}")
        if g[0] == "ok":
            _, md, rs, hhead, body = g
            target = rs["WARC-Target-URI"]
            if e.get("final") and urlsplit(target).path != e["final"]:
                fail(f"{e['url']}: fetched {target}, expected path {e['final']}")
            want = expected_body(target, max_body)
            if body != want:
                fail(f"{e['url']}: body differs ({len(body)} bytes, want {len(want)})")
            for k, v in e.get("meta", {}).items():
                if md.get(k) != v:
                    fail(f"{e['url']}: metadata {k}={md.get(k)!r}, want {v!r}")
            if bool(e.get("truncated")) != (rs.get("WARC-Truncated") == "length"):
                fail(f"{e['url']}: WARC-Truncated is {rs.get('WARC-Truncated')}")
            for k, v in e.get("headers", {}).items():
                if header_value(hhead, k) != v:
                    fail(f"{e['url']}: header {k}={header_value(hhead, k)!r}, want {v!r}")
            cl = header_value(hhead, "Content-Length")
            if cl is not None and not e.get("truncated") and int(cl) != len(body):
                fail(f"{e['url']}: stored Content-Length {cl} but {len(body)} body bytes")
        elif "status" in e and g[1].get("status") != e["status"]:
            fail(f"{e['url']}: status {g[1].get('status')}, expected {e['status']}")
        if "attempts" in e and g[0] != "ok" and g[1]["attempts"] != e["attempts"]:
            fail(f"{e['url']}: {g[1]['attempts']} attempts, expected {e['attempts']}")
    if seen:
        fail(f"outcomes for URLs not in the list: {list(seen)[:5]}")
    print("ok:", len(exp), "urls", json.dumps(dict(sorted(counts.items()))))


if __name__ == "__main__":
    main()
