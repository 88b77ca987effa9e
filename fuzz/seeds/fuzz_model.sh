#!/usr/bin/env bash
# Seeds for fuzz_model: 2-byte config length, config.json, then a tiny
# GPT-2 model.safetensors (1 layer, 1 head, 4 dims, vocab 8, ctx 4), by python3.
set -euo pipefail
d=$1
python3 - "$d" <<'PY'
import json, struct, sys, os
d = sys.argv[1]
L, C, V, T = 1, 4, 8, 4
cfg = json.dumps({"model_type": "gpt2", "n_layer": L, "n_head": 1, "n_embd": C, "n_positions": T,
                  "n_ctx": T, "vocab_size": V, "layer_norm_epsilon": 1e-5,
                  "activation_function": "gelu_new"}).encode()
shapes = {"wte.weight": [V, C], "wpe.weight": [T, C], "ln_f.weight": [C], "ln_f.bias": [C]}
for i in range(L):
    p = "h.%d." % i
    shapes.update({p + "ln_1.weight": [C], p + "ln_1.bias": [C], p + "attn.c_attn.weight": [C, 3 * C],
                   p + "attn.c_attn.bias": [3 * C], p + "attn.c_proj.weight": [C, C],
                   p + "attn.c_proj.bias": [C], p + "ln_2.weight": [C], p + "ln_2.bias": [C],
                   p + "mlp.c_fc.weight": [C, 4 * C], p + "mlp.c_fc.bias": [4 * C],
                   p + "mlp.c_proj.weight": [4 * C, C], p + "mlp.c_proj.bias": [C]})
def st(dtype, size):
    hdr, off, data = {}, 0, b""
    for k in sorted(shapes):
        n = 1
        for s in shapes[k]: n *= s
        hdr[k] = {"dtype": dtype, "shape": shapes[k], "data_offsets": [off, off + n * size]}
        data += bytes((j * 7) % 251 // 8 for j in range(n * size))
        off += n * size
    h = json.dumps(hdr).encode()
    return struct.pack("<Q", len(h)) + h + data
for name, dt, sz in (("f32", "F32", 4), ("f16", "F16", 2)):
    body = st(dt, sz)
    open(os.path.join(d, "seed-" + name), "wb").write(struct.pack("<H", len(cfg)) + cfg + body)
open(os.path.join(d, "seed-badcfg"), "wb").write(struct.pack("<H", 2) + b"{}" + st("F32", 4))
PY
