"""The same event reported by another outlet, or in the other language: what to merge.

A proposal may repeat an incident already on file when it shares the report's URL, the
servicemen's names (in either script: Russian names are compared by their Latin
spelling), the unit, or the type, region and count within a few weeks. Each candidate
says why, so the curator decides with the evidence in view.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from geography.russian import transliterate

PRECISION_DAYS = {"day": 0, "month": 31, "year": 366, "": 0}
_WORD = re.compile(r"[^\W\d_]{4,}")


@dataclass(frozen=True)
class Duplicate:
    incident_id: str
    reason: str
    summary: str


def latin_key(name: str) -> str:
    """A name reduced for comparison across scripts and spellings.

    >>> latin_key("Кузьминов") == latin_key("Kuzminov"), latin_key("Медведев") == latin_key("Medvedev")
    (True, True)
    """
    latin = transliterate(name).lower()
    return re.sub(r"[^a-z]", "", latin).replace("y", "i").replace("j", "i")


def surnames(people: list[str]) -> set[str]:
    """The comparable surnames of a row's people (the last word of each name).

    >>> sorted(surnames(["Dmitry Perov", "Дмитрий Перов", ""]))
    ['perov']
    """
    return {latin_key(p.split()[-1]) for p in people if p.strip()}


def _start(date: str) -> dt.date | None:
    """The first day of a YYYY, YYYY-MM or YYYY-MM-DD date.

    >>> _start("2023-04"), _start(""), _start("2023-04-31")
    (datetime.date(2023, 4, 1), None, None)
    """
    parts = (date or "").split("-")
    try:
        return dt.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


def _int(value) -> int | None:
    return int(value) if str(value or "").isdigit() else None


def counts_agree(row: dict, existing: dict) -> bool:
    """Both unknown, or the ranges overlap."""
    lo, hi = _int(row.get("count_low")), _int(row.get("count_high"))
    elo, ehi = _int(existing.get("count_low")), _int(existing.get("count_high"))
    if lo is None or elo is None:
        return lo is None and elo is None
    return lo <= (ehi or elo) and elo <= (hi or lo)


def _close_in_time(row: dict, existing: dict, window_days: int) -> int | None:
    """Days between the two dates when within the window (widened by each date's precision)."""
    when = _start(row.get("date") or row.get("published") or "")
    then = _start(existing.get("date", ""))
    if when is None or then is None:
        return None
    slack = window_days + PRECISION_DAYS.get(row.get("date_precision", ""), 0) + \
        PRECISION_DAYS.get(existing.get("date_precision", ""), 0)
    gap = abs((when - then).days)
    return gap if gap <= slack else None


def likely_duplicates(row: dict, url: str, incidents: list[dict], sources: list[dict],
                      window_days: int = 28, people: list[str] | None = None) -> list[Duplicate]:
    """Existing incidents of the same type this row may repeat, each with its reason."""
    found: dict[str, Duplicate] = {}
    same_type = [r for r in incidents if r["type"] == row["type"]]
    by_id = {r["incident_id"]: r for r in same_type}
    for source in sources:
        existing = by_id.get(source["incident_id"])
        if url and source["url"] == url and existing:
            found.setdefault(existing["incident_id"], Duplicate(existing["incident_id"], "this URL is already a source",
                                                                existing["summary"]))
    names = surnames(people or [])
    unit = (row.get("unit") or "").strip().lower()
    for existing in same_type:
        iid = existing["incident_id"]
        if iid in found:
            continue
        reason = _same_people(names, existing) or _same_unit(unit, row, existing, window_days) or \
            _same_place_and_count(row, existing, window_days)
        if reason:
            found[iid] = Duplicate(iid, reason, existing["summary"])
    return list(found.values())


def _same_people(names: set[str], existing: dict) -> str:
    if not names:
        return ""
    words = {latin_key(w) for w in _WORD.findall(existing.get("summary", ""))}
    shared = sorted(names & words)
    return f"same people ({', '.join(shared)})" if shared else ""


def _same_unit(unit: str, row: dict, existing: dict, window_days: int) -> str:
    if not unit or unit != (existing.get("unit") or "").strip().lower():
        return ""
    gap = _close_in_time(row, existing, window_days * 4)
    return f"same unit, dates {gap} days apart" if gap is not None else ""


def _same_place_and_count(row: dict, existing: dict, window_days: int) -> str:
    if not row.get("region") or existing["region"] != row["region"] or not counts_agree(row, existing):
        return ""
    gap = _close_in_time(row, existing, window_days)
    return f"same type, region and count, dates {gap} days apart" if gap is not None else ""
