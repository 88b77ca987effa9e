#!/usr/bin/env bash
# Benchmark of `crawl cc-lookup` on a generated zipnum crawl of 1,000,000 CDX
# lines (334 blocks) and 30,000 URL lines (tests/e2e/crawl_cclookup.sh with
# more lines): the result is checked against a linear scan of every line as
# in the test; prints blocks fetched / total, wall time and peak RSS with a
# 100 MB and a 200 KB sort budget. Timings never fail the run.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${WEBTEXT_BIN:=$PWD/bin}"
export WEBTEXT_BIN WEBTEXT_ROOT=$PWD
t0=$(date +%s.%N)
CCLOOKUP_LINES=${BENCH_CC_LINES:-1000000} CCLOOKUP_QUERIES=${BENCH_CC_QUERIES:-30000} \
    CCLOOKUP_WRAP="/usr/bin/time -f cc-lookup:_%e_s_wall,_%U_s_user,_peak_RSS_%M_KB" \
    bash tests/e2e/crawl_cclookup.sh 2>&1 | sed 's/_/ /g'
echo "whole run (generation, server, checks): $(echo "$(date +%s.%N) - $t0" | bc) s"
