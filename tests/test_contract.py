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
