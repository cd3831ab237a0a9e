"""The curation log's write side: one entry per decision, and the atomic rewrite.

Reading the log and its figures is the store's job (store.log), so the read-only
dashboard can report them without reaching the writer.
"""

from __future__ import annotations

import json
from pathlib import Path

from store.log import DECISIONS, LOG_COLUMNS, LOG_NAME, Figures, LogError, figures, read_log

from .writer import locked, write_atomic

ROW_FIELDS = ("type", "stage", "count", "count_low", "count_high", "region", "place", "date", "unit")


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


def append_log(folder: Path, rows: list[dict]) -> None:
    """Add decisions to the log, under the dataset's lock, rewriting it atomically."""
    with locked(folder):
        rewrite_log(folder, read_log(folder) + rows)


def rewrite_log(folder: Path, rows: list[dict]) -> None:
    """The whole log, written through the same atomic write as the dataset."""
    write_atomic(folder / LOG_NAME, rows, LOG_COLUMNS)


__all__ = ["DECISIONS", "LOG_COLUMNS", "LOG_NAME", "Figures", "LogError", "append_log", "decided_urls", "entry",
           "figures", "read_log", "rewrite_log"]
