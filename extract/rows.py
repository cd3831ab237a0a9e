"""Draft rows made into incident rows: stage, region and unit, date, count, summary.

The rules (rules.py) decide which rows there are and whom each is about; this module
fills in the columns the codebook asks for, from the row's sentences and the article.
"""

from __future__ import annotations

import datetime as dt

from geography.gazetteer import regions
from store.codebook import shipped_codebook

from .attribution import acts_by_sentence, find_units, garrison_region, homes, place_roles, region_for, units_in
from .counts import Count
from .dates import find_date
from .drafts import Draft
from .model import STAGES, Incident
from .rules import own_men, surnames
from .text import Sentence

STAGE_RANK = {s: i for i, s in enumerate(STAGES)}


def build(drafts: list[Draft], sentences: list[Sentence], cleaned: str, meta: dict,
          published: dt.date | None) -> list[Incident]:
    article_homes = homes(sentences, own_men)
    people = surnames(sentences)  # a town spelt as a man's surname is him ("Алексей Данилов")
    title_places = [(s.index, p, role) for s in sentences[:3] for p, role in place_roles(s.text)
                    if role not in ("dateline", "destination", "distance", "shared", "state")
                    and not (p.kind == "city" and p.text in people)]
    article_units = find_units(cleaned)
    garrisons = {d.actor.key: g for d in drafts if d.type == "prosecution" and (g := garrison_region(d.sentences))}
    acts = acts_by_sentence(drafts)
    rows = []
    placed = _placed_men(drafts, sentences, title_places, article_units, people, article_homes, acts)
    for d in drafts:
        stage = max(d.stages, key=STAGE_RANK.get) if d.type == "prosecution" and d.stages else ""
        units = units_in(d.sentences, article_units) or list(article_units)
        region, place = placed[id(d)]
        if not region and d.actor.key in garrisons:  # the same men, tried by their garrison's court
            region = garrisons[d.actor.key]
        when = next((w for s in d.sentences if (w := find_date(s.text, published))), None)
        if when is None and published is not None:
            when = (f"{published.year}-{published.month:02d}", "month")
        c = d.actor.count
        count = c.count if c else None
        evidence = " ".join(s.text for s in d.sentences[:3])
        confidence = round(0.4 + 0.2 * (count is not None) + 0.2 * bool(region) + 0.1 * (len(d.sentences) > 1)
                           + 0.1 * bool(d.actor.person), 2)
        rows.append(Incident(
            type=d.type, stage=stage, count=count, count_low=c.low if c else None,
            count_high=c.high if c else None, region=region, place=place,
            date=when[0] if when else "", date_precision=when[1] if when else "",
            published=published.isoformat() if published else "", unit=units[0][0] if units else "",
            summary=_summary(d.type, stage, count, c, region, d.actor.person),
            evidence=evidence, source_url=meta.get("url") or "", outlet=meta.get("outlet") or "",
            title=meta.get("title") or "", source=meta.get("source") or meta.get("url") or "",
            rule=f"{d.type}{':' + stage if stage else ''}:{d.triggers[0].lower()}",
            sentence=d.sentences[0].index, confidence=min(confidence, 1.0),
        ))
    return rows


def _placed_men(drafts: list[Draft], sentences: list[Sentence], title_places, article_units, people,
                article_homes, acts) -> dict[int, tuple[str, str]]:
    """(region, place) per draft. One event's rows are about the same men: a prosecution
    whose own sentences place them nowhere took place where their act did (the desertion
    told where he left his unit, the prosecution only that a case was opened). Not the
    other way, but for one man told apart from the group (groups.separate): a prosecution
    row may gather cases of several men. A district court's seat in the opening (it tries
    the men of many regions) is the fallback of the prosecution only."""
    placed = {id(d): region_for(d, sentences, [(i, p) for i, p, role in title_places
                                               if role != "district court" or d.type == "prosecution"]
                                if _opening_men(d, drafts) else [],
                                units_in(d.sentences, article_units)
                                or _units_before(d, sentences, article_units), people, article_homes, acts)
              for d in drafts}
    for d in drafts:
        if d.type == "prosecution" and not placed[id(d)][0]:
            placed[id(d)] = next((placed[id(o)] for o in drafts if o.type != "prosecution" and placed[id(o)][0]
                                  and (o.actor.key == d.actor.key != "?" or _members_of(d, o))), placed[id(d)])
    for d in drafts:  # one man told apart from the group: his prosecution is his alone
        if d.type != "prosecution" and d.actor.separate and not placed[id(d)][0]:
            placed[id(d)] = next((placed[id(o)] for o in drafts if o.type == "prosecution" and placed[id(o)][0]
                                  and o.actor.key == d.actor.key), placed[id(d)])
    return placed


def _opening_men(draft: Draft, drafts: list[Draft]) -> bool:
    """Whether a row may be about the men the article opens with (whom its title places): not
    when other men, counted or named, came first and its own are no part of theirs ("a soldier
    was killed after deserting … eight others have been charged"). A single man is another
    only to a man named before him: an unnamed one may be he, and a group's named men are its members."""
    mine = draft.actor.count
    if mine is None or mine.count is None:
        return True
    return not any(o.actor.key not in (draft.actor.key, "?") and o.actor.sentence < draft.actor.sentence
                   and o.actor.count is not None and o.actor.count.count is not None
                   and (o.actor.person if mine.count == 1 else not _members_of(draft, o)) for o in drafts)


def _members_of(prosecuted: Draft, group: Draft) -> bool:
    """Whether the prosecuted men are some of a larger group told of before them ("over 100
    tried to flee … four were later caught"): the group's act placed them too."""
    mine, theirs = prosecuted.actor.count, group.actor.count
    return mine is not None and theirs is not None and mine.count is not None and theirs.count is not None \
        and 1 < mine.count < theirs.count and group.actor.sentence <= prosecuted.actor.sentence


def _units_before(draft: Draft, sentences: list[Sentence], article_units) -> list[tuple[str, str]]:
    """The units the article names up to the row's men, when the row's own sentences name
    none: a unit told of later ("separately, a regiment of another division deserted") is
    other men's."""
    start = min(s.index for s in draft.sentences)
    return units_in([s for s in sentences if s.index <= start], article_units)


_VERBS = {"refusal": "refused to fight", "desertion": "deserted",
          "prosecution": "faced prosecution"}
_STAGE_VERBS = {"threatened": "were threatened with prosecution", "investigated": "were investigated",
                "detained": "were detained", "charged": "were charged", "convicted": "were convicted",
                "killed": "were killed while pursued"}


def _summary(kind: str, stage: str, count: int | None, c: Count | None, region: str, person: str) -> str:
    if person:
        who = f"Serviceman {person}"
    elif count == 1:
        who = "One serviceman"
    elif count:
        who = f"{count} servicemen"
    elif c is not None:
        who = f"{c.low}–{c.high} servicemen"
    else:
        who = "Servicemen"
    verb = _STAGE_VERBS.get(stage) or _VERBS.get(kind) or \
        f"were reported: {shipped_codebook().label('type', kind).lower()}"
    if count == 1 or person:
        verb = verb.replace("were ", "was ")
    where = regions().get(region)
    return f"{who} {verb}" + (f" ({where.en})" if where else "") + "."
