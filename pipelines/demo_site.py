#!/usr/bin/env python3
"""pipelines/demo_site.py: serves the demo's synthetic web (demo_corpus.Catalogue) on
127.0.0.1 for every fake host name at once (the Host header picks the site): article pages
wrapped in boilerplate, robots.txt, 404/500/slow/redirect pages. Offline; stdlib only."""

import argparse
import html
import os
import sys
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from demo_corpus import Catalogue, page_rng  # noqa: E402

ROBOTS = "User-agent: *\nDisallow: /private/\n"


def boilerplate_page(cat, host, title, paras, related):
    """An article page as sites write them: nav, cookie notice, share bar, body, related, footer."""
    e = html.escape
    site = host.split(".")[-2].replace("-", " ").title() if "." in host else host
    nav = "".join(f'<li><a href="/section/{s}">{s.title()}</a></li>'
                  for s in ("world", "politics", "science", "technology", "sport", "opinion"))
    rel = "".join(f'<li><a href="{e(u)}">{e(t)}</a></li>' for u, t in related)
    body = "\n".join(f"<p>{e(p)}</p>" for p in paras)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{e(title)} | {e(site)}</title>
<meta name="viewport" content="width=device-width"><link rel="stylesheet" href="/static/site.css">
<script>window.dataLayer = window.dataLayer || []; function track(e) {{ dataLayer.push(e); }}</script>
</head><body>
<div class="cookie-notice" id="cookies">We use cookies to improve your experience. By continuing
to browse you agree to our use of cookies. <a href="/privacy">Privacy policy</a>
<button onclick="track('accept')">Accept</button></div>
<header><a class="logo" href="/">{e(site)}</a><nav><ul>{nav}</ul></nav>
<form action="/search"><input name="q" placeholder="Search"></form></header>
<main><article>
<h1>{e(title)}</h1>
<div class="byline">By Staff Writer &middot; Updated 3 hours ago &middot; 4 min read</div>
<div class="share-bar">Share: <a href="#">Facebook</a> <a href="#">Twitter</a>
<a href="#">Reddit</a> <a href="#">Email</a></div>
{body}
<div class="share-bar">Share this article: <a href="#">Facebook</a> <a href="#">Twitter</a></div>
</article>
<aside class="related"><h2>Related stories</h2><ul>{rel}</ul></aside>
<div class="newsletter">Sign up for our daily newsletter. Get the best stories in your inbox.
<input placeholder="you@example.com"><button>Subscribe</button></div>
</main>
<footer><ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li>
<li><a href="/terms">Terms of use</a></li><li><a href="/privacy">Privacy</a></li></ul>
<p>&copy; 2017 {e(site)}. All rights reserved.</p></footer>
</body></html>
"""


def make_handler(cat, log):
    class Handler(BaseHTTPRequestHandler):
        server_version = "webtext-demo/1"
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):
            if log:
                log.write("%s %s\n" % (self.headers.get("Host", "-"), fmt % args))
                log.flush()

        def send(self, status, body, ctype="text/html; charset=utf-8", extra=()):
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for k, v in extra:
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def do_HEAD(self):
            self.do_GET()

        def do_GET(self):
            host = self.headers.get("Host", "").rsplit(":", 1)[0]
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            if path == "/robots.txt":
                return self.send(200, ROBOTS, "text/plain; charset=utf-8")
            spec = cat.lookup(host, path)
            if spec is None:
                return self.send(404, "<html><body><h1>Not found</h1></body></html>")
            kind = spec["kind"]
            if kind == "status":
                return self.send(spec["status"], "<html><body><h1>Error</h1></body></html>")
            if kind == "redirect":
                return self.send(301, "", extra=[("Location", spec["to"])])
            if kind == "slow":
                time.sleep(1.0)
            if kind == "near":
                title, paras = cat.near_body(spec["key"])
            elif kind in ("wiki", "slow"):
                title, paras = cat.wiki_body(spec["key"])
            else:
                title, paras = cat.article_body(spec["key"])
            first = zlib.crc32(path.encode()) % (len(cat.articles) - 5)
            related = [(cat.url(h, p), cat.gen.title(page_rng(cat.seed, k + "/title")))
                       for h, p, k in cat.articles[first:first + 5]]
            return self.send(200, boilerplate_page(cat, host, title, paras, related))

    return Handler


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--port", type=int, default=18480)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--articles", type=int, default=240)
    ap.add_argument("--ready", help="file written (with the port) once the server listens")
    ap.add_argument("--log", help="access log file")
    a = ap.parse_args()
    cat = Catalogue(seed=a.seed, articles=a.articles, port=a.port)
    log = open(a.log, "a") if a.log else None
    try:
        srv = ThreadingHTTPServer(("127.0.0.1", a.port), make_handler(cat, log))
    except OSError as err:
        sys.exit(f"demo_site: cannot listen on 127.0.0.1:{a.port}: {err} (set DEMO_PORT)")
    srv.daemon_threads = True
    if a.ready:
        with open(a.ready + ".tmp", "w") as f:
            f.write(f"{a.port}\n")
        os.replace(a.ready + ".tmp", a.ready)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
