"""SURT keys for the archive tests, written from the rules (the IA
canonicaliser's defaults) independently of lib/surt.c: the tests compare the
two on generated URLs, and the imitation indexes are keyed by this one."""
import re
from urllib.parse import urlsplit

SESSION = re.compile(r"^(jsessionid|phpsessid|sid|cfid|cftoken)=|^aspsessionid", re.I)


def surt(url):
    parts = urlsplit(url.strip())
    netloc = parts.netloc.rsplit("@", 1)[-1]
    if netloc.startswith("["):
        host, _, port = netloc[1:].partition("]")
        host = "[" + host + "]"
        port = port[1:] if port.startswith(":") else ""
    else:
        host, _, port = netloc.partition(":")
    host = host.lower().strip(".")
    port = port.lstrip("0") or ("0" if port else "")
    scheme = parts.scheme.lower()
    if (scheme, port) in (("http", "80"), ("https", "443")) or port == "":
        port = ""
    if not re.fullmatch(r"[0-9.]+|\[.*\]", host):
        host = re.sub(r"^www\d*\.(?=.)", "", host)
        host = ",".join(reversed(host.split(".")))
    key = host + (":" + port if port else "") + ")"
    path = parts.path or "/"
    segs = path.split(";")
    path = segs[0] + "".join(";" + s for s in segs[1:] if not SESSION.match(s))
    if len(path) > 1 and path.endswith("/"):
        path = path[:-1]
    args = sorted(a.lower() for a in parts.query.split("&") if a and not SESSION.match(a))
    q = ("?" + "&".join(args)) if args else ""
    return (key + path + q).lower()
