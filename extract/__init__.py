"""Rule-based extraction of incidents from news articles.

    >>> rows = extract_incidents("Eight soldiers deserted from their unit in Belgorod region.")
    >>> [(r.type, r.count, r.region) for r in rows]
    [('desertion', 8, 'RU-BEL')]
"""

from __future__ import annotations

from geography.gazetteer import resolve_region

from .dates import parse_published
from .decision import article_side, decide
from .model import Incident
from .rows import build
from .rules import detect
from .text import clean, sentences

__all__ = ["Incident", "extract_incidents", "resolve_region"]


def extract_incidents(text: str, meta: dict | None = None) -> list[Incident]:
    """Incident rows proposed from one article's text.

    `meta` may give `published` (YYYY-MM-DD, to resolve relative dates), `url`, `outlet`,
    `title` and `source`; every row carries them.
    """
    meta = dict(meta or {})
    published = parse_published(meta.get("published"))
    cleaned = clean(text)
    parts = sentences(cleaned)
    side = article_side(parts)
    return build([d for d in detect(parts, published) if decide(d, side).incident], parts, cleaned, meta, published)
