"""The codebook as the code reads it: data/codebook.csv (one row per column of the dataset)
and data/codebook_values.csv (one row per allowed value of a category column).

Types, stages, column lists, allowed values, labels and colours all come from here, so a
new incident type or data field is one row in a CSV file, not an edit in every module.
A codebook that is missing or malformed raises CodebookError naming the file and line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from refusal_monitor.settings import shipped_data_dir

COLUMN_FIELDS = ("file", "column", "type", "required", "allowed", "label_en", "label_ru", "meaning")
VALUE_FIELDS = ("column", "value", "label_en", "label_ru", "colour", "meaning")
KINDS = ("string", "category", "integer", "code", "date", "boolean", "url")
TABLES = ("incidents.csv", "sources.csv")


class CodebookError(ValueError):
    """The codebook cannot be read or does not describe a dataset."""


class _Labelled:
    """Columns and values carry an English and a Russian label; Russian falls back to English."""

    label_en: str
    label_ru: str

    def label(self, lang: str = "en") -> str:
        return self.label_ru if lang == "ru" and self.label_ru else self.label_en


@dataclass(frozen=True)
class Column(_Labelled):
    file: str
    name: str
    kind: str
    required: bool
    allowed: str
    label_en: str
    label_ru: str
    meaning: str


@dataclass(frozen=True)
class Value(_Labelled):
    column: str
    value: str
    label_en: str
    label_ru: str
    colour: str
    meaning: str


@dataclass(frozen=True)
class Codebook:
    columns: tuple[Column, ...]
    values: tuple[Value, ...]

    def table(self, file: str) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.file == file)

    def names(self, file: str) -> list[str]:
        """The columns of one file, in order: the header it must have."""
        return [c.name for c in self.table(file)]

    def allowed(self, column: str) -> tuple[str, ...]:
        """The allowed values of a category column, in the codebook's order."""
        return tuple(v.value for v in self.values if v.column == column)

    def value(self, column: str, value: str) -> Value | None:
        return next((v for v in self.values if v.column == column and v.value == value), None)

    def label(self, column: str, value: str, lang: str = "en") -> str:
        found = self.value(column, value)
        return found.label(lang) if found else value

    @property
    def types(self) -> tuple[str, ...]:
        return self.allowed("type")

    @property
    def stages(self) -> tuple[str, ...]:
        return self.allowed("stage")

    def colours(self, column: str = "type") -> dict[str, str]:
        return {v.value: v.colour for v in self.values if v.column == column and v.colour}


def _records(path: Path, fields: tuple[str, ...]) -> list[dict[str, str]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise CodebookError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise CodebookError(f"{path}: is not UTF-8 text") from exc
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise CodebookError(f"{path}: is not a readable CSV file ({exc})") from exc
    if not rows or tuple(rows[0]) != fields:
        raise CodebookError(f"{path}: line 1: the header must be {','.join(fields)}")
    out = []
    for number, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if len(row) != len(fields):
            raise CodebookError(f"{path}: line {number}: has {len(row)} fields, the header has {len(fields)}")
        out.append(dict(zip(fields, row, strict=True)))
    return out


def read_codebook(folder: Path) -> Codebook:
    """The codebook of a data folder (codebook.csv and codebook_values.csv), checked."""
    columns = []
    for number, r in enumerate(_records(folder / "codebook.csv", COLUMN_FIELDS), start=2):
        if r["file"] not in TABLES or r["type"] not in KINDS or r["required"] not in ("yes", "no"):
            raise CodebookError(f"{folder / 'codebook.csv'}: line {number}: file must be one of {TABLES}, "
                                f"type one of {KINDS}, required yes or no")
        columns.append(Column(r["file"], r["column"], r["type"], r["required"] == "yes", r["allowed"],
                              r["label_en"], r["label_ru"], r["meaning"]))
    values = tuple(Value(**r) for r in _records(folder / "codebook_values.csv", VALUE_FIELDS))
    book = Codebook(tuple(columns), values)
    for table in TABLES:
        if not book.names(table):
            raise CodebookError(f"{folder / 'codebook.csv'}: describes no column of {table}")
    for column in columns:
        if column.kind == "category" and not book.allowed(column.name):
            raise CodebookError(f"{folder / 'codebook_values.csv'}: no allowed value for the category {column.name}")
    return book


@cache
def shipped_codebook() -> Codebook:
    """The codebook that ships with the code: what the extractor and the pages build on."""
    return read_codebook(shipped_data_dir())


def codebook_for(folder: Path) -> Codebook:
    """A data folder's own codebook when it has one, else the shipped one."""
    return read_codebook(folder) if (folder / "codebook.csv").exists() else shipped_codebook()
