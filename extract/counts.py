"""How many servicemen a phrase speaks of, with the range its wording allows.

The codebook's rule: a stated number stays exact even when hedged ("about 60" → 60–60),
vague quantities get a range ("around two dozen" → 24, 20–30; "dozens" → no count).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from lexicons import fold, lexicon, trie_pattern

PERSON_NOUNS = (
    r"(?:\[?(?:Russian\s+|mobili[sz]ed\s+|contract\s+|armed\s+|more\s+|other\s+|senior\s+|junior\s+|"
    r"military\s+|Wagner\s+|Storm-Z\s+|ex-|former\s+|(?-i:[A-Z][a-z]+)\s+){0,3}"
    r"(?:soldiers?|servicem[ae]n|service\s?members?|men|man|officers?|troops|paratroopers?|conscripts?|"
    r"reservists?|recruits?|personnel|fighters?|sailors?|marines?|privates?|deserters?|refuseniks?|objectors?|"
    r"prisoners?|convicts?|people|persons?|guardsmen|mobili[sz]ed|servicemembers|members|fugitives?|"
    r"escapees|subordinates?|colleagues?|comrades?|brothers-in-arms|them)\]?)"
)
RU_NOUNS = (r"(?:(?:мобилизованн\w*|военн\w*|бывш\w*|контрактн\w*)\s+)?"
            r"(?:военнослужащ\w*|солдат\w*|мобилизованн\w*|человек\w*|контрактник\w*|бойц\w*|дезертир\w*|"
            r"отказник\w*|срочник\w*|мужчин\w*|офицер\w*|военн\w*|из них|сбежавш\w*|беглец\w*|задержанн\w*)")


@dataclass(frozen=True)
class Count:
    count: int | None
    low: int | None
    high: int | None
    start: int
    end: int


@cache
def _number_words() -> dict[str, int]:
    words = lexicon("numbers")["words"]
    return {k.lower(): int(v) for lang in words.values() for k, v in lang.items()}


@cache
def _vague() -> dict[str, list]:
    vague = lexicon("numbers")["vague"]
    return {k.lower(): v for lang in vague.values() for k, v in lang.items()}


@cache
def _pattern() -> re.Pattern[str]:
    words = [w for w in _number_words() if w not in ("a", "an", "pair")]
    number = rf"(?:\d{{1,3}}(?:[,\s]\d{{3}})+|\d+|(?:{trie_pattern(words)})(?:[\s-](?:{trie_pattern(words)}))?)"
    vague = trie_pattern(sorted(_vague(), key=len, reverse=True))
    hedge = trie_pattern([h for lang in lexicon("numbers")["hedges"].values() for h in lang])
    return re.compile(
        rf"(?<![\w-])(?:(?P<vague>{vague})|(?:(?P<hedge>{hedge})\s+)?(?P<num>{number}))"
        rf"(?:\s+of\s+(?:the\s+|them\s+|those\s+|his\s+|her\s+|their\s+)?)?\s*(?:[-–]\s*)?(?P<noun>{PERSON_NOUNS}|{RU_NOUNS})(?![\w])",
        re.IGNORECASE,
    )


@cache
def _starts() -> re.Pattern[str]:
    """Where a count can begin, on folded text: a digit, a number word, a vague quantity
    or a hedge (whole: "a group of", not every "a")."""
    hedges = [h for lang in lexicon("numbers")["hedges"].values() for h in lang]
    words = [w for w in _number_words() if w not in ("a", "an", "pair")]
    starts = {fold(w) for w in [*words, *_vague(), *hedges]}
    return re.compile(rf"(?<![\w-])(?:\d|(?:{trie_pattern(sorted(starts))})(?![\w]))")


def _matches(sentence: str):
    """_pattern().finditer(sentence), tried only where a count can begin: the full
    pattern is case-insensitive and starts with a look-behind, so scanning every
    position with it costs several times more than this."""
    end = 0
    for start in _starts().finditer(fold(sentence)):
        if start.start() < end:
            continue
        m = _pattern().match(sentence, start.start())
        if m:
            end = m.end()
            yield m


_ALL_N = re.compile(r"\b(?:all|the|все|всех)\s+(\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                    r"двое|трое|четверо|пятеро|шестеро|семеро)\s+(?=were|are|have|had|was|of|из|были|его)",
                    re.IGNORECASE)


def parse_number(text: str) -> int | None:
    """A number written in digits or words.

    >>> parse_number("78"), parse_number("1,793"), parse_number("eight"), parse_number("twenty-four")
    (78, 1793, 8, 24)
    >>> parse_number("четверо"), parse_number("lots")
    (4, None)
    """
    t = text.strip().lower()
    digits = re.sub(r"[,\s]", "", t)
    if digits.isdigit():
        return int(digits)
    parts = re.split(r"[\s-]+", t)
    values = [_number_words().get(p) for p in parts]
    if not parts or any(v is None for v in values):
        return None
    return sum(values)


def find_counts(sentence: str) -> list[Count]:
    """Every count of servicemen in a sentence (a fresh list; the scan itself is cached,
    as the rules ask twice per sentence).

    >>> [(c.count, c.low, c.high) for c in find_counts("about 60 paratroopers refused")]
    [(60, 60, 60)]
    >>> [(c.count, c.low, c.high) for c in find_counts("around two dozen mobilized men")]
    [(24, 20, 30)]
    >>> [(c.count, c.low, c.high) for c in find_counts("Both men were sentenced")]
    [(2, 2, 2)]
    >>> [(c.count, c.low, c.high) for c in find_counts("at least 11 soldiers and dozens of others")]
    [(11, 11, 11)]
    >>> [(c.count, c.low, c.high) for c in find_counts("more than a dozen soldiers")]
    [(None, 13, 19)]
    >>> [(c.count, c.low, c.high) for c in find_counts("сбежали 10 военнослужащих")]
    [(10, 10, 10)]
    >>> [[c.count for c in find_counts(t)] for t in ("and 11 of his subordinates", "25 cases of servicemen")]
    [[11], []]
    """
    return list(_find_counts(sentence))


@lru_cache(maxsize=8192)
def _find_counts(sentence: str) -> tuple[Count, ...]:
    out = []
    for m in _ALL_N.finditer(sentence):
        value = parse_number(m.group(1))
        if value:
            out.append(Count(value, value, value, m.start(), m.end()))
    for m in _matches(sentence):
        if m.group("vague"):
            count, low, high = _vague()[m.group("vague").lower()]
            out.append(Count(count, low, high, m.start(), m.end()))
            continue
        value = parse_number(m.group("num"))
        if value is None or value == 0 or value > 100_000:
            continue
        if re.match(r"\d{4}$", m.group("num")) and 1900 < value < 2100:
            continue
        out.append(Count(value, value, value, m.start(), m.end()))
    return tuple(out)
