"""Numbers written in words, English and Russian: "about two hundred", "one hundred and
fifty", "three dozen", "двести пятьдесят", "пятерых".

The words and their values are in lexicons/numbers.yaml (Russian by dictionary form;
lexicons/ru_forms.yaml adds every case form). Words add up ("twenty-four", "сто
двадцать"); a multiplier takes what came before it, or one ("hundred", "two hundred",
"a dozen", "три десятка"); "thousand" closes a group ("two thousand three hundred").
"""

from __future__ import annotations

import re
from functools import cache

from lexicons import lexicon
from lexicons.forms import russian_forms

_JOINERS = frozenset({"and", "и"})


def _valued(key: str) -> dict[str, int]:
    """A numbers.yaml table as word -> value: English as written, Russian in every case form."""
    table = lexicon("numbers")[key]
    out = {str(k).lower(): int(v) for k, v in table["en"].items()}
    for lemma, value in table["ru"].items():
        out.update({form.lower(): int(value) for form in russian_forms(str(lemma))})
    return out


@cache
def number_words() -> dict[str, int]:
    """Every number word (all Russian case forms) with its value."""
    return _valued("words")


@cache
def multipliers() -> dict[str, int]:
    """"hundred", "dozen", "тысяча" … with the value they multiply by."""
    return _valued("multipliers")


def parse_number(text: str) -> int | None:
    """A number written in digits or words; None when a word is not a number word.

    >>> parse_number("78"), parse_number("1,793"), parse_number("eight"), parse_number("twenty-four")
    (78, 1793, 8, 24)
    >>> parse_number("two hundred"), parse_number("one hundred and fifty"), parse_number("three dozen")
    (200, 150, 36)
    >>> parse_number("a hundred"), parse_number("two thousand three hundred"), parse_number("dozen")
    (100, 2300, 12)
    >>> parse_number("четверо"), parse_number("пятерых"), parse_number("двоих"), parse_number("lots")
    (4, 5, 2, None)
    >>> parse_number("двести пятьдесят"), parse_number("тридцати семи"), parse_number("две тысячи")
    (250, 37, 2000)
    >>> parse_number("eight and ten"), parse_number("and")
    (None, None)
    """
    t = text.strip().lower()
    digits = re.sub(r"[,\s]", "", t)
    if digits.isdigit():
        return int(digits)
    words, mult = number_words(), multipliers()
    total = current = 0
    previous = ""
    for token in re.split(r"[\s-]+", t):
        if token in _JOINERS:
            if mult.get(previous, 0) < 100:
                return None
        elif token in mult:
            if mult[token] >= 1000:
                total, current = total + (current or 1) * mult[token], 0
            else:
                current = (current or 1) * mult[token]
        elif token in words:
            current += words[token]
        else:
            return None
        previous = token
    return (total + current) or None if previous not in _JOINERS else None
