#!/usr/bin/env bash
# Seeds for fuzz_bpe: text with contractions, digits, spaces, non-Latin
# scripts, emoji, a special token and invalid UTF-8.
set -euo pipefail
d=$1
printf "Hello world! It's 2019, isn't it?  \n\n\tTabs   and   spaces" > "$d/seed-en"
printf 'Ünïcödé 日本語のテキスト Привет мир 🙂👍🏽 <|endoftext|> x' > "$d/seed-uni"
printf 'bad \xff\xfe utf8 \xe2\x82 cut \xed\xa0\x80 surrogate \xf0\x9f' > "$d/seed-invalid"
printf 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' > "$d/seed-run"
