"""Article text before extraction: boilerplate removed, split into sentences.

Boilerplate goes first because it is where false incidents come from: the appeal
under Moscow Times articles says its staff "risk prosecution", captions name places.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from lexicons import fold, lexicon, trie_pattern


@dataclass(frozen=True)
class Sentence:
    index: int
    text: str
    paragraph: int


@cache
def _boilerplate() -> tuple[re.Pattern[str], re.Pattern[str]]:
    lex = lexicon("boilerplate")
    return (re.compile(trie_pattern(fold(p) for p in lex["cut_after"])),
            re.compile(trie_pattern(fold(p) for p in lex["drop_lines"])))


def clean(text: str) -> str:
    """The article's own text: appeals, prompts, captions and credits removed. An appeal
    ends the article only once the article has begun; above it, it is just dropped.

    >>> clean("Support The Moscow Times!\\n\\nTwo soldiers fled.\\n\\n"
    ...       "A Message from The Moscow Times:\\nOur staff risk prosecution.")
    'Two soldiers fled.'
    >>> clean("Поддержите The Moscow Times\\n\\nДвое военнослужащих сбежали из части в Тверской области.")
    'Двое военнослужащих сбежали из части в Тверской области.'
    """
    cut, drop = _boilerplate()
    kept = []
    for line in text.replace("\r\n", "\n").split("\n"):
        stripped = line.strip()
        if len(stripped) < 200 and cut.search(fold(stripped)):
            if any(kept):
                break
            continue
        if len(stripped) < 160 and drop.search(fold(stripped)):
            continue
        if _is_credit(stripped):
            continue
        kept.append(stripped)
    joined = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return _unwrap(joined) if _hard_wrapped(kept) else joined


_WRAP_MIN, _WRAP_MAX = 45, 80


def _hard_wrapped(lines: list[str]) -> bool:
    """Whether a text is wrapped at a fixed width, as e-mailed newsletters are: most of its
    lines are 45-80 characters and none is much longer. Its line breaks are then no
    paragraph breaks; blank lines are."""
    full = [line for line in lines if line]
    if len(full) < 5 or max(map(len, full)) > _WRAP_MAX + 20:
        return False
    return sum(_WRAP_MIN <= len(line) <= _WRAP_MAX for line in full) > len(full) / 2


def _unwrap(text: str) -> str:
    """A hard-wrapped text with its lines joined into paragraphs (blank lines kept).

    >>> _unwrap("A soldier from Tver\\nrefused to fight.\\n\\nHe was jailed.")
    'A soldier from Tver refused to fight.\\n\\nHe was jailed.'
    """
    return re.sub(r"(?<!\n)\n(?!\n)", " ", text)


def _is_credit(line: str) -> bool:
    """A photo credit or caption: a short line without a sentence's final stop."""
    if not line or len(line) > 90:
        return False
    return bool(re.search(r"\s/\s?[A-ZА-Я]", line)) and not line.endswith((".", "»", '"'))


_SPLIT = re.compile(r"(?<=[.!?…»\"”])(?<![^.!?…][»\"”])\s+(?=[\"“«(]?[A-ZА-ЯЁ0-9])")
_ABBREV = re.compile(r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|St|Lt|Col|Gen|Maj|Sgt|Capt|Mr|Mrs|"
                     r"Dr|No|Jr|Sr|Pvt|Cpl|ст|ч|г|гг|им|т\.е|т\.д)\.$")


def sentences(text: str) -> list[Sentence]:
    """Sentences of a cleaned text, numbered, with the paragraph each belongs to.

    >>> [s.text for s in sentences("He fled on Jan. 13 with a rifle. He was found. Then\\nNew paragraph")]
    ['He fled on Jan. 13 with a rifle.', 'He was found.', 'Then', 'New paragraph']
    >>> [s.text for s in sentences("He served in the “Rosgvardiya” (National Guard). He was jailed.")]
    ['He served in the “Rosgvardiya” (National Guard).', 'He was jailed.']
    """
    out: list[Sentence] = []
    for p_index, paragraph in enumerate(p for p in re.split(r"\n+", text) if p.strip()):
        pieces = _SPLIT.split(paragraph.strip())
        merged: list[str] = []
        for piece in pieces:
            if merged and _ABBREV.search(merged[-1]):
                merged[-1] = f"{merged[-1]} {piece}"
            else:
                merged.append(piece)
        for piece in merged:
            out.append(Sentence(len(out), piece.strip(), p_index))
    return out


def looks_binary(data: bytes) -> bool:
    """Whether raw bytes are not text at all (NUL bytes or mostly control characters)."""
    sample = data[:4096]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return bool(sample) and control / len(sample) > 0.1


def decode(data: bytes) -> str:
    """Text from bytes in UTF-8 or a legacy encoding (cp1251, KOI8-R, …), detected."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UnicodeDecodeError("unknown", data[:1], 0, 1, "no text encoding fits")
    return str(best)
