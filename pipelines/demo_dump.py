#!/usr/bin/env python3
"""pipelines/demo_dump.py: writes synthetic Pushshift submission dumps (RS_YYYY-MM.zst, NDJSON
with the real dumps' field names, zstd-compressed) whose link posts point at the demo site
(demo_corpus.Catalogue), plus the posts crawl urls must drop: self posts, images, low karma,
NSFW, reddit links, a malformed line. Deterministic for a seed."""

import argparse
import json
import os
import random
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from demo_corpus import Catalogue  # noqa: E402

SUBREDDITS = ["worldnews", "science", "technology", "todayilearned", "books", "history",
              "programming", "space", "Economics", "philosophy"]


def base36(n):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    s = ""
    while True:
        n, r = divmod(n, 36)
        s = digits[r] + s
        if n == 0:
            return s


def post(rng, pid, created, url, score, title, sub, is_self=False, selftext="", over_18=False):
    """One submission object with the field set of a 2017-2018 Pushshift dump."""
    host = url.split("/")[2].split(":")[0].lower() if not is_self else f"self.{sub}"
    if host.startswith("www."):
        host = host[4:]
    sid = base36(pid)
    return {
        "archived": False, "author": f"user_{rng.randrange(1, 5000)}",
        "author_flair_css_class": None, "author_flair_text": None, "brand_safe": not over_18,
        "contest_mode": False, "created_utc": created, "distinguished": None, "domain": host,
        "edited": False, "gilded": 0, "hidden": False, "hide_score": False, "id": sid,
        "is_crosspostable": True, "is_reddit_media_domain": host in ("i.redd.it", "v.redd.it"),
        "is_self": is_self, "is_video": False, "link_flair_css_class": None,
        "link_flair_text": None, "locked": False, "media": None, "media_embed": {},
        "no_follow": score < 3, "num_comments": max(0, score // 3 + rng.randrange(5)),
        "num_crossposts": 0, "over_18": over_18, "parent_whitelist_status": "all_ads",
        "permalink": f"/r/{sub}/comments/{sid}/{'_'.join(title.lower().split()[:4])}/",
        "pinned": False, "retrieved_on": created + 86400 * 40, "score": score,
        "secure_media": None, "secure_media_embed": {}, "selftext": selftext,
        "send_replies": True, "spoiler": False, "stickied": False, "subreddit": sub,
        "subreddit_id": "t5_" + base36(1000 + SUBREDDITS.index(sub) if sub in SUBREDDITS else 7),
        "subreddit_type": "public", "suggested_sort": None, "thumbnail": "default",
        "thumbnail_height": None, "thumbnail_width": None, "title": title,
        "url": url if not is_self else f"https://www.reddit.com/r/{sub}/comments/{sid}/",
        "whitelist_status": "all_ads",
    }


def month_posts(cat, rng, year, month, urls, next_id):
    """The posts of one month: each URL of `urls` once or more, plus the kinds to be dropped."""
    start = int(time.mktime((year, month, 1, 0, 0, 0, 0, 0, 0))) - time.timezone
    posts = []
    for url in urls:
        for _ in range(1 if rng.random() < 0.8 else 2):
            score = rng.choice([0, 1, 2, 3, 4, 5, 8, 12, 25, 60, 200, 1500])
            if rng.random() < 0.75:
                score = max(score, 3)  # most demo links keep karma >= 3
            sub = rng.choice(SUBREDDITS)
            title = cat.gen.title(rng)
            u = url + ("?utm_source=reddit&utm_medium=social" if rng.random() < 0.1 else "")
            posts.append(post(rng, next_id, start + rng.randrange(86400 * 28), u, score, title,
                              sub, over_18=rng.random() < 0.02))
            next_id += 1
    for k in range(len(urls) // 8):  # what crawl urls filters out
        sub = rng.choice(SUBREDDITS)
        t = start + rng.randrange(86400 * 28)
        kind = k % 4
        if kind == 0:
            posts.append(post(rng, next_id, t, "", rng.randrange(200), cat.gen.title(rng), sub,
                              is_self=True, selftext=cat.gen.paragraph(rng)))
        elif kind == 1:
            posts.append(post(rng, next_id, t, f"https://i.imgur.com/{base36(next_id * 7919)}.jpg",
                              rng.randrange(3, 900), cat.gen.title(rng), sub))
        elif kind == 2:
            posts.append(post(rng, next_id, t, f"https://i.redd.it/{base36(next_id * 104729)}.png",
                              rng.randrange(3, 900), cat.gen.title(rng), sub))
        else:
            posts.append(post(rng, next_id, t, f"https://www.reddit.com/r/{sub}/comments/x/",
                              rng.randrange(3, 90), cat.gen.title(rng), sub))
        next_id += 1
    posts.sort(key=lambda p: (p["created_utc"], p["id"]))
    return posts, next_id


def write_zst(path, lines):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        proc = subprocess.run(["zstd", "-q", "-c", "-"], input="".join(lines).encode(),
                              stdout=f, check=True)
        assert proc.returncode == 0
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-o", "--out", required=True, help="folder for RS_YYYY-MM.zst")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--articles", type=int, default=240)
    ap.add_argument("--port", type=int, default=18480)
    a = ap.parse_args()
    cat = Catalogue(seed=a.seed, articles=a.articles, port=a.port)
    rng = random.Random(a.seed * 7 + 3)
    urls = [cat.url(spec["host"], spec["path"]) for _, spec in sorted(cat.pages.items())]
    rng.shuffle(urls)
    os.makedirs(a.out, exist_ok=True)
    half = len(urls) // 2
    next_id = 36 ** 5
    for i, (year, month) in enumerate(((2017, 11), (2017, 12))):
        # the second month repeats a tenth of the first month's links (posted again)
        chunk = urls[:half] if i == 0 else urls[half:] + urls[: half // 10]
        posts, next_id = month_posts(cat, rng, year, month, chunk, next_id)
        lines = [json.dumps(p, separators=(",", ":")) + "\n" for p in posts]
        if i == 1:
            lines.insert(len(lines) // 2, '{"id":"broken","url":"http://trunc\n')  # malformed
        write_zst(os.path.join(a.out, f"RS_{year}-{month:02d}.zst"), lines)
        print(f"demo_dump: RS_{year}-{month:02d}.zst: {len(lines)} lines", file=sys.stderr)


if __name__ == "__main__":
    main()
