"""The extraction rules: sentences → type mentions → actors → one row per actor and type.

Each sentence is read for incident words (lexicons/incidents.yaml). A mention
counts only when it is about identifiable servicemen: the sentence names a group with a
number, a person, or refers back to the group the article is following. Background,
statistics and laws (context.yaml `not_incident`) give nothing unless the sentence also
names a group. Words that only name the offence someone is charged with ("charged with
desertion") support the prosecution, not a desertion row of their own. Mentions of one
actor and type merge into one draft row; rows.py fills in its columns.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache, lru_cache

from geography.gazetteer import PlaceMention, find_places
from lexicons import alternation, expand_slots, fold, folded_phrases, lexicon, phrase_regex, trie_pattern, words

from .counts import Count, find_counts, is_part, subject_number, victims
from .decision import background, body_text, heading, mention_counts
from .drafts import Actor, Draft
from .groups import merge, same_group, separate
from .model import STAGES, TYPES
from .ru_people import introduced_before, mentioned, nominative_surname, not_a_name, rank_before
from .text import Sentence


def _staged(phrases: dict) -> bool:
    """A type whose lexicon entry is keyed by stage (prosecution) rather than by language."""
    return set(phrases) <= set(STAGES)


@cache
def _triggers() -> tuple[re.Pattern[str], list[tuple[str, str, re.Pattern[str]]], dict[str, tuple[str, str]]]:
    """One pattern for the incident words of every type and prosecution stage, both
    languages (one scan of a sentence): the plain phrases as one trie, one branch per
    letter, with the {slot} phrases of few combinations written out, and each other {slot}
    phrase as its slots' alternations in a row, so that a verb's forms times its
    complements are not written out; the (type, stage) of each plain
    phrase without a "*", the first it is listed under; and per (type, stage) a pattern of
    its other phrases, to tell which one any other matched word belongs to."""
    lex = lexicon("incidents")
    slots = {name: [str(p) for lang in entry.values() for p in lang] for name, entry in lex.get("slots", {}).items()}
    groups = [(kind, stage, lex[kind][stage]) if stage else (kind, "", lex[kind])
              for kind in TYPES for stage in (STAGES if _staged(lex[kind]) else ("",))]
    words = [(kind, stage, [q for lang in phrases.values() for p in lang for q in _written_out(str(p), slots)])
             for kind, stage, phrases in groups]
    plain = [p for *_, phrases in words for p in phrases if "{" not in p]
    slotted = [_slot_regex(p, slots) for *_, phrases in words for p in phrases if "{" in p]
    combined = re.compile(rf"(?<![\w-])(?:{'|'.join([*slotted, alternation([fold(p) for p in plain])])})(?![\w])")
    exact: dict[str, tuple[str, str]] = {}
    for kind, stage, phrases in words:
        for p in phrases:
            if "*" not in p and "{" not in p:
                exact.setdefault(fold(p), (kind, stage))
    other = [(kind, stage, [_slot_regex(p, slots) for p in phrases if "{" in p],
              [fold(p) for p in phrases if "*" in p and "{" not in p]) for kind, stage, phrases in words]
    wild = [(kind, stage, re.compile("|".join([*regexes, alternation(starred)])))
            for kind, stage, regexes, starred in other]
    return combined, wild, exact


_MOST_WRITTEN_OUT = 300


def _written_out(phrase: str, slots: dict[str, list[str]]) -> list[str]:
    """A {slot} phrase written out as its phrases when they are few (they then join the
    trie, which scans fastest); as itself when they are many (a verb's forms times its
    complements would be a large pattern to compile at every start-up)."""
    if "{" not in phrase:
        return [phrase]
    return expand_slots([phrase], slots) if _combinations(phrase, slots) <= _MOST_WRITTEN_OUT else [phrase]


def _combinations(phrase: str, slots: dict[str, list[str]]) -> int:
    """How many phrases a {slot} phrase writes out into, counted without writing them out.

    >>> _combinations("{v} to {a}", {"v": ["refus*", "declin*"], "a": ["{b}", "serve"], "b": ["fight", "go"]})
    6
    """
    total = 1
    for name in re.findall(r"\{(\w+)\}", phrase):
        total *= sum(_combinations(v, slots) if "{" in v else 1 for v in slots.get(name, ()))
    return total


def _slot_regex(phrase: str, slots: dict[str, list[str]]) -> str:
    """A phrase with {slot} placeholders as a regex on folded text: each placeholder the
    alternation of its slot's phrases (which may hold slots of their own).

    >>> bool(re.fullmatch(_slot_regex("{v} to {a}", {"v": ["refus*"], "a": ["{b}", "serve"], "b": ["fight"]}),
    ...                   "refused to fight"))
    True
    """
    out = []
    for part in re.split(r"(\{\w+\})", phrase):
        name = re.fullmatch(r"\{(\w+)\}", part)
        if name is None:
            out.append(alternation([fold(part)]) if part else "")
            continue
        values = slots[name.group(1)]
        alternatives = [_slot_regex(v, slots) for v in values if "{" in v]
        flat = [fold(v) for v in values if "{" not in v]
        out.append(f"(?:{'|'.join([*alternatives, alternation(flat)] if flat else alternatives)})")
    return "".join(out)


def _hits(text: str) -> list[tuple[str, str, re.Match[str]]]:
    """(type, stage, match) for each incident word, in the order of the text (the
    matches are into the folded text: same offsets, lower case)."""
    return [(*_kind_of(m.group()), m) for m in _triggers()[0].finditer(fold(text))]


@lru_cache(maxsize=4096)
def _kind_of(word: str) -> tuple[str, str]:
    """The (type, stage) an incident word is listed under; the first, if under two."""
    _, wild, exact = _triggers()
    return exact.get(word) or next((kind, stage) for kind, stage, pattern in wild if pattern.fullmatch(word))


@cache
def _context() -> dict[str, re.Pattern[str] | _Singular]:
    lex = lexicon("context")

    def both(key: str) -> re.Pattern[str]:
        """The phrases of both languages, to search folded text."""
        entry = lex
        for part in key.split("."):
            entry = entry[part]
        return folded_phrases(p for lang in entry.values() for p in lang)

    offence = alternation(words("roles", "offence_words.desertion") + words("roles", "offence_words.refusal"))
    before = trie_pattern([p for lang in lex["offence_before"].values() for p in lang])
    after = trie_pattern(lex["offence_after"]["en"])
    return {
        "servicemen": both("servicemen"),
        "pronouns": both("pronouns"),
        "singular": _Singular(lex),
        "court": both("military_court"),
        "foreign_detention": both("foreign_detention"),
        "for_russia": both("for_russia"),
        "offence": re.compile(
            rf"(?<![\w-])(?:(?:{before})\s+(?:\w+\s+){{0,3}}?(?P<off>{offence}(?:\s+(?:to|from|of|the|a|his|"
            rf"their|an|order|fight|military|unit|service|part|in|wartime|\w+ing)){{0,4}})|(?P<off2>{offence})"
            rf"\s+(?:{after}))(?![\w])",
            re.IGNORECASE),
        "famous": re.compile(phrase_regex(lex["famous_people"])),
        **{f"group:{kind}": both(f"group_of_type.{kind}") for kind in lex["group_of_type"]},
    }


class _Singular:
    """One serviceman, on folded text: a listed phrase ("the soldier", "<военнослужащий:sing>"),
    or an article, up to three words that are no function word, and a singular noun ("a
    servicemember", "a 20-year-old conscript soldier", "the Murmansk officer"). The noun is
    looked for first: most sentences have none, and the article-and-words pattern, tried at
    every "a" and "the", costs several times more.

    >>> p = _Singular(lexicon("context"))
    >>> [bool(p.search(fold(t))) for t in ("A servicemember was sentenced.", "a 20-year-old conscript soldier fled",
    ...  "The Murmansk officer who refused", "a lawyer for soldiers", "the officers", "the officer said")]
    [True, True, True, False, False, False]
    """

    def __init__(self, lex: dict) -> None:
        self.listed = re.compile(phrase_regex([fold(p) for lang in lex["singular"].values() for p in lang]))
        nouns = alternation(fold(w) for w in lex["singular_nouns"]["en"])
        skip = alternation(fold(w) for w in lex["singular_not_between"]["en"])
        between = rf"(?:(?!(?:{skip})\s)[\w'’-]+\s+)"
        self.noun = re.compile(rf"(?:{nouns})(?![\w-])")
        self.phrase = re.compile(rf"(?<![\w-])(?:an?\s+{between}{{0,3}}|the\s+{between}{{1,3}})(?:{nouns})(?![\w-])")

    def search(self, folded: str) -> re.Match[str] | None:
        return self.listed.search(folded) or (self.phrase.search(folded) if self.noun.search(folded) else None)


_NAME = re.compile(r"(?<![\w.])(?=(([A-ZА-ЯЁ][a-zа-яё]+(?:-[A-ZА-ЯЁ][a-zа-яё]+)?)\s+"
                   r"([A-ZА-ЯЁ][a-zа-яё]{2,}(?:-[A-ZА-ЯЁ][a-zа-яё]+)?))(?![\w]))")
_AND_BEFORE_COUNT = re.compile(r",?\s+(?:and|и)\s+(?:another\s+|other\s+)?$")


def _leads_group(before: str) -> bool:
    """A named man before "and N officers" ("Captain Farid Chitav, a platoon commander,
    and 11 officers"): the N are the others, so the group is N + 1."""
    if not _AND_BEFORE_COUNT.search(before):
        return False
    return any(_roles()["rank_before"].search(before[max(0, m.start() - 40):m.start()]) for m in _NAME.finditer(before))


_SKIP_COUNT = re.compile(r"(?:groups? of(?:\s+\w+\s+(?:and|or|to))?|of whom|out of|aged|age of|years?|-year-old|"
                         r"(?:mother|father|wife|widow|sister|brother|son|daughter|relative|parent|family|lawyer|"
                         r"friend|colleague|commander)s? of)\s*$", re.IGNORECASE)


def _mask(text: str, pattern: re.Pattern[str]) -> tuple[str, bool]:
    """The text with the pattern's `off`/`off2` groups (or whole matches) blanked out,
    so that offsets stay valid; and whether anything was blanked."""
    chars = list(text)
    found = False
    for m in pattern.finditer(text):
        names = [g for g in ("off", "off2") if g in pattern.groupindex and m.group(g)]
        spans = [m.span(g) for g in names] or [m.span()]
        for a, b in spans:
            chars[a:b] = " " * (b - a)
            found = True
    return "".join(chars), found


_APPOSITION = re.compile(r",\s+(?:who|a|an)\s")  # "X, who was called up in May, refused": X is the subject


def _person(sentence: str, places: list[PlaceMention], triggers: list[re.Match[str]]) -> str:
    """The surname of a named serviceman: a name next to an incident word or after a rank
    or role ("Private X", "mobilized X"), never a famous politician or a quoted source."""
    words = re.findall(r"[^\W\d_]{4,}", sentence)
    if len(words) > 2 and sum(w[0].isupper() for w in words) / len(words) > 0.75:
        return ""  # a headline in title case: every word is capitalised, no name stands out
    cleaned, _ = _mask(sentence, _context()["famous"])
    for m in _NAME.finditer(cleaned):
        start, end = m.span(1)
        if any(p.start <= start < p.end for p in places):
            continue
        first, last = m.group(2), m.group(3)
        if first.lower() in _not_first_names() or last.lower() in _not_first_names() or not_a_name(first, last):
            continue
        near = any(-60 < t.start() - end < 60 or -60 < start - t.end() < 40
                   or 0 < t.start() - end < 140 and _APPOSITION.match(sentence, end) for t in triggers)
        speaker = _roles()["speaker"].search(sentence[max(0, start - 30):end + 30])
        before = sentence[max(0, start - 40):start]
        if _roles()["rank_before"].search(before) or rank_before(before) or (near and not speaker):
            return nominative_surname(last)
    return ""


_PAIR = re.compile(r"(?<![\w.])([A-Z][a-z]+)\s+([A-Z][a-z]{2,})\s+and\s+(?:his\s+|her\s+)?(?:[a-z]+\s+){0,2}"
                   r"([A-Z][a-z]+)\s+([A-Z][a-z]{2,})(?![\w])")


def _two_named_men(sentence: str, places: list[PlaceMention]) -> Count | None:
    """Two men named by first name and surname, joined by "and", in a sentence that tells of
    an incident ("convicted Oleg Ivanov and his son Pavel Ivanov"): a group of two, not
    two men apart. Famous people, places and capitalised words that start no name are no men.

    >>> _two_named_men("The court convicted Oleg Ivanov and his son Pavel Ivanov of desertion.", [])
    Count(count=2, low=2, high=2, start=20, end=56, part=False)
    >>> _two_named_men("Meduza and Novaya Gazeta reported it.", []) is None
    True
    >>> _two_named_men("They are Ivan Orlov, Oleg Sidorov and Pavel Ivanov.", []) is None
    True
    """
    if " and " not in sentence or not _PAIR.search(sentence):
        return None
    cleaned, _ = _mask(sentence, _context()["famous"])
    for m in _PAIR.finditer(cleaned):
        words = [m.group(i) for i in range(1, 5)]
        if any(w.lower() in _not_first_names() for w in words) or any(p.start < m.end() and m.start() < p.end
                                                                       for p in places):
            continue
        if not_a_name(words[0], words[1]) or not_a_name(words[2], words[3]) \
                or sentence[:m.start()].rstrip().endswith(","):  # the last two of a longer list
            continue
        if _roles()["speaker"].search(sentence[max(0, m.start() - 30):m.end() + 30]):
            continue
        return Count(2, 2, 2, m.start(), m.end())
    return None


@cache
def _roles() -> dict[str, re.Pattern[str]]:
    """The role words of lexicons/roles.yaml: a rank just before a name, a speaker near
    it, words that refer back to the group; capitalised words that start no name."""
    return {
        "rank_before": re.compile(rf"{alternation(words('roles', 'rank'))}\s*,?\s*$", re.IGNORECASE),
        "speaker": re.compile(phrase_regex(words("roles", "speaker")), re.IGNORECASE),
        "pronoun_group": folded_phrases(words("roles", "pronoun_group")),  # searched in folded text
    }


@cache
def _not_first_names() -> frozenset[str]:
    return frozenset(w.lower() for w in words("roles", "not_first_names"))


def detect(sentences: list[Sentence], published: dt.date | None = None) -> list[Draft]:
    """Type mentions clustered into one draft row per actor and type.

    A mention with its own actor (a stated number, a named serviceman) opens or joins
    that actor's row; a mention that names the group by what it did ("the objectors")
    is about the group of that row; any other mention joins the latest row of its type,
    so that a group mentioned five times is still one row; only when the type has no row
    yet does it open one for whoever the article was last talking about.
    """
    ctx = _context()
    drafts: dict[tuple[str, str], Draft] = {}
    latest: dict[str, Draft] = {}
    last_actor: Actor | None = None
    seen_groups: dict[str, Actor] = {}
    named_men: set[str] = set(_introduced_men(sentences))
    for s, low, hits in _read(sentences):
        places = find_places(s.text)
        own_default = _own_actor(s, places, hits)
        if (own_default is None or own_default.key == "one" and not own_default.person) \
                and (person := mentioned(s.text, named_men)):
            own_default = Actor(f"p:{person}", Count(1, 1, 1, 0, 0), s.index, person)
        if own_default is not None and hits:
            own_default = separate(own_default, s, drafts.values(), published, last_actor)
        if own_default is not None and own_default.person:
            named_men.add(own_default.person)
        if own_default is not None and (own_default.count is not None and own_default.count.count is not None
                                        or own_default.person):
            last_actor = own_default
            if (own_default.count.count or 0) > 1 and ctx["servicemen"].search(low):
                seen_groups.setdefault(own_default.key, own_default)
        if not hits or background(low) and not (own_default is not None and own_default.person):
            continue
        about_servicemen = ctx["servicemen"].search(low) or _roles()["pronoun_group"].search(low) or \
            ctx["pronouns"].search(low)
        if own_default is None and not about_servicemen:
            continue
        exact = _exact_counts(s)
        named = next((latest[k].actor for k in ("refusal", "desertion")
                      if k in latest and ctx[f"group:{k}"].search(low)), None)
        for kind, stage, m in hits:
            own = _nearest(exact, m, s) if len(exact) > 1 else own_default
            draft = _draft_for(kind, own, named, last_actor, drafts, latest, s)
            latest[kind] = draft
            if not draft.sentences or draft.sentences[-1] is not s:
                draft.sentences.append(s)
            if stage:
                draft.stages.append(stage)
            draft.triggers.append(m.group())
            draft.spans.append((s.index, m.start()))
    return _without_motives(merge(list(drafts.values()), list(seen_groups.values())))


def _without_motives(drafts: list[Draft]) -> list[Draft]:
    """Rows without a refusal that only tells why men who deserted did so ("he did not want
    to return to the front"): a motive of the desertion, not a refusal of its own."""
    deserted = {d.actor.key for d in drafts if d.type == "desertion"}
    return [d for d in drafts if not (d.type == "refusal" and d.actor.key in deserted
                                      and all(_motive().match(fold(t)) for t in d.triggers))]


@cache
def _motive() -> re.Pattern[str]:
    """The refusal words that tell only a wish ("did not want to fight"), from the lexicon's slot."""
    return re.compile(_slot_regex("{not_want}", {name: [str(p) for lang in entry.values() for p in lang]
                                                 for name, entry in lexicon("incidents")["slots"].items()}))


def _draft_for(kind: str, own: Actor | None, named: Actor | None, last_actor: Actor | None, drafts: dict,
               latest: dict, s: Sentence) -> Draft:
    """The row a mention joins: its own actor's (or a row whose range covers that actor's
    count); else the row of the group named by what it did ("the deserters"); else the
    row of the man the article was last talking about; else the
    latest row of its type, unless a newer actor came since; else a new row. Members of a
    group ("four of the deserters") did what the group did: their refusal or desertion is
    the group's row, when the article has one."""
    members = own or last_actor
    if kind in _GROUP_ACTS and kind in latest and members is not None and members.part:
        return latest[kind]
    if own is not None and own.key != "?":
        return drafts.get((kind, own.key)) or same_group(drafts.values(), kind, own) \
            or drafts.setdefault((kind, own.key), Draft(kind, own))
    if named is not None:
        return drafts.setdefault((kind, named.key), Draft(kind, named))
    if last_actor is not None and (kind, last_actor.key) in drafts:
        return drafts[(kind, last_actor.key)]
    if kind in latest and (last_actor is None or latest[kind].actor.sentence >= last_actor.sentence):
        return latest[kind]
    actor = last_actor or own or Actor("?", None, s.index)
    return drafts.setdefault((kind, actor.key), Draft(kind, actor))


_MOST_IN_ONE_EVENT = 5000
_GROUP_ACTS = ("refusal", "desertion")


def _read(sentences: list[Sentence]) -> list[tuple[Sentence, str, list]]:
    """Each sentence with its folded text and the incident words that count (see
    decision.mention_counts). A prosecution word counts only in an article that names a
    court or an offence, or in a sentence that tells of a refusal or a desertion or goes
    on about the men who did, by pronoun or by the surname of a man named there ("Eight
    refused. They were then held in a cellar."; "Позже Рогова задержали"):
    "arrested" alone is any arrest. A detention by another state for its own reasons
    does not count at all. So does one whose subject is a bare number ("Four were later caught")."""
    ctx = _context()
    folded = [fold(s.text) for s in sentences]
    detained_abroad = any(ctx["foreign_detention"].search(t) for t in folded) and \
        not any(ctx["for_russia"].search(t) for t in folded)
    out = []
    body_began = False
    for s, low in zip(sentences, folded, strict=True):
        is_heading = heading(s, body_began)
        body_began = body_began or body_text(s)
        text = _mask(s.text, ctx["offence"])[0] if _offence_stems()[0].search(low) else s.text
        counts = find_counts(s.text)
        if is_heading or any((c.low or 0) > _MOST_IN_ONE_EVENT for c in counts):
            out.append((s, low, []))  # tens of thousands of men: a statistic, not one event
            continue
        counted = any((c.low or 0) > 1 for c in counts)  # "some soldiers refuse" counts nobody
        hits = [h for h in _hits(text) if mention_counts(low, h[2].start(), h[2].end(), counted)]
        proven = _proven_offences(s.text, hits)
        if proven:
            hits = [h for h in hits if not (h[0] == "refusal" and _WHO_BEFORE.search(low, 0, h[2].start()))] + proven
        if detained_abroad:
            hits = [h for h in hits if h[1] != "detained"]
        out.append((s, low, hits))
    if any(_names_offence(s.text) or ctx["court"].search(low) for s, low, _ in out):
        return out
    kept, acted, actors = [], False, set()
    for s, low, hits in out:
        act = any(kind in ("refusal", "desertion") for kind, _, _ in hits)
        if not (act or acted and (_roles()["pronoun_group"].search(low) or mentioned(s.text, actors)
                                  or subject_number(s.text))):
            hits = [h for h in hits if h[0] != "prosecution"]
        if act:
            actors.update(_russian_names(s.text))
        acted = acted or act
        kept.append((s, low, hits))
    return kept


@cache
def _offence_stems() -> tuple[re.Pattern[str], dict[str, re.Pattern[str]]]:
    """The stems of every offence word (a cheap test on folded text before the full
    offence pattern), and per type the pattern of the offences that prove that act
    (a charge of desertion tells the men deserted; "за отказ воевать", that they refused)."""
    stems = {fold(w.split()[0].rstrip("*")) for w in words("roles", "offence_words")}
    kinds = {kind: re.compile(alternation(words("roles", f"offence_words.{kind}")), re.IGNORECASE)
             for kind in lexicon("roles")["offence_words"]}
    return re.compile("|".join(sorted(map(re.escape, stems)))), kinds


def _names_offence(text: str) -> bool:
    """Whether the text names an offence ("charged with desertion"); the stem test on
    folded text first spares most sentences the full pattern."""
    return bool(_offence_stems()[0].search(fold(text)) and _context()["offence"].search(text))


_WHO_BEFORE = re.compile(r"\b(?:who|that|которые|который)\s+(?:had\s+|have\s+)?$")


@cache
def _accusations() -> frozenset[str]:
    """Charge words that tell only of an accusation (roles.yaml `accusation_words`)."""
    return frozenset(fold(w) for w in words("roles", "accusation_words"))


def _proven_offences(text: str, hits: list) -> list:
    """A charge or sentence for desertion tells that the men deserted: "sentenced for
    deserting" gives a desertion row beside the prosecution. A threat or an
    investigation does not ("threatened with prosecution for desertion"), nor does an accusation
    ("accused of desertion": by commanders, relatives or the media, it proves no act). The charge
    also names the act better than a gloss in a relative clause: "eight servicemen who
    refused to fight have been charged with desertion" gives no refusal (the caller
    drops it)."""
    if not any(stage in ("charged", "convicted") and m.group() not in _accusations() for _, stage, m in hits):
        return []
    proven: dict[str, tuple] = {}
    for m in _context()["offence"].finditer(text):
        offence = m.group("off") or m.group("off2")
        kind = next((k for k, pattern in _offence_stems()[1].items() if pattern.match(offence)), "")
        if kind:
            proven.setdefault(kind, (kind, "", m))
    return list(proven.values())


def _exact_counts(s: Sentence) -> list[Count]:
    return [c for c in find_counts(s.text) if c.count is not None and c.count <= _MOST_IN_ONE_EVENT
            and not _SKIP_COUNT.search(s.text[: c.start]) and not victims(s.text, c)]


def _nearest(counts: list[Count], trigger: re.Match[str], s: Sentence) -> Actor:
    """Of several groups in one sentence, the one that is the incident word's subject:
    the nearest before it ("10 fled, four of them were detained": the detention is the
    four's; "eight refused, and four others deserted": the refusal is the eight's), else
    the nearest after it ("из части сбежали 10 военнослужащих")."""
    before = [c for c in counts if c.end <= trigger.start()]
    c = before[-1] if before else min(counts, key=lambda c: abs(c.start - trigger.end()))
    return Actor(f"n{c.count}", c, s.index, part=is_part(s.text, c))


def _own_actor(s: Sentence, places: list[PlaceMention], hits: list) -> Actor | None:
    """The actor a sentence names itself: a stated number of servicemen, a named
    serviceman next to an incident word, an unnamed single serviceman, or a vague group."""
    counts = [c for c in find_counts(s.text) if not _SKIP_COUNT.search(s.text[: c.start])
              and (c.high or 0) <= _MOST_IN_ONE_EVENT and not victims(s.text, c)]
    exact = [c for c in counts if c.count is not None]
    if exact:
        c = exact[0]
        if _leads_group(s.text[:c.start]):
            c = Count(c.count + 1, c.low + 1, c.high + 1, c.start, c.end)
        return Actor("one" if c.count == 1 else f"n{c.count}", c, s.index, part=is_part(s.text, c))
    pair = _two_named_men(s.text, places) if hits else None
    if pair is not None:
        return Actor("n2", pair, s.index)
    person = _person(s.text, places, [m for _, _, m in hits])
    if person:
        return Actor(f"p:{person}", Count(1, 1, 1, 0, 0), s.index, person)
    if _context()["singular"].search(fold(s.text)):
        return Actor("one", Count(1, 1, 1, 0, 0), s.index)
    if counts:
        return Actor("?", counts[0], s.index)
    return None


def own_men(s: Sentence) -> Count | None:
    """The count of the men a sentence names of its own (a number, a named or a single
    serviceman; "the soldier" refers back to one told before, so is none)."""
    actor = _own_actor(s, find_places(s.text), [])
    if actor is None:
        return None
    if actor.key == "one" and not actor.person and actor.count is not None and actor.count.end == 0:
        single = _context()["singular"].search(fold(s.text))
        if single and single.group().startswith("the "):
            return None
    return actor.count


def _russian_names(text: str, introduced: bool = False) -> list[str]:
    """Surnames (nominative) of the Russian first-name-and-surname pairs of a text; with
    `introduced`, only of men introduced by age or as servicemen ("27-летнего Никиты
    Чибрина", "контрактника Андрея Орлова")."""
    out = []
    for m in _NAME.finditer(text):
        first, last = m.group(2), m.group(3)
        if re.search("[а-яё]", last) and not not_a_name(first, last) and first.lower() not in _not_first_names() \
                and (not introduced or introduced_before(text[max(0, m.start() - 40):m.start()])):
            out.append(nominative_surname(last))
    return out


_CYRILLIC = re.compile("[а-яё]")


def _introduced_men(sentences: list[Sentence]) -> list[str]:
    """Russian men the article introduces by age or as servicemen: a later sentence that
    calls one by surname alone, in any case, is about him."""
    text = "\n".join(s.text for s in sentences)
    return _russian_names(text, introduced=True) if _CYRILLIC.search(text) else []


def surnames(sentences: list[Sentence]) -> frozenset[str]:
    """Surnames the article gives with a first name ("Danila Ivanov"), so that a town of
    the same spelling ("Ivanov", a GeoNames name of Ivanovo) is not read as a place when
    the man is later called by his surname alone."""
    out = set()
    for s in sentences:
        for m in _NAME.finditer(s.text):
            first = m.group(2)
            if first.lower() not in _not_first_names() and not find_places(first):
                out.add(m.group(3))
    return frozenset(out)
