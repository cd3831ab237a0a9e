"""The shipped dataset agrees with its codebook, and writes to it cannot lose data."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import signal
import stat
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


@pytest.fixture
def folder(tmp_path):
    for name in ("incidents.csv", "sources.csv", "codebook.csv", "codebook_values.csv"):
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path


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


# Issue 13, item 1: a lone carriage return in a field.

def test_a_lone_carriage_return_is_quoted_and_read_back_whole(folder):
    iid = add_source_or_incident({**NEW, "unit": "2nd\rbattalion"}, {**SOURCE, "title": "Old Mac\rtitle"}, folder)
    assert b'"2nd\rbattalion"' in (folder / "incidents.csv").read_bytes()
    assert b'"Old Mac\rtitle"' in (folder / "sources.csv").read_bytes()
    data = load(folder)
    assert data.problems == []
    assert next(r for r in data.incidents if r["incident_id"] == iid)["unit"] == "2nd\rbattalion"
    assert add_source_or_incident(None, {**SOURCE, "url": "https://example.org/2", "incident_id": iid}, folder) == iid


def test_a_file_the_old_writer_left_with_an_unquoted_carriage_return_still_loads(folder):
    rows = _incident_rows(folder)
    rows[3]["unit"] = "2nd\rbattalion"
    with open(folder / "incidents.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    assert b",2nd\rbattalion," in (folder / "incidents.csv").read_bytes()
    data = load(folder)
    assert data.problems == [] and len(data.incidents) == len(rows)
    assert data.incidents[3]["unit"] == "2nd\rbattalion"


# Issue 13, item 4: a header that differs from the codebook.

def _edit_header(path: Path, change: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    names = lines[0].rstrip("\n").split(",")
    if change == "extra":
        names.append("note")
        lines = [lines[0]] + [line.rstrip("\n") + ",x\n" for line in lines[1:]]
    elif change == "missing":
        names, lines = names[:-1], [lines[0]] + [line.rstrip("\n").rsplit(",", 1)[0] + "\n" for line in lines[1:]]
    elif change == "renamed":
        names[-1] = names[-1] + "_renamed"
    else:
        names[1], names[2] = names[2], names[1]
    lines[0] = ",".join(names) + "\n"
    path.write_text("".join(lines), encoding="utf-8")


@pytest.mark.parametrize("name", ["incidents.csv", "sources.csv"])
@pytest.mark.parametrize("change", ["extra", "missing", "renamed", "reordered"])
def test_a_header_that_differs_from_the_codebook_trusts_no_row(folder, name, change):
    rows = _incident_rows(folder)
    rows[0].update(count="500", count_low="500", count_high="500")
    from curation.writer import write_atomic

    write_atomic(folder / "incidents.csv", rows, list(rows[0]))
    incidents = (folder / "incidents.csv").read_text(encoding="utf-8").replace(",500,500,500,", ",-500,-500,-500,", 1)
    (folder / "incidents.csv").write_text(incidents, encoding="utf-8")
    _edit_header(folder / name, change)
    tables = load_tables(folder)
    (problem,) = tables.problems
    assert (problem.file, problem.line, problem.field) == (name, 1, "header")
    assert "differs from the codebook" in problem.message and "no row" in problem.message
    assert not tables.trusted and tables.incidents.empty and tables.sources.empty
    assert len(tables.bad_incidents) == len(rows)
    before = {n: (folder / n).read_bytes() for n in ("incidents.csv", "sources.csv")}
    with pytest.raises(DatasetError, match=f"nothing was written: {name}:1: header"):
        add_source_or_incident(NEW, SOURCE, folder)
    assert {n: (folder / n).read_bytes() for n in before} == before


# Issue 13, item 5: bad data folders say what is wrong, at the store level.

def _crlf_to_cr(folder: Path) -> None:
    for name in ("incidents.csv", "sources.csv"):
        path = folder / name
        path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r"))


def test_cr_only_line_endings_are_read_as_lines(folder):
    before = load(folder)
    _crlf_to_cr(folder)
    assert b"\n" not in (folder / "incidents.csv").read_bytes()
    after = load(folder)
    assert after.problems == [] and after.incidents == before.incidents and after.sources == before.sources


def test_one_bad_byte_sets_aside_only_its_row(folder):
    lines = (folder / "incidents.csv").read_bytes().split(b"\n")
    row = next(csv.reader([lines[4].decode("utf-8")]))
    row[row.index(next(c for c in row if len(c) > 40))] += " ZZZ"
    text = io.StringIO()
    csv.writer(text, lineterminator="").writerow(row)
    lines[4] = text.getvalue().encode("utf-8").replace(b"ZZZ", b"Z\xffZ")
    (folder / "incidents.csv").write_bytes(b"\n".join(lines))
    data = load(folder)
    assert [str(p) for p in data.problems] == ["incidents.csv:5: row: holds bytes that are not UTF-8 text (0xFF)"]
    assert len(data.bad_incidents) == 1 and "Z\ufffdZ" in data.bad_incidents[0]["summary"]
    assert len(data.incidents) == len(lines) - 3
    with pytest.raises(DatasetError, match="nothing was written: incidents.csv:5: row: holds bytes"):
        add_source_or_incident(NEW, SOURCE, folder)


def test_a_bad_byte_in_a_source_sets_aside_that_source(folder):
    lines = (folder / "sources.csv").read_bytes().split(b"\n")
    fields = lines[1].split(b",")
    lines[1] = b",".join([*fields[:2], b"\xc3\x28" + fields[2], *fields[3:]])
    (folder / "sources.csv").write_bytes(b"\n".join(lines))
    data = load(folder)
    assert str(data.problems[0]) == "sources.csv:2: row: holds bytes that are not UTF-8 text (0xC3)"
    orphan = fields[0].decode()  # the shipped data gives this incident one source only
    assert sum(line.startswith(fields[0] + b",") for line in lines) == 1
    assert [s["incident_id"] for s in data.bad_sources] == [orphan]
    assert orphan in [r["incident_id"] for r in data.bad_incidents]
    assert "has no valid source" in str(data.problems[-1])
    tables = load_tables(folder)
    assert orphan not in set(tables.sources["incident_id"]) | set(tables.incidents["incident_id"])
    assert len(data.sources) == len(tables.sources) + 1, "load() keeps every source row for tools that rewrite"


def test_a_data_file_saved_as_utf16_is_read(folder):
    before = load(folder)
    path = folder / "incidents.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    assert load(folder).incidents == before.incidents


def _drop_line(starting: bytes):
    return lambda p: p.write_bytes(b"\n".join(x for x in p.read_bytes().split(b"\n") if not x.startswith(starting)))


def _swap(old: bytes, new: bytes):
    return lambda p: p.write_bytes(p.read_bytes().replace(old, new))


CODEBOOK_DAMAGE = {
    "empty": (lambda p: p.write_bytes(b""), "codebook.csv: line 1: the header must be"),
    "cut inside a quote": (lambda p: p.write_bytes(p.read_bytes()[:700] + b'"never closed'), "codebook.csv: line"),
    "short row": (lambda p: p.write_bytes(p.read_bytes() + b"incidents.csv,extra\n"), "has 2 fields, the header has 8"),
    "binary": (lambda p: p.write_bytes(b"\x00\xff" * 50), "codebook.csv: is not UTF-8"),
    "rule column missing": (_drop_line(b"incidents.csv,incident_id,"),
                            "incidents.csv must have the columns incident_id (string)"),
    "rule column of another kind": (_swap(b"incidents.csv,count,integer", b"incidents.csv,count,string"),
                                    "count (integer)"),
    "column listed twice": (lambda p: p.write_bytes(p.read_bytes() + p.read_bytes().split(b"\n")[3] + b"\n"),
                            "more than once"),
    "values file missing": (lambda p: (p.parent / "codebook_values.csv").unlink(),
                            "codebook_values.csv: cannot be read"),
}


@pytest.mark.parametrize("damage", CODEBOOK_DAMAGE)
def test_a_malformed_codebook_is_one_clear_error(folder, damage):
    spoil, message = CODEBOOK_DAMAGE[damage]
    spoil(folder / "codebook.csv")
    with pytest.raises(DatasetError, match=re.escape(message)) as caught:
        load_tables(folder)
    assert "\n" not in str(caught.value)


def test_without_its_own_codebook_a_folder_is_checked_against_the_shipped_one(folder):
    (folder / "codebook.csv").unlink()
    assert load(folder).problems == []


# Issue 13, item 12: the smaller ones.

@pytest.mark.parametrize("mode", [0o644, 0o664])
def test_a_write_keeps_each_files_mode_whatever_the_umask(folder, mode):
    for name in ("incidents.csv", "sources.csv"):
        (folder / name).chmod(mode)
    old = os.umask(0o077)
    try:
        add_source_or_incident(NEW, SOURCE, folder)
    finally:
        os.umask(old)
    assert [stat.S_IMODE((folder / n).stat().st_mode) for n in ("incidents.csv", "sources.csv")] == [mode, mode]


def test_a_ragged_row_is_not_rewritten_away(folder):
    path = folder / "incidents.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] += ",an extra field"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(DatasetError, match="nothing was written: incidents.csv:4: row: has 15 fields") as caught:
        add_source_or_incident(NEW, SOURCE, folder)
    assert "mend them by hand" in str(caught.value)
    assert path.read_bytes() == before and "an extra field" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("empty", ["header only", "zero bytes", "no files"])
def test_the_first_row_goes_into_an_empty_dataset(folder, empty):
    for name in ("incidents.csv", "sources.csv"):
        path = folder / name
        if empty == "header only":
            path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
        elif empty == "zero bytes":
            path.write_bytes(b"")
        else:
            path.unlink()
    assert add_source_or_incident(NEW, SOURCE, folder) == "RM-0001"
    data = load(folder)
    assert data.problems == [] and [r["incident_id"] for r in data.incidents] == ["RM-0001"]
    assert [s["url"] for s in data.sources] == [SOURCE["url"]]


@pytest.mark.parametrize("count", ["1000001", "100000000000000000000000", "1e23", "9" * 400])
def test_counts_have_an_upper_bound(folder, count):
    with pytest.raises(DatasetError, match=r"count: .* is not a whole number from 1 to 1,000,000"):
        add_source_or_incident({**NEW, "count": count, "count_low": count, "count_high": count}, SOURCE, folder)


def test_the_codebook_can_state_the_bounds_of_a_count(folder):
    path = folder / "codebook.csv"
    path.write_bytes(path.read_bytes().replace(b"count,integer,no,>=1,", b"count,integer,no,1..50,"))
    with pytest.raises(DatasetError, match="'51' is not a whole number from 1 to 50"):
        add_source_or_incident({**NEW, "count": "51", "count_low": "51", "count_high": "51"}, SOURCE, folder)


def test_rewriting_the_shipped_files_changes_no_byte(folder):
    from curation.writer import write_atomic, write_dataset

    files = read_files(folder)
    before = {n: (folder / n).read_bytes() for n in ("incidents.csv", "sources.csv")}
    write_dataset(files.incidents.to_dict("records"), files.sources.to_dict("records"), folder, files.fingerprint)
    assert {n: (folder / n).read_bytes() for n in before} == before
    write_atomic(folder / "incidents.csv", files.incidents.to_dict("records"), list(files.incidents.columns))
    assert (folder / "incidents.csv").read_bytes() == before["incidents.csv"]
    assert read_files(folder).fingerprint == files.fingerprint


def test_a_batch_write_refuses_a_stale_fingerprint_and_an_unknown_column(folder):
    from curation.writer import StaleDataset, write_dataset

    files = read_files(folder)
    incidents, sources = files.incidents.to_dict("records"), files.sources.to_dict("records")
    with pytest.raises(DatasetError, match="the codebook has no column note"):
        write_dataset([{**incidents[0], "note": "x"}, *incidents[1:]], sources, folder)
    add_source_or_incident(NEW, SOURCE, folder)
    with pytest.raises(StaleDataset, match="changed since you loaded it"):
        write_dataset(incidents, sources, folder, files.fingerprint)


def test_a_text_file_is_replaced_whole_with_its_mode(tmp_path):
    from curation.writer import write_text_atomic

    path = tmp_path / "batch.json"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o640)
    write_text_atomic(path, '{"new": "\\u0436"}\n')
    assert path.read_text(encoding="utf-8") == '{"new": "\\u0436"}\n'
    assert stat.S_IMODE(path.stat().st_mode) == 0o640 and [p.name for p in tmp_path.iterdir()] == ["batch.json"]
