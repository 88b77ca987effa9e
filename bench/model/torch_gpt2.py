#!/usr/bin/python3
"""The bench's anchor: GPT-2 written by hand in PyTorch (fp32, CPU,
inference_mode), loading our Hugging Face safetensors with json + numpy.
`score` times per-token log-probs of token-id lines; `generate` times top-k
sampling with a KV cache, token by token."""
import argparse
import json
import math
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def load(folder):
    cfg = json.load(open(folder + "/config.json"))
    raw = np.memmap(folder + "/model.safetensors", dtype=np.uint8, mode="r")
    n = int.from_bytes(raw[:8].tobytes(), "little")
    header = json.loads(raw[8 : 8 + n].tobytes())
    w = {}
    for key, t in header.items():
        if key == "__metadata__" or key.endswith(".attn.bias") or key.endswith(".attn.masked_bias"):
            continue
        b, e = t["data_offsets"]
        buf = raw[8 + n + b : 8 + n + e]
        if t["dtype"] == "BF16":
            arr = (np.frombuffer(buf, dtype=np.uint16).astype(np.uint32) << 16).view(np.float32)
        else:
            arr = np.frombuffer(buf, dtype={"F32": np.float32, "F16": np.float16}[t["dtype"]])
        w[key.removeprefix("transformer.")] = torch.from_numpy(
            arr.astype(np.float32).reshape(t["shape"]))
    w.setdefault("lm_head.weight", w["wte.weight"])
    return cfg, w


class GPT2:
    def __init__(self, cfg, w):
        self.w, self.L, self.H = w, cfg["n_layer"], cfg["n_head"]
        self.C, self.eps = cfg["n_embd"], cfg.get("layer_norm_epsilon", 1e-5)

    def lin(self, x, name):  # Conv1D: weight (in, out)
        return torch.addmm(self.w[name + ".bias"], x, self.w[name + ".weight"])

    def ln(self, x, name):
        return F.layer_norm(x, (self.C,), self.w[name + ".weight"], self.w[name + ".bias"], self.eps)

    def forward(self, ids, cache=None):
        """ids (B, T) -> final hidden (B, T, C); cache: per layer [k, v] (B, H, P, hd)."""
        B, T = ids.shape
        C, H, hd = self.C, self.H, self.C // self.H
        past = cache[0][0].shape[2] if cache and cache[0] else 0
        x = self.w["wte.weight"][ids] + self.w["wpe.weight"][past : past + T]
        mask = torch.ones(T, past + T, dtype=torch.bool).tril(past)
        for l in range(self.L):
            p = f"h.{l}."
            qkv = self.lin(self.ln(x, p + "ln_1").view(-1, C), p + "attn.c_attn").view(B, T, 3, H, hd)
            q, k, v = (qkv[:, :, i].transpose(1, 2) for i in range(3))
            if cache is not None:
                if cache[l]:
                    k, v = torch.cat([cache[l][0], k], 2), torch.cat([cache[l][1], v], 2)
                cache[l] = [k, v]
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hd))
            att = att.masked_fill(~mask, float("-inf")).softmax(-1)
            y = (att @ v).transpose(1, 2).reshape(-1, C)
            x = x + self.lin(y, p + "attn.c_proj").view(B, T, C)
            h = F.gelu(self.lin(self.ln(x, p + "ln_2").view(-1, C), p + "mlp.c_fc"), approximate="tanh")
            x = x + self.lin(h, p + "mlp.c_proj").view(B, T, C)
        return self.ln(x, "ln_f")

    def logits(self, h):
        return h @ self.w["lm_head.weight"].t()


def score(model, args):
    seqs = [[int(t) for t in line.split()] for line in open(args.tokens)]
    ids = torch.tensor(seqs)  # equal lengths: one batch, as HF would run it
    t0 = time.time()
    lp = model.logits(model.forward(ids)).log_softmax(-1)
    out = lp[:, :-1].gather(2, ids[:, 1:, None])[..., 0]
    dt = time.time() - t0
    n = out.numel()
    if args.out:
        np.savetxt(args.out, out.numpy(), fmt="%.6f")
    print(f"torch score: {n} tokens in {dt:.3f} s: {n / dt:.1f} tok/s")


def generate(model, args):
    g = torch.Generator().manual_seed(args.seed)
    prompt = torch.tensor([[int(t) for t in args.prompt_ids.split()]])
    cache = [None] * model.L
    t0 = time.time()
    h = model.forward(prompt, cache)
    t1 = time.time()
    out = []
    for i in range(args.n):
        z = model.logits(h[0, -1])
        top, idx = z.topk(args.top_k)
        t = idx[torch.multinomial(top.softmax(-1), 1, generator=g)]
        out.append(int(t))
        if i + 1 < args.n:
            h = model.forward(t.view(1, 1), cache)
    dt = time.time() - t1
    print(f"torch generate: prompt {prompt.shape[1]} tokens in {t1 - t0:.3f} s; "
          f"{args.n} tokens in {dt:.3f} s: {args.n / dt:.1f} tok/s")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("mode", choices=["score", "generate"])
    ap.add_argument("--model", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--tokens", help="score: token-id lines of equal length")
    ap.add_argument("--out", help="score: write the log-probs here")
    ap.add_argument("--prompt-ids", default="464 2068 7586 21831")
    ap.add_argument("-n", type=int, default=128)
    ap.add_argument("--top-k", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    model = GPT2(*load(args.model))
    with torch.inference_mode():
        score(model, args) if args.mode == "score" else generate(model, args)


if __name__ == "__main__":
    sys.exit(main())
