#!/usr/bin/env bash
# Seeds for fuzz_pushshift: Pushshift-like submission lines (generated here).
set -euo pipefail
d=$1
s() { printf '%s' "$2" > "$d/seed-$1"; }
s keep '{"id":"7ni3a2","subreddit":"news","created_utc":1500000000,"score":5,"is_self":false,"over_18":false,"url":"https://Example.COM:443/a/../b?x=1&amp;y=2#f","permalink":"/r/news/comments/7ni3a2/x/"}'
s self '{"id":"abc","created_utc":"1400000000","is_self":true,"url":"https://www.reddit.com/r/x/comments/abc/t/","score":null}'
s nsfw '{"id":"z","created_utc":1400000000.5,"over_18":true,"url":"http://xn--bcher-kva.de/"}'
s excluded '{"id":"q","created_utc":1400000000,"url":"http://i.imgur.com/a.jpg","score":"12"}'
s bad '{"created_utc":"soon","url":"ftp://x"}'
s nested '{"id":"q","created_utc":1400000000,"media":{"a":[1,{"b":"\u00e9"}]},"url":"http://[::1]:8080/"}'
s dup '{"url":"http://a.com/","url":"http://b.com/","created_utc":1400000000}'
