"""The shape of every lexicon file, checked when it is loaded.

A curator edits these files by hand; YAML then turns a stray "on" into True, an
unindented line into a new key, a missing bracket into one long string. Each file has
a schema here: the keys it must have and the shape of each, so that such a slip fails
at once with the file's name and the key, instead of quietly matching nothing.

Shapes:
- `terms`: a list of words or phrases (text, not empty, not true/false/null);
- `langs`: a mapping of languages ("en", "ru", or "ru_lemmas") to terms;
- `groups`: a mapping of group names to `langs`;
- `numbers`: a mapping of languages to {word: whole number};
- `labels`: a mapping of languages to {word: text};
- `ranges`: a mapping of languages to {phrase: [count or null, low, high]}.
Keys a schema does not name may be added; they must hold words (terms at any depth).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

_LANGUAGES = ("en", "ru", "ru_lemmas")

SCHEMAS: dict[str, dict[str, str]] = {
    "boilerplate": {"cut_after": "terms", "drop_lines": "terms"},
    "context": {"servicemen": "langs", "not_incident": "langs", "offence_before": "langs",
                "offence_after": "langs", "singular": "langs", "military_court": "langs",
                "famous_people": "terms", "group_of_type": "groups", "foreign_detention": "langs",
                "for_russia": "langs"},
    "dates": {"months": "numbers", "weekdays": "numbers", "relative": "labels"},
    "decision": {"side": "groups", "statistic": "langs", "generic_before": "langs", "generic_words": "langs",
                 "civilian": "langs", "other_refusals": "langs", "other_senses": "langs",
                 "nationwide": "langs", "civilian_offence": "langs",
                 "conditional": "langs", "not_background": "langs"},
    "incidents": {"refusal": "langs", "desertion": "langs", "prosecution": "groups"},
    "not_places": {"phrases": "terms"},
    "numbers": {"words": "numbers", "multipliers": "numbers", "vague": "ranges", "hedges": "langs"},
    "places": {"places": "terms", "surroundings": "terms"},
    "roles": {"rank": "langs", "pronoun_group": "langs", "speaker": "langs", "not_first_names": "langs",
              "offence_words": "groups", "destination_before": "langs", "home_before": "langs",
              "place_determiners": "langs", "distance_units": "langs", "person_nouns": "langs",
              "person_modifiers": "langs"},
    "units": {"units": "terms"},
}


def check(path: Path, data: Any, error: type[Exception]) -> None:
    """Raise `error` naming the file and the key when `data` does not fit its schema
    (lexicons without one, like the generated ru_forms.yaml, need words at any depth)."""
    if not isinstance(data, dict):
        raise error(f"{path.name}: expected a mapping of keys at the top level")
    schema = SCHEMAS.get(path.stem, {})
    for key, shape in schema.items():
        if key not in data:
            raise error(f"{path.name}: lacks the key {key!r} ({shape})")
    for key, value in data.items():
        problem = _problem(schema.get(str(key), "any"), value)
        if problem:
            raise error(f"{path.name}: {key}{problem}")


def _problem(shape: str, value: Any) -> str:
    """"" when the value fits the shape, else where and why it does not (".en: …")."""
    if shape == "terms":
        if not isinstance(value, list):
            return f": expected a list of words, found {type(value).__name__}"
        bad = [v for v in value if isinstance(v, bool) or not isinstance(v, (str, int)) or not str(v).strip()]
        hint = " (quote yes, no, on and off: YAML reads them as true or false)" if any(
            isinstance(v, bool) for v in bad) else ""
        return f": not words: {bad!r}{hint}" if bad else ""
    if shape == "any":
        if isinstance(value, dict):
            return next((f".{k}{p}" for k, v in value.items() if (p := _problem("any", v))), "")
        return _problem("terms", value) if isinstance(value, list) or value is None else ""
    if not isinstance(value, dict) or not value:
        return f": expected a mapping ({shape}), found {type(value).__name__}"
    if shape == "groups":
        return next((f".{k}{p}" for k, v in value.items() if (p := _problem("langs", v))), "")
    unknown = [k for k in value if k not in _LANGUAGES]
    if unknown:
        return f": unknown language {unknown[0]!r} (expected one of {', '.join(_LANGUAGES)})"
    inner = {"langs": _terms, "numbers": _numbers, "labels": _labels, "ranges": _ranges}[shape]
    return next((f".{k}{p}" for k, v in value.items() if (p := inner(v))), "")


def _terms(value: Any) -> str:
    return _problem("terms", value)


def _numbers(value: Any) -> str:
    if not isinstance(value, dict):
        return ": expected {word: number}"
    return next((f".{k}: {v!r} is no whole number" for k, v in value.items()
                 if isinstance(v, bool) or not isinstance(v, int)), "")


def _labels(value: Any) -> str:
    if not isinstance(value, dict):
        return ": expected {word: text}"
    return next((f".{k}: {v!r} is no text" for k, v in value.items() if not isinstance(v, str)), "")


def _ranges(value: Any) -> str:
    if not isinstance(value, dict):
        return ": expected {phrase: [count, low, high]}"
    return next((f".{k}: expected [count or null, low, high], found {v!r}" for k, v in value.items()
                 if not (isinstance(v, list) and len(v) == 3
                         and all(x is None or isinstance(x, int) and not isinstance(x, bool) for x in v))), "")
