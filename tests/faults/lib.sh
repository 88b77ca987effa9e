# shellcheck shell=bash
# Shared helpers for the fault-injection e2e tests (sourced, not run).
# fault_enospc BYTES CMD... / fault_fsync CMD...: CMD with writes to *.tmp
#   failing (ENOSPC) after BYTES, or fsync failing (EIO), via libfailwrite.so.
# no_final_outputs / finals_complete: what a failed run may leave behind.
# kill_at_random MS CMD...: SIGKILL CMD after a random delay; 0 if it interrupted the run.
# faults_setup, stage_run, stage_outputs, outputs_digest: every stage on
#   small generated inputs, and a digest of its outputs for comparisons.

: "${WEBTEXT_BUILD:?}"
FAILWRITE_SO=$WEBTEXT_BUILD/tests/libfailwrite.so
[ -e "$FAILWRITE_SO" ] || FAILWRITE_SO=$(dirname "$WEBTEXT_BUILD")/build/tests/libfailwrite.so

fault_enospc() {
  local bytes=$1
  shift
  # ASan must normally come first in the link order; the shim only wraps write/fsync.
  ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" WT_FAULT_WRITE_AFTER=$bytes \
    LD_PRELOAD=$FAILWRITE_SO "$@"
}

fault_fsync() {
  ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" WT_FAULT_FSYNC=1 \
    LD_PRELOAD=$FAILWRITE_SO "$@"
}

# Asserts that no file under DIR has a final name: only *.tmp leftovers or nothing.
no_final_outputs() {
  local dir=$1 pattern=$2
  local found
  found=$(find "$dir" -name "$pattern" ! -name '*.tmp' 2>/dev/null | head -n 1)
  if [ -n "$found" ]; then
    echo "a final output exists after a failed run: $found" >&2
    return 1
  fi
}

# After a failed run: every file under OUT with a final name matching PATTERN
# (a shard finished before the failure) equals the clean run's file in REF;
# JSON reports (times inside) must parse, Markdown summaries exist.
finals_complete() {
  local out=$1 ref=$2 pattern=$3 f
  while IFS= read -r f; do
    case $f in
    *.json) python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$f" && continue ;;
    *.md) [ -s "$f" ] && continue ;;
    *) cmp -s "$f" "$ref/${f#"$out"/}" && continue ;;
    esac
    echo "a final output is not a clean run's after a failed run: $f" >&2
    return 1
  done < <(find "$out" -name "$pattern" ! -name '*.tmp' 2>/dev/null)
}

# Runs "$@" in the background and SIGKILLs it after a random delay in
# [0, max_ms) milliseconds. Returns 0 when the kill interrupted the run: the
# process died of the SIGKILL and was no longer the shell that starts it
# (a command run as `bash -c '... exec STAGE'` had become the stage), 1 when
# the command had finished (or not yet started the stage) before the kill.
kill_at_random() {
  local max_ms=$1
  shift
  "$@" >/dev/null 2>&1 &
  local pid=$!
  local ms=$((RANDOM % max_ms))
  sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
  local comm rc
  comm=$(cat "/proc/$pid/comm" 2>/dev/null)
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  rc=$?
  [ $rc -eq 137 ] && [ -n "$comm" ] && [ "$comm" != bash ]
}

# ---- stages on small generated inputs (tests/faults/fixtures.py) ----------
# faults_setup: sets TMP (removed on exit), IN (fixtures + the inputs each
# stage reads: urls, docs shard, tokens, model) and B (the binaries).
faults_setup() {
  : "${WEBTEXT_BIN:?}" "${WEBTEXT_ROOT:?}"
  B=$WEBTEXT_BIN
  TMP=$(mktemp -d)
  trap 'rm -rf "$TMP"' EXIT
  IN=$TMP/in
  mkdir -p "$IN"
  python3 "$WEBTEXT_ROOT/tests/faults/fixtures.py" "$IN"
  zstd -q "$IN/docs.jsonl" -o "$IN/docs-00000.jsonl.zst"
  mkdir -p "$IN/few"
  head -n 12 "$IN/docs.jsonl" | zstd -q -o "$IN/few/docs-00000.jsonl.zst"
  "$B/tokenize" shards "$IN/few/docs-00000.jsonl.zst" -o "$IN/tokens" --quiet --threads 2
  "$B/model" init --out "$IN/model" --n-layer 1 --n-head 1 --n-embd 16 --n-ctx 64 >/dev/null
}

# The stages the fault tests drive; `crawl fetch` needs a server and has its
# own tests. stage_run NAME OUT: runs stage NAME writing under folder OUT
# (STAGE_EXEC=exec: replacing the shell, so that a kill reaches the stage).
# shellcheck disable=SC2034 # used by the tests that source this file
FAULT_STAGES=(urls extract dedup tokenize model eval)
stage_run() {
  local name=$1 out=$2
  case $name in
  urls) ${STAGE_EXEC:-} "$B/crawl" urls "$IN/dump.jsonl" -o "$out" --quiet --after 2010-01-01 --shards 2 --threads 2 ;;
  extract) mkdir -p "$out" && ${STAGE_EXEC:-} "$B/extract" "$IN/pages.warc.gz" -o "$out/docs-00000.jsonl.zst" --quiet --threads 2 ;;
  dedup) ${STAGE_EXEC:-} "$B/dedup" run "$IN/docs-00000.jsonl.zst" -o "$out" --quiet --threads 2 ;;
  tokenize) ${STAGE_EXEC:-} "$B/tokenize" shards "$IN/docs-00000.jsonl.zst" -o "$out" --quiet --threads 2 ;;
  model) ${STAGE_EXEC:-} "$B/model" init --out "$out" --n-layer 2 --n-head 2 --n-embd 32 --n-ctx 64 ;;
  eval) ${STAGE_EXEC:-} "$B/eval" run --model "$IN/model" --tasks webtext --webtext "$IN/tokens" -o "$out" --quiet --threads 2 ;;
  esac
}
# The glob of a stage's final outputs (for no_final_outputs).
stage_outputs() {
  case $1 in
  urls) echo 'urls-*' ;; extract | dedup) echo 'docs-*' ;; tokenize) echo 'tokens-*' ;;
  model) echo '*.safetensors' ;; eval) echo 'results.*' ;;
  esac
}

# Prints a digest of every file under DIR, relative names, for comparing two
# runs: JSON reports lose their volatile fields (times, rates, dates), and
# DIR's own path inside a file reads as OUT. DIGEST_SKIP: file names
# (or folders, ending in /) left out.
outputs_digest() {
  python3 - "$1" <<'PY'
import hashlib, json, os, sys
root = sys.argv[1]
skip = os.environ.get("DIGEST_SKIP", "").split()
VOLATILE = ("seconds", "cpu_seconds", "created", "docs_per_s", "tokens_per_s",
            "scored_tokens_per_s", "pages_per_s", "bytes_per_s", "lines_per_s", "mb_per_s",
            "peak_rss_mb", "rss_mb", "elapsed", "started", "finished")
def strip(o):
    if isinstance(o, dict):
        return {k: strip(v) for k, v in o.items()
                if k not in VOLATILE and not k.endswith(("_per_s", "_seconds"))}
    if isinstance(o, list):
        return [strip(v) for v in o]
    return o
for d, _, files in sorted(os.walk(root)):
    for f in sorted(files):
        p = os.path.join(d, f)
        rel = os.path.relpath(p, root)
        if f.startswith(".") or f in skip or any(rel.startswith(k) for k in skip if k.endswith("/")):
            continue
        data = open(p, "rb").read().replace(root.encode(), b"OUT")
        if f.endswith(".json"):
            data = json.dumps(strip(json.loads(data)), sort_keys=True).encode()
        elif f.endswith(".md"):
            data = b""  # a summary with speeds in it; results.json holds its numbers
        print(os.path.relpath(p, root), hashlib.sha256(data).hexdigest())
PY
}

# Fails (returns 1) when FILE shows a sanitizer report.
no_sanitizer_report() {
  if grep -qE 'Sanitizer|runtime error:' "$1"; then
    echo "sanitizer report in $1:" >&2
    head -n 30 "$1" >&2
    return 1
  fi
}

# Milliseconds since the epoch.
now_ms() { date +%s%3N; }
