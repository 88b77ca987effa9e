#!/usr/bin/env bash
# LAMBADA on a small random checkpoint, first 200 passages: eval's acc and ppl
# must equal an independent computation of the same protocol, done here in
# Python with only bin/tokenize (context and context+target ids, via `shards`
# and spot-checked with `encode`),
# bin/model logprobs (the target's log-probabilities) and bin/model generate
# --top-k 1 (greedy continuation of the context: correct iff it is the target).
set -euo pipefail
. "$WEBTEXT_ROOT/tests/e2e/lib.sh"
need_data lambada/lambada_test_openai.jsonl
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# private copies: the binaries stay the same for the whole (long) comparison
mkdir "$tmp/bin" && cp "$WEBTEXT_BIN/eval" "$WEBTEXT_BIN/model" "$WEBTEXT_BIN/tokenize" "$tmp/bin/"
WEBTEXT_BIN=$tmp/bin
n=200
# larger weights than GPT-2's init so that the predictions are not flat
"$WEBTEXT_BIN/model" init --out "$tmp/m" --n-layer 2 --n-head 2 --n-embd 64 --n-ctx 512 \
  --seed 11 --std 0.3 >/dev/null

python3 - "$WEBTEXT_BIN" "$tmp" "$WEBTEXT_DATA/lambada/lambada_test_openai.jsonl" $n <<'EOF'
import json, math, os, re, struct, subprocess, sys
from concurrent.futures import ThreadPoolExecutor
bin_, tmp, lambada, n_real = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

def encode(text):
    out = subprocess.run([f"{bin_}/tokenize", "encode"], input=text.encode(), check=True,
                         capture_output=True).stdout.split()
    return [int(x) for x in out]

def encode_all(texts):
    """Many texts in one `tokenize shards` run: one document each; the shard
    has 50256 before every document, the .idx gives where each starts."""
    d = f"{tmp}/enc"
    subprocess.run(["rm", "-rf", d], check=True)
    os.makedirs(d)
    with open(f"{d}/docs-00000.jsonl", "w") as f:
        for i, t in enumerate(texts):
            f.write(json.dumps({"id": str(i), "text": t}) + "\n")
    subprocess.run([f"{bin_}/tokenize", "shards", "--quiet", f"{d}/docs-00000.jsonl", "-o",
                    f"{d}/out"], check=True)
    raw = subprocess.run(["zstd", "-dc", f"{d}/out/tokens-00000.bin.zst"], check=True,
                         capture_output=True).stdout
    hdr = struct.unpack("<256i", raw[:1024])
    assert hdr[0] == 20240520 and hdr[1] == 1
    toks = struct.unpack(f"<{hdr[2]}H", raw[1024:])
    docs, cur = [], None
    for t in toks:  # documents begin with 50256 (texts here never contain it)
        if t == 50256:
            cur = []
            docs.append(cur)
        else:
            cur.append(t)
    assert len(docs) == len(texts), (len(docs), len(texts))
    return docs

def decode(ids):
    return subprocess.run([f"{bin_}/tokenize", "decode"], input=" ".join(map(str, ids)).encode(),
                          check=True, capture_output=True).stdout.decode()

def reference(path, n, out):
  subprocess.run([f"{bin_}/eval", "run", "--model", f"{tmp}/m", "--tasks", "lambada", "--limit",
                  str(n), "--samples", "--quiet", "--batch", "7", "--data", os.path.dirname(os.path.dirname(path)),
                  "-o", out], check=True)
  texts = []
  with open(path, encoding="utf-8") as f:
      for line in f:
          if len(texts) == n:
              break
          t = json.loads(line)["text"].rstrip()
          sp = t.rindex(" ")
          texts.append((t[:sp], t[sp:]))  # context, " " + last word

  ids = encode_all([c for c, _ in texts] + [c + t for c, t in texts])
  ctx_ids, full_ids = ids[:n], ids[n:]
  # spot-check the batch encoder against one-text `tokenize encode` runs
  for i in (0, n - 1):
      assert ctx_ids[i] == encode(texts[i][0]) and full_ids[i] == encode(texts[i][0] + texts[i][1])
  tgt_ids = []
  for c, full in zip(ctx_ids, full_ids):
      assert full[: len(c)] == c and len(full) > len(c), "prefix property (the test assumes it)"
      assert len(full) <= 512, "passage longer than the test model's n_ctx"
      tgt_ids.append(full[len(c):])

  with open(f"{tmp}/seqs.txt", "w") as f:
      for full in full_ids:
          f.write(" ".join(map(str, full)) + "\n")
  lp_lines = subprocess.run([f"{bin_}/model", "logprobs", "--model", f"{tmp}/m", "--quiet",
                             f"{tmp}/seqs.txt"], check=True, capture_output=True,
                            text=True).stdout.splitlines()
  assert len(lp_lines) == n
  sums = []
  for line, t in zip(lp_lines, tgt_ids):
      lps = [float(x) for x in line.split()]
      sums.append(sum(lps[-len(t):]))

  def greedy(i):
      out = subprocess.run([f"{bin_}/model", "generate", "--model", f"{tmp}/m", "--prompt-ids",
                            " ".join(map(str, ctx_ids[i])), "-n", str(len(tgt_ids[i])), "--top-k",
                            "1"], check=True, capture_output=True, text=True).stdout.split()
      return [int(x) for x in out]

  with ThreadPoolExecutor(2) as ex:
      gen = list(ex.map(greedy, range(n)))
  correct = [g == t for g, t in zip(gen, tgt_ids)]
  ref_acc = sum(correct) / n
  ref_ppl = math.exp(-sum(sums) / n)

  res = json.load(open(f"{out}/results.json"))["tasks"]["lambada"]
  samples = [json.loads(l) for l in open(f"{out}/lambada.samples.jsonl")]
  assert len(samples) == n and res["examples"] == n
  for i, s in enumerate(samples):
      assert s["target_ids"] == tgt_ids[i], (i, s["target_ids"], tgt_ids[i])
      assert abs(s["logprob"] - sums[i]) < 1e-3, (i, s["logprob"], sums[i])
      assert s["greedy"][0] == gen[i][0], (i, s["greedy"], gen[i])
      assert s["correct"] == correct[i], (i, s, gen[i], tgt_ids[i])
  acc, ppl = res["metrics"]["acc"], res["metrics"]["ppl"]
  print(f"eval acc {acc} ppl {ppl}; reference acc {ref_acc} ppl {ref_ppl}; "
        f"{sum(correct)} correct, first-token hits {sum(g[0] == t[0] for g, t in zip(gen, tgt_ids))}")
  assert abs(acc - ref_acc) < 1e-4, (acc, ref_acc)
  assert abs(ppl - ref_ppl) < 1e-4 * ref_ppl, (ppl, ref_ppl)
  assert res["tokens"] == sum(map(len, tgt_ids))
  return acc

# 1. OpenAI's LAMBADA, first n_real passages
reference(lambada, n_real, f"{tmp}/out1")

# 2. Passages whose last word is the model's own greedy next token (so that
# accuracy is not trivially 0 on a random model), mixed with real ones: the
# first 30 contexts, each followed by the decoded greedy token when that is
# " " + letters; acc must be > 0 and equal the reference's.
os.makedirs(f"{tmp}/crafted/lambada")
crafted = []
with open(lambada, encoding="utf-8") as f:
    for line in f:
        if len(crafted) == 30:
            break
        t = json.loads(line)["text"].rstrip()
        ctx = t[: t.rindex(" ")]
        g = subprocess.run([f"{bin_}/model", "generate", "--model", f"{tmp}/m", "--prompt-ids",
                            " ".join(map(str, encode(ctx))), "-n", "1", "--top-k", "1"],
                           check=True, capture_output=True, text=True).stdout.split()
        word = decode([int(g[0])])
        crafted.append(ctx + word if re.fullmatch(r" [A-Za-z]+", word) else t)
with open(f"{tmp}/crafted/lambada/lambada_test_openai.jsonl", "w") as f:
    for t in crafted:
        f.write(json.dumps({"text": t}) + "\n")
acc = reference(f"{tmp}/crafted/lambada/lambada_test_openai.jsonl", len(crafted), f"{tmp}/out2")
assert acc > 0, "no crafted passage was predicted"
print("eval_lambada_ref: ok")
EOF
