"""Which mentions are one group of men, and which are two.

The codebook gives one row per group and type: a group mentioned five times is one row,
and two groups are two rows even when the article tells them one after the other. The
rules (rules.py) key a mention by the men it names; this module says when a new mention
is still the group the article was following and when it is a new one, and at the end
merges rows that describe the same men twice.

A man told of with his own region or his own year ("In April 2023 a court sentenced
Private X", "a private of a unit in Chelyabinsk region"), neither of which the rows so far
name, is a separate incident, not one of the group before him; "one of them" always is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import cache

from lexicons import alternation, fold, folded_phrases, lexicon, words

from .attribution import place_roles
from .counts import Count
from .drafts import Actor, Draft
from .text import Sentence

_MEMBER = re.compile(r"\b(?:one of them|one of the|among them|of them|one of whom|including|"
                     r"один из|одного из них|одному из|из них|среди них|в том числе)\b", re.IGNORECASE)


def _regions(s: Sentence) -> set[str]:
    """The regions of Russia a sentence places its men in (not a distance reference or a destination)."""
    return {p.code for p, role in place_roles(s.text)
            if p.code.startswith("RU-") and role not in ("distance", "destination", "state")}


def _places(s: Sentence) -> set[str]:
    return {p.code for p, _ in place_roles(s.text) if p.code}


_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_TWO_MEN = re.compile(r"[A-ZА-ЯЁ][a-zа-яё]+\s+[A-ZА-ЯЁ][a-zа-яё]+\s+(?:and|и)\s+(?:[A-ZА-ЯЁ]?[a-zа-яё]+\s+){0,2}"
                      r"[A-ZА-ЯЁ][a-zа-яё]+\s+[A-ZА-ЯЁ][a-zа-яё]+")


def _years(sentences: Iterable[Sentence]) -> set[str]:
    """The years the sentences write out ("in April 2023"): a year the reader is told, not one resolved."""
    return {m.group() for s in sentences for m in _YEAR.finditer(s.text)}


def separate(actor: Actor, s: Sentence, drafts: Iterable[Draft], published: dt.date | None,
             last_actor: Actor | None) -> Actor:
    """The actor as the rows should key it: a single man (named or not) whose sentence
    names a region of Russia that the rows so far (naming some place) do not, or writes a
    year that they do not, or that an earlier report told of him, is a new incident, as is
    an unnamed man charged with an offence the rows so far never name: rows that name no place may be about him,
    placed at last (his own key,
    marked `separate`); an unnamed single man told of again with nothing new is the
    separate man the article was last following.

    >>> from .counts import Count
    >>> one = Count(1, 1, 1, 0, 0)
    >>> first = Draft("desertion", Actor("n10", Count(10, 10, 10, 0, 5), 0),
    ...               sentences=[Sentence(0, "10 soldiers fled a unit in Tver region.", 0)])
    >>> later = Sentence(3, "In May a court sentenced a private of a unit in Omsk region.", 1)
    >>> separate(Actor("one", one, 3), later, [first], None, None).key
    'one@3'
    >>> member = Sentence(3, "One of them, a private from Omsk region, was sentenced.", 1)
    >>> separate(Actor("one", one, 3), member, [first], None, None).key
    'one'
    """
    drafts = list(drafts)
    if actor.count is None or actor.count.count != 1 or not drafts or _MEMBER.search(s.text) \
            or _TWO_MEN.search(s.text):
        return actor
    told = list({x.index: x for d in drafts for x in d.sentences if x.index != s.index}.values())
    regions, years, new = _regions(s), _years([s]), False
    if regions:  # what the rows so far tell is read only when the sentence has something new to compare
        known = {code for x in told for code in _places(x)}
        new = bool(known and not regions & known)
    if years and not new:
        known_years = _years(told) or ({str(published.year)} if published else set())
        new = bool(known_years and not years & known_years)
    if new and actor.key == "one" and last_actor is not None and last_actor.key.startswith("one@") \
            and last_actor.sentence == s.index - 1:
        return last_actor  # the man the sentence before recalled, told of with his region
    if new or _earlier_report().search(fold(s.text)) or not actor.person and _other_offence(s, told):
        key = actor.key if actor.person else f"one@{s.index}"
        return Actor(key, actor.count, actor.sentence, actor.person, separate=True)
    if actor.key == "one" and last_actor is not None and last_actor.key.startswith("one@"):
        return last_actor
    return actor


def same_group(drafts, kind: str, actor: Actor) -> Draft | None:
    """A row of this type whose stated range already covers this count ("about two
    dozen" … "around 20 soldiers"): the same group, described twice."""
    if actor.count is None or actor.count.count is None or actor.person:
        return None
    for d in drafts:
        c = d.actor.count
        if d.type == kind and c is not None and c.count != c.high and c.low <= actor.count.count <= c.high:
            return d
    return None


@cache
def _offences() -> dict[str, re.Pattern[str]]:
    """Per act, the offence words that name it (roles.yaml `offence_words`), on folded text."""
    return {kind: folded_phrases(words("roles", f"offence_words.{kind}")) for kind in lexicon("roles")["offence_words"]}


def _other_offence(s: Sentence, told: list[Sentence]) -> bool:
    """Whether an unnamed man's sentence names only an offence that the rows so far never
    name ("the first case for failing to obey an order" … "the first case for leaving a
    unit, against a mobilized man"): another man's case.

    >>> told = [Sentence(0, "Против контрактника возбудили дело о неисполнении приказа.", 0)]
    >>> _other_offence(Sentence(1, "Возбудили и дело о самовольном оставлении части мобилизованным.", 0), told)
    True
    >>> _other_offence(Sentence(1, "Ему вменяют неисполнение приказа.", 0), told)
    False
    """
    def named(texts: list[str]) -> set[str]:
        return {kind for kind, pattern in _offences().items() if any(pattern.search(t) for t in texts)}

    mine = named([fold(s.text)])
    return bool(mine) and bool(before := named([fold(x.text) for x in told])) and not mine & before


@cache
def _earlier_report() -> re.Pattern[str]:
    return folded_phrases(w for words in lexicon("context")["earlier_report"].values() for w in words)


@cache
def _act_words() -> frozenset[str]:
    return frozenset(fold(w) for w in lexicon("context")["count_words"]["ru"])


def _told_by_act(d: Draft) -> bool:
    """Whether a counted group is named only by what it did ("четверых сбежавших задержали"):
    men the article already told of, so, when a larger group of that type came before,
    some of its members rather than a group of their own."""
    return d.type != "prosecution" and bool(d.triggers) and all(fold(t) in _act_words() for t in d.triggers)


def merge(drafts: list[Draft], seen_groups: list[Actor]) -> list[Draft]:
    """Rows that describe the same men twice become one.

    - a single serviceman that `separate` found to be his own incident stays apart;
    - members of a group ("four of the deserters") join the larger group's row of the
      same type, even when the article tells of them before it;
    - a named or unnamed single serviceman joins a counted group of the same type that
      the article introduced before him (the named men of an article about a group are
      its members; a man the article opens with is his own incident), and an unnamed
      one is the only named one, joining his row of the type or taking him as its actor,
      or the only named man with a row of its type whom the article names as the one it
      told of ("a soldier was sentenced … the soldier, Maxim K., deserted");
    - a group named only by what it did ("четверых сбежавших") joins a larger group of its
      type told of before it: they are some of its members;
    - a row with no identifiable group joins the counted row of its type, or takes the
      article's only counted group as its actor (of the rows, else of all the sentences
      about servicemen: "soldiers … were threatened"; "around two dozen men said …").
    """
    groups = [d for d in drafts if d.actor.count is not None and (d.actor.count.count or 0) > 1]
    people = {d.actor.key: d.actor for d in drafts if d.actor.person}
    counted = {d.actor.key: d.actor for d in groups} or {a.key: a for a in seen_groups}
    the_one = {d.actor.key for d in drafts if d.actor.person and _named_as_the_one(d)}
    out: list[Draft] = []
    for d in drafts:
        target = None
        if d.actor.separate:
            pass
        elif d.actor.part and d.type in ("refusal", "desertion"):
            target = next((g for g in groups if g.type == d.type and not g.actor.part
                           and (g.actor.count.count or 0) > (d.actor.count.count or 0)), None)
        elif d.actor.key == "one" or d.actor.person:
            target = next((g for g in groups if g.type == d.type and g.actor.sentence <= d.actor.sentence), None)
            named = [o for o in drafts if o.type == d.type and o.actor.person and not o.actor.separate]
            if target is None and d.actor.key == "one" and len(people) == 1:
                target = next((o for o in drafts if o.type == d.type and o.actor.key in people), None)
                d.actor = next(iter(people.values()))
            elif target is None and d.actor.key == "one" and len(apposed := [o for o in named
                                                                              if o.actor.key in the_one]) == 1:
                target = apposed[0]
        elif _told_by_act(d):
            target = next((g for g in groups if g.type == d.type and g.actor.sentence < d.actor.sentence
                           and (g.actor.count.count or 0) > (d.actor.count.count or 0)), None)
        elif d.actor.key == "?":
            target = next((g for g in drafts if g.type == d.type and g.actor.key != "?" and g is not d), None)
            if target is None and len(counted) == 1:
                d.actor = next(iter(counted.values()))
            elif target is None and not counted and d.actor.count is None and _one_man(d.sentences):
                d.actor = Actor("one", Count(1, 1, 1, 0, 0), d.actor.sentence)
        if target is not None and target is not d:
            target.sentences.extend(x for x in d.sentences if x not in target.sentences)
            target.stages.extend(d.stages)
            target.triggers.extend(d.triggers)
            target.spans.extend(d.spans)
            continue
        out.append(d)
    for d in out:
        d.sentences.sort(key=lambda x: x.index)
        if d.actor.key == "?" and d.actor.count is None and _one_man(d.sentences):
            d.actor = Actor("one", Count(1, 1, 1, 0, 0), d.actor.sentence)
    return out


@cache
def _the_noun_comma() -> re.Pattern[str]:
    nouns = alternation(fold(w) for w in lexicon("context")["singular_nouns"]["en"])
    return re.compile(rf"\bthe\s+(?:[\w-]+\s+){{0,2}}?(?:{nouns}),\s+[A-Z]")


def _named_as_the_one(draft: Draft) -> bool:
    """Whether a named man's row names him as the man told of before: "the soldier, Maxim
    Kochetkov, deserted" (a definite noun and the name in apposition).

    >>> _named_as_the_one(Draft("desertion", Actor("p:K", None, 0, "K"),
    ...                         sentences=[Sentence(0, "The court said the soldier, Ivan Orlov, fled.", 0)]))
    True
    """
    first = next((s for s in draft.sentences if s.index == draft.actor.sentence), None)
    return first is not None and bool(_the_noun_comma().search(first.text))


@cache
def _pronouns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    lex = lexicon("context")
    return tuple(folded_phrases(w for words in lex[key].values() for w in words)
                 for key in ("singular_pronouns", "plural_pronouns"))


def _one_man(sentences: list[Sentence]) -> bool:
    """Whether sentences that count nobody tell of one man by pronouns alone ("he had
    managed to escape", "sentenced him to two years"), never of several.

    >>> _one_man([Sentence(0, "He still could not believe he had managed to escape.", 0)])
    True
    >>> _one_man([Sentence(0, "He said they had managed to escape.", 0)])
    False
    """
    he, they = _pronouns()
    folded = [fold(s.text) for s in sentences]
    return any(he.search(t) for t in folded) and not any(they.search(t) for t in folded)


