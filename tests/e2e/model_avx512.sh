#!/usr/bin/env bash
# On an AVX-512 CPU, bin/model's default OpenBLAS kernel is an AVX-512 one,
# reached by re-executing with OPENBLAS_CORETYPE=SkylakeX when Debian's
# OpenBLAS picked a slower one. Skipped (counted) on CPUs without AVX-512.
set -euo pipefail
. "$WEBTEXT_ROOT/tests/e2e/lib.sh"
grep -q avx512f /proc/cpuinfo && grep -q avx512bw /proc/cpuinfo ||
  skip "this CPU has no AVX-512 (avx512f + avx512bw)" "make test on an AVX-512 machine"
M=$WEBTEXT_BIN/model
wt_tmpdir
"$M" init --out "$T/m" --n-layer 1 --n-head 2 --n-embd 32 --n-ctx 64 >/dev/null
env -u OPENBLAS_CORETYPE "$M" info --model "$T/m" | grep -Eq 'OpenBLAS (SkylakeX|Cooperlake|SapphireRapids) kernel' ||
  { echo "FAIL: AVX-512 kernel by default"; exit 1; }
env -u OPENBLAS_CORETYPE WEBTEXT_BLAS_PRETEND_SLOW=1 "$M" info --model "$T/m" |
  grep -q 'OpenBLAS SkylakeX kernel' || { echo "FAIL: re-exec with OPENBLAS_CORETYPE=SkylakeX"; exit 1; }
echo ok
