"""The shipped dataset agrees with its codebook, and writes to it cannot lose data."""

from __future__ import annotations

import csv
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from curation.writer import add_source_or_incident
from store.dataset import DatasetError, load, load_tables, read_book, read_files, validate

DATA = Path(__file__).resolve().parents[1] / "data"


def test_shipped_dataset_is_valid():
    data = load(DATA)
    assert data.problems == []
    assert len(data.incidents) >= 60
    ids = [r["incident_id"] for r in data.incidents]
    assert len(ids) == len(set(ids))


def test_codebook_covers_every_column_and_nothing_else():
    book = read_book(DATA)
    for name in ("incidents.csv", "sources.csv"):
        with open(DATA / name, encoding="utf-8") as f:
            header = next(csv.reader(f))
        assert header == book.names(name)
        assert all(c.meaning.strip() and c.label_en and c.label_ru for c in book.table(name))


def test_same_incident_reported_twice_is_one_incident_with_two_sources():
    data = load(DATA)
    by_incident: dict[str, int] = {}
    for s in data.sources:
        by_incident[s["incident_id"]] = by_incident.get(s["incident_id"], 0) + 1
    assert sum(1 for n in by_incident.values() if n > 1) >= 4


def test_no_copied_article_text():
    for row in load(DATA).incidents:
        assert len(row["summary"]) < 400 and "“" not in row["summary"]


def flat_copy(tmp_path: Path) -> Path:
    """The shipped dataset and its codebook copied into tmp_path itself."""
    for name in ("incidents.csv", "sources.csv", "codebook.csv", "codebook_values.csv"):
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path


@pytest.fixture
def folder(tmp_path):
    return flat_copy(tmp_path)


NEW = {"type": "desertion", "stage": "", "count": "3", "count_low": "3", "count_high": "3", "region": "RU-TUL",
       "place": "Tula", "place_precision": "city", "date": "2024-05", "date_precision": "month", "unit": "",
       "summary": "Three servicemen left their unit — Tula Oblast.", "reviewed": "true"}
SOURCE = {"url": "https://example.org/report", "outlet": "Example", "title": "T", "published": "2024-05-02",
          "language": "en"}


def test_adding_an_incident_and_merging_a_further_source(folder):
    before = load(folder)
    iid = add_source_or_incident(NEW, SOURCE, folder, before.fingerprint)
    again = add_source_or_incident(None, {**SOURCE, "url": "https://example.org/2", "incident_id": iid}, folder)
    after = load(folder)
    assert again == iid and after.problems == []
    assert len(after.incidents) == len(before.incidents) + 1
    assert [s["url"] for s in after.sources if s["incident_id"] == iid] == [SOURCE["url"], "https://example.org/2"]


def test_refuses_when_files_changed_underneath(folder):
    stale = load(folder).fingerprint
    add_source_or_incident(NEW, SOURCE, folder)
    with pytest.raises(DatasetError, match="changed since you loaded"):
        add_source_or_incident(NEW, SOURCE, folder, stale)


def test_refuses_an_invalid_row_and_leaves_files_alone(folder):
    before = (folder / "incidents.csv").read_bytes()
    with pytest.raises(DatasetError, match="count"):
        add_source_or_incident({**NEW, "count": "9"}, SOURCE, folder)
    with pytest.raises(DatasetError, match="url"):
        add_source_or_incident(NEW, {**SOURCE, "url": "javascript:alert(1)"}, folder)
    assert (folder / "incidents.csv").read_bytes() == before


WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from curation import writer
    from store import dataset
    folder = Path(sys.argv[1])
    rows = [dict(r) for r in dataset.load(folder).incidents]
    def slow_rows():
        for i in range(10**7):
            if i == 10:
                print("writing", flush=True)
            time.sleep(0.001)
            yield rows[i % len(rows)]
    columns = list(rows[0])
    writer.write_atomic(folder / "incidents.csv", slow_rows(), columns)
""")


def test_a_writer_killed_mid_write_leaves_the_old_file_intact(folder):
    before = (folder / "incidents.csv").read_bytes()
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(folder)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writing"
    time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert (folder / "incidents.csv").read_bytes() == before
    assert load(folder).problems == []


CONCURRENT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from curation.writer import add_source_or_incident
    new = {"type": "refusal", "stage": "", "count": "", "count_low": "", "count_high": "", "region": "",
           "place": "", "place_precision": "unknown", "date": "", "date_precision": "", "unit": "",
           "summary": "Concurrent test " + sys.argv[2], "reviewed": "false"}
    for i in range(5):
        add_source_or_incident(new, {"url": "https://example.org/" + sys.argv[2] + str(i), "outlet": "",
                                     "title": "", "published": "", "language": ""}, Path(sys.argv[1]))
""")


def test_two_curators_writing_at_once_lose_nothing(folder):
    start = len(load(folder).incidents)
    procs = [subprocess.Popen([sys.executable, "-c", CONCURRENT, str(folder), tag]) for tag in "ab"]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    data = load(folder)
    assert data.problems == []
    assert len(data.incidents) == start + 10
    assert len({r["incident_id"] for r in data.incidents}) == start + 10


def _incident_rows(folder):
    with open(folder / "incidents.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize(("column", "value", "message"), [
    ("count", "-2", "whole number"),
    ("count_low", "99", "count_low <= count"),
    ("region", "RU-XXX", "not a code"),
    ("date", "2023-13", "not a date"),
    ("type", "protest", "not one of refusal|desertion|prosecution"),
    ("stage", "convicted", "only a prosecution has a stage"),
    ("place_precision", "street", "not one of exact|city"),
    ("reviewed", "maybe", "true or false"),
])
def test_malformed_rows_are_named_by_file_line_and_field(folder, column, value, message):
    rows = _incident_rows(folder)
    row = next(r for r in rows if r["type"] != "prosecution" and r["count"])
    row[column] = value
    line = rows.index(row) + 2
    problems = validate(rows, load(folder).sources, read_book(folder))
    assert any(p.file == "incidents.csv" and p.line == line and message in p.message for p in problems), problems


def test_bad_rows_are_set_aside_not_dropped(folder):
    rows = _incident_rows(folder)
    rows[0]["region"] = "RU-XXX"
    from curation.writer import write_atomic

    write_atomic(folder / "incidents.csv", rows, list(rows[0]))
    data = load(folder)
    assert [r["incident_id"] for r in data.bad_incidents] == [rows[0]["incident_id"]]
    assert len(data.incidents) + len(data.bad_incidents) == len(rows)
    assert str(data.problems[0]).startswith("incidents.csv:2: region:")


def test_missing_files_give_clear_errors(folder):
    (folder / "sources.csv").unlink()
    with pytest.raises(DatasetError, match="sources.csv: cannot be read"):
        load(folder)


def test_data_folder_from_environment(folder, monkeypatch):
    monkeypatch.setenv("REFUSAL_MONITOR_DATA", str(folder))
    from refusal_monitor.settings import data_dir

    assert data_dir() == folder


@pytest.mark.parametrize("edit", ["drop the last field", "add a field"])
def test_a_row_with_the_wrong_number_of_fields_is_named_and_set_aside(folder, edit):
    lines = (folder / "incidents.csv").read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].rsplit(",", 1)[0] if edit == "drop the last field" else lines[3] + ",extra"
    (folder / "incidents.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = load(folder)
    assert any(p.line == 4 and p.field == "row" and "fields, the header has 14" in p.message for p in data.problems)
    assert len(data.bad_incidents) == 1 and len(data.incidents) + 1 == len(lines) - 1



def test_quoted_newlines_commas_and_a_byte_order_mark_survive_the_fast_reader(folder):
    rows = _incident_rows(folder)
    rows[0]["summary"] = 'Two lines, "quoted",\nand a comma'
    from curation.writer import write_atomic

    write_atomic(folder / "incidents.csv", rows, list(rows[0]))
    path = folder / "incidents.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    data = load(folder)
    assert data.problems == []
    assert data.incidents[0]["summary"] == 'Two lines, "quoted",\nand a comma'
    assert [r["incident_id"] for r in data.incidents] == [r["incident_id"] for r in rows]


def test_the_same_rows_give_the_same_problems_as_dicts_and_as_files(folder):
    rows = _incident_rows(folder)
    rows[1].update(region="RU-XXX", count="0", count_low="1", count_high="1", date="2023-02-30x")
    rows[2]["incident_id"] = rows[1]["incident_id"]
    from curation.writer import write_atomic

    write_atomic(folder / "incidents.csv", rows, list(rows[0]))
    files = read_files(folder)
    from_files = files.problems
    assert from_files == validate(rows, files.sources.to_dict("records"), read_book(folder))
    assert [(p.line, p.field) for p in from_files if p.file == "incidents.csv" and p.line in (3, 4)] == [
        (3, "count"), (3, "count"), (3, "region"), (3, "date"), (3, "date_precision"), (4, "incident_id")]


def test_an_empty_incidents_file_is_named_and_orphans_its_sources(folder):
    (folder / "incidents.csv").write_bytes(b"")
    data = load(folder)
    assert data.incidents == [] and data.bad_incidents == [] and load_tables(folder).sources.empty
    assert str(data.problems[0]) == "incidents.csv:1: file: is empty: not even a header line; read as no rows"
    assert all(p.file == "sources.csv" and "is not an incident" in p.message for p in data.problems[1:])
    assert data.bad_sources == data.sources and len(data.sources) == len(data.problems) - 1
    assert validate([], [], read_book(folder)) == []
