#!/usr/bin/env bash
# Seeds for fuzz_evaldata: byte 0 picks the reader (0 LAMBADA jsonl, 1 LAMBADA
# text, 2 CBT, 3-6 WikiText/PTB/1BW/CBT detokenizers); the rest is the file.
set -euo pipefail
d=$1
printf '\x00{"text":"he opened the door and saw his friend"}\n\n{"text":"a b c"}\n' > "$d/seed-lj"
printf '\x01the cat sat on the mat\nlast word here  \n' > "$d/seed-lt"
{ printf '\x02'; for i in $(seq 1 20); do printf '%d Sentence number %d , said `` Tom '"''"' .\n' "$i" "$i"; done
  printf '21 Then XXXXX went home .\tTom\t\tTom|Ann|dog|cat|house|tree|car|boy|girl|man\n\n'; } > "$d/seed-cbt"
printf '\x03 = = Heading = = \n The 1 @,@ 000 @-@ year old said " hi " ( x ) .\n' > "$d/seed-wiki"
printf "\x04 the company 's N shares did n't <unk> .\n" > "$d/seed-ptb"
printf "\x05 He said \`\` yes '' , and left .\n" > "$d/seed-1bw"
printf "\x06 \`\` XXXXX '' said the man .\n" > "$d/seed-cbtd"
