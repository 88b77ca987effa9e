#!/usr/bin/env bash
# e2e: `crawl urls` on the real Pushshift samples ($WEBTEXT_DATA/pushshift-sample*).
# Each run is checked twice: against an independent Python re-implementation of
# the rules (below; stdlib only, the PSL read from Debian's publicsuffix file),
# which must give the same URL records and drop counts, and against pinned
# numbers, explained next to them. Also: the .xz and the --long=31 .zst of
# 2005-06 give the same kept set, and all inputs at once equal the union.
set -euo pipefail
. "$WEBTEXT_ROOT/tests/e2e/lib.sh"
need_data pushshift-sample/RS_v2_2005-06.xz pushshift-sample/RS_v2_2005-07.xz \
  pushshift-sample/RS_v2_2005-06.long31.zst pushshift-sample-2018/RS_2018-02-01.first200.ndjson
crawl=$WEBTEXT_BIN/crawl
S=$WEBTEXT_DATA/pushshift-sample
S18=$WEBTEXT_DATA/pushshift-sample-2018
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Reference: python3 ref.py [--before SECONDS] FILE... > records.jsonl, stats on fd 3.
cat >"$tmp/ref.py" <<'PY'
import html, json, lzma, subprocess, sys, re
from urllib.parse import urlsplit
args = sys.argv[1:]
before = 1514764800
if args[0] == "--before":
    before = int(args[1]); args = args[2:]
root = __import__("os").environ["WEBTEXT_ROOT"]
def load(path, ext):
    out = set()
    for line in open(path):
        line = line.split("#")[0].strip().lower()
        if line:
            out.add(("." + line.lstrip(".")) if ext else line.lstrip("*.").rstrip("."))
    return out
domains = load(root + "/crawl/filters/exclude-domains.txt", False)
exts = load(root + "/crawl/filters/exclude-extensions.txt", True)
rules, excepts, wild = set(), set(), set()
for line in open("/usr/share/publicsuffix/public_suffix_list.dat", encoding="utf-8"):
    if "===END ICANN DOMAINS===" in line: break
    line = line.strip()
    if not line or line.startswith("//"): continue
    line = line.encode("idna").decode() if not line.isascii() and "*" not in line else line
    if line.startswith("!"): excepts.add(line[1:])
    elif line.startswith("*."): wild.add(line[2:])
    else: rules.add(line)
def is_suffix(s):
    if s in excepts: return False
    if s in rules or "." not in s: return True
    return s.split(".", 1)[1] in wild
def regdom(host):
    if re.fullmatch(r"[0-9.]+", host) or host.startswith("["): return host
    labels = host.split(".")
    for i in range(len(labels)):
        if is_suffix(".".join(labels[i:])):
            return ".".join(labels[i - 1:]) if i > 0 else host
    return host
UNRES = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
OK = UNRES | set(b"!$&'()*+,;=:@/?")
def pct(s):
    b, out, i = s.encode("utf-8", "surrogateescape"), "", 0
    while i < len(b):
        c = b[i]
        if c == 37 and i + 2 < len(b) + 0 and re.fullmatch(rb"[0-9A-Fa-f]{2}", b[i+1:i+3]):
            v = int(b[i+1:i+3], 16)
            out += chr(v) if v in UNRES else "%%%02X" % v; i += 3
        elif c in OK: out += chr(c); i += 1
        else: out += "%%%02X" % c; i += 1
    return out
def dots(path):
    out = []
    segs = path.split("/")[1:]
    for k, s in enumerate(segs):
        last = k == len(segs) - 1
        if s == ".": 
            if last: out.append("")
        elif s == "..":
            if out: out.pop()
            if last: out.append("")
        else: out.append(s)
    return "/" + "/".join(out)
def norm(u):
    # Enough of the rules for these samples (http/https, ASCII hosts, ports,
    # &amp;, percent-encoding, dot segments, fragments); anything else -> None.
    u = u.strip()
    while "&amp;" in u: u = u.replace("&amp;", "&")
    if len(u) == 0 or len(u) > 2048: return None
    p = urlsplit(u)
    if p.scheme.lower() not in ("http", "https") or not p.hostname: return None
    host = p.hostname.lower().rstrip(".")
    if not re.fullmatch(r"[a-z0-9_.-]+", host) or ".." in host: return None
    port = p.port
    netloc = host + (":%d" % port if port and port != {"http": 80, "https": 443}[p.scheme.lower()] else "")
    path = dots(pct(p.path or "/") if (p.path or "/").startswith("/") else "/" + pct(p.path))
    q = pct(p.query)
    return p.scheme.lower() + "://" + netloc + path + ("?" + q if q else "")
def opener(f):
    if f.endswith(".xz"): return lzma.open(f, "rt", encoding="utf-8")
    if f.endswith(".zst"):
        return iter(subprocess.run(["zstd", "-dc", "--long=31", f], check=True, capture_output=True).stdout.decode().splitlines())
    return open(f, encoding="utf-8")
st = dict(records_read=0, malformed=0, self_posts=0, date_out_of_range=0, nsfw=0, bad_url=0,
          excluded_domain=0, excluded_extension=0)
urls = {}
for f in args:
    for line in opener(f):
        if not line.strip(): continue
        st["records_read"] += 1
        try: o = json.loads(line)
        except ValueError: st["malformed"] += 1; continue
        url = norm(o.get("url") or "")
        pid = o.get("id") or ""
        own = url and re.match(r"https?://([^/]*\.)?(reddit\.com|redd\.it)/", url) and \
              ("/comments/%s/" % pid in url + "/" or url.rstrip("/").endswith("redd.it/" + pid))
        if o.get("is_self") or own: st["self_posts"] += 1; continue
        if not o["created_utc"] < before: st["date_out_of_range"] += 1; continue
        if o.get("over_18"): st["nsfw"] += 1; continue
        if url is None: st["bad_url"] += 1; continue
        host = urlsplit(url).hostname
        hl = host.split(".")
        if any(".".join(hl[i:]) in domains for i in range(len(hl))): st["excluded_domain"] += 1; continue
        last = urlsplit(url).path.lower().rsplit("/", 1)[-1]
        if any(last.endswith(e) for e in exts): st["excluded_extension"] += 1; continue
        urls.setdefault(url, []).append(o)
st["duplicate_urls_merged"] = sum(len(v) - 1 for v in urls.values())
st["low_score"] = st["kept"] = 0
for url, ps in sorted(urls.items()):
    score = max(int(p.get("score") or 0) for p in ps)
    if score < 3: st["low_score"] += 1; continue
    st["kept"] += 1
    first = min(ps, key=lambda p: (int(p["created_utc"]), len(p["id"]), p["id"]))
    print(json.dumps(dict(url=url, domain=regdom(urlsplit(url).hostname), score=score, posts=len(ps),
          subreddit=first.get("subreddit"), created_utc=int(first["created_utc"]), post_id=first["id"]),
          sort_keys=True))
with open(3, "w") as fd3: json.dump(st, fd3, sort_keys=True)
PY

fields='{records_read,malformed,self_posts,date_out_of_range,nsfw,bad_url,excluded_domain,excluded_extension,duplicate_urls_merged,low_score,kept}'
# check NAME "PINNED COUNTS" "CRAWL OPTIONS" INPUT...  (--before is passed to the reference too)
check() {
  local name=$1 pinned=$2 opts=$3; shift 3
  local out=$tmp/$name before=()
  # shellcheck disable=SC2086
  "$crawl" urls -q $opts "$@" -o "$out"
  zstd -dc "$out"/urls-*.jsonl.zst | jq -cS . | sort >"$tmp/$name.got"
  [[ $opts =~ --before\ ([0-9-]+) ]] && before=(--before "$(date -u -d "${BASH_REMATCH[1]}" +%s)")
  python3 "$tmp/ref.py" "${before[@]}" "$@" 3>"$tmp/$name.refstats" | jq -cS . | sort >"$tmp/$name.want"
  if ! cmp -s "$tmp/$name.want" "$tmp/$name.got"; then
    diff "$tmp/$name.want" "$tmp/$name.got" | head -20; echo "FAIL $name: kept records differ"; exit 1
  fi
  local got ref
  got=$(jq -cS "$fields" "$out/stats.json")
  ref=$(jq -cS . "$tmp/$name.refstats")
  [[ $got == "$ref" ]] || { echo "FAIL $name: stats $got, reference $ref"; exit 1; }
  [[ $got == "$(jq -cS . <<<"$pinned")" ]] || { echo "FAIL $name: stats $got, pinned $pinned"; exit 1; }
  # every record is counted under exactly one outcome
  jq -e '.records_read == .malformed + .self_posts + .date_out_of_range + .nsfw + .bad_url
         + .excluded_domain + .excluded_extension + .duplicate_urls_merged + .low_score + .kept' \
     "$out/stats.json" >/dev/null || { echo "FAIL $name: counts do not add up"; exit 1; }
  echo "ok $name: $(wc -l <"$tmp/$name.got") URLs, $got"
}
Z='"malformed":0,"self_posts":0,"date_out_of_range":0,"nsfw":0,"bad_url":0,"excluded_domain":0'

# 2005-06: 103 link posts, no self/NSFW post, all before 2018 (SOURCE.md). 20 have
# score < 3 (SOURCE.md: 83 have score >= 3), every URL is distinct, none is on our
# lists (the OWT2 list drops video.google.com and earth.google.com; google.com is in
# OpenAI's top-1000 WebText domains, so we keep it): 83 kept.
check 2005-06-xz "{\"records_read\":103,$Z,\"excluded_extension\":0,\"duplicate_urls_merged\":0,\"low_score\":20,\"kept\":83}" "" \
  "$S/RS_v2_2005-06.xz"
# The same file as a 2 GiB-window zstd frame: identical records and counts.
check 2005-06-zst "{\"records_read\":103,$Z,\"excluded_extension\":0,\"duplicate_urls_merged\":0,\"low_score\":20,\"kept\":83}" "" \
  "$S/RS_v2_2005-06.long31.zst"
cmp "$tmp/2005-06-xz.got" "$tmp/2005-06-zst.got"

# 2005-07: 1079 posts. 5 end in a listed extension (two .jpg, three .pdf; scores
# 8, 2, 4, 1, 3). Of the 1074 left, two posts differ only by a fragment
# (caffaq.html and caffaq.html#IsItTrueEsp, scores 3 and 4): 1 merged, 1073 URLs.
# SOURCE.md: 757 posts have score >= 3; minus the 3 excluded files with score >= 3
# = 754 posts, minus the merged one = 753 URLs kept; 1073 - 753 = 320 low_score.
check 2005-07 "{\"records_read\":1079,$Z,\"excluded_extension\":5,\"duplicate_urls_merged\":1,\"low_score\":320,\"kept\":753}" "" \
  "$S/RS_v2_2005-07.xz"

# 2018-02-01 (first 200 posts): with the default cutoff every link post is out of
# range: 97 self posts (counted first), 103 date_out_of_range, nothing kept.
check 2018-default '{"records_read":200,"malformed":0,"self_posts":97,"date_out_of_range":103,"nsfw":0,"bad_url":0,"excluded_domain":0,"excluded_extension":0,"duplicate_urls_merged":0,"low_score":0,"kept":0}' "" \
  "$S18/RS_2018-02-01.first200.ndjson"
# With --before 2019-01-01: of 103 link posts, 5 are NSFW (SOURCE.md: 12 over_18, 7 of
# them self posts); 63 go to listed hosts (i.redd.it 30, youtube.com + youtu.be 10,
# imgur.com + i.imgur.com 9, reddit.com + np.reddit.com 5, v.redd.it, twitter.com 2,
# soundcloud.com 2, vimeo, giphy, gyazo, flickr 1 each; clips.twitch.tv stays: twitch
# is in OpenAI's top-1000 list); 2 end in an image extension; the 33 URLs left are
# distinct, 29 of them below score 3 (most posts were seconds old when captured): 4 kept.
check 2018-before2019 '{"records_read":200,"malformed":0,"self_posts":97,"date_out_of_range":0,"nsfw":5,"bad_url":0,"excluded_domain":63,"excluded_extension":2,"duplicate_urls_merged":0,"low_score":29,"kept":4}' \
  "--before 2019-01-01" "$S18/RS_2018-02-01.first200.ndjson"

# All at once: both 2005-06 copies (each URL merges with its twin: 103 duplicates,
# plus the 2005-07 one = 104; posts becomes 2, the first post stays the same),
# 2005-07 and 2018 (97 self, 103 after the cutoff). low_score 20 + 320, kept 83 + 753.
# 3 shards, 4 partitions and 2 threads must not change the records.
check all "{\"records_read\":1485,\"malformed\":0,\"self_posts\":97,\"date_out_of_range\":103,\"nsfw\":0,\"bad_url\":0,\"excluded_domain\":0,\"excluded_extension\":5,\"duplicate_urls_merged\":104,\"low_score\":340,\"kept\":836}" \
  "--shards 3 --partitions 4 --threads 2" \
  "$S/RS_v2_2005-06.xz" "$S/RS_v2_2005-07.xz" "$S/RS_v2_2005-06.long31.zst" "$S18/RS_2018-02-01.first200.ndjson"
[[ $(ls "$tmp/all"/urls-*.jsonl.zst | wc -l) == 3 ]]
# each domain lives in exactly one shard
for f in "$tmp/all"/urls-*.jsonl.zst; do zstd -dc "$f" | jq -r .domain | sort -u; done | sort | uniq -d >"$tmp/dupdom"
[[ ! -s $tmp/dupdom ]] || { echo "FAIL: a domain is in two shards"; exit 1; }
echo PASS
