#!/usr/bin/env bash
# `eval table` on three results.json (one from a real run, two derived from it
# with other names and figures): one Markdown Table 3 with the five paper rows
# then the three models in the order given, each column's protocol stated
# once below it, the LAMBADA variants, and the CSV beside it with the same
# figures.
set -uo pipefail
: "${WEBTEXT_BIN:?}"
. "$WEBTEXT_ROOT/tests/e2e/lib.sh"
need_vocab
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
"$WEBTEXT_BIN/model" init --out "$tmp/m" --n-layer 1 --n-head 2 --n-embd 16 --n-ctx 64 --zero >/dev/null || fail init
mkdir -p "$tmp/data/ptb" "$tmp/data/lambada"
printf ' a small test line \n another one here \n' >"$tmp/data/ptb/ptb.test.txt"
printf '{"text": "He opened the door"}\n{"text": "She saw them"}\n' >"$tmp/data/lambada/lambada_test_openai.jsonl"
"$WEBTEXT_BIN/eval" run --model "$tmp/m" --data "$tmp/data" --tasks lambada,ptb --quiet -o "$tmp/r1" || fail "eval run"
python3 - "$tmp" <<'EOF' || fail "derived results"
import json, sys
tmp = sys.argv[1]
r = json.load(open(f"{tmp}/r1/results.json"))
for i, (name, ppl, acc) in enumerate([("gpt2-medium", 22.5, 0.5), ("gpt2-large", 19.25, 0.75)]):
    r["model"]["dir"] = name
    r["tasks"]["ptb"]["metrics"]["word_ppl"] = ppl
    r["tasks"]["lambada"]["metrics"]["acc_stopword_filter"] = acc
    json.dump(r, open(f"{tmp}/r{i + 2}.json", "w"))
EOF
"$WEBTEXT_BIN/eval" table "$tmp/r1/results.json" "$tmp/r2.json" "$tmp/r3.json" -o "$tmp/t.md" 2>/dev/null || fail "eval table"
[ -f "$tmp/t.csv" ] || fail "no CSV beside table.md"
python3 - "$tmp" <<'EOF' || fail "table content"
import csv, json, sys
tmp = sys.argv[1]
md = open(f"{tmp}/t.md").read()
rows = [l for l in md.splitlines() if l.startswith("| ")]
# the first table: header, 5 paper rows, 3 models in the order given
head = rows[0].split("|")[1:-1]
assert [h.strip() for h in head][:3] == ["model", "LAMBADA (PPL)", "LAMBADA (ACC)"], head
body = rows[1:9]
assert [r.split("|")[1].strip() for r in body[:5]] == [
    "SOTA (paper)", "117M (paper)", "345M (paper)", "762M (paper)", "1542M (paper)"], body
models = [r.split("|")[1].strip() for r in body[5:8]]
assert models == [f"{tmp}/m", "gpt2-medium", "gpt2-large"], models
ptb_col = [h.strip() for h in head].index("PTB (PPL)")
acc_col = [h.strip() for h in head].index("LAMBADA (ACC)")
assert body[6].split("|")[ptb_col + 1].strip() == "22.5", body[6]
assert body[7].split("|")[acc_col + 1].strip() == "75.00", body[7]
# every column's protocol once, the sources named, the LAMBADA variants table
for col in ["LAMBADA (PPL)", "LAMBADA (ACC)", "CBT-CN (ACC)", "WikiText2 (PPL)", "1BW (PPL)"]:
    assert md.count(f"- **{col}**:") == 1, col
for src in ["openai/gpt-2#131", "huggingface/transformers#13761", "lm-evaluation-harness#2159"]:
    assert src in md, src
assert md.count("| gpt2-large |") == 2 and "acc_last_token" in md  # Table 3, LAMBADA variants
# the CSV: header, 5 paper rows, 3 runs with the results' figures
c = list(csv.reader(open(f"{tmp}/t.csv")))
assert len(c) == 9 and c[0][:3] == ["model", "source", "lambada.ppl"], c[0]
assert [x[0] for x in c[6:]] == [f"{tmp}/m", "gpt2-medium", "gpt2-large"]
r1 = json.load(open(f"{tmp}/r1/results.json"))["tasks"]
i = c[0].index("ptb.word_ppl")
assert abs(float(c[6][i]) / r1["ptb"]["metrics"]["word_ppl"] - 1) < 1e-5
assert float(c[7][i]) == 22.5 and float(c[8][c[0].index("lambada.acc_stopword_filter")]) == 75
assert c[2][c[0].index("lambada.acc_stopword_filter")] == "45.99"
print("eval_table: ok")
EOF
# usage and bad input
"$WEBTEXT_BIN/eval" table 2>/dev/null; [ $? -eq 2 ] || fail "no files: exit"
echo '{"x": 1' >"$tmp/bad.json"
"$WEBTEXT_BIN/eval" table "$tmp/bad.json" 2>"$tmp/err"; [ $? -eq 1 ] || fail "bad json: exit"
grep -q "bad.json:" "$tmp/err" || fail "bad json: message"
"$WEBTEXT_BIN/eval" table "$tmp/r2.json" >"$tmp/stdout.md" || fail "stdout: exit"
grep -q "| gpt2-medium |" "$tmp/stdout.md" || fail "stdout"
