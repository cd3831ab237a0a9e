"""The curated dataset's read side: one loader that validates it against its codebook.

Used by the dashboard and by the curation tools alike. Every check follows the folder's
codebook (data/codebook.csv and codebook_values.csv); every problem names the file, the
line and the field. Writing lives in curation.writer: the dashboard cannot reach it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from geography.gazetteer import regions
from refusal_monitor.settings import data_dir

from .codebook import Codebook, CodebookError, Column, codebook_for

FOREIGN = re.compile(r"(?:[A-QS-Z][A-Z]|R[A-TV-Z])(?:-[0-9A-Z]{1,3})?")  # any country but Russia, or its subdivision
INCIDENT_ID = re.compile(r"RM-\d{4,}")
DATE = re.compile(r"20\d\d(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?")
WHOLE_NUMBER = re.compile(r"[0-9]+")
PUBLISHED = re.compile(r"20\d\d-\d\d(?:-\d\d)?")
WEB_URL = re.compile(r"https?://\S+")
MAX_COUNT = 1_000_000
RAGGED = "\0ragged"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


@dataclass
class Dataset:
    incidents: list[dict]
    sources: list[dict]
    problems: list[Problem] = field(default_factory=list)
    bad_incidents: list[dict] = field(default_factory=list)
    fingerprint: dict[str, str] = field(default_factory=dict)


class DatasetError(ValueError):
    """The dataset cannot be read or written; the message says where and why."""


def _read(path: Path) -> tuple[str, pd.DataFrame]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DatasetError(f"{path}: cannot be read ({exc.strerror})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path}: is not UTF-8 text") from exc
    return hashlib.sha256(raw).hexdigest(), _rows(text)


def _rows(text: str) -> pd.DataFrame:
    """The rows as a frame of strings, parsed by Arrow's CSV reader (a tenth of the csv
    module's time at 100k rows). A file with a row of the wrong length is read again with
    the csv module, which pads or cuts such rows and describes them in a RAGGED column, so
    validation names them instead of failing or dropping them."""
    header = next(csv.reader(io.StringIO(text)), [])
    if not header:
        return pd.DataFrame()
    wrong_length = []
    try:
        table = pa_csv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pa_csv.ReadOptions(use_threads=False),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True,
                                              invalid_row_handler=lambda row: wrong_length.append(row) or "skip"),
            convert_options=pa_csv.ConvertOptions(column_types=dict.fromkeys(header, pa.string())))
    except pa.ArrowInvalid:
        wrong_length.append(None)
    if wrong_length or table.column_names != header:
        return _rows_with_wrong_lengths(text)
    return table.to_pandas()


def _rows_with_wrong_lengths(text: str) -> pd.DataFrame:
    records = [fields for fields in csv.reader(io.StringIO(text)) if fields]
    header, body = records[0], records[1:]
    width = len(header)
    ragged = {i: f"has {len(fields)} fields, the header has {width}"
              for i, fields in enumerate(body) if len(fields) != width}
    for i in ragged:
        body[i] = (body[i] + [""] * width)[:width]
    frame = pd.DataFrame(body, columns=header, dtype=object)
    frame[RAGGED] = pd.Series(ragged, dtype=object).reindex(frame.index, fill_value="")
    return frame


def read_book(folder: Path) -> Codebook:
    """The folder's codebook; a broken one is a DatasetError like any other unreadable file."""
    try:
        return codebook_for(folder)
    except CodebookError as exc:
        raise DatasetError(str(exc)) from exc


def date_precision(date: str) -> str:
    """The precision a date written as YYYY, YYYY-MM or YYYY-MM-DD has.

    >>> date_precision("2023"), date_precision("2023-04"), date_precision("2023-04-05"), date_precision("")
    ('year', 'month', 'day', '')
    """
    return _PRECISION.get(len(date or ""), "")


_PRECISION = {4: "year", 7: "month", 10: "day"}


@dataclass
class Tables:
    """The dataset as frames of strings, for readers of many rows (the dashboard)."""
    incidents: pd.DataFrame
    sources: pd.DataFrame
    problems: list[Problem]
    bad_incidents: pd.DataFrame
    fingerprint: dict[str, str]


def load_tables(folder: Path | None = None) -> Tables:
    """Read and validate incidents.csv and sources.csv. Bad incident rows are set aside
    (in `bad_incidents`) with their problems listed, never silently dropped."""
    folder = folder or data_dir()
    fingerprint, frames = {}, {}
    for name in ("incidents.csv", "sources.csv"):
        fingerprint[name], frames[name] = _read(folder / name)
    incidents, sources = frames["incidents.csv"], frames["sources.csv"]
    problems = validate_frames(incidents, sources, read_book(folder))
    lines = [p.line - 2 for p in problems if p.file == "incidents.csv" and p.line >= 2]
    bad = incidents["incident_id"].isin(incidents["incident_id"].iloc[lines]) if lines else \
        pd.Series(False, index=incidents.index)
    keep = [c for c in incidents.columns if c != RAGGED]
    sources = sources[[c for c in sources.columns if c != RAGGED]]
    return Tables(incidents.loc[~bad, keep].reset_index(drop=True), sources, problems,
                  incidents.loc[bad, keep].reset_index(drop=True), fingerprint)


def load(folder: Path | None = None) -> Dataset:
    """The dataset as lists of dicts, for tools that handle a row at a time."""
    tables = load_tables(folder)
    return Dataset(tables.incidents.to_dict("records"), tables.sources.to_dict("records"), tables.problems,
                   tables.bad_incidents.to_dict("records"), tables.fingerprint)


def validate(incidents: list[dict], sources: list[dict], book: Codebook) -> list[Problem]:
    """Every disagreement with the codebook, for rows held as dicts."""
    return validate_frames(*(pd.DataFrame(rows, columns=list(rows[0]) if rows else None, dtype=object).fillna("")
                             for rows in (incidents, sources)), book)


def _matches(column: pd.Series, pattern: re.Pattern) -> pd.Series:
    """Where the pattern matches the whole cell. The check runs in Arrow's regex engine:
    a Python call per cell costs a second at 100k rows."""
    return column.astype("string[pyarrow]").str.fullmatch(pattern.pattern).fillna(False).astype(bool)


def _member(column: pd.Series, values: pd.Series) -> pd.Series:
    """column.isin(values) through a hash table: for Arrow-backed strings pandas builds
    a Python scalar per value, seconds for 100k ids."""
    return column.astype(object).isin(values.astype(object))


def validate_frames(incidents: pd.DataFrame, sources: pd.DataFrame, book: Codebook) -> list[Problem]:
    """Every disagreement with the codebook: header, each column by its codebook kind and
    allowed values, then the rules that tie columns together (count ranges, stages,
    date precision, sources of incidents). Each check runs over a whole column; only
    failing rows are formatted into messages. An empty file (no header either) is read
    as having the codebook's columns and no rows."""
    frames = {"incidents.csv": incidents, "sources.csv": sources}
    for name, frame in frames.items():
        expected = book.names(name)
        if not len(frame.columns):
            frames[name] = frame = pd.DataFrame(columns=expected, dtype=object)
        header = [c for c in frame.columns if c != RAGGED]
        if header != expected:
            return [Problem(name, 1, "header", f"columns {header} != codebook {expected}")]
    found: dict[str, list[tuple[int, int, Problem]]] = {name: [] for name in frames}

    def report(name: str, mask: pd.Series, fld: str, message) -> None:
        columns = list(frames[name].columns)
        order = columns.index(fld) if fld in columns else -1
        for index in mask[mask].index:
            found[name].append((index, order, Problem(name, index + 2, fld, message(frames[name].loc[index]))))

    for name, frame in frames.items():
        if RAGGED in frame:
            report(name, frame[RAGGED] != "", "row", lambda r: r[RAGGED])
        for column in book.table(name):
            for mask, message in _column_checks(frame[column.name], column, book):
                report(name, mask, column.name, message)
    _cross_checks(frames["incidents.csv"], frames["sources.csv"], report)
    return [p for name in frames for *_, p in sorted(found[name], key=lambda f: f[:2])]


def _column_checks(value: pd.Series, column: Column, book: Codebook):
    """(mask of bad cells, message for a bad row) for one column, from its codebook row."""
    name, given = column.name, value != ""
    if column.required:
        yield value.str.strip() == "", lambda r: "is empty"
    if column.kind == "category":
        allowed = book.allowed(name)
        yield given & ~value.isin(allowed), lambda r: f"{r[name]!r} is not one of {'|'.join(allowed)}"
    elif column.kind == "integer":
        whole = _matches(value, WHOLE_NUMBER)
        number = pd.to_numeric(value.where(whole), errors="coerce")
        yield given & ~(whole & (number >= 1) & (number <= MAX_COUNT)), \
            lambda r: f"{r[name]!r} is not a whole number from 1 to {MAX_COUNT:,}"
    elif column.kind == "boolean":
        yield ~value.isin(("true", "false")) & (given | column.required), lambda r: f"{r[name]!r} is not true or false"
    elif column.kind == "date":
        pattern = DATE if "YYYY|" in column.allowed or column.allowed.startswith("YYYY|") else PUBLISHED
        yield given & ~_matches(value, pattern), lambda r: f"{r[name]!r} is not a date of the form {column.allowed}"
    elif column.kind == "url":
        yield given & ~_matches(value, WEB_URL), lambda r: f"{r[name]!r} is not an http(s) URL"
    elif column.kind == "code":
        yield given & ~_member(value, pd.Series(list(regions()))) & ~_matches(value, FOREIGN), \
            lambda r: f"{r[name]!r} is not a code of the gazetteer"
    elif column.allowed == "RM-NNNN":
        yield ~_matches(value, INCIDENT_ID), lambda r: f"{r[name]!r} is not RM-NNNN"


def _cross_checks(inc: pd.DataFrame, src: pd.DataFrame, report) -> None:
    """The rules that tie columns and files together, which no single column can state."""
    iid = inc["incident_id"]
    report("incidents.csv", iid.duplicated() & (iid != ""), "incident_id",
           lambda r: f"{r['incident_id']} appears twice")
    report("incidents.csv", (inc["stage"] != "") & (inc["type"] != "prosecution"), "stage",
           lambda r: f"{r['stage']!r}: only a prosecution has a stage")
    nums = {col: pd.to_numeric(inc[col].where(_matches(inc[col], WHOLE_NUMBER)), errors="coerce")
            for col in ("count", "count_low", "count_high")}
    lo, c, hi = nums["count_low"], nums["count"], nums["count_high"]
    unpaired = (lo.isna() != hi.isna()) | (c.notna() & lo.isna())
    best = c.fillna(lo)
    report("incidents.csv", unpaired, "count_low",
           lambda r: "count_low and count_high go together, and a count needs its range")
    report("incidents.csv", ~unpaired & lo.notna() & ~((lo <= best) & (best <= hi) & (lo <= hi)), "count",
           lambda r: f"need count_low <= count <= count_high, got {r['count_low']}, {r['count'] or None}, "
                     f"{r['count_high']}")
    report("incidents.csv", inc["date_precision"] != inc["date"].str.len().map(_PRECISION).fillna(""),
           "date_precision", lambda r: f"{r['date_precision']!r} does not fit the date {r['date']!r}")
    report("sources.csv", src.duplicated(["incident_id", "url"]), "url",
           lambda r: f"{r['url']} is already a source of {r['incident_id']}")
    report("sources.csv", ~_member(src["incident_id"], iid), "incident_id",
           lambda r: f"{r['incident_id']} is not an incident")
    report("incidents.csv", ~_member(iid, src["incident_id"]), "incident_id", lambda r: "has no source in sources.csv")
