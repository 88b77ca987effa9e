#!/usr/bin/env bash
# Seeds for fuzz_shards: llm.c token shards (256 x int32 header: magic
# 20240520, version 1, token count; then uint16 ids, 50256 before each
# document), whole, with a lying count, and cut.
set -euo pipefail
python3 - "$1" <<'PY'
import os, struct, sys
d = sys.argv[1]
ids = [50256, 464, 2068, 7586, 13, 50256, 15496, 995, 50256, 50256, 1, 2, 3]
def shard(ids, count=None):
    h = [20240520, 1, len(ids) if count is None else count] + [0] * 253
    return struct.pack("<256i", *h) + struct.pack("<%dH" % len(ids), *ids)
open(os.path.join(d, "seed-ok"), "wb").write(shard(ids))
open(os.path.join(d, "seed-count"), "wb").write(shard(ids, 99))
open(os.path.join(d, "seed-cut"), "wb").write(shard(ids)[:-3])
open(os.path.join(d, "seed-noeot"), "wb").write(shard([11, 12, 13, 14] * 20))
PY
