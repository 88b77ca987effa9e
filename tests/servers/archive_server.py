#!/usr/bin/env python3
"""Loopback imitation of the web archives for the `crawl fetch --source`
and `crawl cc-lookup` tests, standard library only. One port, three roles by
path prefix:

  /idx/collinfo.json, /idx/CRAWL-index?url=U&output=json   Common Crawl index server
  /data/PATH                       Common Crawl data server (Range: bytes=a-b -> 206)
  /wb/cdx/search/cdx?url=U&output=json[&from&to], /wb/web/TSid_/URL   Wayback Machine

Fixtures come from a spec file the test writes (generated, no real data):
{"crawls": [{"id", "from", "to"}], "cc": [capture...], "wayback": [capture...],
 "zipnum": {"crawl": ID, "dir": FOLDER}}   (optional: serve a folder as the data server)
capture: {"crawl"?, "url", "ts", "status", "mime", "body", "location"?, "fault"?}
CC faults: short (206 with fewer bytes), extra (the range runs into the next
member), wrong_target (the index points to the record of the crawl's capture
marked "neighbour"), not206
(200 with the whole file), slowdown (503 SlowDown + Retry-After once),
index429 (the index answers 429 once for this URL). Wayback faults: cdx429
(429 once), raw503 (the id_ capture answers 503 once, without Retry-After); "serve_from": TS makes the raw capture redirect to the capture
at TS ("hidden": not listed by the CDX API), as Wayback does.
Each crawl also has a zipnum index of its captures (cluster.idx, cdx-00000.gz)
under /data/cc-index/collections/CRAWL/indexes/.
--warc-dir: where the WARC.gz files are written (tests compare bytes).
--log: one JSON line per request (service, path, status)."""
import argparse
import gzip
import json
import os
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from surt import surt  # noqa: E402

REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 404: "Not Found"}


def http_block(c):
    body = c["body"].encode("utf-8")
    head = f"HTTP/1.1 {c['status']} {REASONS.get(c['status'], 'X')}\r\n"
    head += f"Content-Type: {c['mime']}; charset=utf-8\r\n" if c["mime"] else ""
    if c.get("location"):
        head += f"Location: {c['location']}\r\n"
    head += f"Content-Length: {len(body)}\r\nServer: imitation\r\n\r\n"
    return head.encode() + body


def warc_record(c, n):
    block = http_block(c)
    ts = c["ts"]
    date = f"{ts[0:4]}-{ts[4:6]}-{ts[6:8]}T{ts[8:10]}:{ts[10:12]}:{ts[12:14]}Z"
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Date: {date}\r\n"
            f"WARC-Record-ID: <urn:uuid:cc000000-0000-4000-8000-{n:012d}>\r\n"
            f"WARC-Target-URI: {c['url']}\r\n"
            f"Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(block)}\r\n\r\n")
    return gzip.compress(head.encode() + block + b"\r\n\r\n", mtime=0)


class Archive:
    def __init__(self, spec, warc_dir):
        self.spec = spec
        self.lock = threading.Lock()
        self.once = set()  # faults already served
        self.files = {}  # path -> bytes
        self.cc = {}  # (crawl, surt) -> [cdx json]
        n = 0
        by_crawl = {}
        for c in spec.get("cc", []):
            by_crawl.setdefault(c["crawl"], []).append(c)
        for crawl, caps in by_crawl.items():
            path = f"crawl-data/{crawl}/segments/1/warc/{crawl}-00000.warc.gz"
            data = bytearray(gzip.compress(b"junk", mtime=0))
            where = []
            for c in caps:
                n += 1
                rec = warc_record(c, n)
                where.append((len(data), len(rec)))
                data += rec
            self.files[path] = bytes(data)
            for i, c in enumerate(caps):
                off, ln = where[i]
                fault = c.get("fault")
                if fault == "extra":
                    ln += 30
                if fault == "wrong_target":  # another URL's record: the one marked "neighbour"
                    off, ln = where[next(k for k, x in enumerate(caps) if x.get("neighbour"))]
                cdx = {"urlkey": surt(c["url"]), "timestamp": c["ts"], "url": c["url"],
                       "mime": c["mime"] or "unk", "status": str(c["status"]),
                       "digest": "X", "length": str(ln), "offset": str(off), "filename": path}
                if fault:
                    cdx["_fault"] = fault
                if c.get("cdx_redirect"):  # newer indexes name a redirect's target
                    cdx["redirect"] = c["location"]
                self.cc.setdefault((crawl, surt(c["url"])), []).append(cdx)
            if warc_dir:
                os.makedirs(os.path.join(warc_dir, os.path.dirname(path)), exist_ok=True)
                with open(os.path.join(warc_dir, path), "wb") as f:
                    f.write(data)
        # each crawl's zipnum index of the same captures (for `crawl cc-lookup`), 3 lines a block
        for crawl in set(by_crawl) | {c["id"] for c in spec.get("crawls", [])}:
            lines = sorted(
                f"{k} {c['timestamp']} " + json.dumps({f: c[f] for f in
                    ("url", "mime", "status", "digest", "length", "offset", "filename")})
                for (cr, k), caps in self.cc.items() if cr == crawl for c in caps)
            idx = f"cc-index/collections/{crawl}/indexes"
            cdx, cluster = b"", []
            for b in range(0, len(lines), 3):
                member = gzip.compress(("\n".join(lines[b:b + 3]) + "\n").encode(), mtime=0)
                first = lines[b].split(" ")
                cluster.append(f"{first[0]} {first[1]}\tcdx-00000.gz\t{len(cdx)}\t{len(member)}\t{b // 3 + 1}\n")
                cdx += member
            self.files[f"{idx}/cdx-00000.gz"] = cdx
            self.files[f"{idx}/cluster.idx"] = "".join(cluster).encode()
        self.wb = {}
        for c in spec.get("wayback", []):
            self.wb.setdefault(surt(c["url"]), []).append(c)
        for v in self.wb.values():
            v.sort(key=lambda c: c["ts"])
        zn = spec.get("zipnum")
        self.zipdir = zn["dir"] if zn else None

    def first_time(self, key):
        with self.lock:
            if key in self.once:
                return False
            self.once.add(key)
            return True


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        if self.server.log:
            with self.server.archive.lock:
                self.server.log.write(json.dumps({"t": time.time(), "path": self.path,
                                                  "status": status}) + "\n")
                self.server.log.flush()

    def do_GET(self):
        a = self.server.archive
        u = urlsplit(self.path)
        q = parse_qs(u.query)
        p = u.path
        if p == "/idx/collinfo.json":
            base = f"http://127.0.0.1:{self.server.server_port}/idx"
            cl = [{"id": c["id"], "name": c["id"], "from": c["from"], "to": c["to"],
                   "cdx-api": f"{base}/{c['id']}-index"} for c in a.spec.get("crawls", [])]
            return self.send(200, json.dumps(cl).encode(), [("Content-Type", "application/json")])
        if p.startswith("/idx/") and p.endswith("-index"):
            crawl = p[5:-6]
            url = q.get("url", [""])[0]
            caps = a.cc.get((crawl, surt(url)), [])
            if any(c.get("_fault") == "index429" for c in caps) and a.first_time(("i429", url)):
                return self.send(429, b"slow down", [("Retry-After", "1")])
            if not caps:
                return self.send(404, b'{"message": "No Captures found"}\n')
            body = "".join(json.dumps({k: v for k, v in c.items() if k != "_fault"}) + "\n"
                           for c in caps)
            return self.send(200, body.encode(), [("Content-Type", "text/x-ndjson")])
        if p.startswith("/data/"):
            path = p[6:]
            data = a.files.get(path)
            if data is None and a.zipdir and ".." not in path:
                fp = os.path.join(a.zipdir, path)
                if os.path.isfile(fp):
                    with open(fp, "rb") as f:
                        data = f.read()
            if data is None:
                return self.send(404, b"no such file")
            rng = self.headers.get("Range", "")
            if not rng.startswith("bytes="):
                return self.send(200, data)
            s, _, e = rng[6:].partition("-")
            s, e = int(s), min(int(e), len(data) - 1)
            fault = None
            for caps in a.cc.values():
                for c in caps:
                    if (c["filename"] == path and int(c["offset"]) == s
                            and c.get("_fault") in ("short", "not206", "slowdown")):
                        fault = c["_fault"]
            if fault == "slowdown" and a.first_time(("slow", path, s)):
                return self.send(503, b"<Error><Code>SlowDown</Code></Error>",
                                 [("Retry-After", "1")])
            if fault == "not206":
                return self.send(200, data)
            chunk = data[s:e + 1]
            if fault == "short":
                chunk = chunk[: len(chunk) // 2]
            return self.send(206, chunk, [("Content-Range", f"bytes {s}-{s + len(chunk) - 1}/{len(data)}")])
        if p == "/wb/cdx/search/cdx":
            url = q.get("url", [""])[0]
            caps = a.wb.get(surt(url), [])
            if any(c.get("fault") == "cdx429" for c in caps) and a.first_time(("w429", url)):
                return self.send(429, b"slow down", [("Retry-After", "1")])
            lo, hi = q.get("from", ["0"])[0], q.get("to", ["99999999999999"])[0]
            rows = [["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest",
                     "length"]]
            for c in caps:
                if c.get("hidden"):
                    continue
                if lo <= c["ts"][:len(lo)] and c["ts"][:len(hi)] <= hi:
                    rows.append([surt(c["url"]), c["ts"], c["url"], c["mime"] or "unk",
                                 str(c["status"]), "X", "100"])
            body = json.dumps(rows if len(rows) > 1 else []).encode()
            return self.send(200, body, [("Content-Type", "application/json")])
        if p.startswith("/wb/web/"):
            rest = self.path[len("/wb/web/"):]
            ts, _, url = rest.partition("/")
            ts = re.sub(r"[a-z_]+$", "", ts)
            caps = a.wb.get(surt(url), [])
            c = next((c for c in caps if c["ts"] == ts and c["url"] == url), None)
            if c and c.get("serve_from"):
                # Wayback redirects to the capture it holds nearest to the moment asked
                return self.send(302, b"", [("Location", f"/wb/web/{c['serve_from']}id_/{url}")])
            if not c:
                return self.send(404, b"not archived")
            if c.get("fault") == "raw503" and a.first_time(("r503", url)):
                return self.send(503, b"busy")  # no Retry-After: the client backs off
            body = c["body"].encode("utf-8")
            hs = [("Memento-Datetime", "x"), ("X-Archive-Orig-Server", "imitation"),
                  ("X-Archive-Orig-Content-Length", str(len(body))),
                  ("X-Archive-Orig-Date", "Mon, 11 Dec 2017 09:30:12 GMT")]
            if c["mime"]:
                hs.append(("Content-Type", c["mime"] + "; charset=utf-8"))
            if c["status"] in (301, 302):
                base = f"http://127.0.0.1:{self.server.server_port}/wb/web/{c['ts']}id_/"
                hs.append(("Location", base + c["location"]))
                hs.append(("X-Archive-Orig-Location", c["location"]))
            return self.send(c["status"], body, hs)
        return self.send(404, b"unknown")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--spec", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--warc-dir")
    ap.add_argument("--log")
    ap.add_argument("--lifetime", type=float, default=300)
    args = ap.parse_args()
    with open(args.spec) as f:
        spec = json.load(f)
    class Server(ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            pass  # clients that hang up (a rejected range) are part of the tests

    srv = Server(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.archive = Archive(spec, args.warc_dir)
    srv.log = open(args.log, "a") if args.log else None
    threading.Timer(args.lifetime, lambda: os._exit(0)).start()
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_port))
    os.rename(args.port_file + ".tmp", args.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    main()
