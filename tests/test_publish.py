"""The dataset as published: the data package, its served copies, the licence and citation files,
and one version and citation everywhere."""

from __future__ import annotations

import csv
import json
import re
import shutil
import tomllib

import jsonschema
import pytest
import yaml
from frictionless import validate

from store.datapackage import PUBLISHED_FILES, main
from store.dataset import load
from store.release import ReleaseError, read_citation_file, release_from_cff, shipped_release
from tests.conftest import ROOT

DATA = ROOT / "data"


def test_committed_package_and_served_copies_are_what_publishing_writes(capsys):
    assert main(["--check"]) == 0, capsys.readouterr().err


def test_check_names_each_stale_file(tmp_path, capsys):
    data, served = tmp_path / "data", tmp_path / "served"
    shutil.copytree(DATA, data)
    shutil.copytree(ROOT / "dashboard" / "static" / "data", served)
    with open(data / "incidents.csv", "a", encoding="utf-8") as f:
        f.write("RM-0999,refusal,,,,,RU-MOW,,region,2024,year,,A row added after publishing.,true\n")
    assert main(["--check", "--data", str(data), "--served", str(served)]) == 1
    assert capsys.readouterr().err.splitlines() == [f"stale: {served / 'incidents.csv'} (run `make publish`)"]


def test_the_package_is_valid_frictionless():
    report = validate(DATA / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    names = [r["path"] for r in json.loads((DATA / "datapackage.json").read_text())["resources"]]
    assert set(names) | {"datapackage.json", "LICENSE"} == set(PUBLISHED_FILES)


BREAKAGES = [  # (file, column, bad value, the error frictionless reports)
    ("incidents.csv", "type", "mutiny", "constraint-error"),
    ("incidents.csv", "count", "0", "constraint-error"),
    ("incidents.csv", "date", "2022-13", "constraint-error"),
    ("incidents.csv", "region", "XX-ZZZZ", "constraint-error"),
    ("incidents.csv", "reviewed", "yes", "type-error"),
    ("incidents.csv", "summary", "", "constraint-error"),
    ("sources.csv", "incident_id", "RM-9999", "foreign-key"),
    ("sources.csv", "url", "ftp://example.org/x", "constraint-error"),
    ("sources.csv", "language", "klingon", "constraint-error"),
]


@pytest.mark.parametrize(("file", "column", "bad", "error"), BREAKAGES)
def test_the_package_rejects_what_the_validator_rejects(tmp_path, file, column, bad, error):
    """The schema generated from the codebook has teeth: each broken cell fails both checks."""
    shutil.copytree(DATA, tmp_path, dirs_exist_ok=True)
    with open(tmp_path / file, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[0][column] = bad
    with open(tmp_path / file, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    report = validate(tmp_path / "datapackage.json")
    found = {(kind, field) for kind, field in report.flatten(["type", "fieldName"])}
    assert found == {(error, None if error == "foreign-key" else column)}, found
    assert load(tmp_path).problems, "store.dataset accepted what the package rejects"


CFF_SCHEMA = json.loads((ROOT / "tests" / "cff-schema-1.2.0.json").read_text(encoding="utf-8"))


def test_citation_file_is_valid_cff_1_2_0():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(json.dumps(cff, default=str)), CFF_SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({k: v for k, v in cff.items() if k != "authors"}, CFF_SCHEMA)


def test_one_version_and_citation_everywhere():
    cited = read_citation_file()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    top = re.search(r"^## \[(?P<version>[^\]]+)\] — (?P<date>\d{4}-\d\d-\d\d)$",
                    (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    assert pyproject["version"] == cff["version"] == cited.version == top["version"]
    assert str(cff["date-released"]) == cited.date == top["date"]
    assert shipped_release() == cited
    assert pyproject["license"] == cff["license"] == "MIT" and cited.licence == "CC-BY-4.0"
    assert "MIT License" in (ROOT / "LICENSE").read_text() and "CC BY 4.0" in (DATA / "LICENSE").read_text()


@pytest.mark.parametrize(("text", "message"), [
    ("version: [", "not YAML"),
    ("- a list", "does not hold a mapping"),
    ("title: T\nauthors: [{name: X}]\nlicense: MIT", "no version, date-released"),
])
def test_a_broken_citation_file_is_one_clear_error(text, message):
    with pytest.raises(ReleaseError, match=message):
        release_from_cff(text)


def test_every_page_shows_the_cited_release():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard" / "pages" / "methodology.py"), default_timeout=60).run()
    cited = read_citation_file()
    assert not at.exception and not at.error
    assert any(f"Release {cited.version}. Cite as:\n{cited.citation}\n" in str(x.value) for x in at.text)
