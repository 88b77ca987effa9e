#!/usr/bin/env python3
"""A loopback file server for download tests: serves ROOT on 127.0.0.1 (an
ephemeral port, written to PORTFILE), honours "Range: bytes=N-" (206), logs
each request's path and range to LOG, and cuts the first response for any
path ending in CUT halfway (after sending the full Content-Length), so that a
client sees a partial transfer. Exits after `--seconds` (default 120).

usage: range_server.py ROOT PORTFILE LOG [--cut SUFFIX] [--seconds N]
"""
import http.server
import os
import sys
import threading


def main():
    root, portfile, log = sys.argv[1], sys.argv[2], sys.argv[3]
    args = sys.argv[4:]
    cut = args[args.index("--cut") + 1] if "--cut" in args else None
    seconds = float(args[args.index("--seconds") + 1]) if "--seconds" in args else 120.0
    state = {"cut_done": False}
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def send_file(self, head):
            path = os.path.normpath(os.path.join(root, self.path.split("?")[0].lstrip("/")))
            if not path.startswith(os.path.abspath(root)) or not os.path.isfile(path):
                self.send_error(404)
                return
            size = os.path.getsize(path)
            start = 0
            rng = self.headers.get("Range")
            if rng and rng.startswith("bytes="):
                first = rng[6:].split("-")[0]
                start = int(first) if first else 0
            with lock:
                with open(log, "a") as f:
                    f.write(f"{self.command} {self.path} {rng or '-'}\n")
            if start >= size and size > 0:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{size}")
                self.end_headers()
                return
            end = size - 1
            if rng and rng[6:].split("-")[1:] and rng[6:].split("-")[1]:
                end = min(end, int(rng[6:].split("-")[1]))
            self.send_response(206 if rng else 200)
            if rng:
                self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
            self.send_header("Content-Length", str(end - start + 1))
            self.send_header("Accept-Ranges", "bytes")
            self.end_headers()
            if head:
                return
            with open(path, "rb") as f:
                f.seek(start)
                data = f.read(end - start + 1)
            with lock:
                do_cut = cut and self.path.endswith(cut) and not state["cut_done"] and not rng
                if do_cut:
                    state["cut_done"] = True
            if do_cut:
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(2)
                return
            self.wfile.write(data)

        def do_GET(self):
            self.send_file(False)

        def do_HEAD(self):
            self.send_file(True)

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(portfile + ".tmp", portfile)
    threading.Timer(seconds, srv.shutdown).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
