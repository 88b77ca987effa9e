"""pipelines/demo_corpus.py: the demo's synthetic web, generated from a seed: a word-level
text generator (English templates, a Zipf-weighted lexicon, generated names), and the catalogue of pages per host (articles,
exact and near duplicates, Wikipedia pages, robots-disallowed pages, failures). Shared by
demo_site.py (serves it) and demo_dump.py (links to it); nothing here is copied from real data."""

import random
import zlib

# A small English lexicon (written for this demo) filled into sentence templates, so that the
# extractor's language identification sees English; generated proper names add variety.
NOUNS = """
year time people way day man woman child government company number group problem fact hand
part place case week system program question work night point home water room mother area
money story month lot right study book eye job word business issue side kind head house
service friend father power hour game line end member law car city community name president
team minute idea kid body information back parent face others level office door health person
art war history party result change morning reason research girl guy moment air teacher force
education foot boy age policy music market sense nation plan college interest death experience
effect class control care field development role effort rate heart drug show leader light voice
wife police mind price report decision son view relationship town road arm difference value
building action model season society tax director position player record paper space ground
form event official matter center couple site project activity star table need court oil
situation cost industry figure street image phone data picture practice piece land product
doctor wall patient worker news test movie north love support technology step baby computer
type attention film tree source organization hair window evidence population site energy
island river bridge harbor valley forest garden museum library station engine scientist council
festival election budget storm village farmer ship captain journey letter island painting
""".split()
VERBS = """
found built opened described reported announced discovered changed followed studied raised
reached moved created offered considered expected suggested explained approved rejected
visited watched carried designed tested measured repaired painted improved replaced recorded
protected questioned launched defended questioned supported delivered collected released
reviewed prepared covered joined left crossed entered shared signed managed produced
""".split()
ADJECTIVES = """
new good high old great big local small large national young different long important
political bad white real best right social public sure low early able human late hard major
better economic strong possible whole free military true federal international full special
easy clear recent certain personal open red difficult available likely short single medical
current wrong private past foreign fine common poor natural significant similar hot dead
central happy serious ready simple left physical general environmental financial blue
democratic dark various entire close legal religious cold final main green nice huge popular
traditional cultural quiet ancient narrow bright northern southern coastal rural careful
""".split()
ADVERBS = """
quickly slowly carefully recently finally quietly openly clearly largely nearly rarely often
again later together already suddenly eventually
""".split()
PREPS = "in on at near from with across under after before during without beyond along".split()
DETS = "the the the a this that every one another their our its".split()
TEMPLATES = [
    "D A N V D N P D N.",
    "NAME, who V the N P D N, said the Ns were A.",
    "P D A N, NAME V D Ns R.",
    "D Ns P NAME V D A N R.",
    "It was the A N of the N that NAME V.",
    "In NUM, D N V NUM Ns P D A N.",
    "Ns and Ns V R P the A N of NAME.",
    "\"D N is A,\" said NAME, who V D N P NUM.",
    "NAME V that D A N would need more Ns, and the N V R.",
    "Few Ns were as A as D N P NAME.",
    "D A Ns V D N, but D N P D N V R.",
    "According to NAME, D N V NUM Ns and NUM Ns P D N.",
]

# The fake hosts of the demo site: articles live on the first group; mirror hosts serve exact
# copies, syndication hosts near copies; flaky hosts fail; Wikipedia hosts the dedup filter drops.
ARTICLE_HOSTS = ["www.quietriver-news.com", "blog.harborlight.net", "www.techfathom.io",
                 "science-ledger.org", "www.midland-courier.com", "notes.papercrane.dev"]
MIRROR_HOST = "www.copyfeed.net"
SYNDICATION_HOST = "syndicate.wirestream.com"
WIKI_HOSTS = ["en.wikipedia.org", "EN.m.Wikipedia.org"]
FLAKY_HOST = "www.unsteady-server.com"


def make_names(rng, n):
    """n distinct pseudo proper names (1-2 syllable pairs), capitalised, in a fixed order."""
    onsets = "b c d f g h k l m n p r s t v w br cr dr fl gr st tr ch sh".split()
    vowels = "a e i o u ai ea ou".split()
    codas = "n r s t l nd st rn m ng".split()
    names, seen = [], set()
    while len(names) < n:
        w = "".join(rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas)
                    for _ in range(rng.choice((1, 2, 2))))
        if w not in seen:
            seen.add(w)
            names.append(w.capitalize())
    return names


IRREGULAR = {"man": "men", "woman": "women", "child": "children", "person": "people",
             "foot": "feet", "people": "peoples", "others": "others", "information": "information",
             "evidence": "evidence", "money": "money", "music": "music", "health": "health"}


def plural(noun):
    if noun in IRREGULAR:
        return IRREGULAR[noun]
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + ("es" if noun.endswith(("s", "x", "ch", "sh")) else "s")


class TextGen:
    """English-looking sentences: templates filled from the lexicon (Zipf-weighted) and
    generated names, so that no two articles share long word sequences by chance."""

    def __init__(self, seed, names=3000):
        rng = random.Random(seed)
        self.vocab = make_names(rng, names)  # proper names, also the titles' words
        self.name_w = [1.0 / (r + 20) for r in range(names)]
        self.noun_w = [1.0 / (r + 5) for r in range(len(NOUNS))]

    def word(self, rng, slot):
        if slot == "N":
            return rng.choices(NOUNS, weights=self.noun_w)[0]
        if slot == "Ns":
            return plural(rng.choices(NOUNS, weights=self.noun_w)[0])
        if slot == "V":
            return rng.choice(VERBS)
        if slot == "A":
            return rng.choice(ADJECTIVES)
        if slot == "R":
            return rng.choice(ADVERBS)
        if slot == "P":
            return rng.choice(PREPS)
        if slot == "D":
            return rng.choice(DETS)
        if slot == "NUM":
            return str(rng.choice((rng.randint(2, 99), rng.randint(1900, 2017))))
        if slot == "NAME":
            names = rng.choices(self.vocab, weights=self.name_w, k=2)
            return names[0] if rng.random() < 0.4 else " ".join(names)
        return slot

    def sentence(self, rng):
        out = []
        for tok in rng.choice(TEMPLATES).split(" "):
            core = tok.strip('.,"')
            lead = tok[: len(tok) - len(tok.lstrip('"'))]
            trail = tok[len(lead) + len(core):]
            out.append(lead + self.word(rng, core) + trail)
        s = " ".join(out)
        i = 1 if s.startswith('"') else 0
        return s[:i] + s[i].upper() + s[i + 1:]

    def paragraph(self, rng):
        return " ".join(self.sentence(rng) for _ in range(rng.randint(3, 7)))

    def title(self, rng):
        words = [self.word(rng, slot) for slot in rng.choice(
            (["A", "N", "P", "NAME"], ["NAME", "V", "D", "A", "N"], ["D", "A", "Ns", "P", "NAME"]))]
        return " ".join(w[:1].upper() + w[1:] for w in words)


def page_rng(seed, key):
    """A random generator owned by one page: the same page text on every run and host."""
    return random.Random(zlib.crc32(key.encode()) ^ (seed * 2654435761 & 0xFFFFFFFF))


class Catalogue:
    """Every URL the demo knows: url -> page spec (kind, and what to generate)."""

    def __init__(self, seed=1, articles=240, port=18480):
        self.seed, self.port = seed, port
        self.gen = TextGen(seed)
        self.pages = {}  # (host lowercased, path) -> dict(kind=..., ...)
        rng = random.Random(seed)
        self.articles = []
        for i in range(articles):
            host = ARTICLE_HOSTS[i % len(ARTICLE_HOSTS)]
            key = f"article-{i}"
            title = self.gen.title(page_rng(seed, key + "/title"))
            slug = "-".join(title.lower().split()[:5])
            path = f"/{2015 + i % 3}/{1 + i % 12:02d}/{slug.replace(' ', '-')}-{i}.html"
            if i % 40 == 7:
                path = "/private" + path  # disallowed by robots.txt
            self.add(host, path, kind="article", key=key)
            self.articles.append((host, path, key))
        # exact copies on a mirror host, near copies on a syndication host
        for j, (_, path, key) in enumerate(self.articles):
            if j % 6 == 1:
                self.add(MIRROR_HOST, f"/copy/{j}{path}", kind="article", key=key)
            if j % 6 == 2:
                self.add(SYNDICATION_HOST, f"/wire/{j}.html", kind="near", key=key)
        for k in range(24):
            host = WIKI_HOSTS[k % 2]
            self.add(host, f"/wiki/{self.gen.vocab[k * 7].capitalize()}_{k}", kind="wiki",
                     key=f"wiki-{k}")
        for k in range(6):
            self.add(FLAKY_HOST, f"/gone/{k}.html", kind="status", status=404)
            self.add(FLAKY_HOST, f"/broken/{k}.html", kind="status", status=500)
            if k % 2 == 0:
                self.add(FLAKY_HOST, f"/slow/{k}.html", kind="slow", key=f"slow-{k}")
            self.add(FLAKY_HOST, f"/moved/{k}.html", kind="redirect",
                     to=self.url(*self.articles[(articles // 2 + k) % articles][:2]))
        rng.shuffle(self.articles)

    def add(self, host, path, **spec):
        self.pages[(host.lower(), path)] = dict(spec, host=host, path=path)

    def url(self, host, path):
        return f"http://{host}:{self.port}{path}"

    def hosts(self):
        return sorted({spec["host"].lower() for spec in self.pages.values()})

    def lookup(self, host, path):
        return self.pages.get((host.lower(), path))

    # ---- page bodies (paragraph lists); boilerplate is added by the server -------------------
    def article_body(self, key):
        rng = page_rng(self.seed, key)
        title = self.gen.title(page_rng(self.seed, key + "/title"))
        paras = [self.gen.paragraph(rng) for _ in range(rng.randint(4, 12))]
        return title, paras

    def near_body(self, key):
        """A syndicated near copy: a new opening sentence, the last paragraph cut, 3 words changed."""
        title, paras = self.article_body(key)
        rng = page_rng(self.seed, key + "/near")
        paras = [self.gen.sentence(rng) + " " + paras[0]] + paras[1:-1] if len(paras) > 4 else paras
        for _ in range(3):
            i = rng.randrange(len(paras))
            words = paras[i].split(" ")
            words[rng.randrange(len(words))] = rng.choice(self.gen.vocab)
            paras[i] = " ".join(words)
        return title, paras

    def wiki_body(self, key):
        rng = page_rng(self.seed, key)
        return self.gen.title(rng), [self.gen.paragraph(rng) for _ in range(rng.randint(5, 9))]
