"""The curation log's read side: what curators decided, and the extractor's figures against them.

data/curation_log.csv has one row per decision: when, which article, what the extractor
proposed, what the curator decided (accept, edit, reject; `add` for a row the extractor
missed; `retire` for an incident withdrawn; `correct` for a later fix to an incident on
file, its earlier row in the proposal column; `none` for an article with nothing proposed
and nothing to add), the final row and the incident it went to. The curation tools write
it (curation.log); the Methodology page and data/README.md report its figures.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

LOG_NAME = "curation_log.csv"
LOG_COLUMNS = ["decided", "article_url", "proposal", "decision", "final", "incident_id", "merged"]
DECISIONS = ("accept", "edit", "reject", "add", "retire", "correct", "none")


class LogError(ValueError):
    """The log exists but cannot be read; the message names the file, not the server's paths."""


def read_log(folder: Path) -> list[dict]:
    """The log's rows; none when there is no log yet."""
    path = folder / LOG_NAME
    if not path.exists():
        return []
    try:
        rows = list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise LogError(f"{LOG_NAME}: cannot be read ({type(exc).__name__})") from exc
    if rows and "decision" not in rows[0]:
        raise LogError(f"{LOG_NAME}: has no decision column")
    return rows


@dataclass(frozen=True)
class Figures:
    proposals: int
    accepted: int
    edited: int
    rejected: int
    added: int

    @property
    def acceptance(self) -> float:
        """Share of proposals a curator kept, as they were or edited."""
        return (self.accepted + self.edited) / self.proposals if self.proposals else 0.0

    @property
    def precision(self) -> float:
        """Share of proposals kept unchanged: the extractor was right as it stood."""
        return self.accepted / self.proposals if self.proposals else 0.0

    @property
    def recall(self) -> float:
        """Share of the curator's rows that some proposal found (as it was or edited)."""
        found = self.accepted + self.edited
        return found / (found + self.added) if found + self.added else 0.0


def figures(rows: list[dict]) -> Figures:
    """The extractor against the curator, from log rows.

    >>> log = [{"decision": d} for d in ("accept", "edit", "reject", "reject", "add")]
    >>> f = figures(log)
    >>> (f.proposals, round(f.acceptance, 2), round(f.precision, 2), round(f.recall, 2))
    (4, 0.5, 0.25, 0.67)
    """
    count = {d: sum(1 for r in rows if r.get("decision") == d) for d in DECISIONS}
    return Figures(count["accept"] + count["edit"] + count["reject"], count["accept"], count["edit"],
                   count["reject"], count["add"])
