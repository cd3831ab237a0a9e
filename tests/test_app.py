"""The Streamlit app run headless with AppTest: pages, filters, URL state, languages, honest
dates, the incident card, bad data folders and hostile data shown as plain text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
TYPES = ("refusal", "desertion", "prosecution")
HOSTILE = "![x](http://evil.example/i.png) **bold** :smile: $x^2$ <img src=http://evil.example/h.png>"


def app(**params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def metric(at: AppTest, label: str) -> int:
    return int(next(m for m in at.metric if m.label == label).value.replace(",", "").replace("\u202f", ""))


def shown(at: AppTest) -> dict[str, int]:
    return {t: metric(at, f"{t.capitalize()}: incidents") for t in TYPES}


def html_of(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def dataset_copy(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    monkeypatch.setenv("REFUSAL_MONITOR_DATA", str(folder))
    return folder


def expected(predicate) -> dict[str, int]:
    """Incidents per type in the shipped data that satisfy predicate(incident, its sources),
    counted straight from the dataset rather than through dashboard.model."""
    from store.dataset import load

    data = load()
    counts = dict.fromkeys(TYPES, 0)
    for row in data.incidents:
        if predicate(row, [s for s in data.sources if s["incident_id"] == row["incident_id"]]):
            counts[row["type"]] += 1
    return counts


def test_overview_runs_and_counts_every_incident_whatever_its_date():
    at = app()
    assert not at.exception
    assert shown(at) == expected(lambda row, _: True)
    assert any("known only by year" in c.value for c in at.caption)


def test_both_languages_have_the_same_keys():
    en, ru = (yaml.safe_load((ROOT / "dashboard" / "i18n" / f"{lang}.yaml").read_text(encoding="utf-8"))
              for lang in ("en", "ru"))
    assert en.keys() == ru.keys()
    for key, value in en.items():
        assert type(value) is type(ru[key]), key
        if isinstance(value, dict) and not set(value) <= {"one", "few", "many", "other"}:
            assert value.keys() == ru[key].keys(), key


def test_russian_interface_from_the_url_and_on_methodology():
    at = app(lang="ru")
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert labels == ["Отказ: случаи", "Дезертирство: случаи", "Преследование: случаи"]
    assert at.multiselect(key="f_types").label == "Тип"
    at.switch_page("dashboard/pages/methodology.py").run()
    assert not at.exception and at.title[0].value == "Методология"


def test_methodology_page_runs_and_says_review_figures_are_pending(tmp_path, monkeypatch):
    folder = dataset_copy(tmp_path, monkeypatch)
    (folder / "curation_log.csv").unlink()
    at = AppTest.from_file(str(ROOT / "dashboard" / "pages" / "methodology.py"), default_timeout=60).run()
    assert not at.exception
    assert any("rule-based extractor" in m.value for m in at.markdown)
    assert "not in this data folder yet" in html_of(at)


def test_methodology_shows_the_review_logs_acceptance_figures(tmp_path, monkeypatch):
    folder = dataset_copy(tmp_path, monkeypatch)
    (folder / "curation_log.csv").write_text(
        "decided,decision,incident_id\n1,accept,RM-0001\n2,edit,RM-0002\n3,reject,\n4,reject,\n5,add,RM-0003\n"
        "6,none,\n7,retire,RM-0004\n", encoding="utf-8")
    at = AppTest.from_file(str(ROOT / "dashboard" / "pages" / "methodology.py"), default_timeout=60).run()
    assert not at.exception
    text = html_of(at)
    assert "4 proposals reviewed" in text and "Acceptance rate (accepted or corrected): 50%" in text
    assert "added by the curator: 1" in text


def test_type_filter_changes_counts_and_url():
    at = app()
    total = metric(at, "Desertion: incidents")
    at.multiselect(key="f_types").set_value(["refusal"]).run()
    assert metric(at, "Desertion: incidents") == 0 and total > 0
    assert at.query_params["type"] in ("refusal", ["refusal"])


def test_filters_survive_a_visit_to_methodology():
    at = app()
    at.multiselect(key="f_types").set_value(["refusal"]).run()
    at.switch_page("dashboard/pages/methodology.py").run()
    at.switch_page("dashboard/pages/overview.py").run()
    assert not at.exception
    assert metric(at, "Desertion: incidents") == 0 and at.multiselect(key="f_types").value == ["refusal"]


def test_region_filter_from_url_reproduces_a_view():
    at = app(region="RU-BU")
    assert not at.exception
    assert shown(at) == expected(lambda row, _: row["region"] == "RU-BU")
    assert at.multiselect(key="f_regions").value == ["RU-BU"]


def test_places_abroad_can_be_selected():
    at = app(region="AM-SH")
    assert not at.exception and at.multiselect(key="f_regions").value == ["AM-SH"]
    assert sum(shown(at).values()) == sum(expected(lambda row, _: row["region"] == "AM-SH").values()) > 0


def test_text_search_filters():
    at = app()
    at.text_input(key="f_text").set_value("Kamchatka").run()
    assert 0 < sum(shown(at).values()) <= 4


def test_empty_state_is_clear_and_offers_a_reset():
    at = app(q="no such words anywhere")
    assert not at.exception
    assert any("No incident matches" in i.value for i in at.info)
    at.button(key="reset_empty").click().run()
    assert sum(shown(at).values()) == sum(expected(lambda row, _: True).values())


@pytest.mark.parametrize("params", [
    {"type": "nonsense"}, {"from": "not-a-date"}, {"region": "XX-99"}, {"from": "2021-12-01"}, {"to": "2021-06-30"},
    {"from": "1999-01-01", "to": "2100-01-01"}, {"from": "2024-01-01", "to": "2023-01-01"}, {"lang": "xx"},
    {"incident": "RM-9999"}, {"area": "moon"},
])
def test_bad_url_parameters_are_ignored_or_clamped(params):
    at = app(**params)
    assert not at.exception and not at.error


def test_date_range_keeps_imprecise_dates_by_default_and_drops_them_on_request():
    def inside(row, _):
        return "2023-01" <= (row["date"] or "")[:7] <= "2023-12" and len(row["date"]) >= 7

    at = app(**{"from": "2023-01-01", "to": "2023-12-31"})
    assert not at.exception
    kept = expected(lambda row, s: inside(row, s) or row["date"] in ("", "2023"))
    assert shown(at) == kept
    at.checkbox(key="f_imprecise").uncheck().run()
    assert shown(at) == expected(lambda row, s: inside(row, s) or row["date"] == "2023")


def test_outlet_filter_counts_only_incidents_that_outlet_reported():
    at = app()
    at.multiselect(key="f_outlets").set_value(["Meduza"]).run()
    assert not at.exception
    assert shown(at) == expected(lambda row, sources: any(s["outlet"] == "Meduza" for s in sources))


def test_stage_filter_keeps_only_that_stage():
    at = app()
    at.multiselect(key="f_stages").set_value(["convicted"]).run()
    counts = expected(lambda row, _: row["stage"] == "convicted")
    assert shown(at) == counts and counts["prosecution"] > 0


def test_incident_permalink_opens_its_card_with_every_source():
    from store.dataset import load

    data = load()
    iid = next(i["incident_id"] for i in data.incidents
               if sum(s["incident_id"] == i["incident_id"] for s in data.sources) > 1)
    at = app(incident=iid)
    assert not at.exception
    page = html_of(at)
    urls = [s["url"] for s in data.sources if s["incident_id"] == iid]
    assert all(u.replace("&", "&amp;") in page for u in urls)
    assert any(iid in s.value for s in at.subheader)


def test_copies_only_incidents_can_be_left_out():
    at = app()
    assert shown(at) == expected(lambda row, _: True)
    at.checkbox(key="f_no_copies").check().run()
    with_original = expected(lambda _, sources: any(s["source_kind"] != "copy" for s in sources))
    assert not at.exception and shown(at) == with_original != expected(lambda row, _: True)
    assert at.query_params["copies"] in ("0", ["0"])


def test_hostile_problem_text_is_shown_as_plain_text(tmp_path, monkeypatch):
    folder = dataset_copy(tmp_path, monkeypatch)
    with open(folder / "incidents.csv", "a", encoding="utf-8") as f:
        f.write(f'RM-0999,"{HOSTILE}",,,,,,,region,,,,x,true\n')
    at = app()
    assert not at.exception
    assert any("set aside" in e.label for e in at.expander)
    assert any("evil.example" in t.value for t in at.text)
    assert not any("evil.example" in m.value for m in [*at.markdown, *at.caption])


def test_a_fully_invalid_dataset_shows_a_warning_and_the_empty_state(tmp_path, monkeypatch):
    folder = dataset_copy(tmp_path, monkeypatch)
    header = (folder / "incidents.csv").read_text(encoding="utf-8").splitlines()[0]
    (folder / "incidents.csv").write_text(header + "\nRM-0001,protest,,,,,,,,,,,x,true\n", encoding="utf-8")
    at = app()
    assert not at.exception
    assert any("set aside" in e.label for e in at.expander)
    assert any("No incident matches" in i.value for i in at.info)


def _break(folder: Path, how: str) -> None:
    if how == "empty incidents":
        (folder / "incidents.csv").write_bytes(b"")
    elif how == "malformed codebook":
        (folder / "codebook.csv").write_text("file,column\nx\n", encoding="utf-8")
    elif how == "missing codebook":
        (folder / "codebook.csv").unlink()
    elif how == "CR-only line endings":
        for name in ("incidents.csv", "sources.csv"):
            path = folder / name
            path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r"))
    elif how == "missing sources":
        (folder / "sources.csv").unlink()


@pytest.mark.parametrize("how", ["empty incidents", "malformed codebook", "missing codebook", "CR-only line endings",
                                 "missing sources"])
@pytest.mark.parametrize("page", ["streamlit_app.py", "dashboard/pages/methodology.py"])
def test_a_bad_data_folder_gives_a_clear_message_not_a_traceback(tmp_path, monkeypatch, how, page):
    folder = dataset_copy(tmp_path, monkeypatch)
    _break(folder, how)
    at = AppTest.from_file(str(ROOT / page), default_timeout=60).run()
    assert not at.exception
    if how == "CR-only line endings":  # the store reads old Mac line ends: the page just works
        assert not at.error
    elif how != "missing codebook":
        messages = html_of(at)
        assert at.error and str(tmp_path) not in messages
        assert any(name in messages for name in ("incidents.csv", "sources.csv", "codebook.csv"))


def test_exports_follow_the_codebook_with_integer_counts_sources_and_totals():
    import io
    import json
    import zipfile

    import pandas as pd

    from dashboard.exports import export_zip, view_link
    from dashboard.loader import codebook_files, load_frames
    from dashboard.model import INCIDENT_COLUMNS, SOURCE_COLUMNS, Filters, apply_filters

    frames = load_frames()
    view = apply_filters(frames.incidents, Filters(types=("desertion",)), frames.sources)
    link = view_link("http://127.0.0.1:8501/?x=1", {"type": ["desertion"]})
    archive = zipfile.ZipFile(io.BytesIO(export_zip(view, frames.sources, codebook_files(), frames.version, link)))
    raw = archive.read("incidents.csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(rows.columns) == INCIDENT_COLUMNS and set(rows["type"]) == {"desertion"} and len(rows) == len(view)
    assert not rows["count"].str.contains(r"\.").any() and rows["count"].str.fullmatch(r"\d*").all()
    sources = pd.read_csv(archive.open("sources.csv"), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(sources.columns) == SOURCE_COLUMNS and set(sources["incident_id"]) == set(view["incident_id"])
    totals = json.loads(archive.read("region_totals.json"))
    assert totals["view"] == "http://127.0.0.1:8501/?type=desertion"
    assert sum(r["incidents"] for r in totals["regions"]) + totals["incidents_without_region"] == len(view)
    assert all(isinstance(r["people"], int) for r in totals["regions"])
    assert archive.read("codebook.csv") == (ROOT / "data" / "codebook.csv").read_bytes()
    assert link in archive.read("README.txt").decode()


def test_data_version_is_shown_and_changes_with_the_data(tmp_path, monkeypatch):
    def versions(at):
        return [h.proto.body for h in at.get("html") if "Data version" in h.proto.body]

    first = versions(app())
    folder = dataset_copy(tmp_path, monkeypatch)
    with open(folder / "sources.csv", "a", encoding="utf-8") as f:
        f.write("RM-0001,https://example.org/again,Example,Again,2026-11-21,en,original\n")
    second = versions(app())
    assert first and second and first != second and "2026-11-21" in second[0]


def test_the_table_is_drawn_only_in_its_tab_with_plain_text_labels():
    """The grid is the costliest element to draw, so it waits for its tab; there it shows an
    empty category as "None", so its label columns are plain text with "" where no stage."""
    at = app()
    assert not at.dataframe
    at.session_state["cases_tab"] = "Every incident, as a table"
    table = at.run().dataframe[0].value
    for column in ("type_label", "stage_label"):
        assert not isinstance(table[column].dtype, pd.CategoricalDtype)
        assert table[column].notna().all()
    assert (table["stage_label"] == "").any() and (table["stage_label"] != "").any()
