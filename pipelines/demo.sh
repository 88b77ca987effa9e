#!/usr/bin/env bash
# pipelines/demo.sh: the offline end-to-end demo (`make demo`). Installs what is missing,
# builds, writes a synthetic Pushshift dump, serves the synthetic web it links to on 127.0.0.1,
# and runs urls → fetch → extract → dedup → tokenize → eval → report into one folder.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)

usage() {
  cat <<'EOF'
usage: pipelines/demo.sh [KEY=VALUE]...   (configuration overrides, see pipelines/webtext.conf;
                                          environment variables choose the rest)
  DEMO_OUT=DIR        output folder (default out/demo); a rerun resumes it
  EXECUTOR=slurm      run the stages as Slurm job arrays (default local);
                      pipelines/slurm-local.sh start gives a one-node Slurm
  DEMO_PORT=N         port of the demo site on 127.0.0.1 (default 18480)
  DEMO_ARTICLES=N     articles on the synthetic web (default 240)
  DEMO_SHARDS=N       shards (default 2)
  DEMO_SKIP_BUILD=1   skip `make deps` and `make`
EOF
}
overrides=()
for a in "$@"; do
  case $a in
    -h | --help) usage; exit 0 ;;
    [A-Z]*=*) overrides+=("$a") ;;
    *) usage >&2; exit 2 ;;
  esac
done

OUT=${DEMO_OUT:-$ROOT/out/demo}
EXECUTOR=${EXECUTOR:-local}
PORT=${DEMO_PORT:-18480}
ARTICLES=${DEMO_ARTICLES:-240}
SHARDS=${DEMO_SHARDS:-2}
export WEBTEXT_BIN=${WEBTEXT_BIN:-$ROOT/bin}
export PYTHONDONTWRITEBYTECODE=1 # no __pycache__ in the source tree
# the data folder that `make data` fills (README "Data"); the eval sets found there are scored
export WEBTEXT_DATA=${WEBTEXT_DATA:-${XDG_DATA_HOME:-$HOME/.local/share}/webtext/data}
say() { echo "demo: $*" >&2; }

if [ "${DEMO_SKIP_BUILD:-0}" != 1 ]; then
  say "installing missing packages (make deps) and building"
  make -C "$ROOT" --no-print-directory deps
  make -C "$ROOT" --no-print-directory -j"$(nproc)" all
fi
if [ "$EXECUTOR" = slurm ] && ! sinfo -h >/dev/null 2>&1; then
  say "EXECUTOR=slurm but no Slurm answers; pipelines/slurm-local.sh start gives a one-node Slurm"
  exit 1
fi
for b in crawl extract dedup tokenize model eval; do
  [ -x "$WEBTEXT_BIN/$b" ] || { say "missing $WEBTEXT_BIN/$b (build failed?)"; exit 1; }
done
mkdir -p "$OUT/input" "$OUT/site"
OUT=$(cd "$OUT" && pwd)

# 1. the synthetic Pushshift dumps (kept on rerun: they are the input)
if ! ls "$OUT"/input/RS_*.zst >/dev/null 2>&1; then
  python3 "$ROOT/pipelines/demo_dump.py" -o "$OUT/input" --port "$PORT" --articles "$ARTICLES"
fi

# 2. the synthetic web, served until this script exits
rm -f "$OUT/site/ready"
python3 "$ROOT/pipelines/demo_site.py" --port "$PORT" --articles "$ARTICLES" \
  --ready "$OUT/site/ready" --log "$OUT/site/access.log" &
site_pid=$!
trap 'kill "$site_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  [ -e "$OUT/site/ready" ] && break
  kill -0 "$site_pid" 2>/dev/null || { say "the demo site failed to start"; exit 1; }
  sleep 0.1
done
[ -e "$OUT/site/ready" ] || { say "the demo site did not start"; exit 1; }
resolve=$(cd "$ROOT/pipelines" && python3 -c "
from demo_corpus import Catalogue
print(' '.join(h + ':$PORT:127.0.0.1' for h in Catalogue(port=$PORT).hosts()))")

# 3. the configuration: fixed thread counts so that every executor writes the same bytes
# webtext = the demo's own token shards; then every eval set present under $WEBTEXT_DATA
eval_tasks=webtext
if [ -n "$WEBTEXT_DATA" ]; then
  for t in lambada:lambada/lambada_test_openai.jsonl wikitext2:wikitext-2/wiki.test.tokens \
    ptb:ptb/ptb.test.txt wikitext103:wikitext-103/wiki.test.tokens \
    cbt-cn:cbt/cbtest_CN_test_2500ex.txt cbt-ne:cbt/cbtest_NE_test_2500ex.txt \
    enwik8:enwik8/enwik8 text8:text8/text8 1bw:1bw/news.en.heldout-00000-of-00050; do
    [ -e "$WEBTEXT_DATA/${t#*:}" ] && eval_tasks+=,${t%%:*}
  done
fi
cat >"$OUT/demo.conf" <<EOF
# written by pipelines/demo.sh
SHARDS=$SHARDS
THREADS=1
GLOBAL_THREADS=2
URLS_DUMPS="$OUT/input/RS_*.zst"
FETCH_RESOLVE="$resolve"
FETCH_ALLOW_PRIVATE=1
# one connection and no retries: the WARC record order, and so every later file, is then the
# same on every run and executor (with more connections it follows the servers' timing)
FETCH_CONCURRENCY=1
FETCH_PER_HOST=1
FETCH_DELAY_MS=0
FETCH_ARGS="--retries 0 --timeout 20"
DEDUP_MODE=steps
DEDUP_PARTITIONS=4
EVAL_TASKS=$eval_tasks
EVAL_LIMIT=20
EVAL_INIT_ARGS="--n-layer 2 --n-head 2 --n-embd 64 --n-ctx 128 --seed 1"
SLURM_MEM=1G
SLURM_TIME=00:20:00
SLURM_POLL=1
EOF
say "running the pipeline ($EXECUTOR executor) into $OUT"
"$ROOT/pipelines/run.sh" -o "$OUT" -c "$OUT/demo.conf" --executor "$EXECUTOR" "${overrides[@]}"

cat <<EOF

webtext demo complete ($EXECUTOR executor): $OUT
  input dumps     $OUT/input/RS_*.zst
  WARC files      $OUT/warc/
  documents       $OUT/docs/ (extracted)  $OUT/dedup/ (deduplicated, report.json)
  token shards    $OUT/tokens/
  model           $OUT/model/ (random, from bin/model init)
  eval results    $OUT/eval/results.md
  corpus report   $OUT/report/report.md (+ PNG plots)
  logs            $OUT/logs/

EOF
[ -f "$OUT/eval/results.md" ] && cat "$OUT/eval/results.md"
exit 0
