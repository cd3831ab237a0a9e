"""The curated dataset: one loader that validates it, and writes that cannot lose data.

Used by the dashboard and by tools alike. Validation follows data/codebook.csv; every
problem names the file, the line and the field. Writes go to a temporary file that is
renamed over the old one (a crash leaves the old file whole), under an exclusive lock,
and refuse when the file changed since it was read.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import io
import os
import re
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from .gazetteer import regions
from .model import STAGES, TYPES

ROOT = Path(__file__).resolve().parents[1]
FOREIGN = re.compile(r"(?:BY|AM|KG|KZ|GE|UA)-[0-9A-Z]{1,3}")
INCIDENT_ID = re.compile(r"RM-\d{4,}")
DATE = re.compile(r"20\d\d(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?")
WHOLE_NUMBER = re.compile(r"[0-9]+")
PUBLISHED = re.compile(r"20\d\d-\d\d(?:-\d\d)?")
WEB_URL = re.compile(r"https?://\S+")
PLACE_PRECISIONS = ("exact", "city", "region", "country", "unknown")
RAGGED = "\0ragged"


def data_dir() -> Path:
    """The dataset folder: $REFUSAL_MONITOR_DATA, else data/ in the repository."""
    return Path(os.environ.get("REFUSAL_MONITOR_DATA") or ROOT / "data")


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


def codebook(folder: Path | None = None) -> dict[str, list[dict]]:
    path = (folder or data_dir()) / "codebook.csv"
    if not path.exists():
        path = ROOT / "data" / "codebook.csv"
    out: dict[str, list[dict]] = {}
    for row in _read(path)[1].to_dict("records"):
        out.setdefault(row["file"], []).append(row)
    return out


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
    problems = validate_frames(incidents, sources, codebook(folder))
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


def validate(incidents: list[dict], sources: list[dict], book: dict[str, list[dict]]) -> list[Problem]:
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


def validate_frames(incidents: pd.DataFrame, sources: pd.DataFrame, book: dict[str, list[dict]]) -> list[Problem]:
    """Every disagreement with the codebook: columns, values, ranges, ids, sources. Each
    check runs over a whole column; only failing rows are formatted into messages. An
    empty file (no header either) is read as having the codebook's columns and no rows."""
    frames = {"incidents.csv": incidents, "sources.csv": sources}
    for name, frame in frames.items():
        expected = [c["column"] for c in book.get(name, [])]
        if not len(frame.columns):
            frames[name] = frame = pd.DataFrame(columns=expected, dtype=object)
        header = [c for c in frame.columns if c != RAGGED]
        if header != expected:
            return [Problem(name, 1, "header", f"columns {header} != codebook {expected}")]
    incidents, sources = frames.values()
    found: dict[str, list[tuple[int, int, Problem]]] = {name: [] for name in frames}

    def report(name: str, mask: pd.Series, fld: str, message) -> None:
        order = len(found[name])
        for index in mask[mask].index:
            found[name].append((index, order, Problem(name, index + 2, fld, message(frames[name].loc[index]))))

    inc, src = incidents, sources
    if RAGGED in inc:
        report("incidents.csv", inc[RAGGED] != "", "row", lambda r: r[RAGGED])
    iid = inc["incident_id"]
    report("incidents.csv", ~_matches(iid, INCIDENT_ID), "incident_id",
           lambda r: f"{r['incident_id']!r} is not RM-NNNN")
    report("incidents.csv", iid.duplicated(), "incident_id", lambda r: f"{r['incident_id']} appears twice")
    report("incidents.csv", ~inc["type"].isin(TYPES), "type",
           lambda r: f"{r['type']!r} is not refusal, desertion or prosecution")
    report("incidents.csv", ~inc["stage"].isin(("", *STAGES)) | ((inc["stage"] != "") & (inc["type"] != "prosecution")),
           "stage", lambda r: f"{r['stage']!r} is not a prosecution stage of this row")
    nums = {}
    for col in ("count", "count_low", "count_high"):
        value = inc[col]
        whole = _matches(value, WHOLE_NUMBER)
        nums[col] = pd.to_numeric(value.where(whole), errors="coerce")
        report("incidents.csv", (value != "") & ~(whole & (nums[col] >= 1)), col,
               lambda r, col=col: f"{r[col]!r} is not a whole number >= 1")
    lo, c, hi = nums["count_low"], nums["count"], nums["count_high"]
    unpaired = (lo.isna() != hi.isna()) | (c.notna() & lo.isna())
    best = c.fillna(lo)
    report("incidents.csv", unpaired, "count_low",
           lambda r: "count_low and count_high go together, and a count needs its range")
    report("incidents.csv", ~unpaired & lo.notna() & ~((lo <= best) & (best <= hi) & (lo <= hi)), "count",
           lambda r: f"need count_low <= count <= count_high, got {r['count_low']}, {r['count'] or None}, "
                     f"{r['count_high']}")
    region = inc["region"]
    report("incidents.csv", (region != "") & ~_member(region, pd.Series(list(regions()))) & ~_matches(region, FOREIGN),
           "region", lambda r: f"{r['region']!r} is not a code of the gazetteer")
    date = inc["date"]
    report("incidents.csv", (date != "") & ~_matches(date, DATE), "date",
           lambda r: f"{r['date']!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    report("incidents.csv", inc["date_precision"] != date.str.len().map(_PRECISION).fillna(""), "date_precision",
           lambda r: f"{r['date_precision']!r} does not fit the date {r['date']!r}")
    report("incidents.csv", ~inc["place_precision"].isin(PLACE_PRECISIONS), "place_precision",
           lambda r: f"{r['place_precision']!r} is not allowed")
    report("incidents.csv", ~inc["reviewed"].isin(("true", "false")), "reviewed",
           lambda r: f"{r['reviewed']!r} is not true or false")
    report("incidents.csv", inc["summary"].str.strip() == "", "summary", lambda r: "is empty")
    report("sources.csv", src.duplicated(["incident_id", "url"]), "url",
           lambda r: f"{r['url']} is already a source of {r['incident_id']}")
    if RAGGED in src:
        report("sources.csv", src[RAGGED] != "", "row", lambda r: r[RAGGED])
    report("sources.csv", ~_member(src["incident_id"], iid), "incident_id",
           lambda r: f"{r['incident_id']} is not an incident")
    report("sources.csv", ~_matches(src["url"], WEB_URL), "url", lambda r: f"{r['url']!r} is not an http(s) URL")
    report("sources.csv", (src["published"] != "") & ~_matches(src["published"], PUBLISHED), "published",
           lambda r: f"{r['published']!r} is not a date")
    report("incidents.csv", ~_member(iid, src["incident_id"]), "incident_id", lambda r: "has no source in sources.csv")
    return [p for name in frames for *_, p in sorted(found[name], key=lambda f: f[:2])]


@contextmanager
def locked(folder: Path):
    """An exclusive lock on the dataset folder: two curators' writes never interleave."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_atomic(path: Path, rows: list[dict], columns: list[str]) -> None:
    """Write CSV rows to a temporary file in the same folder, then rename it into place."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def add_source_or_incident(incident: dict | None, source: dict, folder: Path | None = None,
                           expected: dict[str, str] | None = None) -> str:
    """Merge one accepted row: a new incident with its source, or (incident None and
    source["incident_id"] set) a further source of an existing incident. Validates the
    result before writing; refuses if the files changed since `expected` was read.
    Returns the incident id."""
    folder = folder or data_dir()
    with locked(folder):
        current = load(folder)
        if expected is not None and current.fingerprint != expected:
            raise DatasetError(f"{folder}: the dataset changed since you loaded it; reload and try again")
        incidents = current.incidents + current.bad_incidents
        if incident is not None:
            numbers = [int(r["incident_id"][3:]) for r in incidents if r["incident_id"][3:].isdigit()]
            iid = f"RM-{max(numbers, default=0) + 1:04d}"
            incidents = incidents + [{**incident, "incident_id": iid}]
        else:
            iid = source.get("incident_id", "")
        sources = current.sources + [{**source, "incident_id": iid}]
        book = codebook(folder)
        problems = [p for p in validate(incidents, sources, book) if p not in current.problems]
        if problems:
            raise DatasetError("; ".join(str(p) for p in problems))
        write_atomic(folder / "incidents.csv", incidents, [c["column"] for c in book["incidents.csv"]])
        write_atomic(folder / "sources.csv", sources, [c["column"] for c in book["sources.csv"]])
        return iid
