"""How many servicemen a phrase speaks of, with the range its wording allows.

The codebook's rule: a stated number stays exact even when hedged ("about 60" → 60–60),
vague quantities get a range ("around two dozen" → 24, 20–30; "dozens" → no count).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from lexicons import alternation, fold, lexicon, trie_pattern, words

from .numbers import multipliers, number_words, parse_number


@cache
def person_nouns() -> str:
    """The English nouns a count counts (lexicons/roles.yaml `person_nouns`), with up to
    three modifiers or capitalised words before them ("eight mobilized Wagner fighters",
    "ex-convicts", "[the] soldiers"); Russian ones are _ru_nouns, by dictionary form."""
    mods = alternation(words("roles", "person_modifiers.en"))
    nouns = alternation(words("roles", "person_nouns.en"))
    return rf"(?:\[?(?:{mods}\s+|ex-|(?-i:[A-Z][a-z]+)\s+){{0,3}}{nouns}\]?)"


@cache
def _ru_nouns() -> str:
    """Russian words that name the men after a number, every case form (lexicons/context.yaml:
    the serviceman nouns and `count_words`, after up to two `count_modifiers`)."""
    lex = lexicon("context")
    nouns = trie_pattern(sorted({*lex["servicemen"]["ru"], *lex["count_words"]["ru"]}))
    modifiers = trie_pattern(sorted(set(lex["count_modifiers"]["ru"])))
    return rf"(?:(?:{modifiers})\s+){{0,2}}(?:{nouns})"


@dataclass(frozen=True)
class Count:
    count: int | None
    low: int | None
    high: int | None
    start: int
    end: int
    part: bool = False  # "two of 10 inmates": the two, a part of the group counted after them


@cache
def _vague() -> dict[str, list]:
    vague = lexicon("numbers")["vague"]
    return {k.lower(): v for lang in vague.values() for k, v in lang.items()}


@cache
def _pattern() -> re.Pattern[str]:
    word = trie_pattern([w for w in [*number_words(), *multipliers()] if w not in ("a", "an", "pair")])
    big = trie_pattern([w for w, v in multipliers().items() if v >= 100])
    words = rf"(?:{word})(?:[\s-](?:{word})){{0,4}}"
    joined = rf"(?:(?:{word})[\s-]){{0,3}}(?:{big})\s+(?:and|и)\s+(?:{word})(?:[\s-](?:{word}))?"
    number = rf"(?:\d{{1,3}}(?:[,\s]\d{{3}})+|\d+|(?:an?\s+(?={big}))?(?:{joined}|{words}))"
    vague = trie_pattern(sorted(_vague(), key=len, reverse=True))
    hedge = trie_pattern([h for lang in lexicon("numbers")["hedges"].values() for h in lang])
    return re.compile(
        rf"(?<![\w-])(?:(?P<vague>{vague})|(?:(?P<hedge>{hedge})\s+)?(?P<num>{number}))"
        rf"(?:\s+of\s+(?:the\s+|them\s+|those\s+|these\s+|his\s+|her\s+|their\s+)?)?\s*(?:[-–]\s*)?"
        rf"(?P<noun>{person_nouns()}|{_ru_nouns()})(?![\w])",
        re.IGNORECASE,
    )


@cache
def _starts() -> re.Pattern[str]:
    """Where a count can begin, on folded text: a digit, a number word, a vague quantity
    or a hedge (whole: "a group of", not every "a")."""
    hedges = [h for lang in lexicon("numbers")["hedges"].values() for h in lang]
    words = [w for w in [*number_words(), *multipliers()] if w not in ("a", "an", "pair")]
    starts = {fold(w) for w in [*words, *_vague(), *hedges, "a hundred", "a thousand", "an hundred"]}
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


_PART = re.compile(r"\s*(?:of them|of whom|из них)\b|\s+of\s+(?:the|those|these|them|his|her|their)\s", re.IGNORECASE)


def is_part(text: str, c: Count) -> bool:
    """Whether a count is a part of a group ("four of them", "four of the deserters",
    "четверо из них"): members, never the group itself.

    >>> t = "Four of the deserters were caught; ten soldiers fled."
    >>> [is_part(t, c) for c in find_counts(t)]
    [True, False]
    >>> t = "Police arrested two of 10 inmates who deserted."
    >>> [(c.count, is_part(t, c)) for c in find_counts(t)]
    [(2, True), (10, False)]
    """
    return c.part or bool(_PART.match(text, c.end) or _PART.search(text, c.start, c.end))


_VICTIMS = re.compile(r"\b(?:killed|killing|shot|shooting|wounded|wounding|injured|murdered|murdering)\s+$",
                      re.IGNORECASE)


def victims(text: str, c: Count) -> bool:
    """Whether a count is of the people someone killed or wounded ("killed nine people"):
    victims, never the group that acted.

    >>> t = "Two paratroopers killed nine people."
    >>> [victims(t, c) for c in find_counts(t)]
    [False, True]
    """
    return bool(_VICTIMS.search(text, max(0, c.start - 12), c.start))


@cache
def _all_n() -> re.Pattern[str]:
    """"All eight were charged", "все пятеро были": a number standing for the group; and a
    number that opens a sentence as its subject ("Four were later caught", "Eight refused."):
    men the article was telling of, counted without a noun.

    >>> [c.count for t in ("Four were later caught.", "Twelve refused to go.", "Ten years later he fled.")
    ...  for c in find_counts(t)]
    [4, 12]
    """
    small = trie_pattern(sorted(w for w, v in number_words().items() if 1 < v <= 20 and w != "both"))
    english = trie_pattern(sorted(w for w, v in number_words().items() if 1 < v <= 20 and w != "both"
                                  and w.isascii()))
    verbs = alternation(words("roles", "subject_number_verbs"))
    return re.compile(rf"\b(?:all|the|все|всех)\s+(\d+|{small})\s+(?=were|are|have|had|was|of|из|были|его)|"
                      rf"^\W*(\d{{1,3}}|{english})\s+(?={verbs}(?![\w]))", re.IGNORECASE)


def subject_number(sentence: str) -> bool:
    """Whether a sentence opens with a number as its subject ("Three were later detained"):
    men told of before, counted again.

    >>> subject_number("Three were later detained."), subject_number("Three soldiers were detained.")
    (True, False)
    """
    return any(m.group(2) for m in _all_n().finditer(sentence[:40]))


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
    >>> [c.count for c in find_counts("eight soldiers refused, and four others deserted")]
    [8, 4]
    >>> [c.count for t in ("about two hundred soldiers", "one hundred and fifty men", "three dozen conscripts",
    ...                    "пятерых военнослужащих", "двадцать три военнослужащих", "groups of eight and ten men")
    ...  for c in find_counts(t)]
    [200, 150, 36, 5, 23, 10]
    """
    return list(_find_counts(sentence))


@lru_cache(maxsize=8192)
def _find_counts(sentence: str) -> tuple[Count, ...]:
    out = []
    for m in _all_n().finditer(sentence):
        value = parse_number(m.group(1) or m.group(2))
        if value:
            out.append(Count(value, value, value, m.start(), m.end()))
    for m in _matches(sentence):
        if m.group("vague"):
            if m.group("noun").lower() == "others":  # "11 soldiers and dozens of others": no group
                continue
            count, low, high = _vague()[m.group("vague").lower()]
            out.append(Count(count, low, high, m.start(), m.end()))
            continue
        value = parse_number(m.group("num"))
        if value is None or value == 0 or value > 100_000:
            continue
        if re.match(r"\d{4}$", m.group("num")) and 1900 < value < 2100:
            continue
        out.append(Count(value, value, value, m.start(), m.end()))
        part = _part_before(sentence, m.start(), m.end())
        if part:
            out = sorted([*out, *part], key=lambda c: c.start)
    return tuple(out)


@cache
def _part_of() -> re.Pattern[str]:
    small = trie_pattern(sorted(w for w, v in number_words().items() if 1 <= v <= 20 and w != "both" and w.isascii()))
    return re.compile(rf"(?<![\w-])(\d+|{small})\s+of\s+(?:the\s+)?$", re.IGNORECASE)


def _part_before(sentence: str, start: int, end: int) -> list[Count]:
    """The members counted before a group's count ("two of 10 inmates", "three of the 12 soldiers")."""
    if " of " not in sentence[max(0, start - 30):start]:
        return []
    m = _part_of().search(sentence, max(0, start - 30), start)
    value = parse_number(m.group(1)) if m else None
    return [Count(value, value, value, m.start(), end, part=True)] if value else []
