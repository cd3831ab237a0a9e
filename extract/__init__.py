"""Rule-based extraction of incidents from news articles.

    >>> rows = extract_incidents("Eight soldiers deserted from their unit in Belgorod region.")
    >>> [(r.type, r.count, r.region) for r in rows]
    [('desertion', 8, 'RU-BEL')]
"""

from __future__ import annotations

from geography.gazetteer import resolve_region

from .dates import parse_published
from .decision import article_side, decide
from .drafts import Draft
from .model import Incident
from .rows import build
from .rules import detect
from .text import Sentence, clean, sentences

__all__ = ["Incident", "extract_incidents", "resolve_region"]


def extract_incidents(text: str, meta: dict | None = None) -> list[Incident]:
    """Incident rows proposed from one article's text.

    `meta` may give `published` (YYYY-MM-DD, to resolve relative dates), `url`, `outlet`,
    `title` and `source`; every row carries them.
    """
    return candidates(text, meta)[1]


def candidates(text: str, meta: dict | None = None) -> tuple[list[Draft], list[Incident], list[Sentence]]:
    """The rows the rules decide are incidents, with their drafts and the article's
    sentences: what the learned gate (decision_model.py, scripts/train_decision.py) is trained
    on. The gate is not applied here: held out, it did not beat the rules (see the model
    file's `evaluation`); once a retrained model does, `decision_model.keep` is the call."""
    meta = dict(meta or {})
    published = parse_published(meta.get("published"))
    cleaned = clean(text)
    parts = sentences(cleaned)
    side = article_side(parts)
    drafts = [d for d in detect(parts, published) if decide(d, side, parts).incident]
    return drafts, build(drafts, parts, cleaned, meta, published), parts
