#!/usr/bin/env bash
# LAMBADA on a small random checkpoint, first 200 passages: eval's acc and ppl
# must equal an independent computation of the same protocol, done here in
# Python with only bin/tokenize (context and context+target ids, via `shards`
# and spot-checked with `encode`),
# bin/model logprobs (the target's log-probabilities), bin/model generate
# --top-k 1 (greedy continuation of the context: correct iff it is the target)
# and bin/model next (the whole next-token distribution at every target
# position, through the KV cache): acc, ppl, acc_last_token, ppl_last_token,
# acc_stopword_filter and stopword_targets, each from the stated protocol.
set -euo pipefail
. "$WEBTEXT_ROOT/tests/e2e/lib.sh"
need_data lambada/lambada_test_openai.jsonl
need_vocab
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
import array, json, math, os, re, struct, subprocess, sys
from concurrent.futures import ThreadPoolExecutor
bin_, tmp, lambada, n_real = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
V = 50257

# The stop-word filter's protocol, stated independently of eval/stopwords.c:
# NLTK's original 127-word English list; a token is a stop-word token when its
# text is " " + one of them, in any case.
STOP = set("""a about above after again against all am an and any are as at be because been
before being below between both but by can did do does doing don down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it its
itself just me more most my myself no nor not now of off on once only or other our ours ourselves
out over own s same she should so some such t than that the their theirs them themselves then
there these they this those through to too under until up very was we were what when where which
while who whom why will with you your yours yourself yourselves""".split())
assert len(STOP) == 127

def byte_decoder():
    """GPT-2's byte-to-character table, inverted (printable Latin-1 bytes map
    to themselves, the others to 256, 257, ... in byte order)."""
    keep = list(range(33, 127)) + list(range(161, 173)) + list(range(174, 256))
    table, extra = {}, 0
    for b in range(256):
        if b in keep:
            table[chr(b)] = b
        else:
            table[chr(256 + extra)] = b
            extra += 1
    return table

vocab_dir = os.environ.get("WEBTEXT_VOCAB") or os.path.expanduser("~/.local/share/webtext/gpt2-vocab")
bd = byte_decoder()
stop_ids = set()
for tok, i in json.load(open(f"{vocab_dir}/encoder.json", encoding="utf-8")).items():
    if tok == "<|endoftext|>":
        continue
    b = bytes(bd[ch] for ch in tok)
    if len(b) > 1 and b[:1] == b" " and b[1:].decode("latin-1").lower() in STOP:
        stop_ids.add(i)
assert len(stop_ids) > 127, len(stop_ids)

def first_argmax(row, skip=()):
    best = -1
    for t in range(V):
        if t in skip:
            continue
        if best < 0 or row[t] > row[best]:
            best = t
    return best

def encode(text):
    out = subprocess.run([f"{bin_}/tokenize", "encode"], input=text.encode(), check=True,
                         capture_output=True).stdout.split()
    return [int(x) for x in out]

def encode_all(texts):
    sys.path.insert(0, os.environ["WEBTEXT_ROOT"] + "/tests/eval")
    from tokshards import encode_all as encode
    return encode(bin_, tmp, texts)

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

  # every target position's whole distribution, given the true tokens before it
  lines, where = [], []
  for i, (c, full) in enumerate(zip(ctx_ids, full_ids)):
      for k in range(len(c), len(full)):
          lines.append(" ".join(map(str, full[:k])))
          where.append((i, k - len(c)))
  with open(f"{tmp}/next.txt", "w") as f:
      f.write("\n".join(lines) + "\n")
  subprocess.run([f"{bin_}/model", "next", "--model", f"{tmp}/m", f"{tmp}/next.txt", "-o",
                  f"{tmp}/next.f32"], check=True)
  hits = [[None] * len(t) for t in tgt_ids]
  filt, last_lp = [None] * n, [None] * n
  with open(f"{tmp}/next.f32", "rb") as f:
      for i, j in where:
          row = array.array("f")
          row.frombytes(f.read(4 * V))
          assert len(row) == V
          t = tgt_ids[i]
          hits[i][j] = first_argmax(row) == t[j]
          if j == 0:
              filt[i] = first_argmax(row, stop_ids)
          if j == len(t) - 1:
              last_lp[i] = row[t[j]]
  ref_all = [all(h) for h in hits]
  ref_last = [h[-1] for h in hits]
  ref_filt = [filt[i] == t[0] and all(hits[i][1:]) for i, t in enumerate(tgt_ids)]
  ref_stop = sum(t[0] in stop_ids for t in tgt_ids)
  assert ref_all == correct, "teacher-forced argmax and greedy generation disagree"

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
  m = res["metrics"]
  for i, s in enumerate(samples):
      assert s["correct_last_token"] == ref_last[i], (i, s)
      assert s["correct_stopword_filter"] == ref_filt[i], (i, s, filt[i], tgt_ids[i])
      assert s["stopword_target"] == (tgt_ids[i][0] in stop_ids), (i, s)
      if s["greedy_filtered"] >= 0:
          assert s["greedy_filtered"] == filt[i], (i, s, filt[i])
      assert abs(s["logprob_last_token"] - last_lp[i]) < 1e-3, (i, s, last_lp[i])
  ref_ppl_last = math.exp(-sum(last_lp) / n)
  print(f"eval acc_last_token {m['acc_last_token']} ppl_last_token {m['ppl_last_token']} "
        f"acc_stopword_filter {m['acc_stopword_filter']} stopword_targets "
        f"{res['stopword_targets']}; reference {sum(ref_last) / n} {ref_ppl_last} "
        f"{sum(ref_filt) / n} {ref_stop}")
  assert abs(m["acc_last_token"] - sum(ref_last) / n) < 1e-9
  assert abs(m["ppl_last_token"] - ref_ppl_last) < 1e-4 * ref_ppl_last
  assert abs(m["acc_stopword_filter"] - sum(ref_filt) / n) < 1e-9
  assert res["stopword_targets"] == ref_stop
  return m

# 1. OpenAI's LAMBADA, first n_real passages
reference(lambada, n_real, f"{tmp}/out1")

# 2. Passages whose last word is the model's own prediction (so that accuracy
# is not trivially 0 on a random model), mixed with real ones: the first 30
# contexts, each followed by the decoded greedy token (even passages) or the
# best token that is not a stop-word token (odd ones) when that is
# " " + letters; acc and acc_stopword_filter must be > 0 and equal the
# reference's.
os.makedirs(f"{tmp}/crafted/lambada")
real = []
with open(lambada, encoding="utf-8") as f:
    for line in f:
        if len(real) == 30:
            break
        t = json.loads(line)["text"].rstrip()
        real.append((t, t[: t.rindex(" ")]))
with open(f"{tmp}/ctx.txt", "w") as f:
    f.write("\n".join(" ".join(map(str, encode(c))) for _, c in real) + "\n")
subprocess.run([f"{bin_}/model", "next", "--model", f"{tmp}/m", f"{tmp}/ctx.txt", "-o",
                f"{tmp}/ctx.f32"], check=True)
crafted = []
with open(f"{tmp}/ctx.f32", "rb") as f:
    for i, (t, ctx) in enumerate(real):
        row = array.array("f")
        row.frombytes(f.read(4 * V))
        word = decode([first_argmax(row, stop_ids if i % 2 else ())])
        crafted.append(ctx + word if re.fullmatch(r" [A-Za-z]+", word) else t)
with open(f"{tmp}/crafted/lambada/lambada_test_openai.jsonl", "w") as f:
    for t in crafted:
        f.write(json.dumps({"text": t}) + "\n")
m = reference(f"{tmp}/crafted/lambada/lambada_test_openai.jsonl", len(crafted), f"{tmp}/out2")
assert m["acc"] > 0 and m["acc_stopword_filter"] > 0, ("no crafted passage was predicted", m)
print("eval_lambada_ref: ok")
EOF
