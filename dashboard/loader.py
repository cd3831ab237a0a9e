"""The one cached loader the pages use: read, validate, and shape the dataset once.

A data folder that cannot be read (a missing or empty file, a broken codebook, lone
carriage returns, bytes that are not UTF-8) becomes one DatasetError whose message names
the file and the problem, never a traceback and never the server's paths.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import streamlit as st

from refusal_monitor.settings import data_dir, shipped_data_dir
from store.codebook import CodebookError
from store.dataset import DatasetError, load_tables
from store.log import Figures, LogError, figures, read_log

from .model import data_version, incidents_frame, last_updated, sources_frame

DATA_FILES = ("incidents.csv", "sources.csv")
CODEBOOK_FILES = ("codebook.csv", "codebook_values.csv")


class Frames(NamedTuple):
    incidents: pd.DataFrame
    sources: pd.DataFrame
    problems: list[str]
    set_aside: pd.DataFrame
    version: str
    updated: str


def load_frames() -> Frames:
    """The dataset shaped for the pages, read again only when the data folder or its files
    change (a curator's accepted rows show up on the next rerun). Held as one shared object
    (cache_resource), not unpickled per rerun as cache_data would: the pages only read it."""
    folder = data_dir()
    try:
        stamps = tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in sorted(folder.glob("*.csv")))
    except OSError as exc:
        raise DatasetError(f"the data folder cannot be listed ({exc.strerror})") from exc
    return _load_frames(str(folder), stamps)


def _check_files(folder: Path) -> None:
    for name in DATA_FILES:
        path = folder / name
        if not path.is_file():
            raise DatasetError(f"{name} is missing from the data folder")
        if name == "incidents.csv" and path.stat().st_size == 0:
            raise DatasetError(f"{name} is empty (0 bytes): it needs at least its header line")


def _explain_csv_error(folder: Path, exc: csv.Error) -> str:
    """csv.Error says 'new-line character seen in unquoted field'; name the file and the cause."""
    for name in DATA_FILES:
        if b"\r" in (folder / name).read_bytes().replace(b"\r\n", b""):
            return (f"{name} has a lone carriage return (old Mac line ending) outside quotes; convert the "
                    "line endings to \\n, or quote the field that holds it")
    return f"a data file is not valid CSV ({exc})"


def _plain_message(exc: Exception, folder: Path) -> str:
    """The error's message with the data folder's path taken out: readers see file names."""
    text = str(exc) or type(exc).__name__
    for prefix in (str(folder) + "/", str(folder), str(shipped_data_dir()) + "/"):
        text = text.replace(prefix, "")
    return text


@st.cache_resource(show_spinner=False, max_entries=2)
def _load_frames(folder: str, stamps: tuple) -> Frames:
    path = Path(folder)
    try:
        _check_files(path)
        data = load_tables(path)
    except csv.Error as exc:
        raise DatasetError(_explain_csv_error(path, exc)) from None
    except (DatasetError, CodebookError, OSError, UnicodeError, KeyError, ValueError) as exc:
        raise DatasetError(_plain_message(exc, path)) from None
    sources = sources_frame(data.sources)
    return Frames(incidents_frame(data.incidents, sources), sources,
                  [_plain_message(Exception(str(p)), path) for p in data.problems],
                  data.bad_incidents, data_version(data.fingerprint, sources), last_updated(sources))


def codebook_files() -> dict[str, bytes]:
    """The codebook files for the ZIP: the data folder's own, else the shipped ones."""
    out = {}
    for name in CODEBOOK_FILES:
        for folder in (data_dir(), shipped_data_dir()):
            try:
                out[name] = (folder / name).read_bytes()
                break
            except OSError:
                continue
    return out


def review_figures() -> Figures | None:
    """The curation log's figures (None: no log yet). Raises LogError for a broken log."""
    rows = read_log(data_dir())
    return figures(rows) if rows else None


__all__ = ["DatasetError", "Frames", "LogError", "codebook_files", "load_frames", "review_figures"]
