"""The store and the writer under faults and damaged files (issue 13): every case reproduced
with real files and processes, then read or refused with a message, never a traceback."""

from __future__ import annotations

import csv
import io
import os
import re
import stat
from pathlib import Path

import pytest

from curation.writer import add_source_or_incident
from store.dataset import DatasetError, load, load_tables, read_files
from tests.test_dataset import NEW, SOURCE, _incident_rows, flat_copy


@pytest.fixture
def folder(tmp_path):
    return flat_copy(tmp_path)

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
