#!/usr/bin/env python3
"""Small synthetic inputs for the fault tests (generated, never copied from
data sets). Usage: fixtures.py DIR writes DIR/dump.jsonl (Pushshift-like
posts), DIR/pages.warc.gz (HTML responses, one gzip member per record) and
DIR/docs.jsonl (documents as extract writes them, with near-duplicates)."""
import gzip, json, os, random, sys

WORDS = ("the of and to in is was for on that with as by it at from his an were are which this be "
         "has had one not but also first new after year city world people time two may other school "
         "government river church team music film history state war system early later found many "
         "known during since three part number called often life house national south area north").split()


def text(rng, n):
    """n words of plain English-like text in sentences."""
    out, sent = [], []
    for _ in range(n):
        sent.append(rng.choice(WORDS))
        if len(sent) >= rng.randint(8, 16):
            out.append(" ".join(sent).capitalize() + ".")
            sent = []
    if sent:
        out.append(" ".join(sent).capitalize() + ".")
    return " ".join(out)


def warc_record(typ, uri, block, i):
    hdr = ("WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-%012d>\r\n"
           "WARC-Target-URI: %s\r\nWARC-Date: 2019-01-01T00:00:00Z\r\n"
           "Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n"
           % (typ, i, uri, len(block)))
    return gzip.compress(hdr.encode() + block + b"\r\n\r\n", mtime=0)


def main():
    d = sys.argv[1]
    rng = random.Random(7)
    with open(os.path.join(d, "dump.jsonl"), "w") as f:
        for i in range(600):
            host = "site%d.example%d.com" % (i % 40, i % 7)
            post = {"id": "p%x" % (1000 + i), "subreddit": "s%d" % (i % 5),
                    "created_utc": 1300000000 + i * 1000, "score": i % 9, "is_self": i % 50 == 0,
                    "over_18": i % 97 == 0, "url": "http://%s/a/%d?x=%d" % (host, i % 300, i % 3)}
            f.write(json.dumps(post) + "\n")
        f.write('{"id":"bad","created_utc":"x"\n')
    with open(os.path.join(d, "pages.warc.gz"), "wb") as f:
        for i in range(60):
            body = ("<html lang=\"en\"><head><title>Page %d</title></head><body><nav>home about</nav>"
                    "<article><h1>Title %d</h1><p>%s</p><p>%s</p></article><footer>c</footer></body></html>"
                    % (i, i, text(rng, 120), text(rng, 60))).encode()
            http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body
            f.write(warc_record("response", "http://site%d.example.com/p/%d" % (i % 9, i), http, i))
    with open(os.path.join(d, "docs.jsonl"), "w") as f:
        base = [text(rng, 200) for _ in range(40)]
        for i in range(120):
            t = base[i % 40] if i < 80 else text(rng, 150)  # every base doc twice: duplicates
            f.write(json.dumps({"id": "d%05d" % i, "url": "http://h%d.example.com/%d" % (i % 13, i),
                                "text": t, "title": "T%d" % i}) + "\n")


if __name__ == "__main__":
    main()
