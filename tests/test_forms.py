"""Russian by dictionary form: the committed forms table is what pymorphy3 gives for the
lexicons' slots, and a slot matches the forms the text uses."""

from __future__ import annotations

import importlib.util

import pytest

from lexicons import lexicon
from lexicons.forms import FORMS_FILE, build, expand_phrase, lemmas, render

HAS_PYMORPHY = importlib.util.find_spec("pymorphy3") is not None


@pytest.mark.skipif(not HAS_PYMORPHY, reason="pymorphy3 is not installed (pip install -e '.[forms]'): the forms "
                                             "table cannot be regenerated to compare")
def test_regenerating_the_forms_reproduces_the_committed_table():
    assert render(build(lemmas())) == FORMS_FILE.read_text(encoding="utf-8"), \
        "lexicons/ru_forms.yaml is stale: run `python -m lexicons.forms`"


def test_every_slot_of_the_lexicons_is_in_the_table():
    table = lexicon("ru_forms")
    assert [s for s in lemmas() if s not in table] == []


@pytest.mark.parametrize(("phrase", "form"), [
    ("<отказаться>", "отказавшихся"),
    ("<отказаться>", "откажутся"),
    ("<мотострелок>", "мотострелков"),
    ("<военнослужащий:sing>", "военнослужащему"),
    ("<мобилизованный>", "мобилизованных"),
    ("<самоволка>", "самоволку"),
    ("<покинуть:past> часть", "покинули часть"),
    ("<сбежать:past>", "сбежавших"),
    ("<он>", "него"),
    ("<лётчик>", "летчика"),
])
def test_a_slot_matches_every_form(phrase, form):
    assert form in expand_phrase(phrase)


@pytest.mark.parametrize(("phrase", "form"), [
    ("<военнослужащий:sing>", "военнослужащих"),
    ("<отказаться>", "отказал"),
    ("<российский:plur>", "российский"),
    ("<сбежать:past>", "сбежит"),
])
def test_a_slot_matches_no_other_word(phrase, form):
    assert form not in expand_phrase(phrase)
