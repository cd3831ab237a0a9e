"""The contract in one place: the docs cover every setting and every codebook column and
value, and a new incident type is one codebook row plus its lexicon key."""

from __future__ import annotations

import re
from pathlib import Path

from store.codebook import shipped_codebook

ROOT = Path(__file__).resolve().parents[1]


def test_readme_documents_every_environment_variable():
    code = "\n".join(p.read_text(encoding="utf-8") for p in ROOT.glob("*/*.py") if ".venv" not in p.parts)
    used = set(re.findall(r"\b(REFUSAL_MONITOR_[A-Z_]+|XDG_CACHE_HOME)\b", code))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert used and {v for v in used if f"`{v}`" not in readme} == set()


def test_the_prose_codebook_covers_every_column_and_category_value():
    prose = (ROOT / "docs" / "CODEBOOK.md").read_text(encoding="utf-8")
    book = shipped_codebook()
    for column in book.table("incidents.csv"):
        if column.name != "incident_id":
            assert f"`{column.name}`" in prose, column.name
    for value in (*book.types, *book.stages):
        assert f"`{value}`" in prose, value


NEW_TYPE = """
import sys
from pathlib import Path
from store.dataset import load
from extract import extract_incidents
from streamlit.testing.v1 import AppTest

data = load(Path("data"))
assert data.problems == [], data.problems[:3]
assert any(r["type"] == "mutiny" for r in data.incidents)
rows = extract_incidents("Twelve soldiers went on a hunger strike at their base in Belgorod region on Monday.")
assert [(r.type, r.count, r.region) for r in rows] == [("mutiny", 12, "RU-BEL")], rows
at = AppTest.from_file("streamlit_app.py", default_timeout=60).run()
assert not at.exception, at.exception
shown = " ".join(str(m.label) for m in at.metric) + " ".join(str(e.value) for e in at.markdown)
assert "Mutiny" in shown, shown[:500]
print("new type taken everywhere")
"""


def test_a_new_type_is_one_codebook_row_and_one_lexicon_key(tmp_path):
    """In a copy of the repository, add `mutiny` as one row of codebook_values.csv and one key
    of lexicons/incidents.yaml: validation accepts it, the extractor finds it, and the
    dashboard shows it."""
    import shutil
    import subprocess
    import sys

    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    copy = tmp_path / "repo"
    for name in files:
        source, target = ROOT / name, copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(source.readlink())
        elif source.is_file():
            shutil.copy(source, target)
    with open(copy / "data" / "codebook_values.csv", "a", encoding="utf-8") as f:
        f.write('type,mutiny,Mutiny,Бунт,#CC79A7,"Went on hunger strike as a group"\n')
    with open(copy / "lexicons" / "incidents.yaml", "a", encoding="utf-8") as f:
        f.write("\nmutiny:\n  en: [hunger strike]\n  ru: [голодовку]\n")
    header = (copy / "data" / "incidents.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    row = dict.fromkeys(header, "") | {"incident_id": "RM-9000", "type": "mutiny", "place_precision": "unknown",
                                       "summary": "A test mutiny row.", "reviewed": "true"}
    with open(copy / "data" / "incidents.csv", "a", encoding="utf-8") as f:
        f.write(",".join(row[c] for c in header) + "\n")
    with open(copy / "data" / "sources.csv", "a", encoding="utf-8") as f:
        f.write("RM-9000,https://example.org/mutiny,Example,Mutiny,2024-01-01,en,original\n")
    result = subprocess.run([sys.executable, "-c", NEW_TYPE], cwd=copy, capture_output=True, text=True, timeout=300,
                            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr[-2000:]
    assert "new type taken everywhere" in result.stdout


def test_a_value_outside_the_codebook_is_named_by_file_line_and_field(tmp_path):
    """The codebook's allowed values are enforced for every category column, sources too."""
    import shutil

    from store.dataset import load

    for name in ("incidents.csv", "sources.csv", "codebook.csv", "codebook_values.csv"):
        shutil.copy(ROOT / "data" / name, tmp_path / name)
    lines = (tmp_path / "sources.csv").read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",en,", ",klingon,").replace(",ru,", ",klingon,")
    (tmp_path / "sources.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = [str(p) for p in load(tmp_path).problems]
    assert any(p.startswith("sources.csv:4: language: 'klingon' is not one of en|ru|uk") for p in problems), problems
