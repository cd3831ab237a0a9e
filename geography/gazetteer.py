"""One resolver from place names to ISO 3166-2 codes, used by the extractor and the app.

Names come from data/regions/regions.yaml (federal subjects and occupied Ukrainian
regions, curated) and data/regions/cities.csv (GeoNames towns, built by
scripts/build_geography.py). Russian names are declined and transliterated by
extract.russian, English oblast names get their usual "X region" / "X oblast" forms.

Ambiguity is settled by rules, not by luck:
- a region's own names beat any town's ("Moscow" is the federal city RU-MOW; the
  oblast is "Moscow region"/"Podmoskovye"; "Novgorod" is RU-NGR, Nizhny Novgorod has
  its own name; bare "Altai" is Altai Krai, the republic is "Altai Republic");
- a town name shared by towns in different regions goes to the largest when it is five
  times the size of the next, and is dropped otherwise (there are many Kirovsks);
- names of countries and phrases that only contain a place name ("The Moscow Times")
  resolve to nothing: see lexicons/not_places.yaml.
"""

from __future__ import annotations

import bisect
import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from lexicons import LexiconError, fold, lexicon, load_yaml
from refusal_monitor.settings import regions_dir

from .russian import PLACE_PREPOSITION, latin_variants, phrase_forms, transliterate

REGION_FIELDS = ("code", "en", "ru", "type", "district", "capital", "capital_ru", "population",
                 "aliases_en", "aliases_ru")
_LEADING = re.compile(r"^(?:(?:the|in|from|of|near|в|во|из|на|под|по|около)\s+)+", re.IGNORECASE)
_GENERIC_EN = {"oblast": ("region", "oblast", "Oblast", "province", "Region"),
               "krai": ("region", "krai", "Krai", "territory", "Territory", "kray")}


@dataclass(frozen=True)
class Region:
    code: str
    en: str
    ru: str
    type: str
    district: str
    capital: str
    capital_ru: str
    population: int

    @property
    def occupied(self) -> bool:
        return self.code.startswith("UA-")


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    text: str
    code: str
    kind: str  # "region" or "city"


def normalize(name: str) -> str:
    """The form names are compared in: case-folded, ё as е, one kind of dash and quote.

    >>> normalize("  Yaroslavl’ ")
    'yaroslavl'
    >>> normalize("Орёл")
    'орел'
    """
    text = unicodedata.normalize("NFC", name).strip()
    text = text.replace("ё", "е").replace("Ё", "Е")
    text = re.sub("['’ʼ`]", "", text)
    text = re.sub("[\u2010-\u2015]", "-", text)
    return re.sub(r"\s+", " ", text).lower()


@cache
def regions() -> dict[str, Region]:
    """The gazetteer's regions by ISO code, validated."""
    path = regions_dir() / "regions.yaml"
    rows = load_yaml(path)
    out: dict[str, Region] = {}
    for i, row in enumerate(rows or []):
        missing = [f for f in REGION_FIELDS if f not in row]
        if missing:
            raise LexiconError(f"{path}: entry {i + 1} lacks {missing}")
        if row["code"] in out:
            raise LexiconError(f"{path}: code {row['code']} appears twice")
        out[row["code"]] = Region(**{f: row[f] for f in REGION_FIELDS[:8]})
    return out


def _region_names(row: dict) -> list[str]:
    names = [row["en"], *row["aliases_en"]]
    stem = row["en"].rsplit(" ", 1)[0] if row["type"] in _GENERIC_EN else None
    if stem:
        names += [f"{stem} {word}" for word in _GENERIC_EN[row["type"]]]
    for ru in [row["ru"], *row["aliases_ru"]]:
        forms = phrase_forms(ru)
        names += forms
        names += [v for form in forms[:1] for v in latin_variants(transliterate(form))]
    return [n for name in names for n in latin_variants(name)]


@cache
def alias_table() -> dict[str, tuple[str, str]]:
    """Normalized name → (code, kind). Region names first, then towns, then non-places."""
    return _build_aliases()[0]


@cache
def _build_aliases() -> tuple[dict[str, tuple[str, str]], frozenset[str]]:
    """The alias table and every surface spelling it was built from (for text scanning,
    where apostrophes are still in the text)."""
    table: dict[str, tuple[str, str]] = {}
    surfaces: set[str] = set()
    rows = load_yaml(regions_dir() / "regions.yaml")
    for row in rows:
        for name in _region_names(row):
            key = normalize(name)
            other = table.get(key)
            if other and other[0] != row["code"]:
                raise LexiconError(f"region name {name!r} given to both {other[0]} and {row['code']}")
            table[key] = (row["code"], "region")
            surfaces.add(name)
    towns, town_surfaces = _town_names(rows)
    for key, code in towns.items():
        table.setdefault(key, (code, "city"))
    surfaces |= town_surfaces
    for phrase in lexicon("not_places")["phrases"]:
        table[normalize(phrase)] = ("", "not a place")
        surfaces.add(phrase)
    return table, frozenset(s.replace("’", "'") for s in surfaces)


def _town_names(rows: list[dict]) -> tuple[dict[str, str], set[str]]:
    candidates: dict[str, dict[str, int]] = {}
    surfaces: set[str] = set()

    def add(name: str, code: str, population: int) -> None:
        surfaces.add(name)
        by_code = candidates.setdefault(normalize(name), {})
        by_code[code] = max(by_code.get(code, 0), population)

    for row in rows:
        for form in phrase_forms(row["capital_ru"]) + latin_variants(row["capital"]):
            add(form, row["code"], 10**9)
    with open(regions_dir() / "cities.csv", encoding="utf-8", newline="") as f:
        for city in csv.DictReader(f):
            pop = int(city["population"])
            for name in [city["name"], *filter(None, city["names_en"].split("|"))]:
                add(name, city["code"], pop)
            for name in filter(None, city["names_ru"].split("|")):
                for form in phrase_forms(name):
                    add(form, city["code"], pop)
    for extra in lexicon("places")["places"]:
        name, code = (part.strip() for part in extra.rsplit("=", 1))
        for form in phrase_forms(name) if re.search("[а-яё]", name, re.IGNORECASE) else [name]:
            add(form, code, 10**9)
    resolved = {}
    for key, by_code in candidates.items():
        ranked = sorted(by_code.items(), key=lambda kv: -kv[1])
        if len(ranked) == 1 or ranked[0][1] >= 5 * ranked[1][1]:
            resolved[key] = ranked[0][0]
    return resolved, {s for s in surfaces if normalize(s) in resolved}


def resolve_region(name: str) -> str | None:
    """The ISO 3166-2 code for a place name in English or Russian, or None.

    >>> resolve_region("в Бурятии"), resolve_region("Ulan-Ude"), resolve_region("Pskov region")
    ('RU-BU', 'RU-BU', 'RU-PSK')
    >>> resolve_region("Moscow"), resolve_region("Moscow region"), resolve_region("Georgia")
    ('RU-MOW', 'RU-MOS', None)
    """
    if not name or not name.strip():
        return None
    text = name.strip()
    if text.upper() in regions():
        return text.upper()
    key = normalize(_LEADING.sub("", text))
    hit = alias_table().get(key)
    return hit[0] or None if hit else None


_FOLLOWED_BY_NAME = re.compile(r" [A-ZА-ЯЁ][a-zа-яё]+")
_BY_WHOM = re.compile(r"-(?:occupied|controlled|backed|installed|appointed|annexed|held|led|friendly)\b",
                      re.IGNORECASE)


@cache
def _first_name_after() -> re.Pattern[str]:
    """The words just before a town's name that make it a person's first name
    (not_places.yaml `before_first_name`: "his wife, Anna", "Mrs Olga"), ending where it begins.

    >>> [m.code for m in find_places("He fled with his wife, Anna.")], [m.code for m in find_places("He fled to Anna.")]
    ([], ['RU-VOR'])
    """
    words = "|".join(sorted((re.escape(w) for w in lexicon("not_places")["before_first_name"]), key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{words})\.?,?\s+$", re.IGNORECASE)


# "Южный окружной военный суд": the word before "окружной" names a military district, not a town.
_DISTRICT = re.compile(r"\s+окружн", re.IGNORECASE)
_CAPITAL_START = re.compile(r"(?<![\w-])[A-ZА-ЯЁ]")
_NOT_WORD = re.compile(r"[^\w]")


@cache
def _surfaces() -> tuple[frozenset[str], int]:
    """Every spelling a text may use, lower-cased, and the longest one's length. A set
    looked up at each capital letter costs nothing to build, where one regex of 24,000
    names took half a second to compile at every start-up."""
    names = frozenset(s.lower() for s in _build_aliases()[1])
    return names, max(map(len, names), default=0)


def _mentions(text: str):
    """(start, end) of each place spelling in the text: at each capital letter that
    starts a word, the longest spelling that ends where a word ends. Matches do not
    overlap."""
    names, longest = _surfaces()
    ends = [m.start() for m in _NOT_WORD.finditer(text)] + [len(text)]
    low = fold(text)
    reached = 0
    for m in _CAPITAL_START.finditer(text):
        start = m.start()
        if start < reached:
            continue
        first = bisect.bisect_right(ends, start)
        last = bisect.bisect_right(ends, start + longest)
        for end in reversed(ends[first:last]):
            if low[start:end] in names:
                reached = end
                yield start, end
                break


def find_places(text: str) -> list[PlaceMention]:
    """Every place name in a text (see _find_places); cached, as rules ask per sentence."""
    return list(_find_places(text))


@lru_cache(maxsize=8192)
def _find_places(text: str) -> tuple[PlaceMention, ...]:
    """Every place name in a text, longest first at each position, as proper nouns only.

    A match must start with a capital letter in the text, so that "amur" in a sentence
    or "orel" inside a word never count; a town name followed by another capitalised
    word is a person's first name ("Vladimir Putin"), not the town, unless a Russian
    preposition of place comes before it ("из Казани Ивану Орлову"); a place that only says
    who holds or backs another ("Moscow-occupied Luhansk") is not where anything happened, nor
    is a military district's name ("Южный окружной военный суд": Южный is a town too).

    >>> [(m.text, m.code) for m in find_places("Paratroopers from Pskov region and Ulan-Ude.")]
    [('Pskov region', 'RU-PSK'), ('Ulan-Ude', 'RU-BU')]
    >>> [m.code for m in find_places("a unit in Moscow-occupied Luhansk")]
    ['UA-09']
    >>> [m.code for m in find_places("Южный окружной военный суд оправдал жителя Гатчины Олега Пескова.")]
    ['RU-LEN']
    """
    prepared = text.replace("ё", "е").replace("Ё", "Е").replace("’", "'")
    prepared = re.sub("[\u2010-\u2015]", "-", prepared)
    out = []
    table = alias_table()
    for start, end in _mentions(prepared):
        code, kind = table.get(normalize(prepared[start:end]), ("", ""))
        if kind == "city" and (_FOLLOWED_BY_NAME.match(prepared, end)
                               and not PLACE_PREPOSITION.search(prepared, max(0, start - 12), start)
                               or _first_name_after().search(prepared, max(0, start - 25), start)) \
                or _BY_WHOM.match(prepared, end) or _DISTRICT.match(prepared, end):
            continue
        if code in _surroundings() and _NEAR.search(prepared, max(0, start - 20), start):
            code = _surroundings()[code]
        if code:
            out.append(PlaceMention(start, end, text[start:end], code, kind))
    return tuple(out)


_NEAR = re.compile(r"(?:\bnear|\boutside|outskirts of|suburbs? of|\bпод|пригороде|окрестностях)\s+$", re.IGNORECASE)


@cache
def _surroundings() -> dict[str, str]:
    """The region around each federal city (lexicons/places.yaml `surroundings`).

    >>> [m.code for m in find_places("a court in Solnechnogorsk, near Moscow, and one in Moscow")]
    ['RU-MOS', 'RU-MOS', 'RU-MOW']
    """
    pairs = (entry.split("=") for entry in lexicon("places")["surroundings"])
    return {city.strip(): region.strip() for city, region in pairs}


_ADJECTIVE_END = re.compile(r"(?:sky|skiy|skii|ski|skaya|skoye)$")


@lru_cache(maxsize=1024)
def resolve_adjective(word: str) -> str | None:
    """The region of a town named by its English-transliterated Russian adjective, as court
    names give it ("Borzinsky Garrison Military Court" is Borzya's, "Yuzhno-Sakhalinsky"
    Yuzhno-Sakhalinsk's): the adjective's stem tried as the town ("Pskov-sky"), with "-sk"
    kept ("Kursk-y") or with the "-in-"/"-en-" linking a town in -a, -ya or -y ("Borz-in-sky").

    >>> [resolve_adjective(w) for w in ("Borzinsky", "Yuzhno-Sakhalinsky", "Pskovsky", "Chitinsky", "Southern")]
    ['RU-ZAB', 'RU-SAK', 'RU-PSK', 'RU-ZAB', None]
    """
    end = _ADJECTIVE_END.search(word)
    if end is None or end.start() < 3:
        return None
    stem = word[:end.start()]
    linked = stem[:-2] if stem[-2:] in ("in", "en") else ""
    candidates = [stem + "sk", stem, *(linked + tail for tail in ("a", "ya", "y", "i") if linked),
                  *(stem + tail for tail in ("a", "ya", "y"))]
    return next((code for name in candidates if (code := resolve_region(name))), None)
