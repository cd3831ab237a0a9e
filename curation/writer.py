"""The one writer of the dataset: validating, locked, and atomic across both files.

Every write holds the folder's lock, finishes or undoes any write that was killed before
it (store.journal describes the journal), refuses when the files changed since the
curator read them, when they hold something a rewrite would lose, or when the result
would have a problem the files do not already have; then it commits both files at once.
A kill at any instant leaves the old files or the new ones, never one of each, and the
next write removes whatever a killed one left behind. Files keep their permission bits.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from filelock import FileLock

from refusal_monitor.settings import data_dir
from store.csvtext import NEEDS_QUOTES, csv_line
from store.dataset import DatasetError, Files, read_book, read_files, rows_frame, validate_frames
from store.journal import JOURNAL, MANIFEST, TABLES, manifest, sha256

CHUNK_ROWS = 2000
_held = threading.local()


class StaleDataset(DatasetError):
    """The files changed since the caller read them: reload, look again, then write."""


@contextmanager
def locked(folder: Path):
    """An exclusive lock on the dataset folder: two curators' writes never interleave.
    Taking it first finishes or undoes a write that was killed before it; taking it again
    in the same thread (write_atomic inside a locked block) does not wait for itself."""
    folder = Path(folder)
    held = getattr(_held, "folders", None)
    if held is None:
        held = _held.folders = set()
    key = folder.resolve()
    if key in held:
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    with FileLock(folder / ".lock"):
        held.add(key)
        try:
            _recover(folder)
            yield
        finally:
            held.discard(key)


def recover(folder: Path | None = None) -> None:
    """Finish a committed write that was killed before it renamed both files, or remove an
    uncommitted one's journal; every write does this first, so call it only to tidy a folder."""
    with locked(folder or data_dir()):
        pass


def write_atomic(path: Path, rows: Iterable[dict], columns: list[str]) -> None:
    """Write one CSV file in one step, under its folder's lock: the rows are streamed into
    the journal and renamed into place, so a kill leaves the old file whole. The file keeps
    its permission bits. A row with a key not in `columns` is refused (DatasetError)."""
    path = Path(path)
    with _reported(path.parent), locked(path.parent):
        _commit(path.parent, {path.name: csv_lines(rows, columns, path.name)})


def write_dataset(incidents: list[dict], sources: list[dict], folder: Path | None = None,
                  expected: dict[str, str] | None = None) -> None:
    """Replace both files with these rows in one step: the writer for many rows at once
    (a batch `apply`).

    `incidents` and `sources` are every row of each file, in the order they are to be
    written, as dicts keyed by codebook column (a missing key or None is an empty cell).
    Under the folder's lock this refuses, with a DatasetError naming the reason, when:
    the files changed since `expected` (the fingerprint of load() or read_files()) was read
    (StaleDataset); the files on disk hold something a rewrite would lose (a header that
    differs from the codebook, a row with the wrong number of fields or with bytes that are
    not UTF-8: mend those by hand); a row has a key the codebook does not list; or the rows
    have a problem the files on disk do not already have (compared by file, line, field and
    message). Otherwise both files are committed together: a kill at any instant leaves the
    old files or the new ones."""
    folder = folder or data_dir()
    with _reported(folder), locked(folder):
        current = _current(folder, expected)
        names = {name: current.book.names(name) for name in TABLES}
        _write_checked(folder, current, rows_frame(incidents, names["incidents.csv"]),
                       rows_frame(sources, names["sources.csv"]))


def add_source_or_incident(incident: dict | None, source: dict, folder: Path | None = None,
                           expected: dict[str, str] | None = None) -> str:
    """Merge one accepted row: a new incident with its source, or (incident None and
    source["incident_id"] set) a further source of an existing incident. Refuses as
    write_dataset does (StaleDataset when the files changed since `expected` was read).
    Returns the incident id."""
    folder = folder or data_dir()
    with _reported(folder), locked(folder):
        current = _current(folder, expected)
        names = {name: current.book.names(name) for name in TABLES}
        incidents = current.incidents
        if incident is not None:
            digits = incidents["incident_id"].astype(object).str[3:]
            numbers = pd.to_numeric(digits.where(digits.str.fullmatch(r"[0-9]+").fillna(False).astype(bool)),
                                    errors="coerce")
            iid = f"RM-{int(numbers.max()) + 1 if numbers.notna().any() else 1:04d}"
            incidents = _append(incidents, {**incident, "incident_id": iid}, names["incidents.csv"])
        else:
            iid = source.get("incident_id", "")
        sources = _append(current.sources, {**source, "incident_id": iid}, names["sources.csv"])
        _write_checked(folder, current, incidents, sources)
        return iid


def _append(frame: pd.DataFrame, row: dict, columns: list[str]) -> pd.DataFrame:
    return pd.concat([frame.astype(object), rows_frame([row], columns)], ignore_index=True).fillna("")


@contextmanager
def _reported(folder: Path):
    """A failure of the disk or the folder (full, read-only, too large for a limit) as a
    DatasetError: the commit protocol has already kept the old files."""
    try:
        yield
    except OSError as exc:
        where = exc.filename or folder
        raise DatasetError(f"nothing was written: {where}: {exc.strerror or exc}") from exc


def _current(folder: Path, expected: dict[str, str] | None) -> Files:
    """The files as they are, checked to be the ones the caller read and safe to rewrite.
    A folder with neither file yet is an empty dataset, so the first row can be written."""
    if not (folder / "incidents.csv").exists() and not (folder / "sources.csv").exists():
        book = read_book(folder)
        current = Files(*(pd.DataFrame(columns=book.names(n), dtype=object) for n in TABLES), [], {}, book)
    else:
        current = read_files(folder)
    if expected is not None and current.fingerprint != expected:
        raise StaleDataset(f"{folder}: the dataset changed since you loaded it (another curator or a hand edit); "
                           "reload and try again")
    blocking = current.unwritable()
    if blocking:
        listed = "; ".join(str(p) for p in blocking[:3])
        if len(blocking) > 3:
            listed += f"; and {len(blocking) - 3} more"
        raise DatasetError(f"nothing was written: {listed}. Rewriting the files would lose what these lines hold; "
                           "mend them by hand first (refusal-monitor validate lists every problem)")
    return current


def _write_checked(folder: Path, current: Files, incidents: pd.DataFrame, sources: pd.DataFrame) -> None:
    book = current.book
    for name, frame in (("incidents.csv", incidents), ("sources.csv", sources)):
        unknown = [c for c in frame.columns if c not in book.names(name)]
        if unknown:
            raise DatasetError(f"nothing was written: {name}: the codebook has no column {', '.join(unknown)}")
    known = set(current.problems)
    problems = [p for p in validate_frames(incidents, sources, book) if p not in known]
    if problems:
        more = f"; and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise DatasetError("; ".join(str(p) for p in problems[:20]) + more)
    _commit(folder, {name: frame_lines(frame, book.names(name))
                     for name, frame in (("incidents.csv", incidents), ("sources.csv", sources))})


def frame_lines(frame: pd.DataFrame, columns: list[str]) -> Iterator[str]:
    """The header and the rows of a frame of strings as CSV text, quoted as csv_cell quotes,
    a few thousand lines per piece; column by column, a tenth of the time of a cell at a time."""
    yield csv_line(columns)
    if not len(frame):
        return
    cells = []
    for column in columns:
        text = frame[column].astype(object).fillna("").astype(str)
        quoted = '"' + text.str.replace('"', '""', regex=False) + '"'
        cells.append(text.where(~text.str.contains(NEEDS_QUOTES.pattern, regex=True), quoted))
    lines = cells[0].str.cat(cells[1:], sep=",") if len(cells) > 1 else cells[0]
    for start in range(0, len(lines), CHUNK_ROWS):
        yield "\n".join(lines.iloc[start:start + CHUNK_ROWS]) + "\n"


def csv_lines(rows: Iterable[dict], columns: list[str], name: str = "the file") -> Iterator[str]:
    """The header and the rows as CSV text, a few thousand lines per piece."""
    allowed = set(columns)
    yield csv_line(columns)
    piece = []
    for row in rows:
        if not allowed.issuperset(row):
            raise DatasetError(f"nothing was written: {name}: the codebook has no column "
                               f"{', '.join(sorted(set(row) - allowed))}")
        piece.append(csv_line(row.get(c) for c in columns))
        if len(piece) == CHUNK_ROWS:
            yield "".join(piece)
            piece = []
    yield "".join(piece)


def write_text_atomic(path: Path, text: str) -> None:
    """A text file (a batch file, an export) written whole or not at all: to a temporary
    name beside it, flushed, then renamed into place with the old file's permission bits;
    a failure leaves the old file whole and removes the temporary one."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        _stream(tmp, [text], _mode(path))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _commit(folder: Path, tables: dict[str, Iterable[str]]) -> None:
    """Stream each file into the journal, commit by renaming the manifest into place, then
    rename the files over the old ones. Call with the lock held."""
    journal = folder / JOURNAL
    journal.mkdir(exist_ok=True)
    committed = False
    try:
        hashes = {name: _stream(journal / name, chunks, _mode(folder / name)) for name, chunks in tables.items()}
        part = journal / "manifest.part"
        _stream(part, [json.dumps({"files": hashes}, indent=1)], None)
        os.replace(part, journal / MANIFEST)
        _fsync_dir(journal)
        committed = True
    finally:
        if not committed:
            _discard(folder)
    try:
        _apply(folder, hashes)
    except OSError as exc:
        raise DatasetError(f"{folder}: the write is committed, but {exc.filename or folder}: {exc.strerror or exc}; "
                           "readers already see it, and the next write finishes it") from exc


def _stream(path: Path, chunks: Iterable[str], mode: int | None) -> str:
    """Write text to a new file, flushed to disk, with the given permission bits (else the
    umask's); the SHA-256 of what was written."""
    digest = hashlib.sha256()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    with os.fdopen(fd, "wb") as f:
        if mode is not None:
            os.fchmod(f.fileno(), mode)
        for chunk in chunks:
            try:
                data = chunk.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise DatasetError(f"nothing was written: {path.name}: a value holds {exc.object[exc.start]!r}, "
                                   "which cannot be written as UTF-8") from exc
            digest.update(data)
            f.write(data)
        f.flush()
        os.fsync(f.fileno())
    return digest.hexdigest()


def _mode(path: Path) -> int | None:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return None


def _apply(folder: Path, hashes: dict[str, str]) -> None:
    """Rename each committed file into place, then remove the journal (manifest first)."""
    journal = folder / JOURNAL
    for name in hashes:
        if (journal / name).exists():
            os.replace(journal / name, folder / name)
    _fsync_dir(folder)
    _discard(folder)


def _discard(folder: Path) -> None:
    journal = folder / JOURNAL
    (journal / MANIFEST).unlink(missing_ok=True)
    if journal.is_dir():
        for leftover in journal.iterdir():
            leftover.unlink(missing_ok=True)
        journal.rmdir()
    _fsync_dir(folder)


def _recover(folder: Path) -> None:
    """Roll a committed journal forward, or remove an uncommitted one; remove the temporary
    files the writer before the journal left when it was killed."""
    for stray in [*folder.glob(".incidents.csv.*.tmp"), *folder.glob(".sources.csv.*.tmp")]:
        stray.unlink(missing_ok=True)
    journal = folder / JOURNAL
    if not journal.exists():
        return
    committed = manifest(folder)
    if committed is None:
        _discard(folder)
        return
    for name, digest in committed.items():
        pending, live = journal / name, folder / name
        source = pending if pending.exists() else live
        if not source.exists() or sha256(source.read_bytes()) != digest:
            raise DatasetError(f"{journal}: a committed write cannot be finished: {name} does not match its "
                               "manifest (a damaged disk?). Compare the journal with the files by hand, then "
                               "remove the journal")
    _apply(folder, committed)


def _fsync_dir(folder: Path) -> None:
    """Make renames and removals in a folder durable (skipped where a folder cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
