"""The incident decision: does the text report a specific incident of identifiable
Russian servicemen, or one of the codebook's "Not incidents"?

The rules find candidates (an incident word about someone); this module says which of
them the codebook counts, in two places, so that the reasons live in one home:

- `mention_counts`: one incident word. A word whose subject is generic or hypothetical
  ("those who refuse", "could face charges", "if a soldier is caught", "soldiers who
  refuse to fight"), or that is used in another sense ("wanted to", "in charge of", "Day
  of the Deserter"), is about nobody in particular.
- `decide`: one candidate row, with the article around it. A row whose sentences are all
  statistics ("since February 2022", "according to an estimate"), all about civilians
  (protesters, activists, draft evaders), whose men are counted as civilians or as an
  aggregate ("across Russia", "has already helped 520", "spoke to 18 deserters", a leaked
  list's category) or in a sum over a period ("175 tried to escape, more than in any
  other month"), or about Ukraine's forces rather than Russia's, is no incident.

The phrases are in lexicons/decision.yaml; this module only says how they decide.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from geography.gazetteer import find_places
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
        "statistic": folded_phrases([*both(lex["statistic"]), *both(lex["period_sum"]), *both(lex["nationwide"])]),
        "period_sum": folded_phrases(both(lex["period_sum"])),
        "tally_source": folded_phrases(both(lex["tally_source"])),
        "across_regions": folded_phrases(both(lex["across_regions"])),
        "nationwide": folded_phrases([*both(lex["nationwide"]), *both(lex["recorded"])]),
        "civilian": folded_phrases([*both(lex["civilian"]), *both(lex["civilian_offence"]),
                                    *both(lex["speech_offence"])]),
        "civilian_offence": folded_phrases([*both(lex["civilian_offence"]), *both(lex["speech_offence"])]),
        "generic_words": folded_phrases(both(lex["generic_words"])),
        "ukrainian_adjective": folded_phrases(both(lex["side"]["ukrainian_adjective"])),
        "singular": folded_phrases(p for lang in lexicon("context")["singular"].values() for p in lang),
        "other_senses": folded_phrases([*both(lex["other_refusals"]), *both(lex["other_senses"])]),
        "background": folded_phrases(p for lang in lexicon("context")["not_incident"].values() for p in lang),
        "not_background": folded_phrases(both(lex["not_background"])),
        # the phrase, up to two words, and the incident word (perhaps in quotes: «самоволки»)
        "generic_before": re.compile(rf"{phrase_regex(both(lex['generic_before']))}\s+(?:[\w[\]-]+\s+){{0,2}}"
                                     rf"[\"'«“„]?$"),
        # the condition and the rest of its clause, up to the incident word
        "conditional": re.compile(rf"{phrase_regex(both(lex['conditional']))}\s[^,.;:!?—]{{0,50}}$"),
        # a habit or a definition and the rest of its clause, up to the incident word
        "habitual": re.compile(rf"{phrase_regex(both(lex['habitual']))}\s[^,.;:!?—]{{0,80}}$"),
        # a generic subject ("those that try to quit") and the rest of its clause
        "generic_subject": re.compile(rf"{phrase_regex(both(lex['generic_subject']))}\s[^,.;:!?—]{{0,80}}$"),
    }


def background(folded: str) -> bool:
    """Whether a sentence is background, statistics, law or about other people (context.yaml
    `not_incident`): its incident words tell of no group unless it names a man.

    >>> background(fold("Desertion is punishable by up to 10 years.")), background(fold("Eight soldiers fled."))
    (True, False)
    >>> background(fold("Law enforcement detained two soldiers who fled.")), background(fold("A new law was passed."))
    (False, True)
    """
    p = _patterns()
    return any(not _inside(p["not_background"], folded, m.start(), m.end()) for m in p["background"].finditer(folded))


CUES = ("ukrainian", "russian", "statistic", "civilian", "generic_words", "background")


def cues(folded: str) -> list[str]:
    """Which of the decision's phrase lists a folded sentence matches: the evidence the rules
    weigh, handed to the learned gate (decision_model.py) as features.

    >>> cues(fold("Since the start of the war, 500 Ukrainian soldiers deserted."))
    ['ukrainian', 'statistic', 'background']
    """
    p = _patterns()
    return [name for name in CUES if p[name].search(folded)]


_HEADING_WORDS = 5


_STOPS = (".", "!", "?", "…", '"', "”", "»", ":")


def heading(sentence: Sentence, body_began: bool) -> bool:
    """Whether a sentence is a subheading inside the article ("Deserters on trial", "Court
    showed no mercy"): a few words with no final stop, once the body has begun (a title
    above the body may be as short). It announces a section; the section's sentences tell
    the incident, the heading tells nobody's act.

    >>> heading(Sentence(5, "Deserters on trial", 3), True), heading(Sentence(1, "Deserters on trial", 0), False)
    (True, False)
    >>> heading(Sentence(5, "Two soldiers deserted.", 3), True)
    False
    """
    text = sentence.text.rstrip()
    return body_began and not text.endswith(_STOPS) and text.count(" ") < _HEADING_WORDS


def body_text(sentence: Sentence) -> bool:
    """Whether a sentence is of the article's body: a full sentence, with its final stop."""
    text = sentence.text.rstrip()
    return text.endswith(_STOPS) and text.count(" ") >= _HEADING_WORDS


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
    if p["generic_before"].search(folded, max(0, start - 60), start) or _inside(p["other_senses"], folded, start, end) \
            or p["conditional"].search(folded, max(0, start - 60), start) \
            or p["habitual"].search(folded, max(0, start - 100), start) \
            or p["generic_subject"].search(folded, max(0, start - 100), start):
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


def decide(draft: Draft, side: ArticleSide, article: Sequence[Sentence] = ()) -> Decision:
    """Whether a candidate row is an incident, following the codebook's "Not incidents".

    A named serviceman is identifiable whatever the sentence says around him, so only
    the side of the war, or a civilians' offence in every sentence ("detained under
    Article 328", draft evasion), can reject his row. `article` is every sentence of the
    article, among them the one that counts the row's men.
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
        civilian = all(p["civilian_offence"].search(t) for t in folded)
        return Decision(not civilian, "civilians" if civilian else "")
    if all(p["statistic"].search(t) for t in folded):
        return Decision(False, "statistics")
    if _a_kind(draft):
        return Decision(False, "a kind of people")
    group = _group_words(draft, article)
    if all(p["civilian"].search(t) for t in folded) or p["civilian"].search(group):
        return Decision(False, "civilians")
    counting = _counting_sentence(draft, article)
    if p["nationwide"].search(group) or p["period_sum"].search(counting) or _tally(draft, counting, group):
        return Decision(False, "statistics")
    return Decision(True)


@cache
def _kind_nouns() -> frozenset[str]:
    return frozenset(fold(w) for lang in lexicon("decision")["kind_nouns"].values() for w in lang)


def _a_kind(draft: Draft) -> bool:
    """Whether a row names its men only as a kind of people ("Russian conscientious objectors
    face deportation"): no count, no name, no group the rules could join it to, every incident
    word a noun of decision.yaml `kind_nouns`, and no place that would tell which men ("looking
    for deserters in Hornostaivka" are some men).

    >>> from .drafts import Actor
    >>> kind = Draft("refusal", Actor("?", None, 0), sentences=[Sentence(0, "Objectors face deportation.", 0)],
    ...              triggers=["objectors"])
    >>> here = Draft("desertion", Actor("?", None, 0), sentences=[Sentence(0, "Police seek deserters in Omsk.", 0)],
    ...              triggers=["deserters"])
    >>> _a_kind(kind), _a_kind(here)
    (True, False)
    """
    return draft.actor.key == "?" and draft.actor.count is None \
        and all(fold(w) in _kind_nouns() for w in draft.triggers) \
        and not any(find_places(s.text) for s in draft.sentences)


_TALLY_SIZE = 100


def _tally(draft: Draft, counting: str, group: str = "") -> bool:
    """Whether the row's men are many and counted as someone's data ("по данным
    «Медиазоны», дела возбуждены в отношении 1064 военнослужащих") or over a part of the
    country ("Более 800 военных на севере сбежали"): a compiled figure, not one event. A
    source for a few men ("по данным полиции, из части ушли десять солдат"), or a few men
    in the north, tell an event.

    >>> from .counts import find_counts
    >>> from .drafts import Actor
    >>> def tally(text):
    ...     d = Draft("desertion", Actor("n", find_counts(text)[0], 0), sentences=[Sentence(0, text, 0)])
    ...     return _tally(d, fold(text), _group_words(d))
    >>> tally("Более 900 военных на юге покинули части."), tally("Двенадцать военных на юге покинули часть.")
    (True, False)
    """
    c = draft.actor.count
    if c is None or (c.count or 0) < _TALLY_SIZE:
        return False
    return bool(counting and _patterns()["tally_source"].search(counting)
                or group and _patterns()["across_regions"].search(group))


def _group_words(draft: Draft, article: Sequence[Sentence] = ()) -> str:
    """The folded words around the count of the row's men: who a group is ("1,300 people
    were detained at anti-war protests", "across Russia") is told where it is counted,
    whatever later sentences say of it. The sentence that counts them may be one of the
    article's that the row does not quote ("Police detained 120 soldiers across Russia.
    The detained men had deserted." gives a desertion row for the 120).

    >>> from .counts import find_counts
    >>> from .drafts import Actor
    >>> def group(*texts):
    ...     said = [Sentence(i, t, 0) for i, t in enumerate(texts)]
    ...     return _group_words(Draft("prosecution", Actor("n", find_counts(texts[0])[0], 0), sentences=said))
    >>> group("Police detained 1,300 people across Russia at anti-war protests.", "They were sent to units.")
    'police detained 1,300 people across russia at anti-war protests.'
    >>> group("Eight soldiers deserted.", "They were caught.")
    'eight soldiers deserted.'
    """
    own = next((s for s in (*draft.sentences, *article) if s.index == draft.actor.sentence), None)
    c = draft.actor.count
    if own is None or c is None or c.end <= c.start:
        return ""
    return fold(own.text[max(0, c.start - 60):c.end + 60])


def _counting_sentence(draft: Draft, article: Sequence[Sentence] = ()) -> str:
    """The folded sentence that counts the row's men with a number ("Last month, 175 people
    tried escaping, more than in any other month"): a group counted in a statistic is an
    aggregate, whatever later sentences joined to its row tell."""
    c = draft.actor.count
    if c is None or c.count is None or c.end <= c.start:
        return ""
    return fold(next((s.text for s in (*draft.sentences, *article) if s.index == draft.actor.sentence), ""))


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
    >>> from .counts import Count
    >>> def one(text):
    ...     return _ukrainian_group(Draft("refusal", Actor("one", Count(1, 1, 1, 0, 0), 0),
    ...                                   sentences=[Sentence(0, text, 0)]))
    >>> one("Украинский морпех отказался форсировать реку."), one("Мобилизованный перешёл на сторону ВСУ.")
    (True, False)
    """
    c = draft.actor.count
    own = next((s for s in draft.sentences if s.index == draft.actor.sentence), None)
    if c is None or own is None:
        return False
    side = _patterns()
    if c.end <= c.start:  # one man, named by a noun ("Украинский десантник был приговорён")
        folded = fold(own.text)
        one = side["singular"].search(folded)
        words = folded[max(0, one.start() - 25):one.end()] if one else ""
        return bool(side["ukrainian_adjective"].search(words)) and not side["russian"].search(words)
    words = fold(own.text[max(0, c.start - 12):c.end + 40])
    return bool(side["ukrainian"].search(words)) and not side["russian"].search(words)
