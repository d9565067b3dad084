"""The HTTP fuzzer's parts (tests/test_fuzz.py runs them bounded, bench/fuzz_http.py for longer): every URL
pattern of the site, hostile values for its parameters and query strings, and generated form bodies."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import strategies as st

# Values that have broken web apps before: empty, huge numbers, impossible dates, traversal, NUL and other
# control characters, right-to-left and zero-width marks, emoji, very long text, markup and SQL.
HOSTILE = [
    "", " ", "0", "-1", "1.5", "99999999999999999999999999", "-99999999999999999999", "1e309", "NaN", "inf",
    "2016-02-30", "0000-00-00", "9999-12-31", "2016-13-45T25:61", "24:00", "../../etc/passwd", "..", "%00",
    "%2e%2e%2f", "\x00", "a\x00b", "\r\n", "\t", "\x1b[31m", "\x7f", "\u202e", "\u200f\u200e", "\ufeff", "\u0000",
    "😀" * 40, "👩‍👩‍👧‍👦", "å" * 300, "x" * 5000, "<script>alert(1)</script>", "' OR '1'='1", '"', "\\", "null",
    "[]", "{}", "true", "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "MVT:AAAAAAAAAAAAAAAAAAAAAAAAAA", "entrance-2016-02-03", "seminar-", "__proto__", "\ud800".encode(
        "utf-8", "surrogatepass").decode("utf-8", "replace"), "=", "&", "?", "#", "/", "+", "%",
]

hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=80),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=400),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates().map(str),
    st.uuids().map(str),
)

QUERY_KEYS = ["q", "p", "o", "e", "all", "page", "next", "day", "lang", "language", "format", "track", "room",
              "layout", "category", "checkpoint", "code", "_changelist_filters", "_popup", "_to_field", "term",
              "app_label", "model_name", "field_name", "status__exact", "conference__id__exact", "start__gte",
              "id__in", "revoked_at__isnull"]

METHODS = ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")
FIELD = re.compile(r'name="([^"]{1,80})"')


@dataclass(frozen=True)
class Route:
    """One URL pattern, flattened: its route text with <parameters> (regex groups rewritten to that form)."""

    route: str
    name: str | None

    @property
    def params(self) -> list[str]:
        return [m.group("name") for m in PARAM.finditer(self.route)]

    def fill(self, values: dict[str, str]) -> str:
        return "/" + PARAM.sub(lambda m: quote(values[m.group("name")], safe=""), self.route)


def _route_text(pattern) -> str:
    text = str(pattern.pattern)
    if text.startswith("^") or text.endswith("$"):  # a regex pattern (re_path)
        text = GROUP.sub(lambda m: f"<{m.group('name')}>", text.lstrip("^").rstrip("$"))
        text = text.replace("\\", "")
    return text


def routes() -> list[Route]:
    """Every URL pattern of the site, in the resolver's order."""

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + _route_text(pattern))
            elif isinstance(pattern, URLPattern):
                yield Route(prefix + _route_text(pattern), pattern.name)

    return list(dict.fromkeys(walk(get_resolver().url_patterns, "")))


def form_fields(html: str) -> list[str]:
    """The names of a page's form fields (what a form endpoint reads), csrf token left out."""
    return [name for name in dict.fromkeys(FIELD.findall(html)) if name != "csrfmiddlewaretoken"]


@st.composite
def form_bodies(draw, fields: list[str]):
    """A form's fields, some left out, some twice, some unknown; each value hostile."""
    names = [name for name in fields if draw(st.booleans()) or draw(st.booleans())]
    names += draw(st.lists(st.sampled_from(QUERY_KEYS + ["csrfmiddlewaretoken", "id", "pk"]), max_size=3))
    pairs = []
    for name in names:
        for _ in range(draw(st.integers(min_value=1, max_value=3))):
            pairs.append((name, draw(hostile_text)))
    return pairs


ENCODINGS = ["urlencoded", "multipart", "json", "text", "latin-1", "bad-utf8", "empty", "no-type"]


def encode(pairs: list[tuple[str, str]], encoding: str) -> tuple[bytes | dict, str | None]:
    """The body and content type for `pairs` sent the way `encoding` names (some of them wrong on purpose)."""
    if encoding == "multipart":
        data: dict[str, list[str]] = {}
        for name, value in pairs:
            data.setdefault(name, []).append(value)
        return data, None
    if encoding == "json":
        return json.dumps(dict(pairs)).encode(), "application/json"
    if encoding == "text":
        return "\n".join(f"{k}={v}" for k, v in pairs).encode("utf-8", "surrogatepass"), "text/plain"
    if encoding == "latin-1":
        return urlencode(pairs, encoding="latin-1", errors="replace").encode(), \
            "application/x-www-form-urlencoded; charset=latin-1"
    if encoding == "bad-utf8":
        return b"name=\xff\xfe%ff%fe&" + urlencode(pairs).encode(), "application/x-www-form-urlencoded"
    if encoding == "empty":
        return b"", "application/x-www-form-urlencoded"
    if encoding == "no-type":
        return urlencode(pairs).encode(), ""
    return urlencode(pairs).encode(), "application/x-www-form-urlencoded"


def send(client, method: str, path: str, body, content_type: str | None, query: dict | None = None):
    """One request through the test client; answers the response (a 500 is a status, not an exception)."""
    if query:
        path = f"{path}?{urlencode(query)}"
    call = getattr(client, method.lower())
    if method in ("GET", "HEAD", "OPTIONS"):
        return call(path)
    if content_type is None:
        return call(path, body)
    return call(path, body, content_type=content_type)
