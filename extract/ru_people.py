"""Named servicemen in Russian text: a surname in any case form is one man.

Russian declines surnames: "контрактника Андрея Петрова", "Петрову", "с Петровым" are all
Petrov. The rules key a named man by his surname, so these forms must become one key,
or one man becomes several rows and a later "Петров сбежал" is about nobody. The
endings below are those of the common surname shapes (-ов/-ев/-ин/-ын, -ский/-цкий)
and of surnames in a hard consonant, which decline as nouns (Шевчука → Шевчук); other
surnames (Авалиани) are kept as written, which is also how they decline least. A rank
or serviceman noun right before a name ("мобилизованного Ивана Орлова", "бойцу из
Казани Ивану Орлову") marks the name as a serviceman's.
"""

from __future__ import annotations

import re
from functools import cache

from lexicons import fold, lexicon, trie_pattern

# (ending, replacement), longest first: the case forms of -ов/-ин surnames and of
# adjectival -ский/-цкий ones, masculine and feminine, to the masculine nominative.
_ENDINGS = [
    (stem + ending, stem)
    for stem in ("ов", "ев", "ёв", "ин", "ын")
    for ending in ("ыми", "ым", "ых", "ой", "ою", "ую", "а", "у", "е", "ы")
] + [
    (stem + ending, stem + "ий")
    for stem in ("ск", "цк")
    for ending in ("ого", "ому", "ими", "им", "ом", "ой", "ую", "ая", "их", "ие")
]
_ENDINGS.sort(key=lambda pair: len(pair[0]), reverse=True)
# A surname ending in a hard consonant declines as a noun ("Шевчука", "Шевчуку", "Шевчуком").
_HARD_ENDING = re.compile(r"(?<=[бвгдзклмнпрстфхчшщ])(?:ом|а|у|е)$")


def nominative_surname(word: str) -> str:
    """The masculine nominative of a Russian surname in any case form; other words as
    written.

    >>> [nominative_surname(w) for w in ("Петрова", "Петрову", "Петровым", "Петров", "Субботина")]
    ['Петров', 'Петров', 'Петров', 'Петров', 'Субботин']
    >>> [nominative_surname(w) for w in ("Жуковского", "Авалиани", "Ivanov", "Ов")]
    ['Жуковский', 'Авалиани', 'Ivanov', 'Ов']
    >>> [nominative_surname(w) for w in ("Шевчука", "Шевчуком", "Шевчук")]
    ['Шевчук', 'Шевчук', 'Шевчук']
    """
    if not re.search("[а-яё]", word[-1:]):
        return word
    for ending, replacement in _ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 1:
            return word[: len(word) - len(ending)] + replacement
    m = _HARD_ENDING.search(word)
    return word[:m.start()] if m and len(word) > 5 else word


def mentioned(text: str, known: set[str] | frozenset[str]) -> str:
    """The first surname of `known` (nominatives) that the text names in any case form.

    >>> mentioned("Позже Петрова задержали в Омске.", {"Петров"})
    'Петров'
    >>> mentioned("Позже его задержали в Омске.", {"Петров"})
    ''
    """
    if not known or not any(name[:4] in text for name in known):  # every case form keeps the first letters
        return ""
    return next((n for w in re.findall(r"[A-ZА-ЯЁ][\w-]+", text) if (n := nominative_surname(w)) in known), "")


@cache
def _rank_before() -> re.Pattern[str]:
    nouns = trie_pattern(sorted(set(lexicon("context")["singular"]["ru"])))
    return re.compile(rf"(?<![\w-])(?:{nouns})(?:\s+(?:из|с)\s+[\w-]+)?\s*,?\s*$")


def rank_before(text: str) -> bool:
    """Whether the text ends with a Russian serviceman noun, maybe followed by where he
    is from ("бойцу из Казани"): the name that follows is a serviceman's.

    >>> rank_before("суд приговорил мобилизованного "), rank_before("Бойцу из Казани ")
    (True, True)
    >>> rank_before("адвокат ")
    False
    """
    return bool(_rank_before().search(fold(text)))


_AGE_BEFORE = re.compile(r"\d{2}-летн\w+\s+$")


def introduced_before(text: str) -> bool:
    """Whether the text ends with a serviceman noun or an age ("27-летнего "): a name that
    follows is the article's protagonist, whom later sentences may call by surname alone
    ("Чибрин рассказал, что дезертировал").

    >>> introduced_before("По словам 27-летнего "), introduced_before("контрактника "), introduced_before("юрист ")
    (True, True, False)
    """
    return bool(_AGE_BEFORE.search(text)) or rank_before(text)


@cache
def _not_names() -> frozenset[str]:
    lex = lexicon("context")
    return frozenset(fold(w) for w in [*lex["not_names"]["ru"], *lex["servicemen"]["ru"]])


def not_a_name(first: str, last: str) -> bool:
    """Whether two capitalised Russian words are no first name and surname: one of them is
    an institution, a relative, a country or a serviceman noun in any case form ("Власти
    Грузии", "Военнослужащему Ивану" at the start of a sentence).

    >>> not_a_name("Власти", "Грузии"), not_a_name("Военнослужащему", "Ивану"), not_a_name("Павла", "Лебедева")
    (True, True, False)
    """
    return fold(first) in _not_names() or fold(last) in _not_names()
