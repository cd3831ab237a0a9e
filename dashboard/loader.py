"""The one cached loader the pages use: read, validate, and shape the dataset once."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from extract.dataset import DatasetError, load

from .model import incidents_frame


@st.cache_data(show_spinner="Loading the dataset…")
def load_frame() -> tuple[pd.DataFrame, list[str], list[dict]]:
    """(incidents frame, problems as text, rows set aside). A dataset that cannot be read
    at all raises DatasetError, which the page shows as an error message."""
    data = load()
    return incidents_frame(data.incidents, data.sources), [str(p) for p in data.problems], data.bad_incidents


__all__ = ["DatasetError", "load_frame"]
