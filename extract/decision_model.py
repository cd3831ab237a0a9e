"""A learned second opinion on the incident decision: does a candidate row the rules kept
tell of a specific incident, or is it background the rules could not tell apart?

The rules (rules.py, decision.py) are written from the codebook; this model is fitted to
what the curators decided on real articles (scripts/train_decision.py, on the gold corpora
and the curated dataset). It decides per article, by the article's likeliest row, and only
ever removes rows. It is meant to be used only when the training script's grouped
cross-validation finds that it beats the rules on held-out articles: the model file says so
(`use`), with the threshold chosen on training folds. The shipped file says it does not
(its `evaluation` gives the figures), so extract_incidents does not call it yet.

The model is a logistic regression over sparse binary features of a row: its type and
stage, whether it counts or names its men and has a region, where it sits in the article,
how many sentences tell of it, which of the decision's phrase lists (statistics, civilians,
Ukraine's forces, background) its sentences match, and what the article's rows say
together. No words or incident phrases: with some two hundred articles to learn from,
word features fitted the training articles and lost on held-out ones. The file
(decision_model.json) holds only the weights of the features it uses, so scoring needs
no scikit-learn: a sum of weights and a logistic.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lexicons import fold

from .decision import CUES, cues
from .drafts import Draft
from .model import Incident
from .text import Sentence

MODEL_FILE = Path(__file__).with_name("decision_model.json")
_CYRILLIC = re.compile(r"[а-яё]")


@dataclass(frozen=True)
class Model:
    """Feature weights, intercept, the threshold below which an article's rows are dropped,
    and whether the held-out evaluation allowed using it at all."""

    weights: dict[str, float]
    intercept: float
    threshold: float
    use: bool

    def probability(self, features: Sequence[str]) -> float:
        """The chance that a row with these features is a true incident row.

        >>> Model({"a": 2.0, "b": -1.0}, 0.0, 0.5, True).probability(["a", "b", "unknown"])
        0.7310585786300049
        """
        z = self.intercept + sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-z))


@cache
def model(path: Path = MODEL_FILE) -> Model | None:
    """The shipped model, or None when there is no model file (the rules decide alone)."""
    if not path.exists():
        return None
    raw = json.loads(path.read_text(encoding="utf-8"))
    return Model(raw["weights"], raw["intercept"], raw["threshold"], raw["use"])


def _bucket(n: int, edges: Sequence[int] = (0, 1, 2, 5, 20, 100, 1000)) -> str:
    """The smallest edge at least n, or '>' the largest: a coarse, stable size.

    >>> _bucket(0), _bucket(3), _bucket(70), _bucket(5000)
    ('0', '5', '100', '>1000')
    """
    return next((str(e) for e in edges if n <= e), f">{edges[-1]}")


def row_features(draft: Draft, row: Incident, rows: int, sentences: int) -> list[str]:
    """The features of one candidate row, given how many rows and sentences its article has.

    >>> from .drafts import Actor
    >>> from .counts import Count
    >>> d = Draft("desertion", Actor("n", Count(8, 8, 8, 0, 5), 0), sentences=[Sentence(0, "Eight men fled.", 0)],
    ...           triggers=["fled"])
    >>> row_features(d, Incident("desertion", count=8, region="RU-BEL"), 1, 10)  # doctest: +NORMALIZE_WHITESPACE
    ['type:desertion', 'stage:', 'count:20', 'region', 'person:False', 'rows:1', 'sentences:1', 'at:0',
     'place:0', 'lang:en']
    """
    text = " ".join(s.text for s in draft.sentences)
    found = [set(cues(fold(s.text))) for s in draft.sentences] or [set()]
    first = draft.sentences[0].index if draft.sentences else 0
    out = [f"type:{row.type}", f"stage:{row.stage}",
           f"count:{_bucket(row.count) if row.count is not None else 'none'}", *(["region"] if row.region else []),
           f"person:{bool(draft.actor.person)}", f"rows:{_bucket(rows)}", f"sentences:{_bucket(len(draft.sentences))}",
           f"at:{_bucket(first)}", f"place:{_bucket(round(10 * first / max(sentences, 1)), (0, 1, 3, 6, 10))}",
           f"lang:{'ru' if _CYRILLIC.search(fold(text)) else 'en'}"]
    out += [f"cue:{c}:{'all' if all(c in f for f in found) else 'some'}" for c in CUES if any(c in f for f in found)]
    return out


def article_features(drafts: Sequence[Draft], rows: Sequence[Incident],
                     sentences: Sequence[Sentence]) -> list[list[str]]:
    """row_features of every candidate row of one article (drafts and rows in the same order),
    each with what the article's rows say together: whether any names a man, counts a group,
    or has a region."""
    shared = [*(["article:person"] if any(d.actor.person for d in drafts) else []),
              *(["article:group"] if any((r.count or 0) > 1 for r in rows) else []),
              *(["article:region"] if any(r.region for r in rows) else []),
              f"article:types:{len({r.type for r in rows})}"]
    return [row_features(d, r, len(rows), len(sentences)) + shared for d, r in zip(drafts, rows, strict=True)]


def article_probability(m: Model, features: Sequence[Sequence[str]]) -> float:
    """How likely the article reports an incident: the chance of its likeliest row. The gate
    decides per article, so that a true row is lost only where the whole article looks like
    background, never because a sibling row looks stronger."""
    return max((m.probability(f) for f in features), default=0.0)


def keep(drafts: Sequence[Draft], rows: Sequence[Incident], sentences: Sequence[Sentence],
         chosen: Model | None = None) -> bool:
    """Whether the article's candidate rows go through: always when the model is missing or
    was not found to beat the rules."""
    m = chosen or model()
    if m is None or not m.use or not rows:
        return True
    return article_probability(m, article_features(drafts, rows, sentences)) >= m.threshold
