#!/usr/bin/env python3
"""Checks `crawl fetch --source cc,wayback` output against archive_fixtures.py's
expectations, standard library only: every URL exactly once (one archived
page with its metadata record, or one log line); Common Crawl records copied
byte for byte from the imitation's WARC files (WARC_DIR); the capture chosen
(its timestamp) and the target URI; Wayback records dated as the capture,
with the original headers restored and the exact payload; failures with the
expected reason and the earlier sources' trail.

usage: archive_check.py OUT.warc.gz OUT.log.jsonl EXPECT.jsonl SPEC.json WARC_DIR"""
import json
import sys


from warc_check import fail, members  # noqa: E402  (this folder is on sys.path)


def parse(raw):
    end = raw.find(b"\r\n\r\n")
    head = {}
    for line in raw[:end].split(b"\r\n")[1:]:
        k, _, v = line.decode().partition(":")
        head[k.strip().lower()] = v.strip()
    n = int(head["content-length"])
    block = raw[end + 4:end + 4 + n]
    if len(block) != n or raw[end + 4 + n:] != b"\r\n\r\n":
        fail("record length mismatch")
    return head, block


def main():
    warc, log, expect_path, spec_path, warc_dir = sys.argv[1:6]
    spec = json.load(open(spec_path))
    bodies = {(c["url"], c["ts"]): c for c in spec["wayback"] + spec["cc"]}
    data = open(warc, "rb").read()
    recs = list(members(data))
    seen = {}
    by_id = {}
    prev = None
    for off, member, raw in recs:
        head, block = parse(raw)
        typ = head.get("warc-type")
        if typ == "response":
            by_id[head["warc-record-id"]] = (off, member, head, block)
        if typ == "metadata":
            meta = json.loads(block)
            ref = head.get("warc-refers-to")
            if not prev or prev[2]["warc-record-id"] != ref:
                fail(f"metadata at {off} does not follow the record it refers to")
            if meta["url"] in seen:
                fail(f"{meta['url']} archived twice")
            seen[meta["url"]] = (meta, prev)
        prev = by_id.get(head.get("warc-record-id")) if typ == "response" else None
    logged = {}
    for line in open(log):
        o = json.loads(line)
        if o["url"] in logged:
            fail(f"{o['url']} logged twice")
        logged[o["url"]] = o
    n = 0
    for line in open(expect_path):
        e = json.loads(line)
        u = e["url"]
        n += 1
        if (u in seen) + (u in logged) != 1:
            fail(f"{u}: archived {u in seen}, logged {u in logged} (want exactly one)")
        if e["expect"] in ("cc", "wayback"):
            if u not in seen:
                fail(f"{u}: logged {logged[u]}, want {e['expect']}")
            meta, (off, member, head, block) = seen[u]
            arc = meta["archive"]
            if meta["source"] != e["expect"] or arc["timestamp"] != e["ts"]:
                fail(f"{u}: {meta['source']} {arc['timestamp']}, want {e['expect']} {e['ts']}")
            if head["warc-target-uri"] != e["target"]:
                fail(f"{u}: target {head['warc-target-uri']}, want {e['target']}")
            cap = bodies[(e["target"], e["ts"])]
            want_body = cap["body"].encode()
            sep = block.find(b"\r\n\r\n")
            if block[sep + 4:] != want_body:
                fail(f"{u}: payload differs")
            if e["expect"] == "cc":
                src = open(f"{warc_dir}/{arc['filename']}", "rb").read()
                o, ln = arc["offset"], arc["length"]
                if src[o:o + ln] != member:
                    fail(f"{u}: the stored member is not the archive's bytes")
            else:
                t = e["ts"]
                date = f"{t[0:4]}-{t[4:6]}-{t[6:8]}T{t[8:10]}:{t[10:12]}:{t[12:14]}Z"
                if head["warc-date"] != date:
                    fail(f"{u}: WARC-Date {head['warc-date']}, want {date}")
                hb = block[:sep].decode()
                for want in ("HTTP/1.1 200", "Server: imitation", "X-Crawler-Content-Length:",
                             f"Content-Length: {len(want_body)}", "Content-Type: text/html"):
                    if want not in hb:
                        fail(f"{u}: restored header block lacks {want!r}: {hb!r}")
        else:
            if u not in logged:
                fail(f"{u}: archived, want {e['expect']}")
            o = logged[u]
            if o["reason"] != e["expect"]:
                fail(f"{u}: reason {o['reason']}, want {e['expect']} ({o})")
            if e.get("trail") and e["trail"] not in o.get("sources", ""):
                fail(f"{u}: sources {o.get('sources')!r} lacks {e['trail']!r}")
            if e.get("why") and e["why"] not in o.get("sources", ""):
                fail(f"{u}: sources {o.get('sources')!r} lacks {e['why']!r}")
    extra = set(seen) | set(logged)
    if len(extra) != n:
        fail(f"{len(extra)} URLs in the output, {n} expected")
    print(f"ok: {n} URLs, {len(seen)} archived, {len(logged)} logged")


if __name__ == "__main__":
    main()
