# Shared helpers for the fault-injection e2e tests (sourced, not run).
# fault_enospc BYTES CMD...: runs CMD with writes to *.tmp failing after BYTES.
# kill_rerun_same OUTDIR CMD...: kills CMD with SIGKILL at random moments,
#   reruns it, and checks the result equals an uninterrupted run's.

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

# Runs "$@" in the background and SIGKILLs it after a random delay in
# [0, max_ms) milliseconds; returns 0 whether it was killed or finished.
kill_at_random() {
  local max_ms=$1
  shift
  "$@" >/dev/null 2>&1 &
  local pid=$!
  local ms=$((RANDOM % max_ms))
  sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return 0
}
