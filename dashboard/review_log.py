"""The curation log's acceptance figures for the Methodology page, read defensively.

curation_log.csv (written by the curation tools) has one row per decision; only its
`decision` column is relied on. Proposals are the extractor's rows a person judged;
rows the curator added by hand are counted apart. No streamlit import.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

ACCEPTED, EDITED, REJECTED, ADDED = "accepted", "edited", "rejected", "added"
_STEMS = {"accept": ACCEPTED, "edit": EDITED, "correct": EDITED, "reject": REJECTED, "add": ADDED}


class LogError(ValueError):
    """The log exists but cannot be read; the message says why, without the server's paths."""


def decision_kind(value: str) -> str:
    """The decision a log cell records, by its stem, or the cell itself.

    >>> [decision_kind(v) for v in ("accepted", "Accept", "edited", "rejected", "added", "skipped")]
    ['accepted', 'accepted', 'edited', 'rejected', 'added', 'skipped']
    """
    folded = (value or "").strip().lower()
    return next((kind for stem, kind in _STEMS.items() if folded.startswith(stem)), folded)


def summarise(decisions: list[str]) -> dict[str, float | int]:
    """Counts per decision, proposals (every decision but a curator's addition), and the
    acceptance rate: accepted or edited over proposals.

    >>> summarise(["accepted", "accepted", "edited", "rejected", "added"])["rate"]
    0.75
    """
    kinds = [decision_kind(d) for d in decisions if (d or "").strip()]
    counts = {k: kinds.count(k) for k in (ACCEPTED, EDITED, REJECTED, ADDED)}
    proposals = sum(1 for k in kinds if k != ADDED)
    rate = (counts[ACCEPTED] + counts[EDITED]) / proposals if proposals else 0.0
    return {**counts, "proposals": proposals, "rate": rate}


def read_log(path: Path) -> dict[str, float | int] | None:
    """The log's figures, None when there is no log yet. A log that cannot be read, or has
    no `decision` column, raises LogError."""
    if not path.exists():
        return None
    try:
        text = path.read_bytes().decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise LogError(f"{path.name}: {type(exc).__name__}") from exc
    if rows and "decision" not in rows[0]:
        raise LogError(f"{path.name}: has no decision column")
    return summarise([row.get("decision") or "" for row in rows])
