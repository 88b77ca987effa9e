#!/usr/bin/env bash
# tests/e2e/pipelines_demo_resume.sh: the demo pipeline killed midway (SIGKILL to the whole
# process group, once extraction has begun) and started again: finished shards are not redone,
# and the token shards equal those of an uninterrupted run byte for byte. (The kill comes after
# fetch: a crawl resumed mid-shard keeps every URL once but may archive them in another order.)
set -euo pipefail
ROOT=${WEBTEXT_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
T=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill -KILL -- -"$pid" 2>/dev/null || true
  rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export DEMO_SKIP_BUILD=1 DEMO_ARTICLES=60 DEMO_PORT=18493

DEMO_OUT=$T/full "$ROOT/pipelines/demo.sh" >"$T/full.log" 2>&1 || { tail -n 30 "$T/full.log"; fail "uninterrupted run"; }

# finished markers only: a task writes .done/NAME.tmp, then renames it to .done/NAME, so a
# NAME.tmp seen here may still be being written (and is not a finished task)
markers() { find "$1" -maxdepth 1 -type f ! -name '*.tmp' -printf '%f\n' 2>/dev/null | sort; }

# the interrupted run: killed as soon as one extract shard is done
DEMO_OUT=$T/part setsid "$ROOT/pipelines/demo.sh" >"$T/part1.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  markers "$T/part/.done" | grep -q '^extract-' && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.05
done
kill -KILL -- -"$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
pid=""
[ -e "$T/part/.done/fetch-00001" ] || fail "killed before fetch finished"
[ ! -e "$T/part/.done/report-00000" ] || fail "the run finished before the kill"
# the process group is dead: the set of finished markers can no longer change
mkdir "$T/done-before"
for name in $(markers "$T/part/.done"); do cp "$T/part/.done/$name" "$T/done-before/"; done
n_before=$(markers "$T/done-before" | wc -l)
echo "killed with $n_before task(s) done: $(markers "$T/done-before" | tr '\n' ' ')"

DEMO_OUT=$T/part "$ROOT/pipelines/demo.sh" >"$T/part2.log" 2>&1 || { tail -n 30 "$T/part2.log"; fail "resumed run"; }
grep -q "urls: 1/1 done, skipped" "$T/part2.log" || fail "the resumed run did not skip urls"
for m in "$T"/done-before/*; do
  name=$(basename "$m")
  cmp -s "$m" "$T/part/.done/$name" || fail "finished task $name was redone"
  [ "$(grep -c '^== .* attempt' "$T/part/logs/$name.log")" -eq 1 ] || fail "task $name ran twice"
done
[ -e "$T/part/.done/report-00000" ] || fail "the resumed run did not finish"
n=0
for f in "$T"/full/tokens/tokens-*.bin.zst "$T"/full/tokens/tokens-*.idx; do
  cmp "$f" "$T/part/tokens/$(basename "$f")" || fail "$(basename "$f") differs from the uninterrupted run"
  n=$((n + 1))
done
[ "$n" -ge 4 ] || fail "only $n token files compared"
echo "pipelines demo resume: ok ($n_before tasks kept, $n token files identical)"
