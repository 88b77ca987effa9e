#!/usr/bin/env bash
# CBT on a small random checkpoint (the project's fixture files): eval's acc
# and token count must equal an independent computation of the protocol in
# Python: its own detokenizer for the fixture's tokens, `tokenize shards` for
# the ids, `model logprobs` for the candidates' scores. Also with a window
# that cuts the contexts (the shared context cut once for all candidates),
# and the prefix-cached scores equal the uncached ones (--no-prefix-cache):
# same predictions, every token's log-probability within 1e-4.
set -euo pipefail
. "$WEBTEXT_ROOT/tests/e2e/lib.sh"
need_vocab
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin" && cp "$WEBTEXT_BIN/eval" "$WEBTEXT_BIN/model" "$WEBTEXT_BIN/tokenize" "$tmp/bin/"
WEBTEXT_BIN=$tmp/bin
python3 "$WEBTEXT_ROOT/tests/eval/make_fixtures.py" "$tmp/data" >/dev/null
"$WEBTEXT_BIN/model" init --out "$tmp/m" --n-layer 2 --n-head 2 --n-embd 64 --n-ctx 512 \
  --seed 5 --std 0.3 >/dev/null
"$WEBTEXT_BIN/eval" run --model "$tmp/m" --data "$tmp/data" --tasks cbt-cn,cbt-ne --batch 3 \
  --samples --quiet -o "$tmp/out"
# a window of 64 tokens cuts every context (about 200 tokens): once per
# question, the same for all candidates; with and without the prefix cache
for mode in cached uncached; do
  flag=; [ $mode = uncached ] && flag=--no-prefix-cache
  "$WEBTEXT_BIN/eval" run --model "$tmp/m" --data "$tmp/data" --tasks cbt-cn,cbt-ne --ctx 64 \
    $flag --samples --quiet -o "$tmp/out64-$mode"
done

python3 - "$WEBTEXT_BIN" "$tmp" <<'EOF'
import json, os, struct, subprocess, sys
bin_, tmp = sys.argv[1], sys.argv[2]
CLOSE = {",", ".", "?", "!", ";", ":", ")", "''", "'s", "n't"}

def detok(tokens):
    out, glue = "", True
    for t in tokens:
        space = not glue and t not in CLOSE
        out += (" " if out and space else "") + ('"' if t in ("``", "''") else t)
        glue = t in ("``", "(")
    return out

def encode_all(texts):
    sys.path.insert(0, os.environ["WEBTEXT_ROOT"] + "/tests/eval")
    from tokshards import encode_all as encode
    return encode(bin_, tmp, texts)

def check(out, window):
  """eval's results in `out` against the protocol with a window of `window`
  tokens: context cut to its last window - (longest continuation) tokens."""
  for kind in ["CN", "NE"]:
    lines = open(f"{tmp}/data/cbt/cbtest_{kind}_test_2500ex.txt").read().split("\n")
    examples, cur = [], []
    for line in lines:
        if not line.strip():
            continue
        num, rest = line.split(" ", 1)
        if num != "21":
            cur.append(detok(rest.split()))
            continue
        query, answer, _, cands = rest.split("\t")
        full = detok(query.split())
        i = full.index("XXXXX")
        pre, post = full[:i], full[i + 5:]
        ctx = " ".join(cur) + (" " + pre.rstrip(" ") if pre.strip() else "")
        lead = " " if (pre.endswith(" ") or not pre.strip()) else ""
        cs = cands.split("|")
        examples.append((ctx, [lead + c + post for c in cs], cs.index(answer)))
        cur = []
    texts = []
    for ctx, conts, _ in examples:
        texts += [ctx] + conts
    ids = encode_all(texts)
    seqs, k, cut = [], 0, 0
    for ctx, conts, _ in examples:
        c = ids[k]
        xs = ids[k + 1:k + 1 + len(conts)]
        k += 1 + len(conts)
        keep = min(len(c), window - max(map(len, xs)))
        cut += keep < len(c)
        for x in xs:
            seqs.append((c[len(c) - keep:], x))
    with open(f"{tmp}/seqs.txt", "w") as f:
        for c, x in seqs:
            assert len(c) + len(x) <= window
            f.write(" ".join(map(str, c + x)) + "\n")
    lps = subprocess.run([f"{bin_}/model", "logprobs", "--model", f"{tmp}/m", "--quiet",
                          f"{tmp}/seqs.txt"], check=True, capture_output=True,
                         text=True).stdout.splitlines()
    lps = [list(map(float, line.split()[-len(x):])) for line, (c, x) in zip(lps, seqs)]
    scores = [sum(l) for l in lps]
    samples = [json.loads(l) for l in open(f"{out}/cbt-{kind.lower()}.samples.jsonl")]
    assert len(samples) == len(examples)
    correct, q = 0, 0
    for (_, conts, ans), smp in zip(examples, samples):
        s = scores[q:q + len(conts)]
        for a, b in zip(smp["logprobs"], lps[q:q + len(conts)]):
            assert len(a) == len(b) and all(abs(u - v) < 1e-3 for u, v in zip(a, b)), (a, b)
        q += len(conts)
        correct += s.index(max(s)) == ans
        assert smp["answer"] == ans and smp["prediction"] == s.index(max(s)), (smp, s)
        assert all(abs(a - b) < 1e-3 for a, b in zip(smp["scores"], s)), (smp["scores"], s)
    res = json.load(open(f"{out}/results.json"))["tasks"][f"cbt-{kind.lower()}"]
    print(f"cbt-{kind} window {window}: eval acc {res['metrics']['acc']} ({res['correct']}), "
          f"reference {correct}; contexts cut {res['truncated_contexts']}")
    assert res["examples"] == len(examples)
    assert res["tokens"] == sum(len(x) for _, x in seqs), (res["tokens"], sum(len(x) for _, x in seqs))
    assert res["correct"] == correct
    assert res["truncated_contexts"] == cut

check(f"{tmp}/out", 512)
check(f"{tmp}/out64-cached", 64)
check(f"{tmp}/out64-uncached", 64)
for kind in ["cn", "ne"]:  # cached against uncached, token by token
    a = [json.loads(l) for l in open(f"{tmp}/out64-cached/cbt-{kind}.samples.jsonl")]
    b = [json.loads(l) for l in open(f"{tmp}/out64-uncached/cbt-{kind}.samples.jsonl")]
    assert len(a) == len(b)
    worst = 0.0
    for x, y in zip(a, b):
        assert x["prediction"] == y["prediction"], (x, y)
        for u, v in zip(x["logprobs"], y["logprobs"]):
            assert len(u) == len(v)
            worst = max([worst] + [abs(p - q) for p, q in zip(u, v)])
    assert worst < 1e-4, worst
    print(f"cbt-{kind}: cached = uncached, largest log-probability difference {worst:.2e}")
print("eval_cbt_ref: ok")
EOF
