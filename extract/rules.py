"""The extraction rules: sentences → type mentions → actors → one row per actor and type.

Each sentence is read for incident words (extract/lexicons/incidents.yaml). A mention
counts only when it is about identifiable servicemen: the sentence names a group with a
number, a person, or refers back to the group the article is following. Background,
statistics and laws (context.yaml `not_incident`) give nothing unless the sentence also
names a group. Words that only name the offence someone is charged with ("charged with
desertion") support the prosecution, not a desertion row of their own. Mentions of one
actor and type merge into one row, whose region follows the codebook: a place in
Russia, else the home region of the men or their unit, else the place abroad.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache

from .counts import Count, find_counts
from .dates import find_date
from .gazetteer import PlaceMention, find_places, regions
from .lexicon import lexicon, trie_pattern
from .model import STAGES, Incident
from .text import Sentence

STAGE_RANK = {s: i for i, s in enumerate(("threatened", "investigated", "detained", "charged", "convicted"))}
STAGE_RANK["killed"] = 5


def _phrase_regex(phrases: list[str]) -> str:
    parts = sorted({re.escape(p).replace(r"\*", r"\w*") for p in phrases}, key=len, reverse=True)
    return rf"(?<![\w-])(?:{'|'.join(parts)})(?![\w])"


@cache
def _triggers() -> list[tuple[str, str, re.Pattern[str]]]:
    """(type, stage, pattern) for every type and prosecution stage, both languages."""
    lex = lexicon("incidents")
    out = []
    for kind in ("refusal", "desertion"):
        out.append((kind, "", re.compile(_phrase_regex([p for lang in lex[kind].values() for p in lang]),
                                          re.IGNORECASE)))
    for stage in STAGES:
        phrases = [p for lang in lex["prosecution"][stage].values() for p in lang]
        out.append(("prosecution", stage, re.compile(_phrase_regex(phrases), re.IGNORECASE)))
    return out


@cache
def _context() -> dict[str, re.Pattern[str]]:
    lex = lexicon("context")

    def both(key: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
        return re.compile(_phrase_regex([p for lang in lex[key].values() for p in lang]), flags)

    offence = r"(?:desert\w*|AWOL|refus\w*|unauthori[sz]ed abandonment\w*|abandon\w*|дезертир\w*|" \
              r"самовольн\w*(?:\s+оставлени\w*(?:\s+част\w*)?)?|отказ\w*|неисполнени\w*)"
    before = trie_pattern([p for lang in lex["offence_before"].values() for p in lang])
    after = trie_pattern(lex["offence_after"]["en"])
    return {
        "servicemen": both("servicemen"),
        "not_incident": both("not_incident"),
        "singular": both("singular"),
        "court": both("military_court"),
        "offence": re.compile(
            rf"(?<![\w-])(?:(?:{before})\s+(?:\w+\s+){{0,3}}?{offence}(?:\s+(?:to|from|of|the|a|his|their|an|"
            rf"order|fight|military|unit|service|part|in|wartime|\w+ing)){{0,4}}|{offence}\s+(?:{after}))(?![\w])",
            re.IGNORECASE),
        "famous": re.compile(_phrase_regex(lex["famous_people"])),
    }


@cache
def _units() -> tuple[re.Pattern[str], dict[str, str]]:
    table = {}
    for entry in lexicon("units")["units"]:
        name, code = entry.rsplit("=", 1)
        table[name.strip().lower()] = code.strip()
    generic = (r"\b\d{1,3}(?:st|nd|rd|th)\s+(?:[A-Z][\w-]*\s+){0,5}(?:Brigade|Division|Regiment|Battalion|Army)\b"
               r"|\b(?:military\s+)?unit\s+(?:No\.\s*)?\d{4,5}\b|\bв/ч\s*\d{4,5}\b|\bвоинской части\s+№?\s*\d{4,5}\b")
    pattern = re.compile(rf"{_phrase_regex(list(table))}|{generic}", re.IGNORECASE)
    return pattern, table


_NAME = re.compile(r"(?<![\w.])([A-ZА-ЯЁ][a-zа-яё]+(?:-[A-ZА-ЯЁ][a-zа-яё]+)?)\s+"
                   r"([A-ZА-ЯЁ][a-zа-яё]{2,}(?:-[A-ZА-ЯЁ][a-zа-яё]+)?)(?![\w])")
_PRONOUN_GROUP = re.compile(r"\b(?:they|them|their|the (?:soldiers|men|servicemen|group|objectors|refuseniks|"
                            r"deserters|mobilized|troops|fugitives|others)|both|all of them|"
                            r"они|их|солдаты|военнослужащие|дезертиры|беглецы)\b", re.IGNORECASE)
_SKIP_COUNT = re.compile(r"(?:groups? of|of whom|out of|aged|age of|years?|-year-old)\s*$", re.IGNORECASE)
_FIRST_NAMES = re.compile(r"^(?:[A-ZА-ЯЁ][a-zа-яё]+)$")


@dataclass
class Actor:
    key: str
    count: Count | None
    sentence: int
    person: str = ""


@dataclass
class Draft:
    type: str
    actor: Actor
    stages: list[str] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    triggers: list[str] = field(default_factory=list)


def _mask(text: str, pattern: re.Pattern[str]) -> tuple[str, bool]:
    found = False

    def blank(m: re.Match[str]) -> str:
        nonlocal found
        found = True
        return " " * len(m.group())

    return pattern.sub(blank, text), found


def _person(sentence: str, places: list[PlaceMention]) -> str:
    """The surname of a named serviceman in a sentence, if any (not a famous politician)."""
    cleaned, _ = _mask(sentence, _context()["famous"])
    for m in _NAME.finditer(cleaned):
        if any(p.start <= m.start() < p.end or p.start < m.end() <= p.end for p in places):
            continue
        first, last = m.group(1), m.group(2)
        if first.lower() in _NOT_FIRST_NAMES or last.lower() in _NOT_FIRST_NAMES:
            continue
        return last
    return ""


_NOT_FIRST_NAMES = {
    "the", "a", "an", "in", "on", "at", "russian", "ukrainian", "moscow", "times", "free", "foundation", "court",
    "military", "district", "garrison", "according", "kommersant", "meduza", "telegram", "current", "time",
    "novaya", "gazeta", "newsweek", "reuters", "radio", "liberty", "mediazona", "astra", "ministry", "defense",
    "defence", "president", "major", "colonel", "lieutenant", "junior", "senior", "sergeant", "private",
    "general", "captain", "corporal", "sailor", "army", "brigade", "division", "regiment", "battalion", "guards",
    "air", "assault", "national", "guard", "prosecutor", "investigative", "committee", "federal", "security",
    "service", "state", "duma", "special", "operation", "people", "republic", "region", "oblast", "krai",
    "western", "eastern", "northern", "southern", "central", "new", "year", "his", "her", "their", "this",
    "that", "when", "after", "before", "while", "since", "during", "wagner", "group", "storm", "first",
    "second", "third", "last", "next", "one", "two", "russia", "ukraine", "telegram-канале", "по", "в", "на",
    "об", "как", "это", "суд", "военный", "гарнизонный", "министерство", "обороны", "следственный", "комитет",
    "россии", "украины", "газета", "радио", "свобода", "медиазона", "однако", "также", "после", "когда",
    "при", "для", "из", "от", "до", "за", "со", "во", "его", "их", "она", "он", "они", "все", "как", "что",
    "глава", "областной", "районный", "городской", "южный", "окружной", "центральный", "западный",
    "восточный", "верховный", "белгородский", "читайте", "смотрите", "вас", "нас",
}


def detect(sentences: list[Sentence], published: dt.date | None) -> list[Draft]:
    """Type mentions grouped by actor and type, in order of first mention."""
    ctx = _context()
    drafts: dict[tuple[str, str], Draft] = {}
    last_actor: Actor | None = None
    for s in sentences:
        text, has_offence = _mask(s.text, ctx["offence"])
        places = find_places(s.text)
        hits = [(kind, stage, m.group()) for kind, stage, pat in _triggers() for m in pat.finditer(text)]
        kinds = {k for k, _, _ in hits}
        if has_offence or ctx["court"].search(s.text):
            prosecution_context = True
        else:
            prosecution_context = bool(kinds & {"refusal", "desertion"})
        if not prosecution_context:
            hits = [h for h in hits if h[0] != "prosecution"]
        actor = _actor(s, places, last_actor)
        if not hits:
            if actor is not None and actor.key != "?":
                last_actor = actor if actor.count or actor.person else last_actor
            continue
        specific = actor is not None and (actor.count is not None or actor.person or actor.sentence == s.index)
        if ctx["not_incident"].search(s.text) and not specific:
            continue
        if actor is None or not ctx["servicemen"].search(s.text) and actor.sentence != s.index \
                and not _PRONOUN_GROUP.search(s.text) and last_actor is None:
            continue
        last_actor = actor
        for kind, stage, trigger in hits:
            key = (kind, actor.key)
            draft = drafts.setdefault(key, Draft(kind, actor))
            if s not in draft.sentences:
                draft.sentences.append(s)
            if stage:
                draft.stages.append(stage)
            draft.triggers.append(trigger)
    return _merge(list(drafts.values()))


def _actor(s: Sentence, places: list[PlaceMention], last: Actor | None) -> Actor | None:
    """Who a sentence is about: a counted group, a named person, or whoever came before."""
    counts = [c for c in find_counts(s.text) if not _SKIP_COUNT.search(s.text[: c.start])]
    exact = [c for c in counts if c.count is not None]
    if exact:
        c = exact[0]
        return Actor(f"n{c.count}", c, s.index)
    person = _person(s.text, places)
    if person and _context()["servicemen"].search(s.text):
        return Actor(f"p:{person}", Count(1, 1, 1, 0, 0), s.index, person)
    if person and last is not None and last.person == person:
        return last
    if last is not None and (last.person or last.count) and (_PRONOUN_GROUP.search(s.text)
                                                             or _context()["singular"].search(s.text)):
        return last
    if counts:
        return Actor(f"v{counts[0].low}-{counts[0].high}", counts[0], s.index)
    if _context()["singular"].search(s.text) and _context()["servicemen"].search(s.text):
        return Actor("one", Count(1, 1, 1, 0, 0), s.index)
    if last is not None:
        return last
    if _context()["servicemen"].search(s.text):
        return Actor("?", None, s.index)
    return None


def _merge(drafts: list[Draft]) -> list[Draft]:
    """Mentions of a type with no identifiable group join that type's counted group."""
    out: list[Draft] = []
    for d in drafts:
        if d.actor.key == "?":
            same = [o for o in out if o.type == d.type] or \
                   [o for o in drafts if o.type == d.type and o.actor.key != "?"]
            if same:
                if same[0] in out:
                    same[0].sentences.extend(x for x in d.sentences if x not in same[0].sentences)
                    same[0].stages.extend(d.stages)
                continue
        out.append(d)
    return out


def region_for(draft: Draft, article_places: list[PlaceMention], units: list[tuple[str, str]]) -> tuple[str, str]:
    """(code, place) for a row, by the codebook's order of attribution."""
    mentioned = [p for s in draft.sentences for p in find_places(s.text)]
    russian = [p for p in mentioned if p.code.startswith("RU-")]
    if russian:
        return russian[0].code, russian[0].text
    unit_codes = [code for _, code in units if code]
    if unit_codes:
        return unit_codes[0], ""
    abroad = [p for p in mentioned if p.code]
    if abroad:
        return abroad[0].code, abroad[0].text
    fallback = [p for p in article_places if p.code.startswith("RU-")] or article_places
    if fallback:
        return fallback[0].code, fallback[0].text
    return "", ""


def find_units(text: str) -> list[tuple[str, str]]:
    """Named military units with the home region the unit table gives (or "")."""
    pattern, table = _units()
    return [(m.group(), table.get(m.group().lower(), "")) for m in pattern.finditer(text)]


def build(drafts: list[Draft], cleaned: str, meta: dict, published: dt.date | None) -> list[Incident]:
    title_places = find_places("\n".join(cleaned.split("\n")[:4]))
    rows = []
    for d in drafts:
        stage = max(d.stages, key=STAGE_RANK.get) if d.type == "prosecution" and d.stages else ""
        units = [u for s in d.sentences for u in find_units(s.text)] or find_units(cleaned)
        region, place = region_for(d, title_places, units)
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
    verb = _STAGE_VERBS.get(stage, _VERBS[kind])
    if count == 1 or person:
        verb = verb.replace("were ", "was ")
    where = regions().get(region)
    return f"{who} {verb}" + (f" ({where.en})" if where else "") + "."
