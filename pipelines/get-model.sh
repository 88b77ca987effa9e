#!/usr/bin/env bash
# Downloads a GPT-2 checkpoint by name from the Hugging Face hub at a pinned
# revision: config.json, model.safetensors and the vocabulary (vocab.json,
# merges.txt), each checked against its sha256, into the folder that
# `--model NAME` of bin/eval and bin/model looks in.
#
# usage: pipelines/get-model.sh NAME [DEST]
#   NAME: gpt2 (124M), gpt2-medium (355M), gpt2-large (774M), gpt2-xl (1.5B)
#   DEST: default ${XDG_CACHE_HOME:-~/.cache}/webtext/models/NAME
# WEBTEXT_HF_ENDPOINT overrides https://huggingface.co (a mirror, or a test
# server). A partial download resumes (curl -C -); files already there with
# the right sha256 are kept. Needs curl and sha256sum.
set -euo pipefail

die() { echo "get-model: $*" >&2; exit 1; }
case ${1:-} in
  -h|--help|"") sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; [ -n "${1:-}" ] && exit 0; exit 2 ;;
esac
name=$1
dest=${2:-${XDG_CACHE_HOME:-$HOME/.cache}/webtext/models/$name}
endpoint=${WEBTEXT_HF_ENDPOINT:-https://huggingface.co}
command -v curl >/dev/null || die "curl is needed (apt-get install curl)"
command -v sha256sum >/dev/null || die "sha256sum is needed (coreutils)"

# Pinned revisions (commits of openai-community/NAME on the hub) and the
# sha256 of each file at that revision. Values not found in a public source are
# empty: the script then prints the computed hash for the user to compare with
# the hub's file page. The vocabulary files (vocab.json, merges.txt) are the
# same for every size; their serialisation on the hub is not pinned here, so
# they are checked by content instead: the same token ids and the same merges,
# in order, as OpenAI's encoder.json / vocab.bpe that `make deps` installed
# (sha256-checked there).
vocab_dir=${WEBTEXT_VOCAB:-${XDG_DATA_HOME:-$HOME/.local/share}/webtext/gpt2-vocab}
case $name in
  gpt2)
    rev=607a30d783dfa663caf39e06633721c8d4cfcd7e
    sha_model=248dfc3911869ec493c76e65bf2fcf7f615828b0254c12b473182f0f81d3a707
    sha_config=0daed7749b4f02b8f76240d5444551d7b08712dab4d0adb8239c56ba823bb7b4 ;;
  gpt2-medium)
    rev=6dcaa7a952f72f9298047fd5137cd6e4f05f41da sha_model= sha_config= ;;
  gpt2-large)
    rev=32b71b12589c2f8d625668d2335a01cac3249519 sha_model= sha_config= ;;
  gpt2-xl)
    rev=15ea56dee5df4983c59b2538573817e1667135e2
    sha_model=0f8b28eb05a8075f48b61b6f35332978c74fc7763fa9fb4051a1c30511736a6a sha_config= ;;
  *) die "unknown model '$name' (gpt2, gpt2-medium, gpt2-large or gpt2-xl)" ;;
esac
base=$endpoint/openai-community/$name/resolve/$rev

# Offline (or the endpoint unreachable): fail at once, with one line.
code=0
curl -sS -o /dev/null --connect-timeout 10 --max-time 30 -r 0-0 "$base/config.json" 2>/dev/null ||
  code=$?
case $code in
  0) ;;
  5|6|7|28|35|52|56) die "cannot reach $endpoint (offline? code $code); nothing downloaded" ;;
  *) die "$base/config.json: request failed (curl exit $code)" ;;
esac

mkdir -p "$dest"
# same_vocab FILE NAME: FILE (vocab.json or merges.txt) holds OpenAI's GPT-2
# vocabulary: the same token -> id map as encoder.json, the same merges in the
# same order as vocab.bpe.
same_vocab() {
  [ -f "$vocab_dir/encoder.json" ] && [ -f "$vocab_dir/vocab.bpe" ] ||
    { echo "get-model: note: no installed vocabulary in $vocab_dir to check $2 against (make deps)" >&2; return 0; }
  python3 - "$1" "$2" "$vocab_dir" <<'PY'
import json, sys
path, name, ref = sys.argv[1:]
def merges(p):
    return [l for l in open(p, encoding="utf-8").read().split("\n") if l and not l.startswith("#version")]
try:
    ok = (json.load(open(path, encoding="utf-8")) == json.load(open(ref + "/encoder.json", encoding="utf-8"))
          if name == "vocab.json" else merges(path) == merges(ref + "/vocab.bpe"))
except (ValueError, UnicodeDecodeError):
    ok = False
sys.exit(0 if ok else 1)
PY
}

# fetch FILE SHA: download (resuming FILE.part), check, then rename. SHA
# "vocab": checked by content (same_vocab) instead of a pinned sha256.
fetch() {
  local f=$1 want=$2 got
  if [ -f "$dest/$f" ]; then
    got=$(sha256sum "$dest/$f" | cut -d' ' -f1)
    if [ "$want" = vocab ] && same_vocab "$dest/$f" "$f"; then echo "get-model: $f: present"; return 0; fi
    if [ -z "$want" ] || [ "$got" = "$want" ]; then echo "get-model: $f: present"; return 0; fi
    echo "get-model: $f: sha256 $got is not the pinned $want; downloading again" >&2
    rm -f "$dest/$f"
  fi
  echo "get-model: $f <- $base/$f" >&2
  curl -fL --retry 3 --retry-delay 2 --connect-timeout 10 -C - -o "$dest/$f.part" "$base/$f" ||
    die "$f: download failed (curl exit $?); run again to resume"
  got=$(sha256sum "$dest/$f.part" | cut -d' ' -f1)
  if [ "$want" = vocab ]; then
    same_vocab "$dest/$f.part" "$f" ||
      { rm -f "$dest/$f.part"; die "$f: not GPT-2's vocabulary (compared with $vocab_dir): refused and removed"; }
    mv "$dest/$f.part" "$dest/$f"
    return 0
  fi
  if [ -n "$want" ] && [ "$got" != "$want" ]; then
    rm -f "$dest/$f.part"
    die "$f: sha256 $got, want $want: refused and removed (a damaged download or a changed file)"
  fi
  [ -n "$want" ] || echo "get-model: note: $f: no sha256 pinned for $name; computed $got;" \
    "compare it with https://huggingface.co/openai-community/$name/blob/$rev/$f" >&2
  mv "$dest/$f.part" "$dest/$f"
}
fetch config.json "$sha_config"
fetch vocab.json vocab
fetch merges.txt vocab
fetch model.safetensors "$sha_model"
echo "get-model: $name (revision $rev) is in $dest"
echo "get-model: use it with --model $name (bin/eval run, bin/model) or --model $dest"
