"""A row in the making: who it is about (the actor) and what the sentences say of them.

Rules build drafts and attribution reads them; keeping the two records here lets both
import them without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .counts import Count
from .text import Sentence


@dataclass
class Actor:
    key: str
    count: Count | None
    sentence: int
    person: str = ""
    separate: bool = False  # a man told of apart from the group before him (groups.separate)
    part: bool = False  # members of a group ("four of the deserters"), never the group itself


@dataclass
class Draft:
    type: str
    actor: Actor
    stages: list[str] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    triggers: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # (sentence index, offset) of each trigger
