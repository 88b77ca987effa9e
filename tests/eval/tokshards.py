"""Test helper: many texts through one `tokenize shards` run, read back from
the llm.c shard (its header checked; <|endoftext|> before every document)."""
import json
import os
import shutil
import struct
import subprocess


def encode_all(bin_dir, work, texts):
    """The token ids of each text, in order, as `tokenize shards` writes them."""
    d = os.path.join(work, "enc")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    with open(f"{d}/docs-00000.jsonl", "w") as f:
        for i, t in enumerate(texts):
            f.write(json.dumps({"id": str(i), "text": t}) + "\n")
    subprocess.run([f"{bin_dir}/tokenize", "shards", "--quiet", f"{d}/docs-00000.jsonl", "-o",
                    f"{d}/out"], check=True)
    raw = subprocess.run(["zstd", "-dc", f"{d}/out/tokens-00000.bin.zst"], check=True,
                         capture_output=True).stdout
    hdr = struct.unpack("<256i", raw[:1024])
    assert hdr[0] == 20240520 and hdr[1] == 1, hdr[:3]
    docs = []
    for t in struct.unpack(f"<{hdr[2]}H", raw[1024:]):
        if t == 50256:  # texts here never contain it: it starts a document
            docs.append([])
        else:
            docs[-1].append(t)
    assert len(docs) == len(texts), (len(docs), len(texts))
    return docs
