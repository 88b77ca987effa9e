#!/usr/bin/env bash
# One writer per output, `model init`: a second run on the same --out refuses
# (exit 3, naming the holder, touching nothing); the first's checkpoint equals
# a lone run's; after kill -9 of the first, a rerun takes the lock.
source "$WEBTEXT_ROOT/tests/locks/lib.sh"
run_stage() {
  exec "$WEBTEXT_BIN/model" init --n-layer 2 --n-head 2 --n-embd 32 --n-ctx 64 --vocab 500 \
    --seed 7 --out "$1"
}
same_output() { diff -r "$1" "$2"; }
lock_check .lock ""
echo PASS
