"""Scoring extracted rows against a gold file exactly as the codebook says.

Rows match gold rows one to one per article; a pair matches when the type is the gold
type or an alt type, the region is the gold region or an alt region (both empty also
matches), and the count lies in the gold range (a gold row with no count accepts any
count; an extracted row with no count matches only a gold row with no count). Matched
optional gold rows count for nothing. The type-only score drops region and count.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .model import Incident


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _matches(row: Incident, gold: dict, strict: bool) -> bool:
    if row.type != gold["type"] and row.type not in (gold.get("alt_types") or []):
        return False
    if not strict:
        return True
    gold_region = gold.get("region") or ""
    if (row.region or "") != gold_region and row.region not in (gold.get("alt_regions") or []):
        return False
    if gold.get("count") is None and gold.get("count_low") is None:
        return True
    if row.count is None:
        return False
    return gold["count_low"] <= row.count <= gold["count_high"]


def score_article(rows: list[Incident], gold_rows: list[dict], strict: bool = True) -> Score:
    """Best one-to-one matching (small articles: exhaustive augmenting paths)."""
    n_rows = len(rows)
    candidates = [[g for g, gold in enumerate(gold_rows) if _matches(r, gold, strict)] for r in rows]
    # Prefer matching non-optional gold rows: try them first in augmenting order.
    for c in candidates:
        c.sort(key=lambda g: gold_rows[g].get("optional", False))
    owner: dict[int, int] = {}

    def augment(r: int, seen: set[int]) -> bool:
        for g in candidates[r]:
            if g in seen:
                continue
            seen.add(g)
            if g not in owner or augment(owner[g], seen):
                owner[g] = r
                return True
        return False

    for r in range(n_rows):
        augment(r, set())
    matched_rows = set(owner.values())
    tp = sum(1 for g in owner if not gold_rows[g].get("optional"))
    fp = n_rows - len(matched_rows)
    fn = sum(1 for g, gold in enumerate(gold_rows) if not gold.get("optional") and g not in owner)
    return Score(tp, fp, fn)


def load_gold(path: Path) -> list[dict]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ValueError(f"{path}: a gold file is a JSON list of articles")
    return data
