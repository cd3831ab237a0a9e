"""The incident decision: does the text report a specific incident of identifiable
Russian servicemen, or one of the codebook's "Not incidents"?

The rules find candidates (an incident word about someone); this module says which of
them the codebook counts, in two places, so that the reasons live in one home:

- `mention_counts`: one incident word. A word whose subject is generic or hypothetical
  ("those who refuse", "could face charges", "soldiers who refuse to fight") is about
  nobody in particular.
- `decide`: one candidate row, with the article around it. A row whose sentences are all
  statistics ("since February 2022", "according to an estimate"), all about civilians
  (protesters, activists, draft evaders), or about Ukraine's forces rather than Russia's,
  is no incident.

The phrases are in lexicons/decision.yaml; this module only says how they decide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from lexicons import fold, folded_phrases, lexicon, phrase_regex

from .drafts import Draft
from .text import Sentence


@dataclass(frozen=True)
class Decision:
    """Whether a candidate row is an incident and, when it is not, which of the codebook's
    "Not incidents" it is."""

    incident: bool
    reason: str = ""


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    lex = lexicon("decision")

    def both(entry: dict) -> list[str]:
        return [fold(p) for lang in entry.values() for p in lang]

    return {
        "ukrainian": folded_phrases(both(lex["side"]["ukrainian"])),
        "russian": folded_phrases(both(lex["side"]["russian"])),
        "statistic": folded_phrases(both(lex["statistic"])),
        "civilian": folded_phrases(both(lex["civilian"])),
        "generic_words": folded_phrases(both(lex["generic_words"])),
        "other_senses": folded_phrases([*both(lex["other_refusals"]), *both(lex["other_senses"])]),
        "background": folded_phrases(p for lang in lexicon("context")["not_incident"].values() for p in lang),
        "generic_before": re.compile(rf"{phrase_regex(both(lex['generic_before']))}\s+(?:[\w[\]-]+\s+){{0,2}}$"),
    }


def background(folded: str) -> bool:
    """Whether a sentence is background, statistics, law or about other people (context.yaml
    `not_incident`): its incident words tell of no group unless it names a man.

    >>> background(fold("Desertion is punishable by up to 10 years.")), background(fold("Eight soldiers fled."))
    (True, False)
    """
    return bool(_patterns()["background"].search(folded))


CUES = ("ukrainian", "russian", "statistic", "civilian", "generic_words", "background")


def cues(folded: str) -> list[str]:
    """Which of the decision's phrase lists a folded sentence matches: the evidence the rules
    weigh, handed to the learned gate (decision_model.py) as features.

    >>> cues(fold("Since the start of the war, 500 Ukrainian soldiers deserted."))
    ['ukrainian', 'statistic', 'background']
    """
    p = _patterns()
    return [name for name in CUES if p[name].search(folded)]


def mention_counts(folded: str, start: int, end: int, counted: bool = False) -> bool:
    """Whether the incident word at folded[start:end] tells of someone's act, rather than
    of a kind of people or a possibility. A present-tense "who refuse" is a kind of
    people unless the sentence counts them ("hundreds of soldiers who refuse to fight
    were moved": those hundreds are a group). A word in another sense ("wanted to", "in
    charge of", "отказался от комментариев") is no one's act, counted or not.

    >>> s = fold("Those who refuse to fight could face charges of desertion.")
    >>> mention_counts(s, 10, 16), mention_counts(s, s.index("charges"), s.index(" of"))
    (False, False)
    >>> s = fold("Eight soldiers who refused to fight were charged.")
    >>> mention_counts(s, s.index("refused"), s.index(" to fight")), mention_counts(s, s.index("charged"), len(s) - 1)
    (True, True)
    >>> s = fold("Hundreds of soldiers who refuse to fight were moved.")
    >>> mention_counts(s, s.index("refuse"), s.index(" to fight")), mention_counts(s, s.index("refuse"), 30, True)
    (False, True)
    """
    p = _patterns()
    if p["generic_before"].search(folded, max(0, start - 60), start) or _inside(p["other_senses"], folded, start, end):
        return False
    return counted or not _inside(p["generic_words"], folded, start, end)


def _inside(pattern: re.Pattern[str], folded: str, start: int, end: int) -> bool:
    """Whether a phrase of `pattern` overlaps the word at folded[start:end]."""
    return any(m.start() <= start < m.end() or start <= m.start() < end
               for m in pattern.finditer(folded, max(0, start - 30), min(len(folded), end + 30)))


@dataclass(frozen=True)
class ArticleSide:
    """How often the article names Ukraine's forces and Russia's."""

    ukrainian: int
    russian: int

    @property
    def about_ukraine(self) -> bool:
        return self.ukrainian >= 2 and self.ukrainian > 2 * self.russian


def article_side(sentences: list[Sentence]) -> ArticleSide:
    p = _patterns()
    folded = [fold(s.text) for s in sentences]
    return ArticleSide(sum(len(p["ukrainian"].findall(t)) for t in folded),
                       sum(len(p["russian"].findall(t)) for t in folded))


def decide(draft: Draft, side: ArticleSide) -> Decision:
    """Whether a candidate row is an incident, following the codebook's "Not incidents".

    A named serviceman is identifiable whatever the sentence says around him, so only
    the side of the war can reject his row.
    """
    p = _patterns()
    folded = [fold(s.text) for s in draft.sentences]
    if not folded:
        return Decision(False, "no sentence")
    names_russians = any(p["russian"].search(t) for t in folded)
    if not names_russians and (side.about_ukraine or all(p["ukrainian"].search(t) for t in folded)) \
            or _ukrainian_group(draft):
        return Decision(False, "Ukrainian soldiers")
    if draft.actor.person:
        return Decision(True)
    if all(p["statistic"].search(t) for t in folded):
        return Decision(False, "statistics")
    if all(p["civilian"].search(t) for t in folded) or _civilian_group(draft):
        return Decision(False, "civilians")
    return Decision(True)


def _civilian_group(draft: Draft) -> bool:
    """Whether the words around the count of the row's men say they are civilians
    ("1,300 people were detained at anti-war protests"): who a group is, is told where
    it is counted, whatever later sentences say of it.

    >>> from .counts import find_counts
    >>> from .drafts import Actor
    >>> def group(*texts):
    ...     said = [Sentence(i, t, 0) for i, t in enumerate(texts)]
    ...     return _civilian_group(Draft("prosecution", Actor("n", find_counts(texts[0])[0], 0), sentences=said))
    >>> group("Police detained 1,300 people at anti-war protests.", "The detained men were sent to units.")
    True
    >>> group("Police detained 13 soldiers who had deserted.", "Activists said they were beaten.")
    False
    """
    own = next((s for s in draft.sentences if s.index == draft.actor.sentence), None)
    c = draft.actor.count
    if own is None or c is None or c.end <= c.start:
        return False
    return bool(_patterns()["civilian"].search(fold(own.text[max(0, c.start - 60):c.end + 60])))


def _ukrainian_group(draft: Draft) -> bool:
    """Whether the words that count the row's men say they are Ukraine's ("400 soldiers
    of the Armed Forces of Ukraine", "300 Ukrainian soldiers"), whatever else the
    sentence says of Russia.

    >>> from .counts import find_counts
    >>> from .drafts import Actor
    >>> def group(text):
    ...     c = find_counts(text)[0]
    ...     return _ukrainian_group(Draft("refusal", Actor("n", c, 0), sentences=[Sentence(0, text, 0)]))
    >>> group("Over 400 soldiers of the Armed Forces of Ukraine refused to fight Russia's army.")
    True
    >>> group("Eight Russian soldiers refused to fight Ukrainian troops.")
    False
    """
    c = draft.actor.count
    own = next((s for s in draft.sentences if s.index == draft.actor.sentence), None)
    if c is None or own is None or c.end <= c.start:
        return False
    words = fold(own.text[max(0, c.start - 12):c.end + 40])
    side = _patterns()
    return bool(side["ukrainian"].search(words)) and not side["russian"].search(words)
