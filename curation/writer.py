"""The one writer of the dataset: validating, locked, atomic.

Writes go to a temporary file that is renamed over the old one (a crash leaves the old
file whole), under an exclusive lock, and refuse when the files changed since the
curator read them or when the result would not validate against the codebook.
"""

from __future__ import annotations

import csv
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock

from refusal_monitor.settings import data_dir
from store.dataset import DatasetError, load, read_book, validate


@contextmanager
def locked(folder: Path):
    """An exclusive lock on the dataset folder: two curators' writes never interleave."""
    folder.mkdir(parents=True, exist_ok=True)
    with FileLock(folder / ".lock"):
        yield


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
        book = read_book(folder)
        problems = [p for p in validate(incidents, sources, book) if p not in current.problems]
        if problems:
            raise DatasetError("; ".join(str(p) for p in problems))
        write_atomic(folder / "incidents.csv", incidents, book.names("incidents.csv"))
        write_atomic(folder / "sources.csv", sources, book.names("sources.csv"))
        return iid


def write_dataset(incidents: list[dict], sources: list[dict], folder: Path | None = None,
                  expected: dict[str, str] | None = None) -> None:
    """Replace the whole dataset with these rows: the batch `apply` step's one write.
    Validated against the folder's codebook first (problems the files already had are
    tolerated, new ones refuse the write), under the lock, refusing when the files
    changed since `expected` was read."""
    folder = folder or data_dir()
    with locked(folder):
        current = load(folder)
        if expected is not None and current.fingerprint != expected:
            raise DatasetError(f"{folder}: the dataset changed since you loaded it; reload and try again")
        book = read_book(folder)
        problems = [p for p in validate(incidents, sources, book) if p not in current.problems]
        if problems:
            raise DatasetError("; ".join(str(p) for p in problems[:20]))
        write_atomic(folder / "incidents.csv", incidents, book.names("incidents.csv"))
        write_atomic(folder / "sources.csv", sources, book.names("sources.csv"))


def write_text_atomic(path: Path, text: str) -> None:
    """A text file (a batch file, an export) written to a temporary name in the same folder
    and renamed into place: a failed write leaves the old file whole and no temporary file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
