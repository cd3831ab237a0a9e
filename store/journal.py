"""Both dataset files change together or not at all: the reading side of the write journal.

A write (curation.writer) streams the new incidents.csv and sources.csv into the folder's
`.journal/` directory, then commits by renaming a manifest that holds both files' SHA-256
into place there, then renames each file over the old one and removes the journal. The
manifest's rename is the commit point:

- killed before it, the old files were never touched: readers see the old state, and the
  next writer removes the half-written journal;
- killed after it, the manifest says what the new state is: a reader takes each file from
  the journal while its copy there is whole, so it sees the new state even when only one
  of the two renames happened, and the next writer finishes the renames.

This module only reads. The dashboard, which may run as a user who cannot write the
folder, reads through it too; recovery (which writes) belongs to curation.writer.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

JOURNAL = ".journal"
MANIFEST = "manifest.json"
TABLES = ("incidents.csv", "sources.csv")


class StillChanging(OSError):
    """Every attempt to read the files overlapped a commit."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest(folder: Path) -> dict[str, str] | None:
    """The committed journal's {file name: SHA-256}, or None when there is no committed
    journal (no manifest, or one that is not a manifest: a write killed before its commit
    point never renames a manifest into place, so a broken one is not a commit)."""
    try:
        data = json.loads((folder / JOURNAL / MANIFEST).read_bytes())
    except (OSError, ValueError):
        return None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict) or not files:
        return None
    if not all(isinstance(k, str) and _plain(k) and isinstance(v, str) for k, v in files.items()):
        return None
    return files


def _plain(name: str) -> bool:
    """A file name of the folder itself: no directory part, not hidden."""
    return bool(name) and "/" not in name and "\\" not in name and not name.startswith(".")


def _stamp(folder: Path, names: tuple[str, ...]) -> tuple:
    """What changes whenever a writer commits or renames: each file's inode, time and size."""
    stamp = []
    for path in [folder / n for n in names] + [folder / JOURNAL / MANIFEST]:
        try:
            s = path.stat()
            stamp.append((s.st_ino, s.st_mtime_ns, s.st_size))
        except FileNotFoundError:
            stamp.append(None)
    return tuple(stamp)


def _read_once(folder: Path, names: tuple[str, ...]) -> dict[str, bytes]:
    committed = manifest(folder) or {}
    out = {}
    for name in names:
        if name in committed:
            try:
                pending = (folder / JOURNAL / name).read_bytes()
            except FileNotFoundError:
                pending = None
            if pending is not None and sha256(pending) == committed[name]:
                out[name] = pending
                continue
        out[name] = (folder / name).read_bytes()
    return out


def read_committed(folder: Path, names: tuple[str, ...] = TABLES, attempts: int = 100) -> dict[str, bytes]:
    """Each file's bytes in the last committed state, all from the same state: a read that
    overlapped a commit (a file replaced, a manifest come or gone) is done again.
    Raises OSError (with the file name) for a file that cannot be read."""
    for _ in range(attempts):
        before = _stamp(folder, names)
        try:
            contents = _read_once(folder, names)
        except FileNotFoundError:
            if _stamp(folder, names) == before:
                raise
            contents = None
        if contents is not None and _stamp(folder, names) == before:
            return contents
        time.sleep(0.005)
    raise StillChanging(f"{folder}: the files kept changing while they were read")

