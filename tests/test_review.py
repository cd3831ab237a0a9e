"""The curation workflow: proposals shown with their evidence, duplicates flagged, and only
what a person accepts written, validated, into the dataset."""

from __future__ import annotations

import csv
import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from curation.review import likely_duplicates
from store.dataset import load
from tests.conftest import write_article as article

ROOT = Path(__file__).resolve().parents[1]

# Written for these tests.
FIRST = "Eight soldiers from Buryatia refused to fight in Ukraine on Monday, their relatives said.\n"
SECOND = "Relatives say eight servicemen from Buryatia refused to fight near Bakhmut last week.\n"






def review(folder, *inputs, answers=""):
    return subprocess.run([sys.executable, "-m", "refusal_monitor", "review", *inputs, "--data", str(folder)],
                          input=answers, capture_output=True, text=True, cwd=ROOT, timeout=120)


def rows(folder, name):
    with open(folder / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_accepting_adds_a_reviewed_incident_and_its_source(folder, tmp_path):
    before = len(rows(folder, "incidents.csv"))
    result = review(folder, article(tmp_path, "a", FIRST, "https://example.org/a"), answers="a\n")
    assert result.returncode == 0, result.stderr
    assert "»refused to fight«" in result.stdout and "»Buryatia«" in result.stdout
    new = rows(folder, "incidents.csv")[-1]
    assert len(rows(folder, "incidents.csv")) == before + 1
    assert (new["type"], new["count"], new["region"], new["date"], new["reviewed"]) == \
        ("refusal", "8", "RU-BU", "2024-03-04", "true")
    assert rows(folder, "sources.csv")[-1] == {"incident_id": new["incident_id"], "url": "https://example.org/a",
                                                "outlet": "Example", "title": "a", "published": "2024-03-06",
                                                "language": "en", "source_kind": ""}
    assert load(folder).problems == []
    assert "1 added" in result.stdout


def test_a_second_report_is_flagged_and_merged_as_a_source(folder, tmp_path):
    review(folder, article(tmp_path, "a", FIRST, "https://example.org/a"), answers="a\n")
    iid = rows(folder, "incidents.csv")[-1]["incident_id"]
    count = len(rows(folder, "incidents.csv"))
    result = review(folder, article(tmp_path, "b", SECOND, "https://example.org/b", "2024-03-12"), answers="m\n")
    assert f"possible duplicate of {iid}: same type, region and count" in result.stdout
    assert f"added a source to {iid}" in result.stdout
    assert len(rows(folder, "incidents.csv")) == count
    assert [s["url"] for s in rows(folder, "sources.csv") if s["incident_id"] == iid] == \
        ["https://example.org/a", "https://example.org/b"]


def test_accepting_a_likely_duplicate_asks_first(folder, tmp_path):
    first = article(tmp_path, "a", FIRST, "https://example.org/a")
    review(folder, first, answers="a\n")
    count = len(rows(folder, "incidents.csv"))
    result = review(folder, first, "--again", answers="a\nn\nr\n")
    assert "this URL is already a source" in result.stdout and "add it as a new incident anyway" in result.stdout
    assert len(rows(folder, "incidents.csv")) == count and "1 rejected" in result.stdout


def test_merging_the_same_url_twice_is_refused(folder, tmp_path):
    first = article(tmp_path, "a", FIRST, "https://example.org/a")
    review(folder, first, answers="a\n")
    iid = rows(folder, "incidents.csv")[-1]["incident_id"]
    sources = (folder / "sources.csv").read_bytes()
    result = review(folder, first, "--again", answers=f"m {iid}\nr\n")
    assert "not written" in result.stdout and "already a source" in result.stdout
    assert (folder / "sources.csv").read_bytes() == sources


def test_editing_changes_what_is_written(folder, tmp_path):
    edits = ["e", "", "", "9", "", "", "RU-ZAB", "Chita", "2024-03", "", "Nine men refused to deploy.", "a"]
    review(folder, article(tmp_path, "a", FIRST, "https://example.org/a"), answers="\n".join(edits) + "\n")
    new = rows(folder, "incidents.csv")[-1]
    assert (new["count"], new["count_low"], new["count_high"], new["region"], new["place"]) == \
        ("9", "9", "9", "RU-ZAB", "Chita")
    assert (new["date"], new["date_precision"], new["summary"]) == ("2024-03", "month", "Nine men refused to deploy.")


def test_an_invalid_edit_is_refused_and_nothing_is_written(folder, tmp_path):
    before = {n: (folder / n).read_bytes() for n in ("incidents.csv", "sources.csv")}
    edits = ["e", "protest", "", "", "", "", "", "", "", "", "", "a", "r"]
    result = review(folder, article(tmp_path, "a", FIRST, "https://example.org/a"), answers="\n".join(edits) + "\n")
    assert "not written: incidents.csv:" in result.stdout and "type" in result.stdout
    assert {n: (folder / n).read_bytes() for n in before} == before
    assert "Traceback" not in result.stderr


def test_rejecting_and_quitting_leave_the_files_alone(folder, tmp_path):
    before = {n: (folder / n).read_bytes() for n in ("incidents.csv", "sources.csv")}
    two = "Eight soldiers from Buryatia refused to fight on Monday. Three men deserted from a unit in Tula."
    for answers in ("r\nr\n", "q\n", ""):
        result = review(folder, article(tmp_path, "a", two, "https://example.org/a"), answers=answers)
        assert result.returncode == 0 and "Traceback" not in result.stderr
    assert {n: (folder / n).read_bytes() for n in before} == before


def test_a_bad_input_is_named_and_the_others_still_reviewed(folder, tmp_path):
    result = review(folder, str(tmp_path / "missing.txt"), article(tmp_path, "a", FIRST, "https://example.org/a"),
                    answers="a\n")
    assert result.returncode == 1
    assert "missing.txt" in result.stderr and "Traceback" not in result.stderr
    assert rows(folder, "incidents.csv")[-1]["region"] == "RU-BU"


def test_an_unreadable_dataset_is_reported(tmp_path):
    result = review(tmp_path / "nowhere", article(tmp_path, "a", FIRST, "https://example.org/a"))
    assert result.returncode == 2 and "error:" in result.stderr and "Traceback" not in result.stderr


EXISTING = [{"incident_id": "RM-0001", "type": "desertion", "region": "RU-TUL", "count_low": "3", "count_high": "3",
             "date": "2024-05-10", "date_precision": "day", "summary": "Three men left a unit in Tula."},
            {"incident_id": "RM-0002", "type": "desertion", "region": "RU-TUL", "count_low": "", "count_high": "",
             "date": "2024-05", "date_precision": "month", "summary": "Soldiers left a unit in Tula."}]
SOURCES = [{"incident_id": "RM-0001", "url": "https://example.org/tula"}]


def proposal(**changes):
    row = {"type": "desertion", "region": "RU-TUL", "count_low": "3", "count_high": "3", "date": "2024-05-20",
           "date_precision": "day"}
    return {**row, **changes}


@pytest.mark.parametrize(("row", "url", "expected"), [
    (proposal(), "", ["RM-0001"]),
    (proposal(date="2024-06-05"), "", ["RM-0001"]),
    (proposal(date="2024-08-01"), "", []),
    (proposal(region="RU-KDA"), "", []),
    (proposal(type="refusal"), "", []),
    (proposal(count_low="10", count_high="12"), "", []),
    (proposal(count_low="2", count_high="4"), "", ["RM-0001"]),
    (proposal(count_low="", count_high=""), "", ["RM-0002"]),
    (proposal(region="RU-KDA"), "https://example.org/tula", ["RM-0001"]),
    (proposal(date="", published="2024-05-12"), "", ["RM-0001"]),
])
def test_likely_duplicates(row, url, expected):
    assert [d.incident_id for d in likely_duplicates(row, url, EXISTING, SOURCES)] == expected


def test_the_dashboard_has_no_way_to_write():
    """Curation is the command line's job: by the import graph, no module of the hosted app
    reaches the writer or the extractor, directly or through another module."""
    import grimp

    graph = grimp.build_graph("dashboard", "curation", "extract", "store", "geography", "lexicons", "refusal_monitor")
    for module in sorted(graph.find_descendants("dashboard")) + ["dashboard"]:
        for target in ("curation.writer", "extract"):
            assert not graph.chain_exists(importer=module, imported=target, as_packages=True), (module, target)
    assert graph.chain_exists(importer="curation.review", imported="curation.writer")


# Issue 13, item 1: an accepted row with a lone carriage return (old Mac line ends).

def test_a_row_from_an_article_with_old_mac_line_ends_is_written_and_read_back(folder, tmp_path):
    text = ("Eight soldiers of the 37th Motorized\rRifle Brigade from Buryatia refused to fight in Ukraine on "
            "Monday, their relatives said.\r")
    path = tmp_path / "mac.txt"
    path.write_bytes(text.encode("utf-8"))
    (tmp_path / "mac.json").write_text(json.dumps({"url": "https://example.org/mac", "title": "Eight refuse\rto fight",
                                                   "published": "2024-03-06", "language": "en"}))
    first = review(folder, str(path), answers="a\n")
    assert first.returncode == 0 and "Traceback" not in first.stderr, first.stderr
    data = load(folder)
    assert data.problems == []
    assert data.incidents[-1]["unit"] == "37th Motorized\rRifle Brigade"
    assert data.sources[-1]["title"] == "Eight refuse\rto fight"
    again = review(folder, article(tmp_path, "b", FIRST, "https://example.org/b"), answers="r\n")
    assert again.returncode == 0 and "Traceback" not in again.stderr, again.stderr


# Issue 13, item 4: the writer refuses a dataset whose header differs, with a message.

def test_review_with_a_renamed_column_says_why_nothing_is_written(folder, tmp_path):
    path = folder / "incidents.csv"
    path.write_bytes(path.read_bytes().replace(b",summary,", b",summry,", 1))
    before = path.read_bytes()
    result = review(folder, article(tmp_path, "a", FIRST, "https://example.org/a"), answers="a\nr\n")
    assert "Traceback" not in result.stderr, result.stderr
    assert "not written: nothing was written: incidents.csv:1: header: the header differs" in result.stdout
    assert path.read_bytes() == before


# Issue 13, item 7: a second curator accepting the same row.

def _read_until(proc: subprocess.Popen, text: str, timeout: float = 120) -> str:
    seen = b""
    deadline = time.monotonic() + timeout
    while text.encode() not in seen:
        ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(proc.stdout.fileno(), 4096) if ready else b""
        if not chunk:
            raise AssertionError(f"no {text!r} in {seen.decode(errors='replace')!r}")
        seen += chunk
    return seen.decode()


def test_a_second_curator_accepting_the_same_row_is_told_and_writes_no_duplicate(folder, tmp_path):
    first = article(tmp_path, "a", FIRST, "https://example.org/a")
    before = len(rows(folder, "incidents.csv"))
    second = subprocess.Popen([sys.executable, "-m", "refusal_monitor", "review", first, "--data", str(folder)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    try:
        _read_until(second, "[q]uit: ")
        assert review(folder, first, answers="a\n").returncode == 0
        iid = rows(folder, "incidents.csv")[-1]["incident_id"]
        second.stdin.write(b"a\n")
        second.stdin.flush()
        told = _read_until(second, "[q]uit: ")
        second.stdin.write(b"r\n")
        second.stdin.close()
        rest = second.stdout.read().decode()
        assert second.wait(timeout=60) == 0
    finally:
        second.kill()
    assert "not written:" in told and "changed since you loaded it" in told
    assert f"possible duplicate of {iid}: this URL is already a source" in told
    assert "0 added" in rest and "1 rejected" in rest
    assert len(rows(folder, "incidents.csv")) == before + 1


def test_every_decision_is_logged_and_a_rerun_skips_the_decided_article(folder, tmp_path):
    from store.log import read_log

    two = "Eight soldiers from Buryatia refused to fight on Monday. Three men deserted from a unit in Tula."
    path = article(tmp_path, "a", two, "https://example.org/a")
    edits = ["e", "", "", "4", "", "", "", "", "", "", "", "a", "r"]
    assert review(folder, path, answers="\n".join(edits) + "\n").returncode == 0
    log = read_log(folder)
    assert [(r["article_url"], r["decision"], r["merged"]) for r in log] == [
        ("https://example.org/a", "edit", "false"), ("https://example.org/a", "reject", "false")]
    assert log[0]["incident_id"] == rows(folder, "incidents.csv")[-1]["incident_id"]
    assert '"count": "4"' in log[0]["final"] and '"count": 8' in log[0]["proposal"]
    before = {n: (folder / n).read_bytes() for n in ("incidents.csv", "sources.csv", "curation_log.csv")}
    again = review(folder, path, answers="a\na\n")
    assert "already decided" in again.stdout
    assert {n: (folder / n).read_bytes() for n in before} == before


def test_a_source_kind_comes_from_the_sidecar_or_the_command_line(folder, tmp_path):
    path = article(tmp_path, "a", FIRST, "https://example.org/a")
    result = subprocess.run([sys.executable, "-m", "refusal_monitor", "review", path, "--data", str(folder),
                             "--source-kind", "copy"], input="a\n", capture_output=True, text=True, cwd=ROOT,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert rows(folder, "sources.csv")[-1]["source_kind"] == "copy"
