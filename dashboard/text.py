"""The interface's words in English and Russian, read from dashboard/i18n/<lang>.yaml.

No streamlit import: the pages pick the language (from `?lang=`), this module only looks
strings up, fills their placeholders and picks plural forms. Data never passes through
here as Markdown; see dashboard.plain.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

LANGS = ("en", "ru")
DEFAULT_LANG = "en"
I18N = Path(__file__).resolve().parent / "i18n"


@cache
def strings(lang: str) -> dict:
    with (I18N / f"{lang}.yaml").open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def pick_lang(value: str | None) -> str:
    """The language a URL asks for, English when it asks for none we have.

    >>> pick_lang("ru"), pick_lang("RU"), pick_lang("de"), pick_lang(None)
    ('ru', 'ru', 'en', 'en')
    """
    value = (value or "").lower()
    return value if value in LANGS else DEFAULT_LANG


def plural_form(lang: str, n: int) -> str:
    """The CLDR plural category of n: English one/other, Russian one/few/many.

    >>> [plural_form("ru", n) for n in (1, 2, 5, 11, 21, 22, 25, 111)]
    ['one', 'few', 'many', 'many', 'one', 'few', 'many', 'many']
    >>> plural_form("en", 1), plural_form("en", 0)
    ('one', 'other')
    """
    if lang != "ru":
        return "one" if n == 1 else "other"
    if n % 10 == 1 and n % 100 != 11:
        return "one"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "few"
    return "many"


def number(n: float | int, lang: str = "en") -> str:
    """A count written plainly: digits grouped as each language writes them, no decimals.

    >>> number(1234567), number(1234567, "ru"), number(8.0)
    ('1,234,567', '1\\u202f234\\u202f567', '8')
    """
    text = f"{int(round(n)):,}"
    return text.replace(",", "\u202f") if lang == "ru" else text


def t(lang: str, key: str, n: int | None = None, **values) -> str:
    """The string `key` in `lang`, with its plural form for n and its placeholders filled.
    Numbers given as placeholders are written with `number`."""
    entry = strings(lang)[key]
    if isinstance(entry, dict):
        entry = entry.get(plural_form(lang, n or 0)) or entry.get("other") or entry.get("many")
    if n is not None:
        values.setdefault("n", number(n, lang))
    filled = {k: number(v, lang) if isinstance(v, int | float) and not isinstance(v, bool) else v
              for k, v in values.items()}
    return entry.format(**filled) if filled else entry


def word(lang: str, key: str, n: int) -> str:
    """'1 incident', '3 incidents', '5 случаев'.

    >>> word("en", "incidents_word", 1), word("ru", "incidents_word", 5)
    ('1 incident', '5 случаев')
    """
    return f"{number(n, lang)} {t(lang, key, n)}"
