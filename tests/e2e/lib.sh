# tests/e2e/lib.sh: sourced by the end-to-end tests (not run). A test that cannot
# run says why and exits 77, which tests/run.sh counts as skipped (never as passed).
: "${WEBTEXT_BIN:?}" "${WEBTEXT_ROOT:?}" "${WEBTEXT_DATA:?}"

# skip REASON [COMMAND]: stop this test as skipped, naming what would make it run.
skip() {
  echo "SKIP: $1 (run: ${2:-make data})"
  exit 77
}

# need_data PATH...: skip unless every PATH exists under the data folder.
need_data() {
  local p
  for p in "$@"; do
    [ -e "$WEBTEXT_DATA/$p" ] || skip "no $p in the data folder $WEBTEXT_DATA" "make data"
  done
}

# need_cmd NAME PACKAGE: skip unless the command exists.
need_cmd() {
  command -v "$1" >/dev/null 2>&1 || skip "no $1 command" "apt-get install $2"
}

# wt_tmpdir: a fresh folder in $T, removed when the test exits.
wt_tmpdir() {
  T=$(mktemp -d)
  trap 'rm -rf "$T"' EXIT
}

# with_slurm: a running one-node Slurm (pipelines/slurm-local.sh) for this test; one this
# test started is stopped when it exits. Makes $T (wt_tmpdir) too.
with_slurm() {
  wt_tmpdir
  WT_SLURM_STARTED=0
  trap '[ "$WT_SLURM_STARTED" = 1 ] && "$WEBTEXT_ROOT/pipelines/slurm-local.sh" stop || true; rm -rf "$T"' EXIT
  if ! "$WEBTEXT_ROOT/pipelines/slurm-local.sh" status >/dev/null 2>&1; then
    "$WEBTEXT_ROOT/pipelines/slurm-local.sh" start || { echo "FAIL: slurm-local.sh start" >&2; exit 1; }
    WT_SLURM_STARTED=1
  fi
}

# need_vocab: skip unless the GPT-2 vocabulary that `make deps` installs is
# there; sets vocab to its folder.
need_vocab() {
  vocab=${WEBTEXT_VOCAB:-${XDG_DATA_HOME:-$HOME/.local/share}/webtext/gpt2-vocab}
  [ -f "$vocab/encoder.json" ] || [ -f "$vocab/vocab.json" ] || skip "no GPT-2 vocabulary in $vocab" "make deps"
}
