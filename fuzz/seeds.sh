#!/usr/bin/env bash
# Writes a small seed corpus for fuzz target NAME into DIR (generated here,
# never copied from data sets). Usage: fuzz/seeds.sh NAME DIR
set -euo pipefail
name=$1 dir=$2
mkdir -p "$dir"
seed() { printf '%b' "$2" > "$dir/seed-$1"; }
case $name in
fuzz_jsonl)
  seed 1 '{"url":"http://a.com/x?b=1&amp;c=2","score":"12","over_18":null,"text":"h\\u00e9\\u0000"}'
  seed 2 '{"a":[1,2.5e3,{"b":true}],"c":"\\/\\ud83d\\ude00"}'
  seed 3 '{"created_utc":1136073600.0,"is_self":false}\r'
  ;;
fuzz_stream)
  printf '{"a":1}\n{"b":2}\nnot json\n' > "$dir/seed-plain"
  printf '{"a":1}\n{"b":2}\n' | gzip -c > "$dir/seed-gz"
  printf '{"a":1}\n{"b":2}\n' | zstd -q -c > "$dir/seed-zst"
  printf '{"a":1}\n{"b":2}\n' | xz -c > "$dir/seed-xz"
  printf '{"a":1}\n{"b":2}\n' | bzip2 -c > "$dir/seed-bz2"
  ;;
*)
  # a target may ship its own generator next to it: fuzz/seeds/NAME.sh DIR
  if [ -e "$(dirname "$0")/seeds/$name.sh" ]; then bash "$(dirname "$0")/seeds/$name.sh" "$dir"
  else seed 0 'x'; fi
  ;;
esac
