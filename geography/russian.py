"""Russian name forms: declension of place names and Latin transliteration.

Russian news writes "в Псковской области", "из Бурятии", "Белгородчину": a gazetteer
that only knows nominatives misses most mentions. Rather than listing every case form
by hand, the gazetteer states nominatives and these rules generate the six cases.
The rules cover the word shapes that place names actually take (adjective + noun,
nouns in -ия/-а/-ь/consonant); anything they cannot decline is listed explicitly.
"""

from __future__ import annotations

import re

# A Russian preposition of place right before a capitalised word: "из Казани Ивану Орлову"
# is a town and then a man, where "Владимир Путин" alone is a man.
# Words after which a town's name is the town even before a capitalised word: a preposition
# of place, or a resident or native of it ("жителя Гатчины Павла Орлова").
PLACE_PREPOSITION = re.compile(r"(?<![\w-])(?:из|в|во|под|около|возле|близ|жител[ьяюемий]\w*|уроженц\w+|уроженец)\s+$",
                               re.IGNORECASE)

# Endings in case order: nominative, genitive, dative, accusative, instrumental, prepositional.
_ENDINGS = {
    "ая": ("ая", "ой", "ой", "ую", "ой", "ой"),
    "яя": ("яя", "ей", "ей", "юю", "ей", "ей"),
    "ий": ("ий", "ого", "ому", "ий", "им", "ом"),
    "ый": ("ый", "ого", "ому", "ый", "ым", "ом"),
    "ой": ("ой", "ого", "ому", "ой", "ым", "ом"),
    "ия": ("ия", "ии", "ии", "ию", "ией", "ии"),
    "ея": ("ея", "еи", "ее", "ею", "еей", "ее"),
    "ья": ("ья", "ьи", "ье", "ью", "ьей", "ье"),
    "ье": ("ье", "ья", "ью", "ье", "ьем", "ье"),
    "ка": ("ка", "ки", "ке", "ку", "кой", "ке"),
    "га": ("га", "ги", "ге", "гу", "гой", "ге"),
    "ха": ("ха", "хи", "хе", "ху", "хой", "хе"),
    "ча": ("ча", "чи", "че", "чу", "чой", "че"),
    "а": ("а", "ы", "е", "у", "ой", "е"),
    "й": ("й", "я", "ю", "й", "ем", "е"),
    "ь": ("ь", "я", "ю", "ь", "ем", "е"),
}
_SPECIAL = {
    "область": ("область", "области", "области", "область", "областью", "области"),
}
# Feminine nouns in -ь (Тверь, Пермь, Казань) decline differently from masculine
# ones (Ярославль); both sets are generated, as only surface forms matter.
_FEMININE_SOFT = ("и", "ью")
_INDECLINABLE = {"эл", "коми", "саха", "мар", "удэ", "ола", "алания", "—", "-"}
_CONSONANTS = set("бвгджзклмнпрстфхцчшщ")


def word_forms(word: str) -> list[str]:
    """Case forms of one word of a place name, in case order, the word itself first.

    >>> word_forms("Псковская")
    ['Псковская', 'Псковской', 'Псковской', 'Псковскую', 'Псковской', 'Псковской']
    >>> word_forms("Бурятия")[:4]
    ['Бурятия', 'Бурятии', 'Бурятии', 'Бурятию']
    >>> word_forms("Татарстан")
    ['Татарстан', 'Татарстана', 'Татарстану', 'Татарстан', 'Татарстаном', 'Татарстане']
    >>> word_forms("Тверь")[-2:]
    ['Твери', 'Тверью']
    """
    low = word.lower()
    if low in _INDECLINABLE or not low or not low[-1].isalpha():
        return [word] * 6
    if low in _SPECIAL:
        return [word[0] + f[1:] for f in _SPECIAL[low]]
    for ending in sorted(_ENDINGS, key=len, reverse=True):
        if low.endswith(ending):
            stem = word[: len(word) - len(ending)]
            forms = [stem + e for e in _ENDINGS[ending]]
            if ending == "ь":
                forms += [stem + e for e in _FEMININE_SOFT]
            return forms
    if low[-1] in _CONSONANTS:
        return [word + e for e in ("", "а", "у", "", "ом", "е")]
    return [word] * 6


def phrase_forms(phrase: str) -> list[str]:
    """All case forms of a place name, its words declined together.

    A hyphenated word declines in its last part only ("Ростов-на-Дону" aside, which the
    gazetteer lists). "Республика X" is also declined in its head word alone, as
    newspapers write both "в Республике Бурятия" and "в Республике Бурятии".

    >>> phrase_forms("Псковская область")[:3]
    ['Псковская область', 'Псковской области', 'Псковскую область']
    >>> "Республике Бурятия" in phrase_forms("Республика Бурятия")
    True
    >>> "Краснодарском крае" in phrase_forms("Краснодарский край")
    True
    """
    words = phrase.split()
    per_word = [_hyphen_forms(w) for w in words]
    forms = [" ".join(combo) for combo in zip(*per_word, strict=False)]
    forms += [w for w in per_word[0][6:]] if len(words) == 1 else []
    if len(words) > 1 and words[0].lower() == "республика":
        forms += [" ".join([head, *words[1:]]) for head in per_word[0]]
    return _unique([phrase, *forms])


def _hyphen_forms(word: str) -> list[str]:
    if "-" in word and not word.startswith("-"):
        head, _, last = word.rpartition("-")
        forms = [head + "-" + f for f in word_forms(last)]
        if "-" not in head:
            forms += [h + "-" + t for h, t in zip(word_forms(head), word_forms(last), strict=False)]
        return forms
    return word_forms(word)


def _unique(items: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


_ADJECTIVE = re.compile(r"(?:ск|цк)(?:ого|ому|ими|им|ом|ая|ой|ую|ий|ое|ие|их)$")


def adjective_bases(word: str, region: bool = False) -> list[str]:
    """The place names a Russian adjective may be made from, to look up in the gazetteer:
    courts are named by their town's adjective ("Владивостокский гарнизонный военный суд",
    "Магнитогорского", "Тверской"), a regional court by its region's. Derivation is
    irregular, so these are candidates: the gazetteer says which of them is a place.

    >>> adjective_bases("Владивостокский")[:2], adjective_bases("Магнитогорского")[0]
    (['Владивостокск', 'Владивосток'], 'Магнитогорск')
    >>> "Тверь" in adjective_bases("Тверской"), "Москва" in adjective_bases("Московского")
    (True, True)
    >>> [t for t in ("Пенза", "Чита", "Тула", "Ярославль") if t in adjective_bases(t[:-1] + "енский")
    ...  + adjective_bases("Читинского") + adjective_bases("Тульский") + adjective_bases("Ярославский")]
    ['Пенза', 'Чита', 'Тула', 'Ярославль']
    >>> adjective_bases("Ленинградский", region=True)[:2], adjective_bases("Южный")
    (['Ленинградская область', 'Ленинградский край'], [])
    """
    m = _ADJECTIVE.search(word)
    if m is None or m.start() < 3:
        return []
    stem = word[:m.start()]
    if region:
        return [f"{stem}{m.group()[:2]}ая область", f"{stem}{m.group()[:2]}ий край"]
    out = [stem + m.group()[:2], stem, stem + "ь", stem + "а", stem + "ль"]
    if stem.endswith("ов"):
        out.append(stem[:-2] + "ва")
    if stem.endswith(("ен", "ин", "им")):
        out.append(stem[:-2] + "а")
    if stem.endswith("ь"):
        out.append(stem[:-1] + "а")
    return out


_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
}


def transliterate(text: str) -> str:
    """Latin spelling of a Russian name, as English-language outlets commonly write it.

    >>> transliterate("Псковская область")
    'Pskovskaya oblast'
    >>> transliterate("Ярославль")
    'Yaroslavl'
    """
    out = []
    for ch in text:
        low = ch.lower()
        lat = _TRANSLIT.get(low, ch)
        out.append(lat.capitalize() if ch != low and lat else lat)
    return "".join(out)


def latin_variants(name: str) -> list[str]:
    """Other common Latin spellings of a transliterated name.

    >>> latin_variants("Yaroslavl'")
    ["Yaroslavl'", 'Yaroslavl', 'Iaroslavl']
    >>> latin_variants("Krasnodarskiy")
    ['Krasnodarskiy', 'Krasnodarskii', 'Krasnodarsky']
    """
    variants = [name, name.replace("'", "").replace("’", "")]
    base = variants[1]
    for a, b in (("Ya", "Ia"), ("ya", "ia"), ("Yu", "Iu"), ("yu", "iu"), ("Ye", "E"), ("yo", "e")):
        if a in base:
            variants.append(base.replace(a, b))
    for a, b in (("skiy", "skii"), ("skiy", "sky"), ("sky", "skiy"), ("iy ", "y ")):
        if a in base:
            variants.append(base.replace(a, b))
    return _unique(variants)
