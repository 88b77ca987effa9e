#!/usr/bin/env bash
# LAMBADA's stop-word-filtered accuracy on a hand-made checkpoint whose
# prediction is the same everywhere: an all-zero model patched so that the
# final layer norm outputs e0 (gain 0, bias e0) and wte[" the"] = 2 e0,
# wte[" door"] = e0. Every position then has logits 2 for " the", 1 for
# " door", 0 for the rest, so acc, acc_stopword_filter and ppl are known
# in closed form. The filter must not look at the target: its prediction is
# " door" for every passage, also when the target itself is a stop-word
# (" the", " them"); such targets count as wrong and are counted.
set -euo pipefail
. "$WEBTEXT_ROOT/tests/e2e/lib.sh"
need_vocab
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$WEBTEXT_BIN/model" init --out "$tmp/m" --n-layer 1 --n-head 2 --n-embd 16 --n-ctx 64 --zero >/dev/null
the=$(printf ' the' | "$WEBTEXT_BIN/tokenize" encode)
door=$(printf ' door' | "$WEBTEXT_BIN/tokenize" encode)
mkdir -p "$tmp/data/lambada"
python3 - "$tmp" "$the" "$door" <<'EOF'
import json, struct, sys
tmp, the, door = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
path = f"{tmp}/m/model.safetensors"
raw = bytearray(open(path, "rb").read())
hlen = struct.unpack("<Q", raw[:8])[0]
hdr = json.loads(raw[8:8 + hlen])
def tensor(name):
    for k in (name, "transformer." + name):
        if k in hdr:
            return hdr[k]
    raise KeyError(name)
def put(name, index, value):
    t = tensor(name)
    assert t["dtype"] == "F32"
    off = 8 + hlen + t["data_offsets"][0] + 4 * index
    raw[off:off + 4] = struct.pack("<f", value)
n_embd = 16
for i in range(n_embd):
    put("ln_f.weight", i, 0.0)
put("ln_f.bias", 0, 1.0)
put("wte.weight", the * n_embd, 2.0)
put("wte.weight", door * n_embd, 1.0)
open(path, "wb").write(raw)
texts = ["I walked up to the big door",        # target " door": filter right, plain wrong
         "He looked out of the window",        # target " window": both wrong
         "She said that it was the",           # target " the": plain right, filter wrong
         "They knocked on the door",           # " door" again
         "Then we saw them",                   # target " them": a stop-word, both wrong
         "Night fell over the werewolves"]     # " were" + "wolves": begins with a stop-word token
with open(f"{tmp}/data/lambada/lambada_test_openai.jsonl", "w") as f:
    for t in texts:
        f.write(json.dumps({"text": t}) + "\n")
EOF
"$WEBTEXT_BIN/eval" run --model "$tmp/m" --data "$tmp/data" --tasks lambada --samples --quiet -o "$tmp/out"
python3 - "$tmp" "$the" "$door" <<'EOF'
import json, math, sys
tmp, the, door = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
V = 50257
lse = math.log(math.exp(2) + math.exp(1) + (V - 2))
lp = {" door": 1 - lse, " window": 0 - lse, " the": 2 - lse, " them": 0 - lse,
      " werewolves": 2 * (0 - lse)}  # two tokens, neither " the" nor " door"
targets = [" door", " window", " the", " door", " them", " werewolves"]
r = json.load(open(f"{tmp}/out/results.json"))["tasks"]["lambada"]
m = r["metrics"]
n = len(targets)
assert r["correct"] == 1 and abs(m["acc"] - 1 / n) < 1e-9, m
assert r["correct_last_token"] == 1, r  # " the" only
assert abs(m["acc_last_token"] - 1 / n) < 1e-9, m
assert r["correct_stopword_filter"] == 2, r  # the two " door" passages only
assert abs(m["acc_stopword_filter"] - 2 / n) < 1e-9, m
assert r["stopword_targets"] == 3, r  # " the", " them", " were|wolves"
want_ppl = math.exp(-sum(lp[t] for t in targets) / n)
assert abs(m["ppl"] / want_ppl - 1) < 1e-5, (m["ppl"], want_ppl)
last = {t: (v / 2 if t == " werewolves" else v) for t, v in lp.items()}
want_last = math.exp(-sum(last[t] for t in targets) / n)
assert abs(m["ppl_last_token"] / want_last - 1) < 1e-5, (m["ppl_last_token"], want_last)
samples = [json.loads(l) for l in open(f"{tmp}/out/lambada.samples.jsonl")]
assert [s["stopword_target"] for s in samples] == [False, False, True, False, True, True], samples
for s in samples:
    assert s["greedy"] == [the] * len(s["target_ids"]), s
    # the filtered prediction is the same whatever the target; -1 where it
    # could not change the verdict (a target that begins with a stop-word)
    assert s["greedy_filtered"] == (-1 if s["stopword_target"] else door), s
print("eval_stopword: ok", m)
EOF
