"""Reading articles: .txt (with an optional NAME.json sidecar), .html and http(s) URLs.

Every failure becomes an InputError with one line naming the input and the problem, so
the CLI can report it and go on with the other inputs: a missing or unreadable file, a
path that cannot even be looked at, bytes in no text encoding, a URL that fails or is
too slow (extract.fetch).
"""

from __future__ import annotations

import codecs
import http.client
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .fetch import FetchError, fetch
from .text import decode, looks_binary

MAX_BYTES = 20 * 1024 * 1024
USER_AGENT = "refusal-monitor/0.1 (+https://github.com/refusal-monitor)"
FETCH_DEADLINE = 60.0
SIDECAR_FIELDS = ("url", "title", "outlet", "published", "language")
# Byte order marks, longest first: UTF-32's begins with UTF-16's.
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


class InputError(Exception):
    """An input that cannot be read as an article; the message names the input."""


@dataclass
class Article:
    text: str
    meta: dict = field(default_factory=dict)


def read_input(source: str, timeout: float = 20.0, deadline: float = FETCH_DEADLINE) -> Article:
    """One article from a path or an http(s) URL, with metadata from a sidecar or the page.
    A URL gets `timeout` seconds per network wait and `deadline` seconds in all."""
    if source.startswith(("http://", "https://")):
        try:
            data = fetch(source, USER_AGENT, MAX_BYTES, timeout, deadline)
        except FetchError as exc:
            raise InputError(str(exc)) from exc
        if looks_binary(data) and _unicode_name(data) is None:
            raise InputError(f"{source}: the page is not text or HTML")
        return _from_html(_text(source, data), source, {"url": source, "source": source})
    path = Path(source)
    data = _file_bytes(source, path)
    text = _text(source, data)
    meta = {"source": source, **_sidecar(path)}
    if path.suffix.lower() in (".html", ".htm") or text.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
        return _from_html(text, source, meta)
    if not text.strip():
        raise InputError(f"{source}: the file holds no text")
    return Article(text, meta)


def _file_bytes(source: str, path: Path) -> bytes:
    """The file's bytes; every way a file can fail to be read is one InputError."""
    try:
        if not path.exists():
            raise InputError(f"{source}: no such file")
        if path.is_dir():
            raise InputError(f"{source}: is a directory, not an article")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{source}: the file is {size / 1e6:.0f} MB, larger than the "
                             f"{MAX_BYTES / 1e6:.0f} MB an article can be")
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{source}: cannot be read ({exc.strerror or exc})") from exc
    if not data:
        raise InputError(f"{source}: the file is empty")
    if len(data) > MAX_BYTES:
        raise InputError(f"{source}: the file is larger than the {MAX_BYTES / 1e6:.0f} MB an article can be")
    if looks_binary(data) and _unicode_name(data) is None:
        raise InputError(f"{source}: this is a binary file, not text or HTML")
    return data


def _unicode_name(data: bytes) -> str | None:
    """The UTF-16/32 encoding bytes are in, by their byte order mark or, for UTF-16 without
    one, by the zero bytes that Latin text leaves at every other place; else None.

    >>> _unicode_name("Hi".encode("utf-16")), _unicode_name("Hello there".encode("utf-16-be"))
    ('utf-16', 'utf-16-be')
    >>> _unicode_name(b"plain"), _unicode_name(bytes(40))
    (None, None)
    """
    for bom, name in BOMS:
        if data.startswith(bom):
            return name if name != "utf-8-sig" else None
    sample = data[:4096]
    even, odd = sample[0::2], sample[1::2]
    if len(sample) < 8 or len(sample) % 2:
        return None
    if odd.count(0) > len(odd) // 10 and not even.count(0):
        return "utf-16-le"
    if even.count(0) > len(even) // 10 and not odd.count(0):
        return "utf-16-be"
    return None


def _text(source: str, data: bytes) -> str:
    """The text of an article's bytes: UTF-16/32 by their marks, else UTF-8 or a legacy
    encoding detected. Any failure to decode is one InputError."""
    try:
        name = _unicode_name(data)
        return data.decode(name) if name else decode(data)
    except (UnicodeError, LookupError, ValueError) as exc:
        raise InputError(f"{source}: cannot tell the text encoding") from exc


def _sidecar(path: Path) -> dict:
    side = path.with_suffix(".json")
    try:
        if not side.exists() or side == path:
            return {}
        data = json.loads(side.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise InputError(f"{side}: the sidecar cannot be read ({exc.strerror or exc})") from exc
    except ValueError as exc:
        raise InputError(f"{side}: the sidecar is not valid JSON in UTF-8 ({exc})") from exc
    if not isinstance(data, dict):
        raise InputError(f"{side}: the sidecar must be a JSON object")
    wrong = [k for k in SIDECAR_FIELDS if data.get(k) and not isinstance(data[k], str)]
    if wrong:
        raise InputError(f"{side}: the sidecar's {', '.join(wrong)} must be text")
    return {k: data[k] for k in SIDECAR_FIELDS if data.get(k)}


def _from_html(html: str, source: str, meta: dict) -> Article:
    """Main text and metadata with trafilatura: scripts, menus and comments left out."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not text or not text.strip():
        raise InputError(f"{source}: no article text found in the HTML")
    found = trafilatura.extract_metadata(html)
    if found is not None:
        for key, value in (("title", found.title), ("outlet", found.sitename), ("published", found.date),
                           ("url", found.url)):
            if value and not meta.get(key):
                meta[key] = value
    if meta.get("title") and meta["title"] not in text[:300]:
        text = f"{meta['title']}\n\n{text}"
    return Article(text, meta)


def read_articles(sources: Iterable[str], published: str | None, url: str | None,
                  failures: list[str], deadline: float = FETCH_DEADLINE) -> Iterator[tuple[str, str, dict]]:
    """(source, text, meta) for each input that can be read, its own metadata completed by
    the command line's --published and --url (an http(s) input is its own URL). An input
    that cannot be read gets one line on stderr and goes into `failures`; the rest go on,
    whatever the failure (an error the readers did not foresee is named by its type)."""
    for source in sources:
        try:
            article = read_input(source, deadline=deadline)
        except InputError as exc:
            print(f"error: {exc}", file=sys.stderr)
            failures.append(source)
            continue
        except (OSError, ValueError, LookupError, http.client.HTTPException) as exc:
            print(f"error: {source}: cannot be read ({type(exc).__name__}: {exc})", file=sys.stderr)
            failures.append(source)
            continue
        meta = {"source": source, **article.meta}
        meta.setdefault("published", published)
        meta["url"] = meta.get("url") or url or (source if source.startswith(("http://", "https://")) else "")
        yield source, article.text, meta
