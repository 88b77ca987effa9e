"""Generated fixtures for the archive tests: the imitation archives' spec
(archive_server.py), the URL file `crawl fetch` reads, and what each URL must
end as. Deterministic for a seed; page texts are made-up English sentences.

usage: archive_fixtures.py DIR N_FILLER [SEED]
writes DIR/spec.json, DIR/urls-00000.jsonl, DIR/expect.jsonl"""
import calendar
import json
import random
import sys
import time

WORDS = ("the council library budget winter members meeting people river garden morning "
         "history school market village station bridge letter summer report season city "
         "family teacher doctor island mountain harbour festival museum kitchen painting").split()
VERBS = "said agreed opened visited wrote found walked reported planned finished".split()


def text(rng, n=6):
    sents = []
    for _ in range(n):
        w = [rng.choice(WORDS) for _ in range(rng.randint(6, 12))]
        sents.append(f"The {w[0]} {rng.choice(VERBS)} that the {w[1]} and the {w[2]} "
                     f"{rng.choice(VERBS)} {' '.join(w[3:])} before the end of the day.")
    return " ".join(sents)


def page(rng, title):
    paras = "".join(f"<p>{text(rng)}</p>" for _ in range(4))
    return f"<html><head><title>{title}</title></head><body><article>{paras}</article></body></html>"


def ts(t):
    return time.strftime("%Y%m%d%H%M%S", time.gmtime(t))


DAY = 86400
CRAWLS = [("CC-MAIN-2017-04", "2017-01-16T00:00:00", "2017-01-24T00:00:00"),
          ("CC-MAIN-2017-22", "2017-05-22T00:00:00", "2017-05-30T00:00:00"),
          ("CC-MAIN-2017-39", "2017-09-19T00:00:00", "2017-09-26T00:00:00"),
          ("CC-MAIN-2017-43", "2017-10-16T00:00:00", "2017-10-24T00:00:00"),
          ("CC-MAIN-2017-47", "2017-11-17T00:00:00", "2017-11-25T00:00:00"),
          ("CC-MAIN-2017-51", "2017-12-11T00:00:00", "2017-12-19T00:00:00")]
T0 = 1508500000  # 2017-10-20: a post date inside CC-MAIN-2017-43


def build(n_filler, seed=1):
    rng = random.Random(seed)
    cc, wb, urls, expect = [], [], [], []

    def cap(lst, crawl, url, t, status=200, mime="text/html", body=None, **kw):
        c = {"url": url, "ts": ts(t), "status": status, "mime": mime,
             "body": body if body is not None else page(rng, url)}
        if crawl:
            c["crawl"] = crawl
        c.update(kw)
        lst.append(c)
        return c

    def post(url, created, **exp):
        urls.append({"url": url, "domain": "x", "score": 5, "posts": 1, "subreddit": "s",
                     "created_utc": created, "post_id": f"p{len(urls)}"})
        exp["url"] = url
        expect.append(exp)

    h = "http://news.example.org"
    # 1. nearest 200 text capture wins over a nearer 404 and an older 200
    u = f"{h}/story/nearest"
    cap(cc, "CC-MAIN-2017-43", u, T0 - 150 * DAY)
    cap(cc, "CC-MAIN-2017-43", u, T0 + 60, status=404, body="gone")
    good = cap(cc, "CC-MAIN-2017-43", u, T0 + 3 * DAY)
    cap(cc, "CC-MAIN-2017-43", u, T0 + 9 * DAY)
    cap(cc, "CC-MAIN-2017-43", u, T0 - 2 * DAY, mime="image/jpeg", body="jpeg")
    post(u, T0, expect="cc", ts=good["ts"], target=u)
    # ... and only the crawls nearest the post are asked: a nearer capture in a far crawl is unseen
    u = f"{h}/story/crawls"
    cap(cc, "CC-MAIN-2017-04", u, T0 - 1 * DAY)  # (dated near the post, but in a far crawl)
    good = cap(cc, "CC-MAIN-2017-47", u, T0 + 30 * DAY)
    post(u, T0, expect="cc", ts=good["ts"], target=u)
    # 2. a redirect capture (relative Location) followed inside the archive
    u, v = f"{h}/old/path", f"{h}/new/path"
    cap(cc, "CC-MAIN-2017-43", u, T0 + DAY, status=301, body="", location="/new/path")
    good = cap(cc, "CC-MAIN-2017-43", v, T0 + 2 * DAY)
    post(u, T0, expect="cc", ts=good["ts"], target=v)
    # 3. a redirect loop: too many hops in cc; wayback has nothing
    a, b = f"{h}/loop/a", f"{h}/loop/b"
    cap(cc, "CC-MAIN-2017-43", a, T0 + DAY, status=302, body="", location=b, cdx_redirect=True)
    cap(cc, "CC-MAIN-2017-43", b, T0 + DAY, status=302, body="", location=a)
    post(a, T0, expect="not_archived", trail="cc: too_many_redirects")
    # 4. nothing usable anywhere: logged with what was found
    u = f"{h}/story/missing"
    cap(cc, "CC-MAIN-2017-43", u, T0 + DAY, status=404, body="gone")
    cap(cc, "CC-MAIN-2017-43", u, T0 + 2 * DAY, mime="image/png", body="png")
    post(u, T0, expect="not_archived", trail="cc: not_archived (2 captures: 404 text/html x1, 200 image/png x1")
    # 5. bad ranges: rejected, never archived (wayback has nothing either)
    whys = {"short": "short answer", "extra": "bytes after the first gzip member",
            "wrong_target": "WARC-Target-URI is http://news.example.org/neighbour",
            "not206": "not 206"}
    for fault in ("short", "extra", "wrong_target", "not206"):
        u = f"{h}/fault/{fault}"
        cap(cc, "CC-MAIN-2017-43", u, T0 + DAY, fault=fault)
        post(u, T0, expect="not_archived", trail="cc: bad_range", why=whys[fault])
    # 6. 503 SlowDown from the data server, 429 from the index: retried
    u = f"{h}/fault/slowdown"
    good = cap(cc, "CC-MAIN-2017-43", u, T0 + DAY, fault="slowdown")
    post(u, T0, expect="cc", ts=good["ts"], target=u)
    u = f"{h}/fault/index429"
    good = cap(cc, "CC-MAIN-2017-43", u, T0 + DAY, fault="index429")
    post(u, T0, expect="cc", ts=good["ts"], target=u)
    # the wrong target URI fixture points at this record
    cap(cc, "CC-MAIN-2017-43", f"{h}/neighbour", T0, neighbour=True)
    # 7. only in the Wayback Machine: nearest 200, original headers restored
    w = "http://blog.example.net"
    u = f"{w}/post/only-wayback"
    cap(wb, None, u, T0 - 20 * DAY)
    good = cap(wb, None, u, T0 + 5 * DAY)
    cap(wb, None, u, T0 + 1000, status=404, body="gone")
    post(u, T0, expect="wayback", ts=good["ts"], target=u, trail="cc: not_archived (0 captures")
    # 8. a Wayback redirect capture followed
    u, v = f"{w}/post/moved", f"{w}/post/moved-here"
    cap(wb, None, u, T0 + DAY, status=301, body="", location=v)
    good = cap(wb, None, v, T0 + DAY + 30)
    post(u, T0, expect="wayback", ts=good["ts"], target=v)
    # 9. 429 from the Wayback CDX API (Retry-After), 503 from a capture (backoff): retried
    u = f"{w}/post/busy"
    good = cap(wb, None, u, T0 + DAY, fault="cdx429")
    post(u, T0, expect="wayback", ts=good["ts"], target=u)
    u = f"{w}/post/flaky"
    good = cap(wb, None, u, T0 + DAY, fault="raw503")
    post(u, T0, expect="wayback", ts=good["ts"], target=u)
    # 10. the raw capture is served from another moment (Wayback's redirect to the nearest)
    u = f"{w}/post/elsewhen"
    body = page(rng, u)
    cap(wb, None, u, T0 + DAY, serve_from=ts(T0 + DAY + 7), body=body)
    good = cap(wb, None, u, T0 + DAY + 7, hidden=True, body=body)
    post(u, T0, expect="wayback", ts=good["ts"], target=u)
    # 11. a capture outside the from/to window is not asked for
    u = f"{w}/post/too-late"
    cap(wb, None, u, T0 + 800 * DAY)
    post(u, T0, expect="not_archived")
    # fillers: half from cc, half from wayback
    for i in range(n_filler):
        t = T0 + rng.randint(-40, 40) * DAY
        if i % 2 == 0:
            u = f"http://site{i % 7}.example.com/a/{i}?q={i}"
            near = min(CRAWLS, key=lambda c: abs(calendar.timegm(time.strptime(c[1], "%Y-%m-%dT%H:%M:%S")) - t))
            good = cap(cc, near[0], u, t + DAY)
            post(u, t, expect="cc", ts=good["ts"], target=u)
        else:
            u = f"http://web{i % 5}.example.com/b/{i}"
            good = cap(wb, None, u, t + 3600)
            post(u, t, expect="wayback", ts=good["ts"], target=u)
    spec = {"crawls": [{"id": c[0], "from": c[1], "to": c[2]} for c in CRAWLS], "cc": cc,
            "wayback": wb}
    return spec, urls, expect


def main():
    out, n = sys.argv[1], int(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    spec, urls, expect = build(n, seed)
    with open(f"{out}/spec.json", "w") as f:
        json.dump(spec, f)
    with open(f"{out}/urls-00000.jsonl", "w") as f:
        for u in urls:
            f.write(json.dumps(u) + "\n")
    with open(f"{out}/expect.jsonl", "w") as f:
        for e in expect:
            f.write(json.dumps(e) + "\n")


if __name__ == "__main__":
    main()
