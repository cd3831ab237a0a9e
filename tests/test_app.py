"""The Streamlit app run headless with AppTest: pages, filters, URL state, empty state."""

from __future__ import annotations

import shutil
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
    from store.dataset import load

    shipped = [r for r in load(ROOT / "data").incidents if r["region"] == "RU-BU"]
    assert metric(at, "Refusal incidents") == sum(r["type"] == "refusal" for r in shipped) > 0
    assert metric(at, "Prosecution incidents") == sum(r["type"] == "prosecution" for r in shipped) > 0
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


def _expected(predicate) -> dict[str, int]:
    """Incidents per type in the shipped data that satisfy predicate(incident, its sources),
    counted straight from the dataset rather than through dashboard.model."""
    from store.dataset import load

    data = load()
    counts = {"refusal": 0, "desertion": 0, "prosecution": 0}
    for row in data.incidents:
        if predicate(row, [s for s in data.sources if s["incident_id"] == row["incident_id"]]):
            counts[row["type"]] += 1
    return counts


def _shown(at: AppTest) -> dict[str, int]:
    return {t: metric(at, f"{t.capitalize()} incidents") for t in ("refusal", "desertion", "prosecution")}


def test_outlet_filter_counts_only_incidents_that_outlet_reported():
    at = app()
    at.sidebar.multiselect[3].set_value(["Meduza"]).run()
    assert not at.exception
    assert _shown(at) == _expected(lambda row, sources: any(s["outlet"] == "Meduza" for s in sources))
    assert at.query_params["outlet"] in ("Meduza", ["Meduza"])


def test_stage_filter_keeps_only_that_stage():
    at = app()
    at.sidebar.multiselect[1].set_value(["convicted"]).run()
    expected = _expected(lambda row, _: row["stage"] == "convicted")
    assert _shown(at) == expected and expected["prosecution"] > 0


def test_date_range_from_url():
    at = app(**{"from": "2023-01-01", "to": "2023-12-31"})
    assert not at.exception
    assert _shown(at) == _expected(lambda row, _: "2023-01" <= (row["date"] or "")[:7] <= "2023-12")


def test_a_fully_invalid_dataset_shows_a_warning_and_the_empty_state(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    header = (folder / "incidents.csv").read_text(encoding="utf-8").splitlines()[0]
    (folder / "incidents.csv").write_text(header + "\nRM-0001,protest,,,,,,,,,,,x,true\n", encoding="utf-8")
    monkeypatch.setenv("REFUSAL_MONITOR_DATA", str(folder))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
    assert not at.exception
    assert any("set aside" in e.label for e in at.expander)
    assert any("No incident matches" in i.value for i in at.info)


def test_download_zip_holds_the_filtered_rows_the_codebook_and_the_version():
    import io
    import zipfile

    import pandas as pd

    from dashboard.loader import load_frames
    from dashboard.model import Filters, apply_filters, export_zip

    frames = load_frames()
    view = apply_filters(frames.incidents, Filters(types=("desertion",)), frames.sources)
    archive = zipfile.ZipFile(io.BytesIO(export_zip(view, frames.sources, b"file,column\n", frames.version,
                                                   "?type=desertion")))
    rows = pd.read_csv(archive.open("incidents.csv"))
    assert set(rows["type"]) == {"desertion"} and len(rows) == len(view)
    assert rows["source_urls"].str.startswith("http").all()
    assert archive.read("codebook.csv") == b"file,column\n"
    note = archive.read("README.txt").decode()
    assert frames.version in note and "?type=desertion" in note


def test_data_version_is_shown_and_changes_with_the_data(tmp_path, monkeypatch):
    first = app()
    shown = [c.value for c in first.caption if "Data version" in c.value]
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    with open(folder / "sources.csv", "a", encoding="utf-8") as f:
        f.write("RM-0001,https://example.org/again,Example,Again,2025-01-02,en\n")
    monkeypatch.setenv("REFUSAL_MONITOR_DATA", str(folder))
    second = app()
    assert shown and not any(c.value in shown for c in second.caption if "Data version" in c.value)
