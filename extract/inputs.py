"""Reading articles: .txt (with an optional NAME.json sidecar), .html and http(s) URLs.

Every failure becomes an InputError with one line naming the input and the problem, so
the CLI can report it and go on with the other inputs.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .text import decode, looks_binary

MAX_BYTES = 20 * 1024 * 1024
USER_AGENT = "refusal-monitor/0.1 (+https://github.com/refusal-monitor)"


class InputError(Exception):
    """An input that cannot be read as an article; the message names the input."""


@dataclass
class Article:
    text: str
    meta: dict = field(default_factory=dict)


def read_input(source: str, timeout: float = 20.0) -> Article:
    """One article from a path or an http(s) URL, with metadata from a sidecar or the page."""
    if source.startswith(("http://", "https://")):
        return _from_html(_fetch(source, timeout), source, {"url": source, "source": source})
    path = Path(source)
    if not path.exists():
        raise InputError(f"{source}: no such file")
    if path.is_dir():
        raise InputError(f"{source}: is a directory, not an article")
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{source}: the file is empty")
    if size > MAX_BYTES:
        raise InputError(f"{source}: the file is {size / 1e6:.0f} MB, larger than the "
                         f"{MAX_BYTES / 1e6:.0f} MB an article can be")
    data = path.read_bytes()
    if looks_binary(data):
        raise InputError(f"{source}: this is a binary file, not text or HTML")
    try:
        text = decode(data)
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: cannot tell the text encoding") from exc
    meta = {"source": source, **_sidecar(path)}
    if path.suffix.lower() in (".html", ".htm") or text.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
        return _from_html(text, source, meta)
    if not text.strip():
        raise InputError(f"{source}: the file holds no text")
    return Article(text, meta)


def _sidecar(path: Path) -> dict:
    side = path.with_suffix(".json")
    if not side.exists() or side == path:
        return {}
    try:
        data = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{side}: the sidecar is not valid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise InputError(f"{side}: the sidecar must be a JSON object")
    return {k: data[k] for k in ("url", "title", "outlet", "published", "language") if data.get(k)}


def _fetch(url: str, timeout: float) -> str:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise InputError(f"{url}: the server answered {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise InputError(f"{url}: cannot be reached ({reason})") from exc
    if len(data) > MAX_BYTES:
        raise InputError(f"{url}: the page is larger than {MAX_BYTES / 1e6:.0f} MB")
    if looks_binary(data):
        raise InputError(f"{url}: the page is not text or HTML")
    return decode(data)


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
                  failures: list[str]) -> Iterator[tuple[str, str, dict]]:
    """(source, text, meta) for each input that can be read, its own metadata completed by
    the command line's --published and --url (an http(s) input is its own URL). An input
    that cannot be read gets one line on stderr and goes into `failures`; the rest go on."""
    for source in sources:
        try:
            article = read_input(source)
        except InputError as exc:
            print(f"error: {exc}", file=sys.stderr)
            failures.append(source)
            continue
        meta = {"source": source, **article.meta}
        meta.setdefault("published", published)
        meta["url"] = meta.get("url") or url or (source if source.startswith(("http://", "https://")) else "")
        yield source, article.text, meta
