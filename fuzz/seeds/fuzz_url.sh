#!/usr/bin/env bash
# Seeds for fuzz_url: URLs exercising each normalisation rule.
set -euo pipefail
d=$1 i=0
while IFS= read -r u; do printf '%s' "$u" > "$d/seed-$i"; i=$((i + 1)); done <<'URLS'
  HTTP://User:pw@WWW.Example.COM.:0080/a/./b/../c/%7e%41%zz?&amp;amp;x=1#frag
https://bücher.de/ü path?q=<>
http://[2001:DB8::1]:443/
https://a.b:99999/
http://127.0.0.1/%2e%2E/x
https://news.bbc.co.uk/x?
mailto:a@b.c
http:///x
URLS
