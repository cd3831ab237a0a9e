"""The extractor scored on the shared gold corpus, exactly as the codebook scores it.

The floors guard against regressions; the targets are issue #3's. A corpus without a
target (dev-ru) has only its floor.
"""

from __future__ import annotations

import pytest

from extract.cli import evaluate
from extract.scoring import load_gold

FLOORS = {"seeds": (0.95, 0.95), "dev": (0.77, 0.94), "dev-ru": (0.73, 0.78)}
TARGETS = {"seeds": (0.90, None), "dev": (0.75, 0.85)}


def _scores(corpus, name):
    return evaluate(load_gold(corpus / name / "gold.json"), corpus / name)


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_corpus_floor(corpus, name):
    strict, loose = _scores(corpus, name)
    assert strict.f1 >= FLOORS[name][0], f"{name}: strict F1 {strict.f1:.3f}"
    assert loose.f1 >= FLOORS[name][1], f"{name}: type-only F1 {loose.f1:.3f}"


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_corpus_target(corpus, name):
    strict, loose = _scores(corpus, name)
    assert strict.f1 >= TARGETS[name][0]
    if TARGETS[name][1] is not None:
        assert loose.f1 >= TARGETS[name][1]


def test_no_incident_articles_stay_nearly_empty(corpus):
    from extract import extract_incidents

    empty = [a for a in load_gold(corpus / "dev" / "gold.json") if not a["incidents"]]
    produced = sum(len(extract_incidents((corpus / "dev" / a["file"]).read_text(encoding="utf-8"))) for a in empty)
    assert produced <= len(empty)
