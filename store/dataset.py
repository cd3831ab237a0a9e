"""The curated dataset's read side: one loader that validates it against its codebook.

Used by the dashboard and by the curation tools alike. Every check follows the folder's
codebook (data/codebook.csv and codebook_values.csv); every problem names the file, the
line and the field. Writing lives in curation.writer: the dashboard cannot reach it.

Validation cannot be switched off by the data: a header that differs from the codebook is
one problem and no row of the dataset is used; a row that cannot be read as it stands
(wrong number of fields, bytes that are not UTF-8) is set aside alone, with its problem.
Files are read through store.journal, so a write killed halfway is never seen half-done.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geography.gazetteer import regions
from refusal_monitor.settings import data_dir

from .codebook import Codebook, CodebookError, Column, codebook_for
from .journal import TABLES, read_committed, sha256
from .rows import ROW, CsvError, read_file_rows

FOREIGN = re.compile(r"(?:[A-QS-Z][A-Z]|R[A-TV-Z])(?:-[0-9A-Z]{1,3})?")  # any country but Russia, or its subdivision
INCIDENT_ID = re.compile(r"RM-\d{4,}")
DATE = re.compile(r"20\d\d(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?")
WHOLE_NUMBER = re.compile(r"[0-9]+")
PUBLISHED = re.compile(r"20\d\d-\d\d(?:-\d\d)?")
WEB_URL = re.compile(r"https?://\S+")
MAX_COUNT = 1_000_000
UNWRITABLE = ("header", "row")
# The columns the cross-file rules below are written against, with the kind each must have.
RULE_COLUMNS = {"incidents.csv": {"incident_id": "string", "type": "category", "stage": "category",
                                  "count": "integer", "count_low": "integer", "count_high": "integer",
                                  "date": "date", "date_precision": "category"},
                "sources.csv": {"incident_id": "string", "url": "url"}}


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
    """The dataset as lists of dicts, for tools that handle a row at a time. `incidents` are
    the valid incidents, `bad_incidents` the ones set aside; `sources` are EVERY source row
    in file order (those set aside are listed again in `bad_sources`), so a tool that
    rewrites the files from incidents + bad_incidents and sources loses no row."""
    incidents: list[dict]
    sources: list[dict]
    problems: list[Problem] = field(default_factory=list)
    bad_incidents: list[dict] = field(default_factory=list)
    fingerprint: dict[str, str] = field(default_factory=dict)
    bad_sources: list[dict] = field(default_factory=list)


class DatasetError(ValueError):
    """The dataset cannot be read or written; the message says where and why."""


def read_book(folder: Path) -> Codebook:
    """The folder's codebook, checked to name, once each and of the kind the rules need, the
    columns the cross-file rules are written against; a codebook that does not is a
    DatasetError like any other unreadable file."""
    try:
        book = codebook_for(folder)
    except CodebookError as exc:
        raise DatasetError(str(exc)) from exc
    where = folder / "codebook.csv" if (folder / "codebook.csv").exists() else "the shipped codebook.csv"
    for name, needed in RULE_COLUMNS.items():
        kinds = {c.name: c.kind for c in book.table(name)}
        names = book.names(name)
        twice = sorted({c for c in names if names.count(c) > 1})
        if twice:
            raise DatasetError(f"{where}: lists {', '.join(twice)} of {name} more than once")
        wrong = [f"{c} ({kind})" for c, kind in needed.items() if kinds.get(c) != kind]
        if wrong:
            raise DatasetError(f"{where}: {name} must have the columns {', '.join(wrong)}; "
                               "the validation rules are written against them")
    return book


@dataclass
class Files:
    """Both files as they are on disk: every row, in file order, problems and all. This is
    what the writer rewrites; readers of valid rows use load_tables."""
    incidents: pd.DataFrame
    sources: pd.DataFrame
    problems: list[Problem]
    fingerprint: dict[str, str]
    book: Codebook

    @property
    def trusted(self) -> bool:
        """False when a header differs from the codebook: then no row means what it seems."""
        return not any(p.field == "header" for p in self.problems)

    def unwritable(self) -> list[Problem]:
        """Problems a rewrite would paper over: a wrong header, a row padded or cut to fit
        the header, bytes replaced because they are not UTF-8."""
        return [p for p in self.problems if p.field in UNWRITABLE]


def read_files(folder: Path | None = None) -> Files:
    """Read both files (as last committed) and check them against the folder's codebook.
    Raises DatasetError for what cannot be read at all: a missing or unreadable file, a
    broken codebook. An empty file (not even a header) is one problem and no rows."""
    folder = folder or data_dir()
    book = read_book(folder)
    try:
        contents = read_committed(folder)
    except OSError as exc:
        raise DatasetError(f"{exc.filename or folder}: cannot be read ({exc.strerror or exc})") from exc
    frames, problems, fingerprint = {}, [], {}
    for name in TABLES:
        fingerprint[name] = sha256(contents[name])
        try:
            frame = read_file_rows(contents[name])
        except CsvError as exc:
            raise DatasetError(f"{folder / name}: {exc}") from exc
        if not len(frame.columns):
            problems.append(Problem(name, 1, "file", "is empty: not even a header line; read as no rows"))
            frame = pd.DataFrame(columns=book.names(name), dtype=object)
        frames[name] = frame
    problems += validate_frames(frames["incidents.csv"], frames["sources.csv"], book)
    return Files(frames["incidents.csv"], frames["sources.csv"], problems, fingerprint, book)


def date_precision(date: str) -> str:
    """The precision a date written as YYYY, YYYY-MM or YYYY-MM-DD has.

    >>> date_precision("2023"), date_precision("2023-04"), date_precision("2023-04-05"), date_precision("")
    ('year', 'month', 'day', '')
    """
    return _PRECISION.get(len(date or ""), "")


_PRECISION = {4: "year", 7: "month", 10: "day"}


@dataclass
class Tables:
    """The dataset as frames of strings, for readers of many rows (the dashboard). Only
    `incidents` and `sources` are valid rows; everything else was set aside with its
    problems listed. `trusted` is False when a header differs from the codebook: then
    every row is set aside, and nothing may be computed from them."""
    incidents: pd.DataFrame
    sources: pd.DataFrame
    problems: list[Problem]
    bad_incidents: pd.DataFrame
    fingerprint: dict[str, str]
    bad_sources: pd.DataFrame = field(default_factory=pd.DataFrame)
    trusted: bool = True


def load_tables(folder: Path | None = None) -> Tables:
    """Read and validate incidents.csv and sources.csv. Bad rows of either file are set aside
    with their problems listed, never silently dropped; an incident whose every source was
    set aside is set aside too (nothing is shown without a report behind it)."""
    return _set_aside(read_files(folder))


def _set_aside(files: Files) -> Tables:
    inc, src, problems = files.incidents, files.sources, list(files.problems)
    columns = {name: files.book.names(name) for name in TABLES}
    if not files.trusted:
        empty = {name: pd.DataFrame(columns=columns[name], dtype=object) for name in TABLES}
        return Tables(empty["incidents.csv"], empty["sources.csv"], problems, _as_read(inc), files.fingerprint,
                      _as_read(src), trusted=False)
    bad_src = _flagged(problems, "sources.csv", src)
    bad_inc = _flagged(problems, "incidents.csv", inc)
    bad_inc = inc["incident_id"].isin(inc["incident_id"][bad_inc]) | bad_inc
    unsourced = ~bad_inc & ~_member(inc["incident_id"], src["incident_id"][~bad_src])
    for index in unsourced[unsourced].index:
        problems.append(Problem("incidents.csv", index + 2, "incident_id",
                                "has no valid source: its rows in sources.csv were set aside"))
    bad_inc |= unsourced
    return Tables(_keep(inc, ~bad_inc, columns["incidents.csv"]), _keep(src, ~bad_src, columns["sources.csv"]),
                  problems, _keep(inc, bad_inc, columns["incidents.csv"]), files.fingerprint,
                  _keep(src, bad_src, columns["sources.csv"]))


def _flagged(problems: list[Problem], name: str, frame: pd.DataFrame) -> pd.Series:
    """The rows of a file that some problem names."""
    positions = {p.line - 2 for p in problems if p.file == name and p.line >= 2}
    return pd.Series(frame.index.isin(list(positions)), index=frame.index)


def _keep(frame: pd.DataFrame, mask: pd.Series, columns: list[str]) -> pd.DataFrame:
    return frame.loc[mask, columns].reset_index(drop=True)


def _as_read(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of a file whose header is wrong, under their own column names (made unique)."""
    frame = frame.drop(columns=[ROW], errors="ignore")
    seen: dict[str, int] = {}
    names = []
    for name in frame.columns:
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name}.{seen[name] - 1}")
    return frame.set_axis(names, axis=1).reset_index(drop=True)


def load(folder: Path | None = None) -> Dataset:
    """The dataset as lists of dicts, for tools that handle a row at a time (see Dataset)."""
    files = read_files(folder)
    tables = _set_aside(files)
    sources = files.sources[files.book.names("sources.csv")] if tables.trusted else tables.sources
    return Dataset(tables.incidents.to_dict("records"), sources.to_dict("records"), tables.problems,
                   tables.bad_incidents.to_dict("records"), tables.fingerprint, tables.bad_sources.to_dict("records"))


def validate(incidents: list[dict], sources: list[dict], book: Codebook) -> list[Problem]:
    """Every disagreement with the codebook, for rows held as dicts. A key a row lacks is an
    empty cell; a key the codebook does not list is a header problem."""
    return validate_frames(rows_frame(incidents, book.names("incidents.csv")),
                           rows_frame(sources, book.names("sources.csv")), book)


def rows_frame(rows: list[dict], expected: list[str]) -> pd.DataFrame:
    """Rows held as dicts as a frame of strings: the expected columns first (a key a row
    lacks is an empty cell, None too), then any other key, so a header check names it."""
    extra = list(dict.fromkeys(k for row in rows for k in row if k not in expected))
    frame = pd.DataFrame(rows, columns=expected + extra, dtype=object)
    return frame.fillna("").astype(str) if len(frame) else frame


def _arrow(column: pd.Series) -> pa.Array | pa.ChunkedArray | None:
    """The column's cells as Arrow strings, with no copy when pandas already holds them in
    Arrow; None when a cell cannot be UTF-8 (a lone surrogate from undecodable bytes)."""
    try:
        return pa.array(column, type=None if column.dtype == "str" else pa.string(), from_pandas=True)
    except (pa.ArrowException, UnicodeError, TypeError):
        return None


def _bools(array: pa.Array | pa.ChunkedArray, index: pd.Index) -> pd.Series:
    return pd.Series(array.fill_null(False).to_numpy(zero_copy_only=False), index=index, dtype=bool)


# Python's \S (no character that str.isspace() calls space), spelled out for Arrow's RE2, whose
# \s is [\t\n\f\r ] only. RE2's \d matches [0-9] only: a cell that is not pure ASCII is
# checked again by Python's re below, so every pattern means what Python says it means.
_NOT_SPACE = "[^\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f ]"


def _matches(column: pd.Series, pattern: re.Pattern) -> pd.Series:
    """Where the pattern matches the whole cell, as re.fullmatch says. The check runs in
    Arrow's regex engine: a Python call per cell costs a second at 100k rows.

    >>> _matches(pd.Series(["https://a.b/c", "https://a b", "http://x\x0b", "http://é", "2024", "２０２４"]),
    ...          re.compile(r"https?://\\S+|20\\d\\d")).tolist()
    [True, False, False, True, True, False]
    """
    cells = _arrow(column)
    if cells is None:
        return column.map(lambda v: isinstance(v, str) and pattern.fullmatch(v) is not None).astype(bool)
    found = _bools(pc.match_substring_regex(cells, f"^(?:{pattern.pattern.replace(chr(92) + 'S', _NOT_SPACE)})$"),
                   column.index)
    other = ~_bools(pc.string_is_ascii(cells), column.index)
    if other.any():
        found[other] = [pattern.fullmatch(v) is not None for v in column[other]]
    return found


def whole_numbers(column: pd.Series) -> pd.Series:
    """Cells written as whole numbers (ASCII digits only, as WHOLE_NUMBER) as floats, any other
    cell NaN. Arrow's cast: pd.to_numeric takes four times as long on Arrow-backed strings.

    >>> whole_numbers(pd.Series(["3", "", "x", "007", " 4", "1.5"])).tolist()
    [3.0, nan, nan, 7.0, nan, nan]
    """
    cells = _arrow(column)
    if cells is None:
        digits = column.map(lambda v: isinstance(v, str) and v.isascii() and v.isdigit()).astype(bool)
        return pd.to_numeric(column.where(digits), errors="coerce").astype(float)
    digits = pc.match_substring_regex(cells, f"^(?:{WHOLE_NUMBER.pattern})$")
    numbers = pc.cast(pc.if_else(digits, cells, pa.scalar(None, cells.type)), pa.float64())
    return pd.Series(numbers.to_numpy(zero_copy_only=False), index=column.index, dtype=float)


def _member(column: pd.Series, values: pd.Series) -> pd.Series:
    """column.isin(values) through Arrow's hash table: for Arrow-backed strings pandas builds
    a Python scalar per value, seconds for 100k ids."""
    cells, wanted = _arrow(column), _arrow(values)
    if cells is None or wanted is None:
        return column.astype(object).isin(values.astype(object))
    return _bools(pc.is_in(cells, value_set=pc.cast(wanted, cells.type)), column.index)


def _duplicated(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """frame.duplicated(columns): every repeat of a combination after its first row. Codes
    from Arrow's dictionary encoding: pandas' factorize of Arrow strings copies each column.

    >>> _duplicated(pd.DataFrame({"a": ["x", "x", "y", "x"], "b": ["1", "2", "1", "1"]}), ["a", "b"]).tolist()
    [False, False, False, True]
    """
    key = np.zeros(len(frame), dtype=np.int64)
    for name in columns:
        cells = _arrow(frame[name])
        if cells is None:
            return frame.duplicated(columns)
        encoded = pc.dictionary_encode(cells, null_encoding="encode")
        encoded = encoded.combine_chunks() if isinstance(encoded, pa.ChunkedArray) else encoded
        codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        key = key * (len(encoded.dictionary) + 1) + codes
    return pd.Series(key, index=frame.index).duplicated()


def validate_frames(incidents: pd.DataFrame, sources: pd.DataFrame, book: Codebook) -> list[Problem]:
    """Every disagreement with the codebook: header, each column by its codebook kind and
    allowed values, then the rules that tie columns together (count ranges, stages,
    date precision, sources of incidents). Each check runs over a whole column; only
    failing rows are formatted into messages. A header that differs from the codebook is
    the only problem reported for its file: no column of it can be trusted. A frame with
    no columns at all (an empty file) has the codebook's columns and no rows."""
    frames = {"incidents.csv": incidents, "sources.csv": sources}
    headers = []
    for name, frame in frames.items():
        expected = book.names(name)
        if not len(frame.columns):
            frames[name] = frame = pd.DataFrame(columns=expected, dtype=object)
        header = [c for c in frame.columns if c != ROW]
        if header != expected:
            headers.append(Problem(name, 1, "header", _header_message(name, header, expected)))
    if headers:
        return headers
    found: dict[str, list[tuple[int, int, Problem]]] = {name: [] for name in frames}

    def report(name: str, mask: pd.Series, fld: str, message) -> None:
        columns = list(frames[name].columns)
        order = columns.index(fld) if fld in columns else -1
        for index in mask[mask].index:
            found[name].append((index, order, Problem(name, index + 2, fld, message(frames[name].loc[index]))))

    for name, frame in frames.items():
        if ROW in frame:
            report(name, frame[ROW] != "", "row", lambda r: r[ROW])
        for column in book.table(name):
            for mask, message in _column_checks(frame[column.name], column, book):
                report(name, mask, column.name, message)
    _cross_checks(frames["incidents.csv"], frames["sources.csv"], report)
    return [p for name in frames for *_, p in sorted(found[name], key=lambda f: f[:2])]


def _header_message(name: str, header: list[str], expected: list[str]) -> str:
    """What is wrong with a header, in words.

    >>> _header_message("x.csv", ["a", "c", "c"], ["a", "b", "c"])[:63]
    "the header differs from the codebook (missing 'b'; twice: 'c'),"
    >>> _header_message("x.csv", ["b", "a"], ["a", "b"])[:88]
    'the header differs from the codebook (the columns are in another order: the codebook has'
    """
    said = []
    missing = [c for c in expected if c not in header]
    unknown = [c for c in dict.fromkeys(header) if c not in expected]
    twice = [c for c in dict.fromkeys(header) if header.count(c) > 1]
    for words, names in (("missing", missing), ("not in the codebook:", unknown), ("twice:", twice)):
        if names:
            said.append(f"{words} {', '.join(repr(n) for n in names[:8])}")
    if not said:
        said.append(f"the columns are in another order: the codebook has {','.join(expected)}")
    return f"the header differs from the codebook ({'; '.join(said)}), so no row of {name} is used until it is mended"


def integer_range(allowed: str) -> tuple[int, int]:
    """The bounds an integer column's codebook `allowed` states (">=1", "<=500", "1..500");
    a bound it does not state is 1 below and MAX_COUNT above: no reported incident involves
    more than a million people, so a larger number is a typo or an attack on the totals.

    >>> integer_range(">=1"), integer_range("2..40"), integer_range("<=5000000"), integer_range(">=count_low")
    ((1, 1000000), (2, 40), (1, 5000000), (1, 1000000))
    """
    low, high = 1, MAX_COUNT
    if m := re.fullmatch(r"\s*(\d+)\s*\.\.\s*(\d+)\s*", allowed):
        low, high = int(m[1]), int(m[2])
    for sign, number in re.findall(r"(>=|<=)\s*(\d+)", allowed):
        low, high = (int(number), high) if sign == ">=" else (low, int(number))
    return low, high


def _column_checks(value: pd.Series, column: Column, book: Codebook):
    """(mask of bad cells, message for a bad row) for one column, from its codebook row."""
    name, given = column.name, value != ""
    if column.required:
        yield value.str.strip() == "", lambda r: "is empty"
    if column.kind == "category":
        allowed = book.allowed(name)
        yield given & ~value.isin(allowed), lambda r: f"{r[name]!r} is not one of {'|'.join(allowed)}"
    elif column.kind == "integer":
        low, high = integer_range(column.allowed)
        number = whole_numbers(value)
        yield given & ~((number >= low) & (number <= high)), \
            lambda r: f"{r[name]!r} is not a whole number from {low:,} to {high:,}"
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
    report("incidents.csv", _duplicated(inc, ["incident_id"]) & (iid != ""), "incident_id",
           lambda r: f"{r['incident_id']} appears twice")
    report("incidents.csv", (inc["stage"] != "") & (inc["type"] != "prosecution"), "stage",
           lambda r: f"{r['stage']!r}: only a prosecution has a stage")
    nums = {col: whole_numbers(inc[col]) for col in ("count", "count_low", "count_high")}
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
    report("sources.csv", _duplicated(src, ["incident_id", "url"]), "url",
           lambda r: f"{r['url']} is already a source of {r['incident_id']}")
    report("sources.csv", ~_member(src["incident_id"], iid), "incident_id",
           lambda r: f"{r['incident_id']} is not an incident")
    report("incidents.csv", ~_member(iid, src["incident_id"]), "incident_id", lambda r: "has no source in sources.csv")
