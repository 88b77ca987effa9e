#!/usr/bin/env bash
# Seeds for fuzz_robots: first line a path, then a robots.txt.
set -euo pipefail
d=$1
printf 'a/b?x=1\nUser-agent: *\nDisallow: /a\nAllow: /a/b$\n\nUser-agent: webtext\nUser-agent: other\nDisallow: /*.php$\nAllow: /\n# c\nSitemap: http://x/s.xml\n' > "$d/seed-1"
printf 'private/x\r\nuser-agent:*\r\ndisallow:/private\r\ncrawl-delay: 5\r\n' > "$d/seed-2"
printf '%%E2%%82%%AC/\nUser-agent: WebText\nDisallow: /\xe2\x82\xac/\nDisallow: /%%2a*\n' > "$d/seed-3"
