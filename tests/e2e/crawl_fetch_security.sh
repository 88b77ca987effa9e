#!/usr/bin/env bash
# crawl fetch refuses private targets without --allow-private: loopback by
# name (--resolve), by IPv4 and IPv6 literal, via redirects to 127.0.0.1 and
# [::1], a name resolving to 169.254.169.254, and RFC 1918 addresses. The
# server listens on 127.0.0.2, exempted alone with --allow-addr, so the first
# hop works and only the private hop is refused.
source "$WEBTEXT_ROOT/tests/servers/fetch_common.sh"
start_server 127.0.0.2
P=$PORT
cat >"$TMP/urls.txt" <<EOF2
http://pub.test:$P/page/1
http://pub.test:$P/to-loopback
http://pub.test:$P/to-v6
http://pub.test:$P/to-meta
http://meta.test/latest/meta-data/
http://loop.test:$P/page/3
http://127.0.0.1:$P/page/4
http://[::1]:$P/page/5
http://[::ffff:127.0.0.1]:$P/page/6
http://10.1.2.3:$P/page/7
http://192.168.0.1/
http://0.0.0.0:$P/page/8
EOF2
cat >"$TMP/expect.jsonl" <<EOF2
{"url":"http://pub.test:$P/page/1","expect":"ok"}
{"url":"http://pub.test:$P/to-loopback","expect":"private_address"}
{"url":"http://pub.test:$P/to-v6","expect":"private_address"}
{"url":"http://pub.test:$P/to-meta","expect":"private_address"}
{"url":"http://meta.test/latest/meta-data/","expect":"private_address"}
{"url":"http://loop.test:$P/page/3","expect":"private_address"}
{"url":"http://127.0.0.1:$P/page/4","expect":"private_address"}
{"url":"http://[::1]:$P/page/5","expect":"private_address"}
{"url":"http://[::ffff:127.0.0.1]:$P/page/6","expect":"private_address"}
{"url":"http://10.1.2.3:$P/page/7","expect":"private_address"}
{"url":"http://192.168.0.1/","expect":"private_address"}
{"url":"http://0.0.0.0:$P/page/8","expect":"private_address"}
EOF2
base=(--resolve "pub.test:$P:127.0.0.2" --resolve "meta.test:80:169.254.169.254"
      --resolve "loop.test:$P:127.0.0.1" --delay 0 --timeout 5 --connect-timeout 2 --retries 0
      --quiet)
args=("${base[@]}" --allow-addr 127.0.0.2)
"$CRAWL" fetch "$TMP/urls.txt" -o "$TMP/out.warc.gz" "${args[@]}"
python3 "$SERVERS/warc_check.py" "$TMP/out.warc.gz" "$TMP/out.log.jsonl" "$TMP/expect.jsonl"
# the redirect hop that was refused is named in the log
grep -q '"final_url":"http://127.0.0.1:'"$P"'/page/1"' "$TMP/out.log.jsonl"
grep -q '"final_url":"http://\[::1\]:'"$P"'/page/2"' "$TMP/out.log.jsonl"

# without the exemption even the first hop is refused; with --allow-private all loopback works
"$CRAWL" fetch "$TMP/urls.txt" -o "$TMP/none.warc.gz" "${base[@]}"
[ "$(grep -c '"reason":"private_address"' "$TMP/none.log.jsonl")" -eq 12 ]
printf 'http://pub.test:%s/to-loopback\n' "$P" >"$TMP/one.txt"
"$CRAWL" fetch "$TMP/one.txt" -o "$TMP/one.warc.gz" "${args[@]}" --allow-private
# 127.0.0.1 does not listen (the server is on 127.0.0.2): allowed, so it is a connect failure now
grep -q '"reason":"connect"' "$TMP/one.log.jsonl"
echo PASS
