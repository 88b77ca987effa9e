#!/usr/bin/env python3
"""Scores a dedup output folder against gen_corpus.py's truth file: which
planted documents were removed, recall of near copies by 5-gram Jaccard,
and the share of distinct documents removed. Prints one JSON object."""
import glob
import json
import subprocess
import sys


def kept_gids(folder):
    gids = []
    for path in sorted(glob.glob(folder + "/docs-*.jsonl.zst")):
        out = subprocess.run(["zstd", "-dc", path], check=True, capture_output=True).stdout
        for line in out.splitlines():
            if line.strip():
                gids.append(json.loads(line)["gid"])
    return gids


def main():
    truth_path, folder = sys.argv[1], sys.argv[2]
    truth = [json.loads(l) for l in open(truth_path)]
    kept_list = kept_gids(folder)
    kept = set(kept_list)
    by = {t["gid"]: t for t in truth}
    r = {"documents": len(truth), "kept": len(kept_list), "kept_unique": len(kept)}
    wiki = [t for t in truth if t["kind"] == "wikipedia"]
    r["wikipedia"] = len(wiki)
    r["wikipedia_kept"] = sum(t["gid"] in kept for t in wiki)
    # groups: a base and its exact copies must keep exactly one
    groups = {}
    for t in truth:
        if t["kind"] in ("exact",):
            groups.setdefault(t["base"], [t["base"]]).append(t["gid"])
    r["exact_groups"] = len(groups)
    r["exact_groups_over_kept"] = sum(sum(g in kept for g in m) > 1 for m in groups.values())
    # clusters: a base with its exact copies and near copies of Jaccard >= 0.8 keeps one
    clusters = {}
    for t in truth:
        if t["kind"] == "exact" or (t["kind"] == "near" and t["jaccard"] >= 0.8):
            clusters.setdefault(t["base"], [t["base"]]).append(t["gid"])
    r["clusters_over_kept"] = sum(sum(g in kept for g in m) > 1 for m in clusters.values())
    r["clusters_none_kept"] = sum(sum(g in kept for g in m) == 0 for m in clusters.values())
    # near copies: caught when the copy is not kept beside a member of its base's
    # exact group (the base and its exact copies, which always keep one)
    bins = {}
    hi = [0, 0]
    for t in truth:
        if t["kind"] != "near":
            continue
        b = min(9, int(t["jaccard"] * 10))
        group = groups.get(t["base"], [t["base"]])
        caught = not (t["gid"] in kept and any(g in kept for g in group))
        e = bins.setdefault("%.1f-%.1f" % (b / 10, b / 10 + 0.1), [0, 0])
        e[0] += caught
        e[1] += 1
        if t["jaccard"] >= 0.8:
            hi[0] += caught
            hi[1] += 1
    r["near_recall_by_jaccard"] = {k: [v[0], v[1], round(v[0] / v[1], 4)] for k, v in sorted(bins.items())}
    r["near_ge_0.8"] = hi[1]
    r["near_ge_0.8_recall"] = hi[0] / hi[1] if hi[1] else 1.0
    # distinct documents (no planted copy of them, or the base of a group) wrongly removed:
    # a base may be removed in favour of one of its copies, so only groupless ones count
    has_copy = {t["base"] for t in truth if t["base"] >= 0}
    distinct = [t for t in truth if t["kind"] in ("distinct", "related") and t["gid"] not in has_copy]
    r["distinct"] = len(distinct)
    r["distinct_removed"] = sum(t["gid"] not in kept for t in distinct)
    r["distinct_removed_share"] = r["distinct_removed"] / max(1, len(distinct))
    removed = len(truth) - len(kept)
    r["removed"] = removed
    r["precision"] = 1 - r["distinct_removed"] / max(1, removed)
    r["duplicate_kept_lines"] = len(kept_list) - len(kept)
    print(json.dumps(r, indent=1))


if __name__ == "__main__":
    main()
