#!/usr/bin/env bash
# One writer per output, `eval run`: a second run on the same -o refuses (exit
# 3, naming the holder, touching nothing) before loading the model; the first's
# results equal a lone run's (timings and the date aside); after kill -9 of the
# first, a rerun takes the lock.
source "$WEBTEXT_ROOT/tests/locks/lib.sh"
. "$WEBTEXT_ROOT/tests/e2e/lib.sh"
need_vocab
"$WEBTEXT_BIN/model" init --out "$TMP/model" --n-layer 1 --n-head 2 --n-embd 32 --n-ctx 128 \
  --seed 3 >/dev/null
python3 "$WEBTEXT_ROOT/tests/eval/make_fixtures.py" "$TMP/data" >/dev/null
run_stage() {
  exec "$WEBTEXT_BIN/eval" run --model "$TMP/model" --data "$TMP/data" --tasks cbt-cn,text8 \
    --limit 20 --threads 1 --quiet -o "$1"
}
same_output() {
  python3 - "$1/results.json" "$2/results.json" <<'PY'
import json, sys
def strip(v):  # timings and the date differ from run to run
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items()
                if k not in ("created", "seconds") and not k.endswith(("_per_s", "_seconds"))}
    return v
a, b = (strip(json.load(open(p))) for p in sys.argv[1:])
assert a == b, (a, b)
assert set(a["tasks"]) == {"cbt-cn", "text8"}, a["tasks"].keys()
PY
}
lock_check .lock ""
echo PASS
