"""Batch curation: propose many articles to a file, mark it, apply it through the writer
into the dataset and the curation log; a re-run skips what is decided."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from curation.duplicates import likely_duplicates
from curation.log import figures, read_log
from store.dataset import load
from tests.conftest import write_article as article

ROOT = Path(__file__).resolve().parents[1]

# Written for these tests.
FIRST = "Eight soldiers from Buryatia refused to fight in Ukraine on Monday, their relatives said.\n"
SECOND = "Восемь военнослужащих из Бурятии отказались воевать, сообщили их родственники.\n"
EMPTY = "The parliament debated a new law on military service on Tuesday.\n"






def cli(*args):
    return subprocess.run([sys.executable, "-m", "refusal_monitor", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


EVENT = {"event": "E1", "incident_id": "", "type": "refusal", "stage": "", "count": 8, "count_low": 8,
         "count_high": 8, "region": "RU-BU", "place": "Buryatia", "place_precision": "region", "date": "2024-03",
         "date_precision": "month", "unit": "",
         "summary": "Eight Buryat soldiers refused to return to the front, relatives said in March 2024."}


def marked(batch: dict) -> dict:
    """The curator's marks: the English proposal accepted, the Russian report merged into the
    same event (its proposal edited or its row added), the empty article left empty."""
    for art in batch["articles"]:
        art["source_kind"] = "original"
        if art["url"].endswith("/empty"):
            for p in art["proposals"]:
                p["decision"] = "reject"
            continue
        art["rows"] = [{"id": "R1", "event": "E1"}]
        for i, p in enumerate(art["proposals"]):
            p["decision"], p["row"] = ("accept", "R1") if i == 0 else ("reject", None)
    batch["incidents"] = [dict(EVENT)]
    return batch


def test_propose_mark_apply_and_log(folder, tmp_path):
    inputs = [article(tmp_path, "a", FIRST, "https://example.org/a"),
              article(tmp_path, "b", SECOND, "https://example.org/b", language="ru"),
              article(tmp_path, "c", EMPTY, "https://example.org/empty")]
    out = tmp_path / "batch.json"
    result = cli("propose", *inputs, "--out", str(out), "--data", str(folder))
    assert result.returncode == 0, result.stderr
    batch = json.loads(out.read_text(encoding="utf-8"))
    assert [a["url"] for a in batch["articles"]] == ["https://example.org/a", "https://example.org/b",
                                                     "https://example.org/empty"]
    assert batch["articles"][0]["proposals"][0]["proposed"]["type"] == "refusal"
    before = load(folder)
    out.write_text(json.dumps(marked(batch)), encoding="utf-8")
    result = cli("apply", str(out), "--data", str(folder))
    assert result.returncode == 0, result.stderr
    after = load(folder)
    assert after.problems == []
    assert len(after.incidents) == len(before.incidents) + 1
    new = after.incidents[-1]
    assert new["summary"] == EVENT["summary"] and new["reviewed"] == "true"
    assert [s["url"] for s in after.sources if s["incident_id"] == new["incident_id"]] == \
        ["https://example.org/a", "https://example.org/b"]
    log = read_log(folder)
    assert {r["article_url"] for r in log} == {"https://example.org/a", "https://example.org/b",
                                              "https://example.org/empty"}
    merged = [r for r in log if r["article_url"] == "https://example.org/b" and r["decision"] != "reject"]
    assert merged and merged[0]["merged"] == "true" and merged[0]["incident_id"] == new["incident_id"]
    assert figures(log).proposals == sum(len(a["proposals"]) for a in batch["articles"])


def test_a_rerun_skips_decided_articles(folder, tmp_path):
    inputs = [article(tmp_path, "a", FIRST, "https://example.org/a")]
    out = tmp_path / "batch.json"
    cli("propose", *inputs, "--out", str(out), "--data", str(folder))
    out.write_text(json.dumps(marked(json.loads(out.read_text()))), encoding="utf-8")
    assert cli("apply", str(out), "--data", str(folder)).returncode == 0
    files = {n: (folder / n).read_bytes() for n in ("incidents.csv", "sources.csv")}
    again = cli("propose", *inputs, "--out", str(tmp_path / "again.json"), "--data", str(folder))
    assert "already decided" in again.stderr
    assert json.loads((tmp_path / "again.json").read_text())["articles"] == []
    result = cli("apply", str(out), "--data", str(folder))
    assert result.returncode == 0 and "already decided" in result.stderr and "not created" in result.stderr
    assert {n: (folder / n).read_bytes() for n in files} == files


def test_a_correction_to_an_incident_on_file_is_written_and_logged(folder, tmp_path):
    on_file = load(folder).incidents[0]
    fixed = {**on_file, "region": "RU-BU" if on_file["region"] != "RU-BU" else "RU-ZAB", "event": "C1",
             "basis": "https://example.org/basis"}
    batch = tmp_path / "fix.json"
    batch.write_text(json.dumps({"articles": [], "incidents": [fixed]}), encoding="utf-8")
    assert cli("apply", str(batch), "--data", str(folder), "--dry-run").returncode == 0
    assert load(folder).incidents[0] == on_file
    result = cli("apply", str(batch), "--data", str(folder))
    assert result.returncode == 0, result.stderr
    after = load(folder).incidents[0]
    assert after["region"] == fixed["region"] and after["summary"] == on_file["summary"]
    logged = [r for r in read_log(folder) if r["decision"] == "correct"]
    assert [(r["incident_id"], r["article_url"]) for r in logged] == [(on_file["incident_id"], fixed["basis"])]
    assert json.loads(logged[0]["proposal"])["region"] == on_file["region"]
    assert json.loads(logged[0]["final"])["region"] == fixed["region"]
    assert cli("apply", str(batch), "--data", str(folder)).returncode == 0
    assert len([r for r in read_log(folder) if r["decision"] == "correct"]) == 1


@pytest.mark.parametrize(("edit", "message"), [
    (lambda b: b["articles"][0].update(url="ftp://x"), "needs an http(s) url"),
    (lambda b: b["articles"][0]["proposals"][0].update(decision="maybe"), "decision must be"),
    (lambda b: b["articles"][0]["proposals"][0].update(row="R9"), "is not among the article's rows"),
    (lambda b: b["incidents"][0].update(incident_id="RM-9999"), "is not an incident on file"),
    (lambda b: b["incidents"][0].update(type="protest"), "not one of refusal|desertion|prosecution"),
    (lambda b: b["incidents"][0].update(incident_id="RM-0001", basis="ftp://x"), "basis must be an http(s) url"),
])
def test_a_bad_batch_is_refused_with_a_message_and_nothing_written(folder, tmp_path, edit, message):
    out = tmp_path / "batch.json"
    cli("propose", article(tmp_path, "a", FIRST, "https://example.org/a"), "--out", str(out), "--data", str(folder))
    batch = marked(json.loads(out.read_text()))
    edit(batch)
    out.write_text(json.dumps(batch), encoding="utf-8")
    files = {n: (folder / n).read_bytes() for n in ("incidents.csv", "sources.csv")}
    result = cli("apply", str(out), "--data", str(folder))
    assert result.returncode != 0 and message in result.stderr and "Traceback" not in result.stderr
    assert {n: (folder / n).read_bytes() for n in files} == files
    assert not (folder / "curation_log.csv").exists()


EXISTING = [{"incident_id": "RM-0001", "type": "desertion", "region": "RU-LIP", "count_low": "1", "count_high": "1",
             "date": "2023-01-13", "date_precision": "day", "unit": "",
             "summary": "Private Dmitry Perov fled the front armed and was hunted down in Lipetsk region."},
            {"incident_id": "RM-0002", "type": "desertion", "region": "RU-KGD", "count_low": "8", "count_high": "8",
             "date": "2022-12", "date_precision": "month", "unit": "military unit 12345",
             "summary": "Eight men left a base in eastern Ukraine by taxi."}]


@pytest.mark.parametrize(("row", "people", "expected"), [
    ({"type": "desertion", "region": "", "unit": ""}, ["Дмитрий Перов"], ["RM-0001: same people (perov)"]),
    ({"type": "desertion", "region": "", "unit": "Military unit 12345", "date": "2023-01",
      "date_precision": "month"}, [], ["RM-0002: same unit, dates 31 days apart"]),
    ({"type": "prosecution", "region": "RU-LIP", "unit": ""}, ["Perov"], []),
    ({"type": "desertion", "region": "RU-KGD", "count_low": "8", "count_high": "8", "date": "2022-12-28",
      "date_precision": "day", "unit": ""}, [], ["RM-0002: same type, region and count, dates 27 days apart"]),
])
def test_the_same_event_in_another_outlet_or_language_is_found(row, people, expected):
    found = likely_duplicates(row, "", EXISTING, [], people=people)
    assert [f"{d.incident_id}: {d.reason}" for d in found] == expected


def test_the_shipped_log_agrees_with_the_dataset():
    """Every logged incident that was not retired is on file, and every reviewed incident's
    sources were decided in the log."""
    data_dir = ROOT / "data"
    log = read_log(data_dir)
    if not log:
        pytest.skip("no curation log shipped yet")
    ids = {r["incident_id"] for r in load(data_dir).incidents}
    retired = {r["incident_id"] for r in log if r["decision"] == "retire"}
    logged = {r["incident_id"] for r in log if r["incident_id"] and r["decision"] != "retire"}
    assert logged - retired <= ids
    with open(data_dir / "sources.csv", encoding="utf-8") as f:
        urls = {r["url"] for r in csv.DictReader(f)}
    assert urls <= {r["article_url"] for r in log}
