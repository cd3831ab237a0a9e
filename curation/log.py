"""The curation log: every decision a curator made on an extractor proposal, kept with the data.

One row per decision in data/curation_log.csv: when, which article, what the extractor
proposed, what the curator decided (accept, edit, reject; `add` for a row the extractor
missed; `retire` for an incident withdrawn; `none` for an article with nothing proposed
and nothing to add), the final row and the incident it went to.
From it come the extractor's acceptance rate, precision and recall against the curator,
which the Methodology page and data/README.md report.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

LOG_NAME = "curation_log.csv"
LOG_COLUMNS = ["decided", "article_url", "proposal", "decision", "final", "incident_id", "merged"]
DECISIONS = ("accept", "edit", "reject", "add", "retire", "none")
ROW_FIELDS = ("type", "stage", "count", "count_low", "count_high", "region", "place", "date", "unit")


def read_log(folder: Path) -> list[dict]:
    path = folder / LOG_NAME
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def decided_urls(folder: Path) -> set[str]:
    """Articles a curator has already decided: a re-run skips them."""
    return {r["article_url"] for r in read_log(folder) if r["article_url"]}


def entry(decided: str, url: str, proposal: dict | None, decision: str, final: dict | None,
          incident_id: str = "", merged: bool = False) -> dict:
    """One log row; proposal and final rows are kept as compact JSON of the codebook fields."""
    if decision not in DECISIONS:
        raise ValueError(f"decision {decision!r} is not one of {', '.join(DECISIONS)}")
    return {"decided": decided, "article_url": url, "proposal": _compact(proposal), "decision": decision,
            "final": _compact(final), "incident_id": incident_id, "merged": "true" if merged else "false"}


def _compact(row: dict | None) -> str:
    if not row:
        return ""
    return json.dumps({k: row.get(k) for k in ROW_FIELDS if row.get(k) not in (None, "")}, ensure_ascii=False)


def rewrite_log(folder: Path, rows: list[dict]) -> None:
    """The whole log, written through the same atomic write as the dataset."""
    from .writer import write_atomic

    write_atomic(folder / LOG_NAME, rows, LOG_COLUMNS)


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
