"""The typed record the extractor returns, with the codebook's fields."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from store.codebook import shipped_codebook

TYPES = shipped_codebook().types
STAGES = shipped_codebook().stages


@dataclass(frozen=True)
class Incident:
    """One incident row as the codebook defines it, plus how the extractor found it."""

    type: str
    stage: str = ""
    count: int | None = None
    count_low: int | None = None
    count_high: int | None = None
    region: str = ""
    place: str = ""
    date: str = ""
    date_precision: str = ""
    published: str = ""
    unit: str = ""
    summary: str = ""
    evidence: str = ""
    source_url: str = ""
    outlet: str = ""
    title: str = ""
    source: str = ""
    rule: str = ""
    sentence: int = -1
    confidence: float = 0.0
    extra: dict = field(default_factory=dict, compare=False, repr=False)

    def to_row(self) -> dict:
        """A flat dict of every codebook field, for CSV and JSON output."""
        row = asdict(self)
        row.pop("extra")
        return row


FIELDS = [f for f in Incident.__dataclass_fields__ if f != "extra"]
