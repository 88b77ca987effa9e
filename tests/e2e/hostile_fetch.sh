#!/usr/bin/env bash
# `crawl fetch` against a hostile server (tests/faults/hostile_server.py):
# slowloris bodies and headers, a silent server, endless bodies (chunked and
# unframed), a gzip bomb, endless headers, a lying Content-Length, an endless
# robots.txt, and redirects to private addresses in spellings the fetch
# security test does not use (decimal, hex, octal, short IPv4, localhost,
# IPv4-mapped IPv6). Each ends bounded in time and size, as a response cut at
# --max-body or a fetch-log line, and no private address is ever connected to.
# Then a full disk (ENOSPC shim) during a fetch: exit 1 naming the file, no
# final WARC; the rerun completes. (Kill and resume: crawl_fetch_resume.sh.)
# Asserted per URL: the slow ones end as "timeout" log lines, the endless ones
# as responses cut at --max-body (WARC-Truncated: length), /headers and
# /lying-length as "reset" log lines, the page behind the endless robots.txt as
# a whole response, every redirect as "private_address"; all within 60 s.
set -uo pipefail
: "${WEBTEXT_BIN:?}" "${WEBTEXT_ROOT:?}"
TMP=$(mktemp -d)
SERVER_PID=
trap '[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
python3 "$WEBTEXT_ROOT/tests/faults/hostile_server.py" --bind 127.0.0.2 --port-file "$TMP/port" --lifetime 120 &
SERVER_PID=$!
for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.1; done
P=$(cat "$TMP/port")
H=http://evil.test:$P
cat >"$TMP/urls.txt" <<EOF2
$H/page
$H/trickle
$H/trickle-head
$H/silent
$H/endless
$H/endless-close
$H/bomb
$H/headers
$H/lying-length
http://robots.test:$P/page
EOF2
# redirects to private targets: each must end refused, whatever the load
cat >"$TMP/redirs.txt" <<EOF2
$H/redir?to=http://2130706433:$P/page
$H/redir?to=http://0x7f000001:$P/page
$H/redir?to=http://0177.0.0.1:$P/page
$H/redir?to=http://127.1:$P/page
$H/redir?to=http://localhost:$P/page
$H/redir?to=http://[::ffff:7f00:1]:$P/page
$H/redir?to=http://169.254.169.254/latest/meta-data/
$H/redir?to=http://[fe80::1]:$P/page
$H/redir?to=http://100.64.0.1:$P/page
EOF2
start=$SECONDS
"$WEBTEXT_BIN/crawl" fetch "$TMP/urls.txt" -o "$TMP/out.warc.gz" --resolve "evil.test:$P:127.0.0.2" \
  --resolve "robots.test:$P:127.0.0.2" --allow-addr 127.0.0.2 --delay 0 --timeout 4 --connect-timeout 2 \
  --retries 0 --max-body 200000 --concurrency 32 --per-host 16 --quiet 2>"$TMP/err"
rc=$?
took=$((SECONDS - start))
"$WEBTEXT_BIN/crawl" fetch "$TMP/redirs.txt" -o "$TMP/redirs.warc.gz" --resolve "evil.test:$P:127.0.0.2" \
  --allow-addr 127.0.0.2 --delay 0 --timeout 30 --connect-timeout 10 --retries 0 --quiet 2>>"$TMP/err" || rc=$?
cat "$TMP/redirs.txt" >>"$TMP/urls.txt"
cat "$TMP/redirs.log.jsonl" >>"$TMP/out.log.jsonl"
fail=0
cat "$TMP/err"
grep -qE 'Sanitizer|runtime error:' "$TMP/err" && { echo "FAIL: sanitizer report"; fail=1; }
[ $rc -eq 0 ] || { echo "FAIL: crawl fetch exit $rc"; fail=1; }
[ $took -le 60 ] || { echo "FAIL: took ${took}s (bounded by --timeout 4 per request)"; fail=1; }
python3 - "$TMP/out.warc.gz" "$TMP/out.log.jsonl" "$TMP/urls.txt" <<'PY' || fail=1
import gzip, json, os, sys, zlib
warc, log, urls = sys.argv[1:]
data = open(warc, "rb").read()
assert len(data) < 8 << 20, "WARC is %d bytes" % len(data)
responses = {}
off = 0
while off < len(data):
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    raw = d.decompress(data[off:], 64 << 20)
    off = len(data) - len(d.unused_data)
    head, _, block = raw.partition(b"\r\n\r\n")
    f = dict(l.decode().split(": ", 1) for l in head.split(b"\r\n")[1:] if b": " in l)
    if f.get("WARC-Type") == "response":
        responses[f["WARC-Target-URI"]] = (len(block), f.get("WARC-Truncated", ""))
logged = {}
for line in open(log):
    o = json.loads(line)
    logged[o["url"]] = o
fail = False
for u in open(urls).read().split():
    r, l = responses.get(u), logged.get(u)
    what = "response %d bytes%s" % (r[0], " truncated=" + r[1] if r[1] else "") if r else \
        "log %s%s" % (l.get("reason"), " -> " + l["final_url"] if l.get("final_url") else "") if l else "MISSING"
    print("%-60s %s" % (u[u.index("/", 8):][:60], what))
    path = u.split("/", 3)[3]
    if what == "MISSING":
        fail = True
    elif r and r[0] > 200000 + 4096:
        print("  FAIL: body beyond --max-body"); fail = True
    elif "redir?to=" in u and (r or l.get("reason") != "private_address"):
        print("  FAIL: a private target was not refused"); fail = True
    elif any(x in u for x in ("to=http://2130706433:", "to=http://0x7f000001:", "to=http://0177.0.0.1:",
                              "to=http://127.1:")) and \
            l.get("final_url") != "http://127.0.0.1:%s/page" % u.rsplit(":", 1)[1].split("/")[0]:
        # other spellings of 127.0.0.1 are normalised before the address check
        print("  FAIL: final_url is not http://127.0.0.1:PORT/page"); fail = True
    elif path in ("trickle", "trickle-head", "silent") and not (l and l.get("reason") in ("timeout",)) \
            and not (r and r[1]):
        print("  FAIL: a slow server not cut by the timeout"); fail = True
    elif path in ("endless", "endless-close", "bomb") and not (r and r[1] == "length") \
            and not (l and l.get("reason") == "timeout"):
        # cut at --max-body, or by --timeout on a slow (sanitizer) build
        print("  FAIL: an endless body not cut"); fail = True
    elif path in ("headers", "lying-length") and not (l and not r and l.get("reason") == "reset"):
        # endless header lines; a body shorter than its Content-Length, then a close
        print("  FAIL: expected a log line with reason \"reset\" and no response"); fail = True
    elif u.startswith("http://robots.test:") and not (r and not r[1] and r[0] > 0):
        # the endless robots.txt is read up to a bound, then the page itself is fetched
        print("  FAIL: the page behind an endless robots.txt was not fetched"); fail = True
sys.exit(1 if fail else 0)
PY
echo "fetch took ${took}s"

source "$WEBTEXT_ROOT/tests/faults/lib.sh"
for i in $(seq 30); do echo "$H/page/$i"; done >"$TMP/pages.txt"
fargs=(--resolve "evil.test:$P:127.0.0.2" --allow-addr 127.0.0.2 --delay 0 --timeout 4 --retries 0 --quiet)
for budget in 0 5000; do
  out=$TMP/full-$budget.warc.gz
  fault_enospc "$budget" "$WEBTEXT_BIN/crawl" fetch "$TMP/pages.txt" -o "$out" "${fargs[@]}" 2>"$TMP/err"
  rc=$?
  grep -qE 'Sanitizer|runtime error:' "$TMP/err" && { echo "FAIL: sanitizer report"; fail=1; }
  if [ $rc -ne 1 ] || ! grep -q "No space" "$TMP/err" || [ -e "$out" ]; then
    echo "FAIL: ENOSPC after $budget bytes: exit $rc, final WARC $([ -e "$out" ] && echo exists || echo absent)"
    cat "$TMP/err"
    fail=1
  fi
  echo "ENOSPC after $budget bytes: $(head -n 1 "$TMP/err")"
  "$WEBTEXT_BIN/crawl" fetch "$TMP/pages.txt" -o "$out" "${fargs[@]}" || { echo "FAIL: rerun"; fail=1; }
  n=$(zcat "$out" | grep -ac '^WARC-Type: response')
  [ "$n" -eq 30 ] || { echo "FAIL: rerun after ENOSPC has $n responses, expected 30"; fail=1; }
done
[ $fail -eq 0 ] && echo PASS
exit $fail
