#!/usr/bin/env python3
"""pipelines/report.py: the corpus report of a pipeline run: counts per stage and per drop reason
(each stage's stats/report JSON), documents, tokens, bytes, top domains beside OpenAI's WebText
top-1000, document lengths, per-stage wall times; OUT/report/report.md plus gnuplot PNG plots.
Streams the documents (zstd -dc), so memory does not grow with the corpus."""

import argparse
import collections
import glob
import json
import math
import os
import shutil
import struct
import subprocess
import sys

TWO_LEVEL_SUFFIXES = {"co.uk", "org.uk", "ac.uk", "gov.uk", "com.au", "net.au", "org.au",
                      "co.nz", "co.jp", "co.in", "com.br", "com.cn", "co.za", "com.mx"}


def domain_label(host):
    """The registered domain's label without its public suffix (www.bbc.co.uk -> bbc), the unit
    of OpenAI's domains.txt. A heuristic (common 2-level suffixes), not the full PSL."""
    host = (host or "").lower().split(":")[0].strip(".")
    parts = host.split(".")
    if len(parts) < 2:
        return host
    if ".".join(parts[-2:]) in TWO_LEVEL_SUFFIXES and len(parts) >= 3:
        return parts[-3]
    return parts[-2]


def zstd_lines(path):
    """Lines of a zstd file, streamed through `zstd -dc`."""
    proc = subprocess.Popen(["zstd", "-dcq", path], stdout=subprocess.PIPE)
    for line in proc.stdout:
        yield line
    proc.wait()


def read_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def flatten(obj, prefix=""):
    """Numeric leaves of a JSON object as (dotted.key, value) pairs, in document order."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from flatten(v, f"{prefix}{k}.")
    elif isinstance(obj, (int, float)) and not isinstance(obj, bool):
        yield prefix[:-1], obj


NOT_COUNTS = ("parameters", "settings", "seconds", "threads", "_per_s", "peak_", "histogram")


def merged_stats(paths):
    """Sum of the count fields (not settings or timings) of several per-shard stats files."""
    total = collections.OrderedDict()
    for p in paths:
        for k, v in flatten(read_json(p) or {}):
            if not any(w in k for w in NOT_COUNTS):
                total[k] = total.get(k, 0) + v
    return total


def stage_stats(out):
    """stage -> (files, summed numeric fields) for every stats/report file the stages wrote."""
    found = collections.OrderedDict()
    for stage, patterns in (("urls", ["urls/stats*.json"]), ("fetch", ["warc/*stats*.json"]),
                            ("extract", ["docs/stats*.json"]),
                            ("dedup", ["dedup/report.json", "dedup/work/cluster/report.json"]),
                            ("tokenize", ["tokens/stats*.json"])):
        for pattern in patterns:  # the first pattern that matches
            paths = sorted(glob.glob(os.path.join(out, pattern)))
            if paths:
                found[stage] = (paths, merged_stats(paths))
                break
    return found


def fetch_log_summary(out):
    """Failure reasons from the fetch logs (crawl-NNNNN.log.jsonl next to the WARC files)."""
    counts = collections.Counter()
    for p in sorted(glob.glob(os.path.join(out, "warc", "*.jsonl*"))):
        lines = zstd_lines(p) if p.endswith(".zst") else open(p, "rb")
        for line in lines:
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            key = str(rec.get("reason", "unknown"))
            if rec.get("status"):
                key += f" ({rec['status']})"
            counts[key] += 1
    return counts


def doc_summary(out):
    """Documents of the final corpus: count, bytes, word-length list, domain counts."""
    paths = sorted(glob.glob(os.path.join(out, "dedup", "docs-*.jsonl.zst")))
    lengths, domains, nbytes, bad = [], collections.Counter(), 0, 0
    for p in paths:
        for line in zstd_lines(p):
            try:
                doc = json.loads(line)
                text = doc["text"]
            except (ValueError, KeyError, TypeError):
                bad += 1
                continue
            nbytes += len(text.encode("utf-8"))
            lengths.append(len(text.split()))
            host = doc.get("domain") or (doc.get("url", "").split("/")[2:3] or [""])[0]
            domains[domain_label(host)] += 1
    return dict(files=paths, lengths=lengths, domains=domains, bytes=nbytes, bad=bad)


def token_summary(out):
    """Token count per shard from the llm.c header (int32 magic 20240520, version, count)."""
    shards = []
    for p in sorted(glob.glob(os.path.join(out, "tokens", "tokens-*.bin.zst"))):
        proc = subprocess.Popen(["zstd", "-dcq", p], stdout=subprocess.PIPE)
        head = proc.stdout.read(12)
        proc.stdout.close()
        proc.wait()
        if len(head) == 12:
            magic, version, count = struct.unpack("<iii", head)
            if magic == 20240520:
                shards.append((os.path.basename(p), count, os.path.getsize(p)))
                continue
        shards.append((os.path.basename(p), None, os.path.getsize(p)))
    return shards


def stage_times(out, order):
    """stage -> list of per-task seconds, from the completion markers, in pipeline order."""
    # a NAME.tmp marker is one being written (or left by a killed task): not a finished task
    marks = [read_json(p) for p in glob.glob(os.path.join(out, ".done", "*")) if not p.endswith(".tmp")]
    rank = {s: i for i, s in enumerate(order)}
    marks = sorted((m for m in marks if m and "stage" in m),
                   key=lambda m: (rank.get(m["stage"], len(rank)), m.get("finished", "")))
    times = collections.OrderedDict()
    for m in marks:
        times.setdefault(m["stage"], []).append(float(m.get("seconds", 0)))
    return times


def openai_domains(path):
    """OpenAI's top-1000 list: label -> (rank, count); None when the file is absent."""
    if not path or not os.path.exists(path):
        return None
    table = {}
    with open(path) as f:
        for rank, line in enumerate(f, 1):
            parts = line.split()
            if len(parts) == 2:
                table[parts[1]] = (rank, int(parts[0]))
    return table


def percentile(sorted_vals, q):
    if not sorted_vals:
        return 0
    return sorted_vals[min(len(sorted_vals) - 1, int(q * len(sorted_vals)))]


def length_histogram(lengths):
    """(bucket lower bound, count) over power-of-two word-count buckets."""
    hist = collections.Counter(2 ** int(math.log2(max(1, n))) for n in lengths)
    return sorted(hist.items())


def gnuplot(script, outdir):
    if not shutil.which("gnuplot"):
        return False
    proc = subprocess.run(["gnuplot"], input=script.encode(), cwd=outdir,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr.decode(errors="replace"))
    return proc.returncode == 0


def write_plots(outdir, hist, top, funnel):
    """lengths.png, domains.png and funnel.png from .dat files written beside them."""
    with open(os.path.join(outdir, "lengths.dat"), "w") as f:
        for lo, n in hist:
            f.write(f'"{lo}-{lo * 2 - 1}" {n}\n')
    with open(os.path.join(outdir, "domains.dat"), "w") as f:
        for label, n in top:
            f.write(f'"{label}" {n}\n')
    with open(os.path.join(outdir, "funnel.dat"), "w") as f:
        for label, n in funnel:
            f.write(f'"{label}" {n}\n')
    common = ('set terminal pngcairo size 900,500 font "sans,10" noenhanced\n'
              'set style fill solid 0.8\nset yrange [0:*]\n'
              'set boxwidth 0.8\nset grid ytics\nset xtics rotate by -40\nunset key\n')
    script = common + (
        'set output "lengths.png"\nset title "Document length (words per document)"\n'
        'set ylabel "documents"\nplot "lengths.dat" using 2:xtic(1) with boxes\n'
        'set output "domains.png"\nset title "Top domains (documents)"\n'
        'plot "domains.dat" using 2:xtic(1) with boxes\n'
        'set output "funnel.png"\nset title "Items after each stage"\nset ylabel "count"\n'
        'plot "funnel.dat" using 2:xtic(1) with boxes\n')
    return gnuplot(script, outdir)


def fmt(n):
    return f"{n:,}" if isinstance(n, int) else (f"{n:,.3f}" if isinstance(n, float) else str(n))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", required=True, help="the pipeline's output folder")
    ap.add_argument("--domains", help="OpenAI's domains.txt (top-1000 WebText domains)")
    ap.add_argument("--no-plots", action="store_true")
    ap.add_argument("--stages", default="", help="the pipeline's stages, in order")
    ap.add_argument("--top", type=int, default=25)
    a = ap.parse_args()
    out = a.out
    rdir = os.path.join(out, "report")
    os.makedirs(rdir, exist_ok=True)

    stats = stage_stats(out)
    fetched = fetch_log_summary(out)
    docs = doc_summary(out)
    tokens = token_summary(out)
    times = stage_times(out, a.stages.split())
    ref = openai_domains(a.domains)
    lengths = sorted(docs["lengths"])
    ntok = sum(t[1] or 0 for t in tokens)

    md = ["# webtext corpus report", "", f"Output folder: `{out}`", "", "## Totals", "",
          "| what | value |", "|---|---:|",
          f"| documents (after dedup) | {fmt(len(lengths))} |",
          f"| text bytes (UTF-8) | {fmt(docs['bytes'])} |",
          f"| words (whitespace-split) | {fmt(sum(lengths))} |",
          f"| tokens (GPT-2 BPE, incl. one <\\|endoftext\\|> per document) | {fmt(ntok)} |",
          f"| token shards | {len(tokens)} ({fmt(sum(t[2] for t in tokens))} bytes zstd) |"]
    if docs["bad"]:
        md.append(f"| unreadable document lines | {fmt(docs['bad'])} |")
    md += ["", "## Counts per stage and drop reason", "",
           "Every numeric field of each stage's statistics, summed over its shards.", ""]
    if not stats:
        md.append("No stage statistics found.")
    for stage, (paths, fields) in stats.items():
        rel = ", ".join(os.path.relpath(p, out) for p in paths[:4]) + (" ..." if len(paths) > 4 else "")
        md += [f"### {stage}", "", f"From {rel}.", "", "| field | value |", "|---|---:|"]
        md += [f"| {k} | {fmt(v)} |" for k, v in fields.items()]
        md.append("")
    if fetched:
        md += ["### fetch failures (fetch logs)", "", "| reason | URLs |", "|---|---:|"]
        md += [f"| {k} | {fmt(v)} |" for k, v in fetched.most_common()]
        md.append("")

    md += ["## Document lengths (words)", ""]
    if lengths:
        md += ["| mean | p10 | p50 | p90 | p99 | max |", "|---:|---:|---:|---:|---:|---:|",
               f"| {sum(lengths) / len(lengths):,.0f} | {percentile(lengths, .1):,} | "
               f"{percentile(lengths, .5):,} | {percentile(lengths, .9):,} | "
               f"{percentile(lengths, .99):,} | {lengths[-1]:,} |", "",
               "| words | documents |", "|---|---:|"]
        hist = length_histogram(lengths)
        md += [f"| {lo:,}-{lo * 2 - 1:,} | {n:,} |" for lo, n in hist]
    else:
        hist = []
        md.append("No documents.")
    md.append("")

    top = docs["domains"].most_common(a.top)
    md += ["## Top domains beside OpenAI's WebText top-1000", ""]
    if ref is None:
        md += [f"OpenAI's domains.txt is absent (looked for `{a.domains}`; it is "
               "`webtext-domains/domains.txt` under $WEBTEXT_DATA), so no comparison.", "",
               "| domain | documents | share |", "|---|---:|---:|"]
        md += [f"| {d} | {n:,} | {n / max(1, len(lengths)):.1%} |" for d, n in top]
    else:
        total_ref = sum(c for _, c in ref.values())
        ours = set(docs["domains"])
        md += ["Domains are registered-domain labels without the public suffix, the unit of "
               "OpenAI's list (github.com/openai/gpt-2 `domains.txt`; its counts are probably "
               "links, not documents, see its SOURCE.md).", "",
               f"{len(ours & set(ref))} of our {len(ours)} domains are in OpenAI's top 1,000.", "",
               "| domain | our documents | our share | OpenAI rank | OpenAI share |",
               "|---|---:|---:|---:|---:|"]
        for d, n in top:
            r = ref.get(d)
            md.append(f"| {d} | {n:,} | {n / max(1, len(lengths)):.1%} | "
                      f"{r[0] if r else '-'} | {f'{r[1] / total_ref:.2%}' if r else '-'} |")
        md += ["", "OpenAI's top 10 and our counts:", "", "| OpenAI rank | domain | our documents |",
               "|---:|---|---:|"]
        for d, (rank, _) in sorted(ref.items(), key=lambda kv: kv[1][0])[:10]:
            md.append(f"| {rank} | {d} | {docs['domains'].get(d, 0):,} |")
    md.append("")

    if times:
        md += ["## Wall time per stage (from the completion markers)", "",
               "| stage | tasks | total task-seconds | slowest task (s) |", "|---|---:|---:|---:|"]
        md += [f"| {s} | {len(v)} | {sum(v):,.1f} | {max(v):,.1f} |" for s, v in times.items()]
        md.append("")

    funnel = []  # items left after each stage, from the counts each stage reports
    for label, stage, key in (("posts read", "urls", "records_read"), ("URLs kept", "urls", "kept"),
                              ("pages fetched", "fetch", "responses"),
                              ("documents extracted", "extract", "docs"),
                              ("after dedup", "dedup", "kept")):
        if stage in stats and key in stats[stage][1]:
            funnel.append((label, stats[stage][1][key]))
    funnel.append(("final documents", len(lengths)))
    if not a.no_plots and lengths:
        if write_plots(rdir, hist, top, funnel):
            md += ["## Plots", "", "![document lengths](lengths.png)", "",
                   "![top domains](domains.png)", "", "![stage funnel](funnel.png)", ""]
        else:
            md += ["Plots skipped: gnuplot is not installed (Debian package gnuplot-nox).", ""]

    results = os.path.join(out, "eval", "results.md")
    if os.path.exists(results):
        md += ["## Evaluation", "", open(results).read(), ""]

    tmp = os.path.join(rdir, "report.md.tmp")
    with open(tmp, "w") as f:
        f.write("\n".join(md) + "\n")
    os.replace(tmp, os.path.join(rdir, "report.md"))
    print(f"report: {os.path.join(rdir, 'report.md')}: {len(lengths)} documents, {ntok} tokens",
          file=sys.stderr)


if __name__ == "__main__":
    main()
