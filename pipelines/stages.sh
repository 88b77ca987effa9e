# pipelines/stages.sh: the webtext stages as the executors see them (sourced, not run). Each
# stage NAME has stage_NAME_tasks (its task count: SHARDS, or 1 for a global step) and
# stage_NAME_run INDEX (runs one task; only calls the stage binaries; must fail on failure).
# Layout under OUT: urls/ warc/ docs/ dedup/ tokens/ model/ eval/ report/.
# shellcheck shell=bash

# ---- urls: every dump → SHARDS URL shards (one global task) --------------------------------
stage_urls_tasks() { echo 1; }
stage_urls_run() {
  local dumps=() g f
  for g in $URLS_DUMPS; do
    for f in $g; do
      [ -e "$f" ] || { echo "urls: no dump matches $g" >&2; return 1; }
      dumps+=("$f")
    done
  done
  [ ${#dumps[@]} -gt 0 ] || { echo "urls: URLS_DUMPS is empty" >&2; return 1; }
  local opts=(--shards "$SHARDS" --min-score "$URLS_MIN_SCORE" --threads "$GLOBAL_THREADS")
  [ -n "$URLS_BEFORE" ] && opts+=(--before "$URLS_BEFORE")
  # shellcheck disable=SC2086
  "$BIN/crawl" urls "${dumps[@]}" -o "$OUT/urls" "${opts[@]}" --quiet \
    --stats "$OUT/urls/stats.json" $URLS_ARGS
}

# ---- cc_lookup: all URL shards → their captures in each of CC_CRAWLS (Common Crawl in bulk) --
# One task per (crawl, SURT shard): task i looks up crawl i / CC_LOOKUP_SHARDS, SURT range
# i % CC_LOOKUP_SHARDS, and writes OUT/cclookup/urls-NNNNN.jsonl.zst.CRAWL[.sI-N].cc.tsv,
# which the fetch stage passes as --cc-lookup when FETCH_SOURCE names cc.
cc_crawl_list() { echo "$CC_CRAWLS" | tr ', ' '\n\n' | sed '/^$/d'; }
stage_cc_lookup_tasks() {
  local n
  n=$(cc_crawl_list | wc -l)
  [ "$n" -gt 0 ] || die "stage cc_lookup: CC_CRAWLS is empty (give the crawl ids to look up)"
  echo $((n * CC_LOOKUP_SHARDS))
}
stage_cc_lookup_run() {
  local crawls inputs=() i opts=()
  mapfile -t crawls < <(cc_crawl_list)
  for ((i = 0; i < SHARDS; i++)); do inputs+=("$OUT/urls/urls-$(shard_name "$i").jsonl.zst"); done
  [ -n "$FETCH_CC_DATA" ] && opts+=(--cc-data "$FETCH_CC_DATA")
  # shellcheck disable=SC2086
  "$BIN/crawl" cc-lookup "${inputs[@]}" --crawl "${crawls[$(($1 / CC_LOOKUP_SHARDS))]}" \
    --shard "$(($1 % CC_LOOKUP_SHARDS))/$CC_LOOKUP_SHARDS" -o "$OUT/cclookup" "${opts[@]}" \
    --quiet $CC_LOOKUP_ARGS
}

# ---- fetch: URL shard i → WARC shard i + its log of failures (crawl-i.log.jsonl) ---------------------------------------------------------
stage_fetch_tasks() { echo "$SHARDS"; }
stage_fetch_run() {
  local s r f opts
  s=$(shard_name "$1")
  opts=(--concurrency "$FETCH_CONCURRENCY" --per-host "$FETCH_PER_HOST" --delay "$FETCH_DELAY_MS")
  for r in $FETCH_RESOLVE; do opts+=(--resolve "$r"); done
  [ "$FETCH_ALLOW_PRIVATE" = 1 ] && opts+=(--allow-private)
  opts+=(--source "$FETCH_SOURCE")
  [ -n "$FETCH_CC_INDEX" ] && opts+=(--cc-index "$FETCH_CC_INDEX")
  [ -n "$FETCH_CC_DATA" ] && opts+=(--cc-data "$FETCH_CC_DATA")
  [ -n "$FETCH_WAYBACK" ] && opts+=(--wayback "$FETCH_WAYBACK")
  if [[ ,$FETCH_SOURCE, == *,cc,* ]]; then
    # bulk mode when the cc_lookup stage ran; else the index server, asking CC_CRAWLS if set
    for f in "$OUT/cclookup/urls-$s.jsonl.zst".*.cc.tsv; do
      [ -e "$f" ] && opts+=(--cc-lookup "$f")
    done
    [ -n "$CC_CRAWLS" ] && opts+=(--cc-crawls "$(cc_crawl_list | paste -sd,)")
  fi
  mkdir -p "$OUT/warc"
  # shellcheck disable=SC2086
  "$BIN/crawl" fetch "$OUT/urls/urls-$s.jsonl.zst" -o "$OUT/warc/crawl-$s.warc.gz" "${opts[@]}" \
    --quiet --stats "$OUT/warc/stats-$s.json" $FETCH_ARGS
}

# ---- extract: WARC shard i → document shard i ---------------------------------------------------
stage_extract_tasks() { echo "$SHARDS"; }
stage_extract_run() {
  local s
  s=$(shard_name "$1")
  mkdir -p "$OUT/docs"
  # shellcheck disable=SC2086
  "$BIN/extract" "$OUT/warc/crawl-$s.warc.gz" -o "$OUT/docs/docs-$s.jsonl.zst" \
    --threads "$THREADS" --quiet --stats "$OUT/docs/stats-$s.json" $EXTRACT_ARGS
}

# ---- dedup: domain filters, exact and near-duplicates across all shards --------------------
# DEDUP_MODE=run: one task (`dedup run`). DEDUP_MODE=steps: dedup's four MapReduce steps as
# their own stages (signatures and filter per shard, buckets per key partition, cluster once),
# which is how it spreads over a cluster; both write OUT/dedup/docs-NNNNN.jsonl.zst.
dedup_inputs() {
  local i
  for ((i = 0; i < SHARDS; i++)); do echo "$OUT/docs/docs-$(shard_name "$i").jsonl.zst"; done
}
stage_dedup_tasks() { echo 1; }
stage_dedup_run() {
  local inputs
  mapfile -t inputs < <(dedup_inputs)
  # shellcheck disable=SC2086
  "$BIN/dedup" run "${inputs[@]}" -o "$OUT/dedup" --threads "$GLOBAL_THREADS" \
    --partitions "$DEDUP_PARTITIONS" --quiet $DEDUP_ARGS
}
dedup_step() { # dedup_step STEP RANK WORLD [options]: one task of a dedup step over every shard
  local step=$1 rank=$2 world=$3 inputs
  shift 3
  mapfile -t inputs < <(dedup_inputs)
  # shellcheck disable=SC2086
  "$BIN/dedup" "$step" "${inputs[@]}" --rank "$rank" --world "$world" --threads "$THREADS" \
    --quiet --stats "$OUT/dedup/work/stats-$step-$(shard_name "$rank").json" "$@" $DEDUP_ARGS
}
stage_dedup_signatures_tasks() { echo "$SHARDS"; }
stage_dedup_signatures_run() {
  mkdir -p "$OUT/dedup/work"
  dedup_step signatures "$1" "$SHARDS" -o "$OUT/dedup/work" --partitions "$DEDUP_PARTITIONS"
}
stage_dedup_buckets_tasks() { echo "$DEDUP_PARTITIONS"; }
stage_dedup_buckets_run() { dedup_step buckets "$1" "$DEDUP_PARTITIONS" -o "$OUT/dedup/work"; }
stage_dedup_cluster_tasks() { echo 1; }
stage_dedup_cluster_run() { dedup_step cluster 0 1 -o "$OUT/dedup/work"; }
stage_dedup_filter_tasks() { echo "$SHARDS"; }
stage_dedup_filter_run() {
  dedup_step filter "$1" "$SHARDS" --work "$OUT/dedup/work" -o "$OUT/dedup"
}

# ---- tokenize: deduplicated shard i → token shard i ---------------------------------------------
stage_tokenize_tasks() { echo "$SHARDS"; }
stage_tokenize_run() {
  local s opts=()
  s=$(shard_name "$1")
  [ -n "$TOKENIZE_VOCAB" ] && opts+=(--vocab "$TOKENIZE_VOCAB")
  mkdir -p "$OUT/tokens"
  # shellcheck disable=SC2086
  "$BIN/tokenize" shards "${opts[@]}" "$OUT/dedup/docs-$s.jsonl.zst" -o "$OUT/tokens" \
    --threads "$THREADS" --quiet --stats "$OUT/tokens/stats-$s.json" $TOKENIZE_ARGS
}

# ---- eval: a model (given, or random from `model init`) on the token shards and eval sets -----
stage_eval_tasks() { echo 1; }
stage_eval_run() {
  local model=$EVAL_MODEL opts=()
  if [ -z "$model" ]; then
    model=$OUT/model
    # shellcheck disable=SC2086
    [ -e "$model/config.json" ] || "$BIN/model" init --out "$model" $EVAL_INIT_ARGS
  fi
  [ -n "$EVAL_DATA" ] && opts+=(--data "$EVAL_DATA")
  [ -n "$EVAL_LIMIT" ] && opts+=(--limit "$EVAL_LIMIT")
  # shellcheck disable=SC2086
  "$BIN/eval" run --model "$model" --tasks "$EVAL_TASKS" --webtext "$OUT/tokens" "${opts[@]}" \
    --threads "$GLOBAL_THREADS" --quiet -o "$OUT/eval" --stats "$OUT/eval/stats.json" $EVAL_ARGS
}

# ---- report: counts, domains, lengths → OUT/report/report.md + PNG plots (one task) ---------
stage_report_tasks() { echo 1; }
stage_report_run() {
  local opts=(--out "$OUT" --stages "$STAGES")
  [ -n "$REPORT_DOMAINS" ] && opts+=(--domains "$REPORT_DOMAINS")
  [ "$REPORT_PLOTS" = 1 ] || opts+=(--no-plots)
  python3 "$PIPELINES_DIR/report.py" "${opts[@]}"
}
