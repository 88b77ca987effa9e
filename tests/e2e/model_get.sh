#!/usr/bin/env bash
# pipelines/get-model.sh and --model NAME, against a loopback hub
# (tests/servers/range_server.py): offline failure in one line, a download cut
# halfway resumed with a Range request, the sha256 checks (a pinned value
# that does not match is refused), and name resolution in bin/model and
# bin/eval, with the get-model.sh hint when the name is not there.
set -uo pipefail
: "${WEBTEXT_BIN:?}" "${WEBTEXT_ROOT:?}"
. "$WEBTEXT_ROOT/tests/e2e/lib.sh"
need_vocab
need_cmd curl curl
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
get=$WEBTEXT_ROOT/pipelines/get-model.sh
export XDG_CACHE_HOME=$tmp/cache

# 1. offline: a closed loopback port, one clear line, exit 1, nothing written
python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' >"$tmp/closed"
WEBTEXT_HF_ENDPOINT=http://127.0.0.1:$(cat "$tmp/closed") "$get" gpt2 2>"$tmp/err" >"$tmp/out"
[ $? -eq 1 ] || fail "offline: exit"
[ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "cannot reach .*offline" "$tmp/err" || fail "offline message: $(cat "$tmp/err")"
[ ! -e "$tmp/cache/webtext/models/gpt2" ] || fail "offline: wrote files"

# a hub with gpt2-medium (a small random checkpoint) and a damaged gpt2
med=$tmp/hub/openai-community/gpt2-medium/resolve/6dcaa7a952f72f9298047fd5137cd6e4f05f41da
g2=$tmp/hub/openai-community/gpt2/resolve/607a30d783dfa663caf39e06633721c8d4cfcd7e
"$WEBTEXT_BIN/model" init --out "$med" --n-layer 1 --n-head 2 --n-embd 64 --n-ctx 64 --seed 4 >/dev/null || fail init
cp "$vocab/encoder.json" "$med/vocab.json" && cp "$vocab/vocab.bpe" "$med/merges.txt"
mkdir -p "$g2" && cp "$med"/* "$g2/"
python3 "$WEBTEXT_ROOT/tests/servers/range_server.py" "$tmp/hub" "$tmp/port" "$tmp/log" \
  --cut model.safetensors --seconds 120 &
pid=$!
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
export WEBTEXT_HF_ENDPOINT=http://127.0.0.1:$(cat "$tmp/port")

# 2. the first download is cut halfway: it fails, keeps the part, says to rerun
"$get" gpt2-medium >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] || fail "cut download: exit"
grep -q "model.safetensors: download failed .*run again to resume" "$tmp/err" || fail "cut message: $(cat "$tmp/err")"
dest=$tmp/cache/webtext/models/gpt2-medium
part=$(stat -c %s "$dest/model.safetensors.part") || fail "no .part kept"
full=$(stat -c %s "$med/model.safetensors")
[ "$part" -gt 0 ] && [ "$part" -lt "$full" ] || fail "part size $part of $full"
# 3. the rerun resumes from there (a Range request), checks, and says where
"$get" gpt2-medium >"$tmp/out" 2>"$tmp/err" || fail "resume: $(cat "$tmp/err")"
grep -q "GET .*/model.safetensors bytes=$part-" "$tmp/log" || fail "no range request from $part: $(cat "$tmp/log")"
cmp -s "$dest/model.safetensors" "$med/model.safetensors" || fail "resumed file differs"
[ ! -e "$dest/model.safetensors.part" ] || fail ".part left"
grep -q "is in $dest" "$tmp/out" || fail "where: $(cat "$tmp/out")"
grep -q "note: model.safetensors: no sha256 pinned for gpt2-medium; computed $(sha256sum "$med/model.safetensors" | cut -c1-64)" "$tmp/err" ||
  fail "unpinned note: $(cat "$tmp/err")"
# a second run keeps what is there (vocab files checked and present)
n=$(wc -l <"$tmp/log")
"$get" gpt2-medium >"$tmp/out" 2>"$tmp/err" || fail "rerun"
grep -q "vocab.json: present" "$tmp/out" || fail "rerun present"
[ "$(grep -c "GET .*vocab.json" "$tmp/log")" -eq 1 ] || fail "vocab fetched twice"

# 4. sha256 mismatch: gpt2's pinned config.json hash does not match the fake
"$get" gpt2 >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] || fail "mismatch: exit"
grep -q "config.json: sha256 .*, want 0daed7749b4f.*: refused and removed" "$tmp/err" || fail "mismatch message: $(cat "$tmp/err")"
ls "$tmp/cache/webtext/models/gpt2/" | grep -q config.json && fail "mismatching file kept"

# 4b. the vocabulary is checked by content, not bytes: the hub's own serialisation
# (compact JSON) is kept, a map with two ids swapped is refused
lg=$tmp/hub/openai-community/gpt2-large/resolve/32b71b12589c2f8d625668d2335a01cac3249519
lgd=$tmp/cache/webtext/models/gpt2-large
mkdir -p "$lg" && cp "$med"/config.json "$med"/merges.txt "$lg/"
python3 -c 'import json, sys; json.dump(json.load(open(sys.argv[1])), open(sys.argv[2], "w"), separators=(",", ":"), ensure_ascii=False)' \
  "$med/vocab.json" "$lg/vocab.json"
cmp -s "$lg/vocab.json" "$med/vocab.json" && fail "the re-serialised vocab.json has the same bytes"
"$get" gpt2-large >"$tmp/out" 2>"$tmp/err" # ends at the absent model.safetensors
cmp -s "$lgd/vocab.json" "$lg/vocab.json" && [ -f "$lgd/merges.txt" ] || fail "re-serialised vocabulary refused: $(cat "$tmp/err")"
rm -rf "$lgd"
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); d["the"], d["and"] = d["and"], d["the"]; json.dump(d, open(sys.argv[1], "w"))' "$lg/vocab.json"
"$get" gpt2-large >"$tmp/out" 2>"$tmp/err" && fail "a changed vocabulary was accepted"
grep -q "vocab.json: not GPT-2's vocabulary .*refused and removed" "$tmp/err" || fail "vocab refusal: $(cat "$tmp/err")"
[ ! -e "$lgd/vocab.json" ] && [ ! -e "$lgd/vocab.json.part" ] || fail "refused vocab.json kept"
rm -rf "$lgd" "$tmp/hub/openai-community/gpt2-large"

# 5. --model NAME: resolved in the cache by bin/model and bin/eval
"$WEBTEXT_BIN/model" info --model gpt2-medium | grep -q "n_layer *1" || fail "model info --model NAME"
mkdir -p "$tmp/data/ptb" && printf ' a small test line \n another one \n' >"$tmp/data/ptb/ptb.test.txt"
"$WEBTEXT_BIN/eval" run --model gpt2-medium --data "$tmp/data" --tasks ptb --quiet -o "$tmp/ev" || fail "eval --model NAME"
python3 -c "
import json, sys; r = json.load(open('$tmp/ev/results.json'))
assert r['model']['dir'] == 'gpt2-medium' and r['model']['path'] == '$dest', r['model']
assert r['settings']['vocab'] == '$dest', r['settings']" || fail "results name/path"
# a name that was not fetched: the error says how to get it
"$WEBTEXT_BIN/eval" run --model gpt2-large --data "$tmp/data" -o "$tmp/ev2" 2>"$tmp/err"
[ $? -eq 1 ] || fail "absent name: exit"
grep -q "run pipelines/get-model.sh gpt2-large" "$tmp/err" || fail "absent name hint: $(cat "$tmp/err")"
"$WEBTEXT_BIN/model" info --model gpt2-xl 2>"$tmp/err" >/dev/null && fail "model: absent name"
grep -q "pipelines/get-model.sh gpt2-xl" "$tmp/err" || fail "model absent name hint"
"$get" nonsense 2>"$tmp/err"; [ $? -eq 1 ] && grep -q "unknown model" "$tmp/err" || fail "unknown name"
echo "model_get: ok"
