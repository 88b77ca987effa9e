#!/usr/bin/env bash
# crawl fetch over HTTPS: a self-signed CA made for the test (openssl), the
# loopback server speaking TLS; with --cacert pages are stored exactly
# (gzip content-encoding included), without it the failure is logged as tls.
source "$WEBTEXT_ROOT/tests/servers/fetch_common.sh"
. "$WEBTEXT_ROOT/tests/e2e/lib.sh"
need_cmd openssl openssl
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=tls.test \
    -addext subjectAltName=DNS:tls.test -keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null
start_server 127.0.0.1 --tls "$TMP/cert.pem" "$TMP/key.pem"
U="https://tls.test:$PORT"
printf '%s\n' "$U/page/1" "$U/gzip/2" "$U/redirect/2/3" "$U/status/404" >"$TMP/urls.txt"
cat >"$TMP/expect.jsonl" <<EOF2
{"url":"$U/page/1","expect":"ok"}
{"url":"$U/gzip/2","expect":"ok","headers":{"X-Crawler-Content-Encoding":"gzip"}}
{"url":"$U/redirect/2/3","expect":"ok","final":"/page/3"}
{"url":"$U/status/404","expect":"http_4xx","status":404}
EOF2
args=(--allow-private --resolve "tls.test:$PORT:127.0.0.1" --delay 0 --retries 0 --timeout 10 --quiet)
"$CRAWL" fetch "$TMP/urls.txt" -o "$TMP/ok.warc.gz" --cacert "$TMP/cert.pem" "${args[@]}"
python3 "$SERVERS/warc_check.py" "$TMP/ok.warc.gz" "$TMP/ok.log.jsonl" "$TMP/expect.jsonl"
# untrusted certificate: robots.txt fails with TLS, so every URL of the host is logged tls
"$CRAWL" fetch "$TMP/urls.txt" -o "$TMP/bad.warc.gz" "${args[@]}"
[ "$(grep -c '"reason":"tls"' "$TMP/bad.log.jsonl")" -eq 4 ]
echo PASS
