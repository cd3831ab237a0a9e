"""The one cached loader the pages use: read, validate, and shape the dataset once."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pandas as pd
import streamlit as st

from refusal_monitor.settings import data_dir
from store.dataset import DatasetError, load_tables

from .model import data_version, incidents_frame, sources_frame


class Frames(NamedTuple):
    incidents: pd.DataFrame
    sources: pd.DataFrame
    problems: list[str]
    set_aside: pd.DataFrame
    version: str


def load_frames() -> Frames:
    """The dataset shaped for the pages, read again only when the data folder or its files
    change (a curator's accepted rows show up on the next rerun). A dataset that cannot be
    read at all raises DatasetError, which the page shows as an error."""
    folder = data_dir()
    stamps = tuple((f.name, f.stat().st_mtime_ns) for f in sorted(folder.glob("*.csv")))
    return _load_frames(str(folder), stamps)


@st.cache_data(show_spinner="Loading the dataset…", max_entries=4)
def _load_frames(folder: str, stamps: tuple) -> Frames:
    data = load_tables(Path(folder))
    sources = sources_frame(data.sources)
    return Frames(incidents_frame(data.incidents, sources), sources, [str(p) for p in data.problems],
                  data.bad_incidents, data_version(data.fingerprint, sources))


__all__ = ["DatasetError", "Frames", "load_frames"]
