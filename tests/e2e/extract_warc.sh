#!/usr/bin/env bash
# End-to-end test of `extract` on a WARC written here (gzip per record): good
# pages in several encodings, every kind of bad input (non-HTTP payload, 404,
# image, binary bytes labelled HTML, wrong Content-Length, broken charset,
# 100,000 levels of nesting, a 50 MB page, a corrupt and a truncated gzip
# member), the Reddit metadata records, filters, --keep-all, output naming,
# skip-if-exists, --force and --strict.
set -euo pipefail
BIN=${WEBTEXT_BIN:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

python3 - "$T" <<'EOF'
import gzip, json, sys, zlib, os
out = sys.argv[1]
para = ("The council met on Tuesday evening to discuss the new budget, and the members "
        "agreed that the library should stay open for longer hours during the winter. "
        "It was a long meeting, but most of the people who came said they were happy "
        "with the result and would support the plan when it goes to a vote next month. ")
article = "<html><head><title>Council news</title></head><body><nav><a href=/>Home</a></nav>" \
          "<article>" + "".join("<p>%s</p>" % para for _ in range(4)) + "</article>" \
          "<footer>Copyright Example</footer></body></html>"
french = "<html><body><article>" + "<p>%s</p>" % (
    "Le conseil municipal s'est réuni mardi soir pour discuter du nouveau budget, et les "
    "membres ont convenu que la bibliothèque devait rester ouverte plus longtemps pendant "
    "l'hiver. La réunion a été longue, mais la plupart des personnes présentes ont dit "
    "qu'elles étaient satisfaites du résultat et qu'elles soutiendraient le projet. ") * 4 + \
    "</article></body></html>"
n = 0
def rid():
    global n
    n += 1
    return "<urn:uuid:00000000-0000-4000-8000-%012d>" % n

def record(typ, uri, block, extra=None, declared=None):
    head = "WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: %s\r\nWARC-Date: 2019-05-01T10:00:00Z\r\n" % (typ, extra.pop("id") if extra and "id" in extra else rid())
    if uri: head += "WARC-Target-URI: %s\r\n" % uri
    for k, v in (extra or {}).items(): head += "%s: %s\r\n" % (k, v)
    head += "Content-Length: %d\r\n\r\n" % (len(block) if declared is None else declared)
    return head.encode() + block + b"\r\n\r\n"

def http(body, ctype="text/html; charset=utf-8", status="200 OK", headers=""):
    if isinstance(body, str): body = body.encode()
    h = "HTTP/1.1 %s\r\nContent-Type: %s\r\n%sContent-Length: %d\r\n\r\n" % (status, ctype, headers, len(body))
    return h.encode() + body

def chunked_gzip(body):
    z = gzip.compress(body.encode())
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(z[i:i+100]), z[i:i+100]) for i in range(0, len(z), 100))
    return (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n" + chunks + b"0\r\n\r\n")

pages = []  # (url, response block, metadata or None)
pages.append(("http://WWW.Example.COM:80/news/council?b=2#top", http(article),
              {"url": "http://WWW.Example.COM:80/news/council?b=2#top", "domain": "example.com",
               "score": 7, "subreddit": "news", "created_utc": 1500000000, "posts": 2}))
pages.append(("http://example.fr/conseil", http(french), None))
pages.append(("http://example.com/short", http("<html><body><p>Too short to keep.</p></body></html>"), None))
pages.append(("http://example.com/missing", http(article, status="404 Not Found"), None))
pages.append(("http://example.com/logo.png", http(b"\x89PNG\r\n\x1a\n" + os.urandom(2000), ctype="image/png"), None))
pages.append(("http://example.com/binary", http(bytes(range(256)) * 40), None))
pages.append(("http://example.com/not-http", b"this block is not an HTTP response at all", None))
latin1 = article.replace("library", "caf\xe9 library").encode("latin-1")
pages.append(("http://example.com/latin1", http(latin1, ctype="text/html"), None))
pages.append(("http://example.com/chunked", chunked_gzip(article), None))
wrong_len = http(article).replace(b"Content-Length: %d" % len(article.encode()), b"Content-Length: 99999")
pages.append(("http://example.com/wrong-length", wrong_len, None))
deep = "<html><body><p>Shallow.</p>" + "<div>" * 100000 + "deep" + "</div>" * 100000 + "</body></html>"
pages.append(("http://example.com/deep", http(deep), None))
big = "<html><body><article>" + "<p>%s</p>" % para * (50 * 1024 * 1024 // (len(para) + 7)) + "</article></body></html>"
pages.append(("http://example.com/big", http(big), None))
bad_utf8 = article.replace("library", "li\xffbr\xc3ary").encode("latin-1")
pages.append(("http://example.com/bad-utf8", http(bad_utf8), None))

def write(path, damage):
    offsets = {}
    with open(path, "wb") as f:
        f.write(gzip.compress(record("warcinfo", None, b"software: test\r\n")))
        for i, (url, block, meta) in enumerate(pages):
            if damage and i == 3:  # a corrupt member in the middle
                f.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"not deflate data" * 8)
            r = rid()
            offsets[url] = f.tell()
            f.write(gzip.compress(record("response", url, block, {"id": r})))
            if meta is not None:
                f.write(gzip.compress(record("metadata", url, json.dumps(meta).encode(),
                                             {"WARC-Refers-To": r, "Content-Type": "application/json"})))
        if damage:  # a truncated last member
            f.write(gzip.compress(record("response", "http://example.com/lost", http(article)))[:60])
    return offsets

offs = write(os.path.join(out, "crawl-00003.warc.gz"), True)
write(os.path.join(out, "crawl-00007.warc.gz"), False)
json.dump(offs, open(os.path.join(out, "offsets.json"), "w"))
EOF

W=$T/crawl-00003.warc.gz
timeout 300 "$BIN/extract" "$W" -o "$T/docs.jsonl.zst" --stats "$T/stats.json" --threads 2 --quiet
zstd -dcq "$T/docs.jsonl.zst" > "$T/docs.jsonl"

python3 - "$T" <<'EOF'
import json, sys, gzip, zlib
T = sys.argv[1]
docs = [json.loads(l) for l in open(T + "/docs.jsonl")]
st = json.load(open(T + "/stats.json"))
by = {d["url"]: d for d in docs}
print("docs:", sorted(by), file=sys.stderr)
print("stats:", json.dumps(st), file=sys.stderr)
kept = {"http://WWW.Example.COM:80/news/council?b=2#top", "http://example.com/latin1",
        "http://example.com/chunked", "http://example.com/wrong-length", "http://example.com/big",
        "http://example.com/bad-utf8"}
assert set(by) == kept, set(by) ^ kept
d = by["http://WWW.Example.COM:80/news/council?b=2#top"]
assert len(d["id"]) == 16 and all(c in "0123456789abcdef" for c in d["id"])
assert d["score"] == 7 and d["subreddit"] == "news" and d["created_utc"] == 1500000000, d
assert d["domain"] == "example.com" and d["lang"] == "en" and d["title"] == "Council news"
assert d["fetched_at"] == "2019-05-01T10:00:00Z" and d["warc_file"] == "crawl-00003.warc.gz"
assert "Home" not in d["text"] and "Copyright" not in d["text"]
assert d["text"].count("The council met") == 4 and "\n\n" in d["text"]
assert "café library" in by["http://example.com/latin1"]["text"]
assert "\ufffd" in by["http://example.com/bad-utf8"]["text"]
assert by["http://example.com/chunked"]["text"] == d["text"]
assert len(by["http://example.com/big"]["text"].encode()) <= 100000
# warc_offset: the gzip member there is the record
offs = json.load(open(T + "/offsets.json"))
raw = open(T + "/crawl-00003.warc.gz", "rb").read()
for u, doc in by.items():
    assert doc["warc_offset"] == offs[u], (u, doc["warc_offset"], offs[u])
    rec = zlib.decompressobj(31).decompress(raw[doc["warc_offset"]:])
    assert rec.startswith(b"WARC/1.1") and ("WARC-Target-URI: " + u).encode() in rec
dr = st["dropped"]
assert dr["language"] == 1 and dr["min_words"] >= 2 and dr["http_status"] == 1
assert dr["not_html"] == 1 and dr["binary"] == 1 and dr["not_http"] == 1, dr
assert st["warc_damage"] == 2 and st["http"]["length_mismatch"] >= 1, st
assert st["depth_cut"] == 1 and st["html_cut"] == 1 and st["text_cut"] >= 1, st
assert st["charset_replaced"] >= 2 and st["docs"] == len(docs)
EOF

# --keep-all: one document per response record that survived the damage
"$BIN/extract" "$W" -o "$T/all.jsonl.zst" --keep-all --quiet
zstd -dcq "$T/all.jsonl.zst" > "$T/all.jsonl"
n=$(wc -l < "$T/all.jsonl")
[ "$n" -eq 13 ] || { echo "keep-all gave $n documents, want 13"; exit 1; }
grep -q '"filtered":"language"' "$T/all.jsonl"

# rerun skips, --force redoes
before=$(stat -c %Y "$T/docs.jsonl.zst")
sleep 1
"$BIN/extract" "$W" -o "$T/docs.jsonl.zst" 2>"$T/err"
grep -q "exists, skipped" "$T/err"
[ "$(stat -c %Y "$T/docs.jsonl.zst")" = "$before" ]
"$BIN/extract" "$W" -o "$T/docs.jsonl.zst" --force --quiet
[ "$(stat -c %Y "$T/docs.jsonl.zst")" != "$before" ]

# a folder output: shard i -> docs-i
"$BIN/extract" "$T/crawl-00003.warc.gz" "$T/crawl-00007.warc.gz" -o "$T/out" --quiet
[ -s "$T/out/docs-00003.jsonl.zst" ] && [ -s "$T/out/docs-00007.jsonl.zst" ]
[ "$(zstd -dcq "$T/out/docs-00007.jsonl.zst" | wc -l)" -eq 6 ]   # the same pages without the damage
ls "$T/out" | grep -q tmp && { echo "temporary file left"; exit 1; }

# the same records as plain .warc and as .warc.zst (one frame) give the same documents
zcat "$T/crawl-00007.warc.gz" > "$T/plain.warc"
zstd -q "$T/plain.warc" -o "$T/z.warc.zst"
"$BIN/extract" "$T/plain.warc" -o "$T/plain.jsonl" --quiet
"$BIN/extract" "$T/z.warc.zst" -o "$T/z.jsonl" --quiet
zstd -dcq "$T/out/docs-00007.jsonl.zst" > "$T/gz.jsonl"
python3 - "$T" <<'EOF2'
import json, sys
T = sys.argv[1]
load = lambda f: [json.loads(l) for l in open(T + "/" + f)]
a, b, c = load("gz.jsonl"), load("plain.jsonl"), load("z.jsonl")
strip = lambda ds: [{k: v for k, v in d.items() if k not in ("warc_offset", "warc_file")} for d in ds]
assert strip(a) == strip(b) == strip(c) and len(a) == 6
# offsets in a plain file are byte offsets of the records
raw = open(T + "/plain.warc", "rb").read()
for d in b:
    assert raw[d["warc_offset"]:].startswith(b"WARC/1.1"), d["warc_offset"]
EOF2

# --strict: the first damaged spot is fatal, and no output is left behind
set +e
"$BIN/extract" "$W" -o "$T/strict.jsonl.zst" --strict --quiet 2>"$T/err"
rc=$?
set -e
[ $rc -eq 1 ] || { echo "--strict exit $rc"; exit 1; }
grep -q "corrupt gzip member" "$T/err"
[ ! -e "$T/strict.jsonl.zst" ] && [ ! -e "$T/strict.jsonl.zst.tmp" ]

# usage errors exit 2
set +e
"$BIN/extract" "$W" 2>/dev/null; [ $? -eq 2 ] || exit 1
"$BIN/extract" warc --min-words x "$W" -o "$T/x.jsonl" 2>/dev/null; [ $? -eq 2 ] || exit 1
set -e
"$BIN/extract" --help | grep -q warc
echo "extract_warc: ok"
