#!/usr/bin/env python3
"""Bad inputs for tests/e2e/faults_garbage.sh, written into DIR: random bytes,
truncated compressed files, lying lengths (WARC Content-Length, safetensors
header size, token shard counts, gzip sizes) and malformed records, each
under the name a stage expects. Usage: garbage.py DIR GOOD_DIR (GOOD_DIR holds
good files to damage: dump.jsonl, pages.warc.gz, docs-00000.jsonl.zst,
tokens/tokens-00000.bin.zst, model/)."""
import gzip, json, os, random, struct, sys, zlib

out, good = sys.argv[1], sys.argv[2]
rng = random.Random(11)


def w(name, data):
    p = os.path.join(out, name)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p, "wb").write(data)


def rand(n):
    return bytes(rng.getrandbits(8) for _ in range(n))


def g(name):
    return open(os.path.join(good, name), "rb").read()


def zstd(data):
    import subprocess
    return subprocess.run(["zstd", "-q", "-c"], input=data, stdout=subprocess.PIPE, check=True).stdout


# ---- generic: empty, random, random with a compression magic, truncated ----
for ext in ("jsonl", "jsonl.zst", "jsonl.gz", "warc.gz", "warc", "warc.zst"):
    w("empty/x." + ext, b"")
    w("random/x." + ext, rand(3000))
w("random/x.jsonl.zst", b"\x28\xb5\x2f\xfd" + rand(2000))  # zstd magic, junk frame
w("random/x.jsonl.gz", b"\x1f\x8b\x08\x00" + rand(2000))
w("random/x.warc.gz", b"\x1f\x8b\x08\x00" + rand(2000))
dump = g("dump.jsonl")
docs = g("docs-00000.jsonl.zst")
warc = g("pages.warc.gz")
w("trunc/dump.jsonl.zst", zstd(dump)[: len(zstd(dump)) // 2])
w("trunc/dump.jsonl.gz", gzip.compress(dump)[:5000])
w("trunc/docs-00000.jsonl.zst", docs[: len(docs) // 2])
w("trunc/pages.warc.gz", warc[: len(warc) // 2 + 7])
# gzip member whose trailer lies about the size and CRC
gz = bytearray(gzip.compress(dump[:4000]))
gz[-8:] = b"\xff" * 8
w("lying/dump.jsonl.gz", bytes(gz))

# ---- JSON Lines: malformed records of every kind -----------------------
lines = [b'{"url":"http://a.com/","created_utc":1400000000,"score":5', b"[1,2,3]", b'"str"', b"null",
         b'{"url":12,"created_utc":{},"score":[],"text":7,"id":{}}',
         b'{"text":"\\ud800 lone surrogate","url":"http://\\u0000/"}', b"\xff\xfe\x00\x01 binary",
         b'{"a":' * 5000 + b"1" + b"}" * 5000, b'{"text":"' + b"x" * 300000 + b'"}',
         b'{"url":"http://a.com/","created_utc":1e999,"score":1e999}',
         b'{"url":"http://a.com/","created_utc":-9223372036854775809,"score":99999999999999999999}',
         b'{"id":"d1","text":"ok text here","url":"http://x.com/"}' + b"\x00trailing",
         b"\r", b"{}", b'{"id":"d2","text":"' + "é".encode() * 50 + b'","url":"ftp://x"}']
bad = b"\n".join(lines) + b"\n"
w("malformed/dump.jsonl", bad)
w("malformed/docs-00000.jsonl.zst", zstd(bad))
w("malformed/urls.jsonl", bad)
w("malformed/long-line.jsonl", b'{"url":"http://a.com/' + b"a" * (20 << 20) + b'"}\n')

# ---- WARC: lying lengths, cut records, junk between records ------------
rec = (b"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: http://a.com/\r\n"
       b"WARC-Date: 2019-01-01T00:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n"
       b"Content-Length: %d\r\n\r\n")
http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>" + b"word " * 200 + b"</p>"
w("lying/long.warc", rec % (len(http) * 100) + http + b"\r\n\r\n")
w("lying/short.warc", rec % 10 + http + b"\r\n\r\n" + rec % len(http) + http + b"\r\n\r\n")
w("lying/negative.warc", rec.replace(b"%d", b"-5") + http)
w("lying/huge.warc", rec.replace(b"%d", b"18446744073709551615") + http)
w("lying/junk-between.warc.gz", gzip.compress(rec % len(http) + http + b"\r\n\r\n") + rand(500) +
  gzip.compress(rec % len(http) + http + b"\r\n\r\n"))
chunked = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n"
           b"Content-Encoding: gzip\r\n\r\nffffffff\r\n" + gzip.compress(b"<p>hi</p>" * 100)[:50])
w("lying/chunked.warc", rec % len(chunked) + chunked + b"\r\n\r\n")
bomb = zlib.compress(b"\0" * (50 << 20), 9)  # 50 MiB of zeros in ~50 KiB (deflate)
bh = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: deflate\r\n\r\n" + bomb)
w("lying/bomb.warc.gz", gzip.compress(rec % len(bh) + bh + b"\r\n\r\n"))

# ---- token shards: lying header counts, bad magic, truncated -----------
tok = g("tokens/tokens-00000.bin.zst")
import subprocess
raw = subprocess.run(["zstd", "-d", "-q", "-c"], input=tok, stdout=subprocess.PIPE, check=True).stdout
hdr = list(struct.unpack("<256i", raw[:1024]))
for name, fix in (("count-big", lambda h: h.__setitem__(2, 2**31 - 1)),
                  ("count-neg", lambda h: h.__setitem__(2, -7)),
                  ("magic", lambda h: h.__setitem__(0, 1234)),
                  ("version", lambda h: h.__setitem__(1, 99))):
    h = list(hdr)
    fix(h)
    w("shards-%s/tokens-00000.bin.zst" % name, zstd(struct.pack("<256i", *h) + raw[1024:]))
w("shards-trunc/tokens-00000.bin.zst", tok[: len(tok) // 2])
w("shards-short/tokens-00000.bin.zst", zstd(raw[:1024 + 3]))
w("shards-ids/tokens-00000.bin.zst", zstd(raw[:1024] + b"\xff\xff" * ((len(raw) - 1024) // 2)))

# ---- model folders: lying safetensors, bad configs ----------------------
cfg = g("model/config.json")
st = g("model/model.safetensors")
hl = struct.unpack("<Q", st[:8])[0]
header = json.loads(st[8:8 + hl])
def model(name, c, s):
    w("model-%s/config.json" % name, c)
    w("model-%s/model.safetensors" % name, s)
model("hlen-huge", cfg, struct.pack("<Q", 2**63) + st[8:])
model("hlen-past", cfg, struct.pack("<Q", len(st)) + st[8:])
model("truncated", cfg, st[: len(st) // 2])
model("random", cfg, rand(4096))
k0 = sorted(k for k in header if k != "__metadata__")[0]
h2 = dict(header)
h2[k0] = dict(h2[k0], data_offsets=[0, 2**62])
j = json.dumps(h2).encode()
model("offsets", cfg, struct.pack("<Q", len(j)) + j + st[8 + hl:])
h3 = dict(header)
h3[k0] = dict(h3[k0], shape=[2**40, 2**40])
j = json.dumps(h3).encode()
model("shape", cfg, struct.pack("<Q", len(j)) + j + st[8 + hl:])
c = json.loads(cfg)
for name, key, val in (("cfg-layers", "n_layer", 100000), ("cfg-neg", "n_embd", -16),
                       ("cfg-heads", "n_head", 0), ("cfg-vocab", "vocab_size", 2**31 - 1),
                       ("cfg-type", "n_ctx", "big")):
    model(name, json.dumps(dict(c, **{key: val})).encode(), st)
model("cfg-junk", rand(300), st)

# ---- token id lines for decode / logprobs ------------------------------
w("ids.txt", b"464 2068 x 99999999999999999999 -1 50257 4294967296\n\n\t 1 2 3\n" + rand(200))
# ---- eval data layout with damaged files --------------------------------
w("evaldata/lambada/lambada_test_openai.jsonl", bad)
w("evaldata/cbt/cbtest_CN_test_2500ex.txt", b"1 a b c\n2 d\n21 XXXXX q\tans\t\tnot|ans\n\n" + rand(300))
w("evaldata/cbt/cbtest_NE_test_2500ex.txt", b"".join(b"%d w\n" % i for i in range(1, 21)) +
  b"21 XXXXX\tz\t\t" + b"|".join(b"c%d" % i for i in range(40)) + b"\n")
w("evaldata/wikitext-2/wiki.test.tokens", rand(2000) + b"\n = = = \n @-@ @,@ \n")
w("evaldata/ptb/ptb.test.txt", b"\xff\xfe <unk> N\n" * 20)
