# shellcheck shell=bash
# Sourced by bench/*.sh: one way of timing both sides of every ratio.
# bench_time NAME SETUP CMD...: runs SETUP (a shell string, untimed, e.g. removing
#   the last run's output) then CMD, BENCH_WARMUP times unreported and
#   BENCH_REPS times measured, each as a whole process (wall clock around it;
#   CPU and peak RSS from GNU time). Sets NAME_s (median wall seconds), NAME_cpu
#   (median CPU seconds), NAME_rss_mib (largest peak RSS) and prints one line.
# bench_ratio LABEL A_NAME A_RATE B_NAME B_RATE UNIT: prints A/B with the method.
# Defaults: the median of 5 runs after 1 warm-up (BENCH_REPS, BENCH_WARMUP).
: "${BENCH_REPS:=5}" "${BENCH_WARMUP:=1}"
BENCH_METHOD="whole process on both sides, median of $BENCH_REPS runs after $BENCH_WARMUP warm-up each"

bench_time() {
  local name=$1 setup=$2 i t0 t1 walls=() cpus=() rss=0 m c r
  shift 2
  local tf
  tf=$(mktemp)
  for ((i = 0; i < BENCH_WARMUP + BENCH_REPS; i++)); do
    eval "$setup"
    t0=$(date +%s.%N)
    /usr/bin/time -f '%U %S %M' -o "$tf" "$@" >/dev/null 2>"$tf.err" ||
      { echo "bench: $name failed: $*"; tail -n 20 "$tf.err"; rm -f "$tf" "$tf.err"; return 1; }
    t1=$(date +%s.%N)
    [ "$i" -lt "$BENCH_WARMUP" ] && continue
    walls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')")
    read -r u s m < <(tail -n 1 "$tf")
    cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')")
    [ "$m" -gt "$rss" ] && rss=$m
  done
  rm -f "$tf" "$tf.err"
  m=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
  c=$(printf '%s\n' "${cpus[@]}" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
  r=$((rss / 1024))
  printf -v "${name}_s" '%s' "$m"
  printf -v "${name}_cpu" '%s' "$c"
  printf -v "${name}_rss_mib" '%s' "$r"
  printf '%-14s median %.3f s wall, %.2f s CPU, peak RSS %d MiB (runs: %s)\n' "$name" "$m" "$c" "$r" "${walls[*]}"
}

bench_ratio() {
  awk -v l="$1" -v an="$2" -v a="$3" -v bn="$4" -v b="$5" -v u="$6" -v m="$BENCH_METHOD" 'BEGIN {
    printf "ratio %s: %s %.1f %s / %s %.1f %s = %.2f  [%s]\n", l, an, a, u, bn, b, u, a / b, m }'
}

# bench_rates NAME CMD...: CMD prints one rate (a number) on its last stdout
#   line, measured by the program itself (in-process); BENCH_WARMUP runs
#   unreported, BENCH_REPS measured. Sets NAME_rate (the median) and prints one line.
bench_rates() {
  local name=$1 i v rates=() m
  shift
  for ((i = 0; i < BENCH_WARMUP + BENCH_REPS; i++)); do
    v=$("$@" | tail -n 1) || { echo "bench: $name failed: $*"; return 1; }
    [[ $v =~ ^[0-9.]+$ ]] || { echo "bench: $name printed '$v', not a rate"; return 1; }
    [ "$i" -ge "$BENCH_WARMUP" ] && rates+=("$v")
  done
  m=$(printf '%s\n' "${rates[@]}" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
  printf -v "${name}_rate" '%s' "$m"
  printf '%-14s median %s (runs: %s)\n' "$name" "$m" "${rates[*]}"
}
