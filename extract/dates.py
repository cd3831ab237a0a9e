"""When an incident happened, as precisely as the text allows, resolved against publication.

Returns (ISO date string, precision): "2023-01-13" day, "2023-01" month, "2023" year.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from lexicons import fold, lexicon, trie_pattern


@cache
def _months() -> dict[str, int]:
    return {k: int(v) for lang in lexicon("dates")["months"].values() for k, v in lang.items()}


@cache
def _weekdays() -> dict[str, int]:
    return {k: int(v) for lang in lexicon("dates")["weekdays"].values() for k, v in lang.items()}


@cache
def _relative() -> dict[str, str]:
    return {k: v for lang in lexicon("dates")["relative"].values() for k, v in lang.items()}


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    """The date patterns, for folded (lower-cased) text: case-sensitive patterns let the
    regex engine skip positions that cannot start a match."""
    month = trie_pattern(fold(m) for m in _months())
    return {
        "iso": re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)\b"),
        "dmy": re.compile(rf"\b(\d{{1,2}})\s+({month})\.?,?\s*(20\d\d)?\b"),
        "mdy": re.compile(rf"\b({month})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b,?\s*(20\d\d)?"),
        "my": re.compile(rf"\b({month})\s*(20\d\d)?\b"),
        "year": re.compile(r"\b(?:in|since|of|в)\s+(20[12]\d)\b"),
        "weekday": re.compile(rf"\b({trie_pattern(fold(w) for w in _weekdays())})\b"),
        "relative": re.compile(rf"\b({trie_pattern(fold(r) for r in _relative())})\b"),
    }


def parse_published(value: str | None) -> dt.date | None:
    """A publication date from metadata, tolerating a month or a timestamp.

    >>> parse_published("2023-01-18"), parse_published("2022-09"), parse_published("soon")
    (datetime.date(2023, 1, 18), datetime.date(2022, 9, 1), None)
    """
    if not value:
        return None
    m = re.match(r"(\d{4})-(\d{2})(?:-(\d{2}))?", str(value))
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3] or 1))
    except ValueError:
        return None


def _year_for(month: int, published: dt.date | None) -> int | None:
    if published is None:
        return None
    return published.year if month <= published.month else published.year - 1


def find_date(sentence: str, published: dt.date | None) -> tuple[str, str] | None:
    """The most precise date a sentence gives for its event.

    >>> pub = dt.date(2023, 1, 18)
    >>> find_date("he fled Ukraine on Jan. 13 armed with a rifle", pub)
    ('2023-01-13', 'day')
    >>> find_date("they left at the end of December", pub)
    ('2022-12', 'month')
    >>> find_date("the government announced on Wednesday", pub)
    ('2023-01-18', 'day')
    >>> find_date("in April 2022", pub), find_date("last year", pub), find_date("earlier this month", pub)
    (('2022-04', 'month'), ('2022', 'year'), ('2023-01', 'month'))
    >>> find_date("7 июня 2023 года", None)
    ('2023-06-07', 'day')
    """
    p = _patterns()
    original, sentence = sentence, fold(sentence)
    for m in p["iso"].finditer(sentence):
        return f"{m[1]}-{m[2]}-{m[3]}", "day"
    for key in ("dmy", "mdy"):
        for m in p[key].finditer(sentence):
            day, month_name = (m[1], m[2]) if key == "dmy" else (m[2], m[1])
            month = _months()[month_name.lower()]
            year = int(m[3]) if m[3] else _year_for(month, published)
            if year and 1 <= int(day) <= 31:
                return f"{year}-{month:02d}-{int(day):02d}", "day"
    for m in p["weekday"].finditer(sentence):
        if published is not None:
            back = (published.weekday() - _weekdays()[m[1].lower()]) % 7
            return (published - dt.timedelta(days=back)).isoformat(), "day"
    for m in p["my"].finditer(sentence):
        month = _months()[m[1].lower()]
        if m[1].lower() in ("may", "mar", "jan", "dec", "sep", "oct", "nov", "jun", "jul", "aug", "apr", "feb") \
                and not m[2] and original[m.start(1)].islower():
            continue
        year = int(m[2]) if m[2] else _year_for(month, published)
        if year:
            return f"{year}-{month:02d}", "month"
    for m in p["relative"].finditer(sentence):
        return _relative_date(_relative()[m[1].lower()], published)
    for m in p["year"].finditer(sentence):
        return m[1], "year"
    return None


def _relative_date(kind: str, published: dt.date | None) -> tuple[str, str] | None:
    if published is None:
        return None
    if kind in ("today",):
        return published.isoformat(), "day"
    if kind == "yesterday":
        return (published - dt.timedelta(days=1)).isoformat(), "day"
    if kind in ("month", "week"):
        when = published - dt.timedelta(days=7) if kind == "week" else published
        return f"{when.year}-{when.month:02d}", "month"
    if kind == "last_month":
        first = published.replace(day=1) - dt.timedelta(days=1)
        return f"{first.year}-{first.month:02d}", "month"
    if kind == "year":
        return str(published.year), "year"
    return str(published.year - 1), "year"
