"""Loading and validating lexicons, and turning word lists into fast patterns.

Lexicons are data (YAML files beside this module, and data/regions/), so that a
curator adds a spelling without touching code. Every file is checked against a small
schema when loaded; a broken file fails loudly with its name and the offending key.
Patterns are built from a trie of the escaped phrases: the regex engine then tries
one branch per character instead of thousands of alternatives, which keeps scanning
fast even with ten thousand place names, and the longest phrase always wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import yaml

LEXICON_DIR = Path(__file__).resolve().parent


class LexiconError(ValueError):
    """A lexicon file is missing, malformed or does not match its schema."""


# libyaml's reader when PyYAML has it: the same safe loading, several times faster at start-up.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(f"{path}: cannot be read as YAML ({exc})") from exc


@cache
def lexicon(name: str) -> dict[str, Any]:
    """A lexicon from lexicons/NAME.yaml, checked against its schema (lexicons/schema.py),
    with each Russian word slot ("<отказаться> воевать") expanded into every form
    lexicons/ru_forms.yaml gives it (see lexicons.forms)."""
    from .forms import expand_slots as expand_russian_slots

    return expand_russian_slots(raw_lexicon(name))


@cache
def raw_lexicon(name: str) -> dict[str, Any]:
    """A lexicon as written, checked against its schema."""
    return load_lexicon(LEXICON_DIR / f"{name}.yaml")


def load_lexicon(path: Path) -> dict[str, Any]:
    """A lexicon file, checked against the schema of its name; LexiconError names the
    file and the key that does not fit."""
    from .schema import check

    data = load_yaml(path)
    check(path, data, LexiconError)
    return data


def trie_pattern(phrases: Iterable[str]) -> str:
    """A regex matching any of the phrases, escaped, preferring the longest.

    >>> import re
    >>> p = re.compile(trie_pattern(["Moscow", "Moscow region", "Mos"]))
    >>> p.match("Moscow region court").group()
    'Moscow region'
    >>> p.match("Moscow court").group()
    'Moscow'
    >>> trie_pattern(["a.b"])
    'a\\\\.b'
    """
    return _trie_regex(_trie(phrases)) or "(?!)"


def _trie(phrases: Iterable[str]) -> dict:
    trie: dict = {}
    for phrase in phrases:
        if not phrase:
            continue
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}
    return trie


def _trie_regex(node: dict, wildcard: bool = False) -> str:
    ends_here = "" in node
    branches = sorted((re.escape(ch) + _trie_regex(child, wildcard) for ch, child in sorted(node.items())
                       if ch and not (wildcard and ch == "*")), key=len, reverse=True)
    if wildcard and "*" in node:
        branches.append(r"\w*" + _trie_regex(node["*"], wildcard))
    if not branches:
        return ""
    if len(branches) == 1 and not ends_here:
        return branches[0]
    body = "|".join(branches)
    return f"(?:{body})?" if ends_here else f"(?:{body})"


def alternation(phrases: Iterable[str]) -> str:
    """The phrases as one regex group (a trie, "*" for any word ending), without the
    word boundaries of phrase_regex, to sit inside a larger pattern.

    >>> import re
    >>> re.fullmatch(rf"ex-{alternation(['soldier*', 'man'])}", "ex-soldiers") is not None
    True
    """
    return f"(?:{_trie_regex(_trie(phrases), wildcard=True) or '(?!)'})"


def expand_slots(phrases: Iterable[str], slots: dict[str, list[str]]) -> list[str]:
    """Phrases with {slot} placeholders, each placeholder replaced by every phrase of that
    slot: one entry of a lexicon covers a verb with each of its complements.

    >>> expand_slots(["{verb} to {act}", "deserted"], {"verb": ["refus*", "declined"], "act": ["fight", "serve"]})
    ['refus* to fight', 'refus* to serve', 'declined to fight', 'declined to serve', 'deserted']
    """
    out: list[str] = []
    for phrase in phrases:
        name = re.search(r"\{(\w+)\}", phrase)
        if name is None:
            out.append(phrase)
            continue
        if name.group(1) not in slots:
            raise LexiconError(f"unknown slot {{{name.group(1)}}} in {phrase!r}")
        out.extend(expand_slots([phrase.replace(name.group(), value, 1) for value in slots[name.group(1)]], slots))
    return out


def words(name: str, key: str) -> list[str]:
    """The phrases of both languages (of every sub-key) under one key of a lexicon.

    >>> "private" in words("roles", "rank")
    True
    """
    entry = lexicon(name)
    for part in key.split("."):
        entry = entry[part]
    return list(_flatten(entry))


def _flatten(entry: Any) -> Iterable[str]:
    if isinstance(entry, dict):
        for value in entry.values():
            yield from _flatten(value)
    else:
        yield from (str(p) for p in entry)


def phrase_regex(phrases: Iterable[str]) -> str:
    """Whole-word alternation of phrases, escaped, longest first; a trailing "*" in a
    phrase stands for any word ending ("desert*" covers deserted, deserters).

    >>> import re
    >>> re.findall(phrase_regex(["desert*", "left the unit", "deserted from"]), "deserters left the unit")
    ['deserters', 'left the unit']
    >>> re.findall(phrase_regex(["from * regions"]), "men from 22 regions")
    ['from 22 regions']

    The phrases form a trie, so that the regex engine follows one branch per letter
    instead of trying every phrase at every position.
    """
    return rf"(?<![\w-])(?:{_trie_regex(_trie(phrases), wildcard=True) or '(?!)'})(?![\w])"


def fold(text: str) -> str:
    """The text in lower case, the same length, so that offsets into it are offsets into
    the text. Phrase patterns run on folded text without IGNORECASE: Python's regex
    engine then skips impossible positions by their first letter, several times faster.

    >>> fold("Refused to FIGHT"), len(fold("İstanbul")) == len("İstanbul")
    ('refused to fight', True)
    """
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def folded_phrases(phrases: Iterable[str]) -> re.Pattern[str]:
    """phrase_regex of the lower-cased phrases, compiled to search folded text."""
    return re.compile(phrase_regex([fold(p) for p in phrases]))
