"""The Streamlit app run headless with AppTest: pages, filters, URL state, empty state."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def app(**params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def metric(at: AppTest, label: str) -> int:
    return int(next(m for m in at.metric if m.label == label).value.replace(",", ""))


def test_overview_runs_without_exception():
    at = app()
    assert not at.exception
    assert metric(at, "Refusal incidents") > 0 and metric(at, "Prosecution incidents") > 0


def test_methodology_page_runs():
    at = AppTest.from_file(str(ROOT / "dashboard" / "pages" / "methodology.py"), default_timeout=60).run()
    assert not at.exception
    assert any("incident" in m.value for m in at.markdown)


def test_type_filter_changes_counts_and_url():
    at = app()
    total = metric(at, "Desertion incidents")
    at.sidebar.multiselect[0].set_value(["refusal"]).run()
    assert metric(at, "Desertion incidents") == 0 and total > 0
    assert at.query_params["type"] in ("refusal", ["refusal"])


def test_region_filter_from_url_reproduces_a_view():
    at = app(region="RU-BU")
    assert not at.exception
    assert metric(at, "Refusal incidents") == 3 and metric(at, "Prosecution incidents") >= 1
    assert at.sidebar.multiselect[2].value == ["RU-BU"]


def test_text_search_filters():
    at = app()
    at.sidebar.text_input[0].set_value("Kamchatka").run()
    total = sum(metric(at, f"{t} incidents") for t in ("Refusal", "Desertion", "Prosecution"))
    assert 0 < total <= 4


def test_empty_state_is_clear():
    at = app(q="no such words anywhere")
    assert not at.exception
    assert any("No incident matches" in i.value for i in at.info)


@pytest.mark.parametrize("params", [{"type": "nonsense"}, {"from": "not-a-date"}, {"region": "XX-99"}])
def test_bad_url_parameters_are_ignored(params):
    assert not app(**params).exception
