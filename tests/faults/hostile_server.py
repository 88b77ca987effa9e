#!/usr/bin/env python3
"""A hostile HTTP server for tests/e2e/hostile_fetch.sh (loopback only,
bounded lifetime). Paths:
  /trickle        slowloris: 200, a large Content-Length, then one byte every 0.2 s
  /trickle-head   the status line and headers one byte every 0.2 s, never ending
  /silent         reads the request, never answers
  /endless        chunked body that never ends, as fast as the socket takes it
  /endless-close  no length, body until the client hangs up
  /bomb           Content-Encoding: gzip, 64 KiB on the wire, 64 MiB inflated
  /headers        header lines without end
  /lying-length   Content-Length 100000 then 10 bytes and a close
  /redir?to=URL   302 to URL (private targets in their many spellings)
  /robots.txt     endless for host robots.test, else allows everything
Every other path: a small HTML page. usage: hostile_server.py --bind ADDR
--port-file FILE [--lifetime S]"""
import argparse, gzip, os, socket, socketserver, threading, time

PAGE = b"<html><body><p>" + b"A harmless page of plain words. " * 40 + b"</p></body></html>"
BOMB = gzip.compress(b"\0" * (64 << 20), 9)


class Handler(socketserver.BaseRequestHandler):
    def send(self, data):
        self.request.sendall(data)

    def head(self, status, extra=b"", body=None):
        h = b"HTTP/1.1 " + status + b"\r\nContent-Type: text/html\r\n" + extra
        if body is not None:
            h += b"Content-Length: %d\r\n" % len(body)
        self.send(h + b"\r\n" + (body or b""))

    def handle(self):
        self.request.settimeout(60)
        req = b""
        while b"\r\n\r\n" not in req and len(req) < 65536:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            req += chunk
        line = req.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
        path = line[1] if len(line) > 1 else "/"
        host = ""
        for h in req.split(b"\r\n")[1:]:
            if h.lower().startswith(b"host:"):
                host = h[5:].strip().decode("latin-1").split(":")[0]
        try:
            self.route(path, host)
        except (BrokenPipeError, ConnectionResetError, socket.timeout, OSError):
            pass

    def route(self, path, host):
        if path == "/robots.txt":
            if host == "robots.test":
                self.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n")
                while True:
                    self.send(b"Disallow: /" + os.urandom(8).hex().encode() + b"\n" * 1000)
                    time.sleep(0.001)  # leave the other threads the GIL
            return self.head(b"200 OK", body=b"User-agent: *\nAllow: /\n")
        if path == "/trickle":
            self.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000000\r\n\r\n")
            while True:
                self.send(b"a")
                time.sleep(0.2)
        if path == "/trickle-head":
            for b in b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + b"X-Slow: " + b"y" * 100000:
                self.send(bytes([b]))
                time.sleep(0.2)
        if path == "/silent":
            time.sleep(60)
            return
        if path == "/endless":
            self.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n")
            chunk = b"<p>" + b"x" * 65530 + b"</p>"
            while True:
                self.send(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
                time.sleep(0.001)
        if path == "/endless-close":
            self.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n")
            while True:
                self.send(b"<p>" + b"z" * 65536)
                time.sleep(0.001)
        if path == "/bomb":
            return self.head(b"200 OK", b"Content-Encoding: gzip\r\n", BOMB)
        if path == "/headers":
            self.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
            while True:
                self.send(b"X-Filler: " + b"h" * 1000 + b"\r\n")
                time.sleep(0.001)
        if path == "/lying-length":
            self.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n<p>short")
            return
        if path.startswith("/redir?to="):
            return self.head(b"302 Found", b"Location: " + path[10:].encode() + b"\r\n", b"")
        return self.head(b"200 OK", body=PAGE)


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bind", default="127.0.0.2")
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--lifetime", type=float, default=120)
    a = ap.parse_args()
    srv = Server((a.bind, 0), Handler)
    with open(a.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(a.port_file + ".tmp", a.port_file)
    threading.Timer(a.lifetime, lambda: os._exit(0)).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
