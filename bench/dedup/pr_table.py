#!/usr/bin/env python3
"""Markdown table from eval_dedup.py results: DIR then config names like
20x5v0.7 (bands x rows, verification threshold; v0 = none)."""
import json
import sys

BINS = ["0.3-0.4", "0.4-0.5", "0.5-0.6", "0.6-0.7", "0.7-0.8", "0.8-0.9", "0.9-1.0"]


def main():
    d, cfgs = sys.argv[1], sys.argv[2:]
    print("| bands×rows, verify | hashes | (1/b)^(1/r) | " + " | ".join("J " + b for b in BINS)
          + " | recall J≥0.8 | distinct removed | precision |")
    print("|" + "---|" * (len(BINS) + 6))
    for c in cfgs:
        e = json.load(open("%s/eval-%s.json" % (d, c)))
        br, v = c.split("v")
        b, r = map(int, br.split("x"))
        rec = e["near_recall_by_jaccard"]
        cells = ["%.3f" % rec[k][2] if k in rec else "-" for k in BINS]
        print("| %d×%d, %s | %d | %.2f | %s | %.4f | %d (%.2f%%) | %.4f |" % (
            b, r, v if v != "0" else "off", b * r, (1 / b) ** (1 / r), " | ".join(cells),
            e["near_ge_0.8_recall"], e["distinct_removed"], 100 * e["distinct_removed_share"],
            e["precision"]))
    e = json.load(open("%s/eval-%s.json" % (d, cfgs[0])))
    print("\nnear-copy pairs per Jaccard bin:", {k: v[1] for k, v in e["near_recall_by_jaccard"].items()},
          "; distinct documents:", e["distinct"], "; documents:", e["documents"])


if __name__ == "__main__":
    main()
