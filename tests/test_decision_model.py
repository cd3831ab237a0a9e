"""The learned incident gate (extract/decision_model.py) and its training script.

The gate is tried on sentences written for these tests with hand-set weights, so that each
case says which feature decides; the shipped model file is checked to load and to be what
scripts/train_decision.py rebuilds from the shared corpora and the curated dataset.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from extract import candidates, extract_incidents
from extract.decision_model import MODEL_FILE, Model, article_features, article_probability, keep, model

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

UNCOUNTED = "Soldiers of the regiment deserted from their unit in Belgorod region."
INCIDENT = "Eight soldiers deserted from their unit in Belgorod region on Monday."
NAMED = "A military court in Rostov sentenced Ivan Petrov, a contract soldier, to five years for desertion."


def _gate(text: str, m: Model) -> bool:
    return keep(*candidates(text), chosen=m)


# One feature each, weighted far below the threshold: rows with it are dropped.
CASES = [
    ("an uncounted group, when no count weighs against", UNCOUNTED, {"count:none": -6.0}, False),
    ("a counted group, the same weights", INCIDENT, {"count:none": -6.0}, True),
    ("a group with no region, when a region is needed", INCIDENT, {"region": 6.0}, True),
    ("a named man, when lone men weigh against", NAMED, {"count:1": -6.0}, False),
    ("a named man, when naming a man outweighs it", NAMED, {"count:1": -6.0, "person:True": 9.0}, True),
]


@pytest.mark.parametrize(("name", "text", "weights", "kept"), CASES, ids=[c[0] for c in CASES])
def test_gate_follows_its_weights(name, text, weights, kept):
    assert candidates(text)[1], f"{name}: the rules should propose a row for the gate to judge"
    assert _gate(text, Model(weights, 1.0, 0.5, True)) is kept


def test_gate_decides_per_article():
    """A weak row goes through beside a strong one: the article's likeliest row decides."""
    drafts, rows, parts = candidates(f"{INCIDENT} {NAMED}")
    m = Model({"count:1": -6.0}, 1.0, 0.5, True)
    chances = [m.probability(f) for f in article_features(drafts, rows, parts)]
    assert min(chances) < 0.5 <= max(chances) == article_probability(m, article_features(drafts, rows, parts))
    assert keep(drafts, rows, parts, chosen=m)


def test_a_model_not_to_be_used_lets_everything_through():
    assert keep(*candidates(UNCOUNTED), chosen=Model({"region": -9.0, "count:1000": -9.0}, -9.0, 0.5, False))


def test_no_model_file_means_no_model(tmp_path):
    assert model(tmp_path / "missing.json") is None


def test_shipped_model_loads_and_says_whether_it_is_used():
    m = model()
    assert m is not None and 0.0 <= m.threshold <= 1.0 and m.weights
    if not m.use:
        assert extract_incidents(UNCOUNTED) == candidates(UNCOUNTED)[1]


def test_no_rows_no_question():
    assert keep([], [], [], chosen=Model({}, -9.0, 0.5, True))


@pytest.mark.skipif(importlib.util.find_spec("sklearn") is None,
                    reason="scikit-learn is not installed (pip install -e '.[train]')")
@pytest.mark.skipif(not (SHARED / "corpus").is_dir() or not (SHARED / "intake").is_dir(),
                    reason=f"{SHARED} with corpus/ and intake/ is needed to retrain the gate")
def test_retraining_rebuilds_the_shipped_model():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "train_decision.py"), "--check"],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert done.returncode == 0, (
        f"{MODEL_FILE.name} is not what scripts/train_decision.py rebuilds: after changing the rules, "
        f"the lexicons or the curated data, run `python scripts/train_decision.py` and commit the file.\n"
        f"{done.stdout}{done.stderr}")
