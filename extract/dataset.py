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

from .gazetteer import regions
from .model import STAGES, TYPES

ROOT = Path(__file__).resolve().parents[1]
FOREIGN = re.compile(r"^(?:BY|AM|KG|KZ|GE|UA)-[0-9A-Z]{1,3}$")
INCIDENT_ID = re.compile(r"RM-\d{4,}")
DATE = re.compile(r"20\d\d(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?")
PUBLISHED = re.compile(r"20\d\d-\d\d(?:-\d\d)?")
WEB_URL = re.compile(r"https?://\S+$")
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
    for row in _read(path)[1]:
        out.setdefault(row["file"], []).append(row)
    return out


def _read(path: Path) -> tuple[str, list[dict]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DatasetError(f"{path}: cannot be read ({exc.strerror})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path}: is not UTF-8 text") from exc
    return hashlib.sha256(raw).hexdigest(), _rows(text)


def _rows(text: str) -> list[dict]:
    """The rows as dicts of strings. A row with too few or too many fields is padded or cut
    to the header and marked with RAGGED, so validation names it instead of crashing."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    width = len(header)
    rows = []
    for fields in reader:
        if len(fields) == width:
            rows.append(dict(zip(header, fields, strict=True)))
        elif fields:
            row = dict(zip(header, fields + [""] * (width - len(fields)), strict=False))
            row[RAGGED] = f"has {len(fields)} fields, the header has {width}"
            rows.append(row)
    return rows


def date_precision(date: str) -> str:
    """The precision a date written as YYYY, YYYY-MM or YYYY-MM-DD has.

    >>> date_precision("2023"), date_precision("2023-04"), date_precision("2023-04-05"), date_precision("")
    ('year', 'month', 'day', '')
    """
    return {4: "year", 7: "month", 10: "day"}.get(len(date or ""), "")


def load(folder: Path | None = None) -> Dataset:
    """Read and validate incidents.csv and sources.csv. Bad incident rows are set aside
    (in `bad_incidents`) with their problems listed, never silently dropped."""
    folder = folder or data_dir()
    fingerprint, incidents, sources = {}, [], []
    for name in ("incidents.csv", "sources.csv"):
        digest, rows = _read(folder / name)
        fingerprint[name] = digest
        (incidents if name == "incidents.csv" else sources).extend(rows)
    problems = validate(incidents, sources, codebook(folder))
    bad_ids = {incidents[p.line - 2]["incident_id"] for p in problems if p.file == "incidents.csv" and p.line >= 2}
    good = [r for r in incidents if r["incident_id"] not in bad_ids]
    bad = [r for r in incidents if r["incident_id"] in bad_ids]
    return Dataset(good, sources, problems, bad, fingerprint)


def validate(incidents: list[dict], sources: list[dict], book: dict[str, list[dict]]) -> list[Problem]:
    """Every disagreement with the codebook: columns, values, ranges, ids, sources."""
    problems: list[Problem] = []
    codes = set(regions())
    for name, rows in (("incidents.csv", incidents), ("sources.csv", sources)):
        expected = [c["column"] for c in book.get(name, [])]
        header = [c for c in rows[0] if c != RAGGED] if rows else expected
        if header != expected:
            problems.append(Problem(name, 1, "header", f"columns {header} != codebook {expected}"))
            return problems
    seen: set[str] = set()
    for line, row in enumerate(incidents, start=2):
        def bad(fld: str, msg: str, line=line) -> None:
            problems.append(Problem("incidents.csv", line, fld, msg))

        if RAGGED in row:
            bad("row", row[RAGGED])
        iid = row["incident_id"]
        if not INCIDENT_ID.fullmatch(iid or ""):
            bad("incident_id", f"{iid!r} is not RM-NNNN")
        if iid in seen:
            bad("incident_id", f"{iid} appears twice")
        seen.add(iid)
        if row["type"] not in TYPES:
            bad("type", f"{row['type']!r} is not refusal, desertion or prosecution")
        if row["stage"] not in ("", *STAGES) or (row["stage"] and row["type"] != "prosecution"):
            bad("stage", f"{row['stage']!r} is not a prosecution stage of this row")
        nums = {}
        for col in ("count", "count_low", "count_high"):
            value = row[col]
            if value and not (value.isdigit() and int(value) >= 1):
                bad(col, f"{value!r} is not a whole number >= 1")
            nums[col] = int(value) if value.isdigit() else None
        lo, c, hi = nums["count_low"], nums["count"], nums["count_high"]
        if (lo is None) != (hi is None) or (c is not None and lo is None):
            bad("count_low", "count_low and count_high go together, and a count needs its range")
        elif lo is not None and not (lo <= (c if c is not None else lo) <= hi and lo <= hi):
            bad("count", f"need count_low <= count <= count_high, got {lo}, {c}, {hi}")
        if row["region"] and row["region"] not in codes and not FOREIGN.match(row["region"]):
            bad("region", f"{row['region']!r} is not a code of the gazetteer")
        date = row["date"]
        if date and not DATE.fullmatch(date):
            bad("date", f"{date!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        if row["date_precision"] != date_precision(date):
            bad("date_precision", f"{row['date_precision']!r} does not fit the date {date!r}")
        if row["place_precision"] not in PLACE_PRECISIONS:
            bad("place_precision", f"{row['place_precision']!r} is not allowed")
        if row["reviewed"] not in ("true", "false"):
            bad("reviewed", f"{row['reviewed']!r} is not true or false")
        if not row["summary"].strip():
            bad("summary", "is empty")
    with_sources = set()
    pairs: set[tuple[str, str]] = set()
    for line, row in enumerate(sources, start=2):
        if (row["incident_id"], row["url"]) in pairs:
            problems.append(Problem("sources.csv", line, "url", f"{row['url']} is already a source of "
                                                              f"{row['incident_id']}"))
        pairs.add((row["incident_id"], row["url"]))
        if RAGGED in row:
            problems.append(Problem("sources.csv", line, "row", row[RAGGED]))
        if row["incident_id"] not in seen:
            problems.append(Problem("sources.csv", line, "incident_id", f"{row['incident_id']} is not an incident"))
        if not WEB_URL.match(row["url"] or ""):
            problems.append(Problem("sources.csv", line, "url", f"{row['url']!r} is not an http(s) URL"))
        if row["published"] and not PUBLISHED.fullmatch(row["published"]):
            problems.append(Problem("sources.csv", line, "published", f"{row['published']!r} is not a date"))
        with_sources.add(row["incident_id"])
    for line, row in enumerate(incidents, start=2):
        if row["incident_id"] not in with_sources:
            problems.append(Problem("incidents.csv", line, "incident_id", "has no source in sources.csv"))
    return problems


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
