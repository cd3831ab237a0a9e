"""Where a row's men are from and what unit they serve in, as the codebook attributes it.

The region follows the codebook's order: where in Russia it happened, else the home
region of the men or their unit, else the place abroad. What the words before a place
make of it decides which it is: "sent to Kursk" is a destination, "men from Pskov" a
home, "a Murmansk military court" the seat of a trial.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache

from geography.gazetteer import PlaceMention, find_places, resolve_adjective, resolve_region
from geography.russian import adjective_bases
from lexicons import alternation, fold, lexicon, phrase_regex, words

from .counts import Count, find_counts, is_part, victims
from .drafts import Draft
from .text import Sentence


@cache
def _units() -> tuple[re.Pattern[str], dict[str, str]]:
    """The unit names of lexicons/units.yaml and the generic shapes ("the 64th Motor Rifle
    Brigade", "unit 16871"), for folded text. The pattern first checks that a position
    starts with a letter or digit a unit can start with, which spares most positions."""
    table = {}
    for entry in lexicon("units")["units"]:
        name, code = entry.rsplit("=", 1)
        table.update(dict.fromkeys(unit_spellings(fold(name.strip())), code.strip()))
    generic = (r"\b\d{1,3}(?:st|nd|rd|th)\s+(?:[^\W\d_][\w-]*\s+){0,5}(?:brigade|division|regiment|battalion|army)\b"
               r"|\b(?:military\s+)?unit\s+(?:no\.\s*)?\d{4,5}\b|\bв/ч\s*\d{4,5}\b|\bвоинской части\s+№?\s*\d{4,5}\b")
    first = "".join(sorted({re.escape(name[0]) for name in table} | {r"\d", "m", "u", "в"}))
    return re.compile(rf"(?=[{first}])(?:{phrase_regex(list(table))}|{generic})"), table


_UNIT_WORDS = {"motor rifle": ("motor rifle", "motorized rifle", "motorised rifle", "motor-rifle"),
               "guards ": ("guards ", ""), "separate ": ("separate ", "")}


def unit_spellings(name: str) -> list[str]:
    """The ways articles write one unit's name: "Motor Rifle" as "Motorized" or "Motorised
    Rifle", with or without "Guards" and "Separate".

    >>> unit_spellings("20th guards motor rifle division")[:3]
    ['20th guards motor rifle division', '20th motor rifle division', '20th guards motorized rifle division']
    >>> "20th motorized rifle division" in unit_spellings("20th guards motor rifle division")
    True
    """
    out = [name]
    for word, spellings in _UNIT_WORDS.items():
        out = [n.replace(word, other) for n in out for other in spellings] if word in name else out
    return list(dict.fromkeys(out))


@cache
def _roles() -> dict[str, re.Pattern[str]]:
    """The words before a place that make it a destination, a home, or a distance
    reference (lexicons/roles.yaml), each ending where the place begins."""
    determiners = alternation(words("roles", "place_determiners"))

    def before(key: str, town: str = "") -> re.Pattern[str]:
        return re.compile(rf"{phrase_regex(words('roles', key))}\s+(?:{determiners}\s+)?{town}$", re.IGNORECASE)

    units = alternation(words("roles", "distance_units"))
    shared = re.compile(rf"\s+{phrase_regex(words('roles', 'home_shared_after'))}", re.IGNORECASE)
    state_after = re.compile(rf"\s+{phrase_regex(words('roles', 'state_after'))}", re.IGNORECASE)
    return {"destination": before("destination_before"), "home": before("home_before"), "shared": shared,
            "home_town": before("home_before", r"(?-i:[A-ZА-ЯЁ])[\w'’-]+,\s+"),
            "state": before("state_before"), "state_after": state_after,
            "distance": re.compile(rf"(?:\d[\d,.]*|\b[a-z]+)[\s-]*{units}\s+(?:\w+\s+)?"
                                   rf"(?:from|of|outside|away from|от)\s+(?:the\s+)?$", re.IGNORECASE)}


_COURT_AFTER = re.compile(r"\s+(?:(?:garrison|military|district|regional|city)\s+)*(?:court|tribunal)\b|"
                          r"\s+(?:(?:гарнизонн|военн|районн|областн|городск)\w+\s+)*суд", re.IGNORECASE)
_COURT_BEFORE = re.compile(r"(?:court|tribunal|суд\w*)\s+(?:in|of|в)\s+(?:the\s+)?$", re.IGNORECASE)


def _is_court_seat(text: str, place: PlaceMention) -> bool:
    """The place names the court that tried the men ("a Veliky Novgorod military court"):
    where the trial was, not where they deserted or refused."""
    return bool(_COURT_AFTER.match(text, place.end) or _COURT_BEFORE.search(text[max(0, place.start - 20):place.start]))


_DISTRICT_COURT = re.compile(r"(?:окружн\w*|district)\s+(?:военн\w*\s+|military\s+)?(?:суд\w*|court)\s+(?:in|в)\s+"
                             r"(?:the\s+)?$", re.IGNORECASE)


def _district_court_seat(text: str, place: PlaceMention) -> bool:
    """The place is the seat of a district military court ("Южный окружной военный суд в
    Ростове-на-Дону"), which tries the men of many regions: the trial's place, nobody's home
    and no place of their act.

    >>> from geography.gazetteer import find_places
    >>> t = "Южный окружной военный суд в Ростове-на-Дону оставил приговор в силе."
    >>> _district_court_seat(t, find_places(t)[0])
    True
    """
    return bool(_DISTRICT_COURT.search(text[max(0, place.start - 50):place.start]))


_GARRISON_AFTER = re.compile(r"\s+(?:garrison\b|military\s+(?:court|tribunal)\b|гарнизонн\w*\s+(?:военн\w*\s+)?суд)",
                             re.IGNORECASE)
_GARRISON_BEFORE = re.compile(r"(?<!district )(?:garrison|military)\s+(?:court|tribunal)\s+(?:in|of)\s+(?:the\s+)?$",
                              re.IGNORECASE)


def garrison_region(sentences: list[Sentence]) -> str:
    """The region of a garrison or a town's military court the sentences name ("the Pskov
    garrison military court", "the court serving the Yuzhno-Sakhalinsk garrison", "a military
    court in Kursk"): such a court tries the servicemen of the units stationed there, so its
    region is their unit's home, for every row of the men it tried. A district military
    court tries cases from many regions, so its seat is no one's home.

    >>> garrison_region([Sentence(0, "The court serving the Yuzhno-Sakhalinsk garrison convicted him.", 0)])
    'RU-SAK'
    >>> garrison_region([Sentence(0, "Читинский гарнизонный военный суд приговорил его.", 0)])
    'RU-ZAB'
    >>> garrison_region([Sentence(0, "The Southern District Military Court in Rostov-on-Don convicted him.", 0)])
    ''
    """
    for s in sentences:
        for p, _ in place_roles(s.text):
            if p.code.startswith("RU-") and (_GARRISON_AFTER.match(s.text, p.end)
                                             or _GARRISON_BEFORE.search(s.text[max(0, p.start - 40):p.start])):
                return p.code
    return ""


Home = tuple[int, PlaceMention, Count | None]


def homes(sentences: list[Sentence], own_men: Callable[[Sentence], Count | None] = lambda s: None) -> list[Home]:
    """Every place in Russia the article names as someone's home ("men from Pskov"), with
    its sentence and the count of the men that sentence names of its own (whose home it
    is): found once per article, so that its cost stays linear in its length."""
    out = []
    for s in sentences:
        found = [p for p, role in place_roles(s.text) if role == "home" and p.code.startswith("RU-")]
        own = own_men(s) if found else None
        out.extend((s.index, p, own) for p in found)
    return out


def _others(draft: Draft, own: Count | None, index: int) -> bool:
    """Whether men a sentence names are not the row's: a count its own does not cover
    ("a mobilized man from Yakutia" beside a group of eight; "several hundred" is the 500);
    a single man told after the row's began is another one (one told again is "he")."""
    mine = draft.actor.count
    if own is None or index == draft.actor.sentence or mine is None:
        return False
    if own.count is not None and mine.count is not None:
        return own.count != mine.count or own.count == 1 and index > draft.actor.sentence and not draft.actor.person
    return not ((own.low or 0) <= (mine.count or mine.low or 0) <= (own.high or 0)
                or (mine.low or 0) <= (own.count or own.low or 0) <= (mine.high or 0))


def _home_before(draft: Draft, article_homes: list[Home]) -> PlaceMention | None:
    """The home the article names last before the row's men appear (the place told of
    them, not of a group the article turns to later), else the first one after them in a
    sentence that names no other men ("They were from Tula region"): a home told with
    other men ("a mobilized man from Yakutia") is theirs, and a man told apart from a
    group (groups.separate) does not take the group's."""
    start = min([s.index for s in draft.sentences] + [draft.actor.sentence])
    before = [p for index, p, own in article_homes
              if index <= start and not (draft.actor.separate and _others(draft, own, index))]
    return before[-1] if before else next((p for i, p, own in article_homes if not _others(draft, own, i)), None)


def region_for(draft: Draft, sentences: list[Sentence], title_places: list[tuple[int, PlaceMention]],
               units: list[tuple[str, str]], people: frozenset[str] = frozenset(),
               article_homes: list[Home] | None = None, acts: Acts | None = None) -> tuple[str, str]:
    """(code, place) for a row in the codebook's order: where in Russia it happened (in
    the row's sentences or the one that introduced its group); else the region of the
    garrison whose court tried them (their unit is stationed there, so that is where they
    left it or refused: "a Khabarovsk garrison court sentenced a man from Chita"); else
    the home region of the men or their unit (told of them, else by the article before
    them: see homes); else the place abroad; else, for the group the article opens with,
    the region its opening names (a man told apart from it is not placed by its title)."""
    person = draft.actor.person.lower()
    introduced = [s for s in sentences if s.index == draft.actor.sentence and s not in draft.sentences]
    mentioned = [(p, role) for s in [*draft.sentences, *introduced] for p, role in place_roles(s.text)
                 if (not person or not p.text.lower().startswith(person))
                 and not (p.kind == "city" and p.text in people) and _in_segment(draft, s, p)
                 and _in_clause(draft, s, p, acts or {})]
    inside = [p for p, role in mentioned if p.code.startswith("RU-")
              and (role == "" or role in ("court", "district court") and draft.type == "prosecution")]
    if inside:
        return inside[0].code, inside[0].text
    garrison = garrison_region([*draft.sentences, *introduced])
    if garrison:
        return garrison, ""
    home = next((p for p, role in mentioned if role == "home" and p.code.startswith("RU-")), None) \
        or next((p for _, p, _ in homes(draft.sentences)), None) or _home_before(draft, article_homes or [])
    if home is not None:
        return home.code, home.text
    unit_codes = [code for _, code in units if code]
    if unit_codes:
        return unit_codes[0], ""
    abroad = [p for p, role in mentioned
              if p.code and not p.code.startswith("RU-") and role not in ("dateline", "state")]
    if abroad:
        return abroad[0].code, abroad[0].text
    if draft.actor.separate:
        return "", ""
    others = {(i, p.start) for i, p, own in article_homes or [] if _others(draft, own, i)}
    title = [p for i, p in title_places if (i, p.start) not in others]
    fallback = [p for p in title if p.code.startswith("RU-")] or title
    if fallback:
        return fallback[0].code, fallback[0].text
    return "", ""


Acts = dict[int, list[tuple[int, str]]]


def acts_by_sentence(drafts: list[Draft]) -> Acts:
    """Per sentence, the offset and type of each incident word the rows were built from that
    tells an act: a noun that names men by what they did ("refuseniks", "the deserters")
    tells none."""
    out: Acts = {}
    for d in drafts:
        for (index, start), word in zip(d.spans, d.triggers, strict=False):
            if fold(word) not in _status_nouns():
                out.setdefault(index, []).append((start, d.type))
    return {index: sorted(marks) for index, marks in out.items()}


@cache
def _status_nouns() -> frozenset[str]:
    """Nouns that name men by what they did (context.yaml `group_of_type`, and each singular)."""
    plural = {fold(w) for w in words("context", "group_of_type")}
    return frozenset(plural | {w[:-1] for w in plural if w.endswith("s")})


def _in_clause(draft: Draft, s: Sentence, place: PlaceMention, acts: Acts) -> bool:
    """Whether a place of a sentence that tells of several acts belongs to this row's act: a
    place told after this row's act and then another type's is where that other act
    happened ("two soldiers who deserted their base killed nine people before being shot
    dead by police in Tatarstan": Tatarstan is where they were shot, not where they
    deserted). A place told before the row's act (a participle after it: "приговорил рядового
    части в Челябинской области, самовольно покинувшего часть") is not judged so.

    >>> from geography.gazetteer import find_places
    >>> t = "Two soldiers deserted their base and were detained in Tver region."
    >>> d = Draft("desertion", None, sentences=[Sentence(0, t, 0)], spans=[(0, 13)])
    >>> _in_clause(d, Sentence(0, t, 0), find_places(t)[0], {0: [(13, "desertion"), (45, "prosecution")]})
    False
    """
    marks = [m for m in acts.get(s.index, []) if m[0] < place.start]
    own = [start for start, kind in marks if kind == draft.type]
    return not own or not any(kind != draft.type and start > own[0] for start, kind in marks)


def _in_segment(draft: Draft, s: Sentence, place: PlaceMention) -> bool:
    """Whether a place of the sentence that counted the row's men belongs to them: with
    two groups in one sentence ("eight from Tula refused, and four others from Omsk
    deserted"), each group's places run from its count to the next group's count. A part
    of a group ("four of them") is no group of its own."""
    c = draft.actor.count
    if s.index != draft.actor.sentence or c is None or c.end <= c.start or is_part(s.text, c):
        return True
    starts = sorted({x.start for x in find_counts(s.text)
                     if x.count is not None and not is_part(s.text, x) and not victims(s.text, x)}
                    | {c.start})
    if len(starts) < 2:
        return True
    mine = starts.index(c.start)
    low = starts[mine] if mine else 0
    high = starts[mine + 1] if mine + 1 < len(starts) else len(s.text)
    return low <= place.start < high


_DATELINE = re.compile(r"(?:,\s*(?:\w+\.?\s*){1,4}?(?:\d{4}\s*)?)?(?:\([^()]{2,30}\)\s*)?(?:[-—–]{1,2}|:)\s")


def _dateline(text: str, place: PlaceMention) -> bool:
    """The place opens the sentence as a news agency's dateline ("MOSCOW (Reuters) —",
    "Moscow, 5 February 2002 (RFE/RL) --"): where the reporter filed, not where it happened.

    >>> from geography.gazetteer import find_places
    >>> t = "Moscow, 5 February 2002 (RFE/RL) -- Two paratroopers deserted their base."
    >>> _dateline(t, find_places(t)[0]), _dateline("Moscow courts sentenced two men.", find_places("Moscow")[0])
    (True, False)
    """
    return not text[:place.start].strip() and bool(_DATELINE.match(text, place.end))


_GARRISON_COURT = re.compile(r"\b([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\s+Garrison\s+(?:Military\s+)?(?:Court|Tribunal)\b")


def _garrison_courts(text: str, found: list[PlaceMention]) -> list[PlaceMention]:
    """Garrison courts named by their town's adjective or by a town the gazetteer reads as a
    first name before a capitalised word ("the Borzinsky Garrison Military Court", "the Borzya
    Garrison Court"): a garrison court is named after its town, unlike a city's district
    courts ("Leninsky District Court"), which are named after a district.

    >>> [(p.text, p.code) for p in _garrison_courts("The Borzinsky Garrison Military Court sentenced him.", [])]
    [('Borzinsky', 'RU-ZAB')]
    """
    out = []
    for m in _GARRISON_COURT.finditer(text):
        if any(p.start <= m.start(1) < p.end for p in found):
            continue
        code = resolve_adjective(m.group(1)) or resolve_region(m.group(1))
        if code:
            out.append(PlaceMention(m.start(1), m.end(1), m.group(1), code, "city"))
    return out


# A place that opens its clause is its subject ("Москва заявила"); after a preposition it is
# where someone spoke ("a tribunal in Sakhalin said").
_CLAUSE_START = re.compile(r"(?:^|[,;:—–]\s*|(?<![\w-])(?:и|но|а|что|однако|and|but|that)\s+)$", re.IGNORECASE)


@lru_cache(maxsize=8192)
def place_roles(text: str) -> tuple[tuple[PlaceMention, str], ...]:
    """Each place of a sentence with what the words before it make of it: "distance" (a
    reference point: "40 km from Belgorod" is not Belgorod), "dateline" (where the report
    was filed), "state" (the government that sits there: "в отношениях с Москвой"),
    "destination" (sent to it),
    "home" (men from it), "shared" (a home among others: "from Bryansk and other regions"),
    "court" (the seat of their trial; "district court" when a district military court's, which
    tries the men of many regions), or ""."""
    out = []
    found = find_places(text)
    if "Garrison" in text:
        found = sorted([*found, *_garrison_courts(text, found)], key=lambda p: p.start)
    for p in found:
        if p.start < 3 and _dateline(text, p):
            role = "dateline"
        elif _roles()["distance"].search(text[max(0, p.start - 40):p.start]):
            role = "distance"
        elif _roles()["state"].search(text[max(0, p.start - 30):p.start]) or (
                _CLAUSE_START.search(text[max(0, p.start - 12):p.start])
                and _roles()["state_after"].match(text, p.end)):
            role = "state"
        elif _roles()["destination"].search(text[max(0, p.start - 25):p.start]):
            role = "destination"
        elif _roles()["home"].search(text[max(0, p.start - 40):p.start]) or _home_of_unknown_town(text, p, found):
            role = "shared" if _roles()["shared"].match(text, p.end) else "home"
        elif _is_court_seat(text, p):
            role = "district court" if _district_court_seat(text, p) else "court"
        else:
            role = ""
        out.append((p, role))
    if "суд" in text:
        out.extend((p, "court") for p in _court_adjectives(text) if not any(q.start <= p.start < q.end for q, _ in out))
    return tuple(out)


def _home_of_unknown_town(text: str, place: PlaceMention, found: list[PlaceMention]) -> bool:
    """The region after a town the gazetteer does not know, which is the men's home ("from
    Zernovka, Rostov region", "PPD - Klyntsy, Bryansk region"): the region is the home. After a
    known town ("from Tula, Moscow and Omsk") the town is the home and what follows is read alone.

    >>> t = "Soldiers from Zernovka, Rostov region, and from Tula, Moscow and Omsk."
    >>> [(p.text, role) for p, role in place_roles(t)]
    [('Rostov region', 'home'), ('Tula', 'home'), ('Moscow', ''), ('Omsk', '')]
    """
    return not any(place.start - 40 < q.end <= place.start for q in found) \
        and bool(_roles()["home_town"].search(text[max(0, place.start - 40):place.start]))


_COURT_ADJECTIVE = re.compile(r"(?<![\w-])([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)\s+((?:(?:гарнизонн|военн|областн|краев|"
                              r"городск)\w+\s+)+)суд")


def _court_adjectives(text: str) -> list[PlaceMention]:
    """Courts named by their town's or region's adjective ("Владивостокский гарнизонный
    военный суд", "Ленинградский областной суд"): the seat of the trial. A district court
    is named after a district of its city ("Кировский районный суд"), not a town, so
    is none.

    >>> [(p.text, p.code) for p in _court_adjectives("Магнитогорский гарнизонный военный суд приговорил его")]
    [('Магнитогорский', 'RU-CHE')]
    >>> _court_adjectives("Кировский районный суд"), _court_adjectives("Южный окружной военный суд")
    ([], [])
    """
    out = []
    for m in _COURT_ADJECTIVE.finditer(text):
        regional = "областн" in m.group(2) or "краев" in m.group(2)
        code = next((c for base in adjective_bases(m.group(1), regional) if (c := resolve_region(base))), None)
        if code:
            out.append(PlaceMention(m.start(1), m.end(1), m.group(1), code, "region" if regional else "city"))
    return out


@lru_cache(maxsize=8192)
def find_units(text: str) -> tuple[tuple[str, str], ...]:
    """Named military units with the home region the unit table gives (or ""). The
    pattern runs on folded text; the names are returned as the text writes them."""
    pattern, table = _units()
    return tuple((text[m.start():m.end()], table.get(m.group(), "")) for m in pattern.finditer(fold(text)))


def units_in(sentences: list[Sentence], article_units: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    """The article's units that these sentences name, in order: a substring test per
    unit instead of the unit pattern per sentence."""
    unique = dict.fromkeys(article_units)
    return [u for s in sentences
            for u in sorted((u for u in unique if u[0] in s.text), key=lambda u: s.text.find(u[0]))]
