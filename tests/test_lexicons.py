"""Every lexicon file fits its schema; a malformed one fails with its name and the key."""

from __future__ import annotations

import pytest
import yaml

from lexicons import LEXICON_DIR, LexiconError, lexicon, load_lexicon
from lexicons.schema import SCHEMAS


@pytest.mark.parametrize("name", sorted(p.stem for p in LEXICON_DIR.glob("*.yaml")))
def test_shipped_lexicons_fit_their_schema(name):
    assert lexicon(name)


def test_every_schema_names_a_shipped_file():
    assert set(SCHEMAS) <= {p.stem for p in LEXICON_DIR.glob("*.yaml")}


# (file name, YAML text, what the message must name)
MALFORMED = [
    ("roles.yaml", "rank: {en: [private]}\n", ("roles.yaml", "pronoun_group")),
    ("places.yaml", "places: [Kursk = RU-KRS]\nsurroundings: Moscow = RU-MOS\n", ("places.yaml", "surroundings")),
    ("not_places.yaml", "phrases: [The Moscow Times, on]\n", ("not_places.yaml", "phrases", "True")),
    ("boilerplate.yaml", "cut_after: [Support us]\ndrop_lines: [Read more, '']\n", ("boilerplate.yaml", "drop_lines")),
    ("numbers.yaml", "words: {en: {one: 1, two: two}}\nmultipliers: {en: {dozen: 12}}\n"
                     "vague: {en: {dozens: [null, 24, 99]}}\nhedges: {en: [about]}\n",
     ("numbers.yaml", "words.en.two")),
    ("numbers.yaml", "words: {en: {one: 1}}\nmultipliers: {en: {dozen: 12}}\n"
                     "vague: {en: {dozens: [24, 99]}}\nhedges: {en: [about]}\n", ("numbers.yaml", "vague.en.dozens")),
    ("decision.yaml", "side: {ukrainian: {en: [AFU]}, russian: [Russian army]}\nstatistic: {en: [record]}\n"
                      "generic_before: {en: [could]}\ngeneric_words: {en: [who refuse]}\ncivilian: {en: [activist*]}\n"
                      "other_refusals: {ru: [<отказ> в]}\nother_senses: {en: [wanted to]}\n"
                      "nationwide: {en: [nationwide]}\ncivilian_offence: {en: [Article 328]}\nconditional: {en: [if]}\n"
                      "not_background: {en: [law enforcement]}\n",
     ("decision.yaml", "side.russian")),
    ("incidents.yaml", "refusal: {en: [refused to fight], de: [verweigert]}\ndesertion: {en: [deserted]}\n"
                       "prosecution: {charged: {en: [charged]}}\n", ("incidents.yaml", "refusal", "'de'")),
    ("units.yaml", "- a list, not a mapping\n", ("units.yaml", "mapping")),
    ("ru_forms.yaml", "пятеро: [пятерых, {bad: form}]\n", ("ru_forms.yaml", "пятеро")),
]


@pytest.mark.parametrize(("filename", "text", "named"), MALFORMED)
def test_a_malformed_lexicon_fails_with_its_name_and_key(tmp_path, filename, text, named):
    path = tmp_path / filename
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LexiconError) as caught:
        load_lexicon(path)
    assert all(part in str(caught.value) for part in named), str(caught.value)


def _duplicate_keys(node: yaml.Node, path: str = "") -> list[str]:
    """Keys written twice in one mapping: YAML keeps the last silently, so a list added by
    one change would quietly replace another's."""
    if isinstance(node, yaml.MappingNode):
        keys = [k.value for k, _ in node.value]
        found = [f"{path}{k}" for k in sorted({k for k in keys if keys.count(k) > 1})]
        return found + [d for k, v in node.value for d in _duplicate_keys(v, f"{path}{k.value}.")]
    if isinstance(node, yaml.SequenceNode):
        return [d for item in node.value for d in _duplicate_keys(item, path)]
    return []


WORD_FILES = [*LEXICON_DIR.glob("*.yaml"), *LEXICON_DIR.parent.glob("data/regions/*.yaml"),
              *LEXICON_DIR.parent.glob("dashboard/i18n/*.yaml")]


@pytest.mark.parametrize("path", sorted(WORD_FILES), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_word_file_writes_a_key_twice(path):
    assert _duplicate_keys(yaml.compose(path.read_text(encoding="utf-8"))) == []


def test_a_key_written_twice_is_found():
    assert _duplicate_keys(yaml.compose("a:\n  en: [x]\nb: 1\na:\n  ru: [y]\n")) == ["a"]
