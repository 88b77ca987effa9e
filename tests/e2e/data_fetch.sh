#!/usr/bin/env bash
# make data (scripts/get_data.py): a mirror fills an empty data folder with
# the files whose sha256 matches the manifest, and a second run is a no-op; a
# corrupt mirror file is refused; offline without a mirror it fails with one
# clear message; from the public origins (a loopback server laid out like
# raw GitHub, serving the real files) it downloads, derives (xz -> ndjson, the
# 2 GiB-window .zst) and checks, and refuses a file whose bytes changed.
set -euo pipefail
. "$WEBTEXT_ROOT/tests/e2e/lib.sh"
need_data webtext-domains/domains.txt ptb/ptb.test.txt ptb/ptb.valid.txt pushshift-sample/RS_v2_2005-06.xz \
  pushshift-sample/RS_v2_2005-07.xz
wt_tmpdir
G="python3 $WEBTEXT_ROOT/scripts/get_data.py"
fail() { echo "FAIL: $*"; exit 1; }

# 1. from a mirror, then a no-op
$G --dest "$T/d" --mirror "$WEBTEXT_DATA" --only webtext-domains,ptb --offline 2>"$T/e1" || { cat "$T/e1"; fail "mirror fill"; }
grep -q "ptb: 2 file(s) copied from the mirror" "$T/e1" || fail "mirror copy not reported"
cmp "$T/d/ptb/ptb.test.txt" "$WEBTEXT_DATA/ptb/ptb.test.txt" || fail "copied file differs"
$G --dest "$T/d" --mirror "$WEBTEXT_DATA" --only webtext-domains,ptb --offline 2>"$T/e2" || fail "second run"
grep -q "copied" "$T/e2" && fail "second run copied again"
$G --dest "$T/d" --only webtext-domains,ptb --list | grep -q "^ptb  *ok" || fail "--list"

# 2. a corrupt mirror file is not copied; the set stays incomplete (exit 1)
mkdir -p "$T/bad/webtext-domains"
sed 's/^1/2/' "$WEBTEXT_DATA/webtext-domains/domains.txt" >"$T/bad/webtext-domains/domains.txt"
if $G --dest "$T/d2" --mirror "$T/bad" --only webtext-domains --offline 2>"$T/e3"; then fail "corrupt mirror accepted"; fi
[ ! -e "$T/d2/webtext-domains/domains.txt" ] || fail "corrupt file copied"
grep -q "incomplete in $T/d2: webtext-domains (1 files)" "$T/e3" || { cat "$T/e3"; fail "incomplete message"; }

# 3. offline, no mirror: one clear failure
if $G --dest "$T/d3" --mirror "" --only ptb --offline 2>"$T/e4"; then fail "offline without a mirror succeeded"; fi
grep -q "set WEBTEXT_DATA_MIRROR to a complete copy" "$T/e4" || fail "offline message"

# 4. from the origins: a loopback "raw GitHub" with the real files at their pinned paths
R=$T/origin
mkdir -p "$R/openai/gpt-2/master" "$R/openai/gpt-2/9b63575ef42771a015060c964af2c3da4cf7c8ab" \
  "$R/rajeev-sr/Learning-from-Teaching-Regularization/7833fcc7478c34b548b5d55caba8a684ff365ad7/ptb" \
  "$R/jcpeterson/openwebtext/25cc5d2ab409ed07f6f66e8c2fedc31a8892ed99/pushshift_dumps"
echo readme >"$R/openai/gpt-2/master/README.md"
cp "$WEBTEXT_DATA/webtext-domains/domains.txt" "$R/openai/gpt-2/9b63575ef42771a015060c964af2c3da4cf7c8ab/"
L=$R/rajeev-sr/Learning-from-Teaching-Regularization/7833fcc7478c34b548b5d55caba8a684ff365ad7/ptb
cp "$WEBTEXT_DATA/ptb/ptb.test.txt" "$L/test.txt"
echo "changed upstream" >"$L/valid.txt"
cp "$WEBTEXT_DATA"/pushshift-sample/RS_v2_2005-0[67].xz "$R/jcpeterson/openwebtext/25cc5d2ab409ed07f6f66e8c2fedc31a8892ed99/pushshift_dumps/"
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$R" >"$T/http.log" 2>&1 &
srv=$!
trap 'kill $srv 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 200); do
  port=$(grep -oE 'port [0-9]+' "$T/http.log" | grep -oE '[0-9]+' || true)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || fail "loopback server did not start"
export WEBTEXT_DATA_GITHUB=http://127.0.0.1:$port
$G --dest "$T/d4" --mirror "" --only webtext-domains,pushshift-sample 2>"$T/e5" || { cat "$T/e5"; fail "fetch from the origins"; }
cmp "$T/d4/pushshift-sample/RS_v2_2005-06.ndjson" "$WEBTEXT_DATA/pushshift-sample/RS_v2_2005-06.ndjson" || fail "derived ndjson"
zstd -dcq --long=31 "$T/d4/pushshift-sample/RS_v2_2005-06.long31.zst" | cmp - "$WEBTEXT_DATA/pushshift-sample/RS_v2_2005-06.ndjson" ||
  fail "derived .zst"
zstd -lv "$T/d4/pushshift-sample/RS_v2_2005-06.long31.zst" 2>&1 | grep -q "Window Size: 2.00 GiB" || fail "the .zst window is not 2 GiB"
# ptb: test.txt matches; valid.txt "changed upstream" is refused and reported
if $G --dest "$T/d4" --mirror "" --only ptb 2>"$T/e6"; then fail "a changed upstream file was accepted"; fi
grep -q "ptb/ptb.valid.txt: sha256 differs from the pinned value" "$T/e6" || { cat "$T/e6"; fail "sha mismatch message"; }
[ -f "$T/d4/ptb/ptb.test.txt" ] && [ ! -e "$T/d4/ptb/ptb.valid.txt" ] || fail "ptb files kept/refused"
echo ok
