#!/usr/bin/env python3
"""Loopback web server for the `crawl fetch` tests: thousands of generated
pages and every misbehaviour a crawler meets (slow answers, resets, 4xx/5xx,
429 with Retry-After, redirect chains and loops, oversized bodies, non-text
types, gzip content-encoding, chunked transfer, Latin-1 pages, robots.txt per
host name). The page bytes come from page_body(), which the checker imports.

usage: fetch_server.py [--bind ADDR] [--port-file FILE] [--lifetime SECONDS] [--tls CERT KEY]
"""
import argparse
import gzip
import http.server
import os
import socket
import ssl
import struct
import sys
import threading
import time

BIG_BYTES = 300_000  # /big/N body length (tests pass a smaller --max-body)


def page_body(host, path):
    """The exact bytes served for a page path on a host (host without port)."""
    n = path.rstrip("/").rsplit("/", 1)[-1]
    filler = "".join(f"word{(int(n) * 7 + i) % 97} " for i in range(int(n) % 50)) if n.isdigit() else ""
    return (f"<!DOCTYPE html><html><head><title>{host} {path}</title></head>"
            f"<body><h1>{host}</h1><p>This is {path}. {filler}</p></body></html>\n").encode()


def latin1_body(path):
    return ("<html><head><meta charset=\"iso-8859-1\"></head><body><p>Caf\u00e9 "
            f"cr\u00e8me br\u00fbl\u00e9e {path}</p></body></html>").encode("latin-1")


def big_body(path):
    line = f"<p>{path} " + "x" * 90 + "</p>\n"
    data = (line * (BIG_BYTES // len(line) + 1)).encode()[:BIG_BYTES]
    return data


ROBOTS = {
    # host -> (status, body)
    "robots500.test": (500, b"oops"),
    "robots404.test": (404, b"not here"),
}
DEFAULT_ROBOTS = b"User-agent: *\nDisallow: /private/\n\nUser-agent: otherbot\nDisallow: /\n"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fetchtest/1"
    flaky_seen = set()
    flaky_lock = threading.Lock()

    def log_message(self, *args):
        pass

    def host(self):
        return (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]")

    def send(self, status, body, ctype="text/html; charset=utf-8", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        host, path = self.host(), self.path.split("?", 1)[0]
        parts = path.strip("/").split("/")
        kind = parts[0]
        port = self.server.server_address[1]
        if path == "/robots.txt":
            status, body = ROBOTS.get(host, (200, DEFAULT_ROBOTS))
            return self.send(status, body, "text/plain")
        if kind in ("page", "private"):
            return self.send(200, page_body(host, path))
        if kind == "status":
            code = int(parts[1])
            extra = [("Retry-After", "1")] if code in (429, 503) else []
            return self.send(code, b"status page\n", extra=extra)
        if kind == "flaky":  # 503 the first time, the page after
            with self.flaky_lock:
                first = (host, path) not in self.flaky_seen
                self.flaky_seen.add((host, path))
            if first:
                return self.send(503, b"try again\n", extra=[("Retry-After", "0")])
            return self.send(200, page_body(host, path))
        if kind == "slow":
            time.sleep(5)
            return self.send(200, page_body(host, path))
        if kind == "reset":  # headers promise a body, then the connection is reset
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"<html>partial")
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        if kind == "redirect":  # /redirect/K/N: K more hops, then /page/N
            k, n = int(parts[1]), parts[2]
            target = f"/redirect/{k - 1}/{n}" if k > 1 else f"/page/{n}"
            return self.send(302, b"moved\n", extra=[("Location", target)])
        if kind == "loop":
            other = "/loop/" + ("b" if parts[1] == "a" else "a")
            return self.send(301, b"moved\n", extra=[("Location", other)])
        if kind == "to-loopback":
            return self.send(302, b"", extra=[("Location", f"http://127.0.0.1:{port}/page/1")])
        if kind == "to-v6":
            return self.send(302, b"", extra=[("Location", f"http://[::1]:{port}/page/2")])
        if kind == "to-meta":
            return self.send(302, b"", extra=[("Location", "http://169.254.169.254/latest/")])
        if kind == "big":
            return self.send(200, big_body(path))
        if kind == "image":
            return self.send(200, b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png")
        if kind == "plain":
            return self.send(200, page_body(host, path), "text/plain")
        if kind == "gzip":
            return self.send(200, gzip.compress(page_body(host, path)),
                             extra=[("Content-Encoding", "gzip")])
        if kind == "latin1":
            return self.send(200, latin1_body(path), "text/html; charset=iso-8859-1")
        if kind == "chunked":
            body = page_body(host, path)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(0, len(body), 100):
                chunk = body[i:i + 100]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
            return
        return self.send(404, b"no such page\n")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def handle_error(self, request, client_address):
        pass  # clients killed mid-transfer are part of the tests


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bind", default="127.0.0.1")
    ap.add_argument("--port-file")
    ap.add_argument("--lifetime", type=float, default=600)
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"), help="serve HTTPS")
    a = ap.parse_args()
    srv = Server((a.bind, 0), Handler)
    if a.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.tls[0], a.tls[1])
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    port = srv.server_address[1]
    if a.port_file:
        with open(a.port_file + ".part", "w") as f:
            f.write(f"{port}\n")
        os.rename(a.port_file + ".part", a.port_file)
    # never outlive a test that forgot us
    threading.Timer(a.lifetime, lambda: os._exit(0)).start()
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    sys.exit(0)


if __name__ == "__main__":
    main()
