"""What every page shares: the reader's language, labels in it, and the page's foot.

Labels of codebook values come from store.codebook, interface words from dashboard.text,
and anything from the data reaches the page through dashboard.plain.
"""

from __future__ import annotations

import streamlit as st

from store.release import ReleaseError, shipped_release

from . import plain
from .geo import region_table, search_names
from .loader import DatasetError, Frames, load_frames
from .model import CODEBOOK
from .text import pick_lang, strings, t

LANG_KEY = "lang"


def lang() -> str:
    """The reader's language: chosen in the sidebar, first taken from `?lang=`."""
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = pick_lang(st.query_params.get("lang"))
    return st.session_state[LANG_KEY]


def value_label(column: str, value: str, language: str) -> str:
    return CODEBOOK.label(column, value, language) if value else ""


def region_label(code: str, language: str) -> str:
    """The region's name in the reader's language; a place abroad is its country and code.

    Codes come from the data: callers that render HTML escape the result."""
    if not code:
        return t(language, "unknown_region")
    table = region_table()
    if code in table.index:
        return table.at[code, "name_ru" if language == "ru" else "name_en"]
    country = strings(language)["countries"].get(code.split("-")[0])
    return f"{country} ({code})" if country else code


def region_search_label(code: str, language: str) -> str:
    """The region's label in the filter, followed by the other names it can be found by."""
    table = region_table()
    if code not in table.index:
        return region_label(code, language)
    other = table.at[code, "name_en" if language == "ru" else "name_ru"]
    return f"{region_label(code, language)} · {other} · {', '.join(search_names().get(code, []))}"


def frames_or_stop(language: str) -> Frames:
    """The dataset, or a one-line message naming what is wrong with it and the end of the page."""
    try:
        return load_frames()
    except DatasetError as exc:
        st.error(t(language, "dataset_unreadable"), icon=":material/error:")
        plain.show(str(exc))
        st.stop()


def footer(frames: Frames | None, language: str, link: str = "") -> None:
    """Data version, last update, licence and the text to cite, on every page."""
    st.divider()
    if frames is None:
        return
    plain.show(t(language, "data_version", version=frames.version, updated=frames.updated), muted=True)
    with st.expander(t(language, "citation_title")):
        try:
            release = shipped_release()
        except ReleaseError as exc:
            plain.show(t(language, "release_unreadable", reason=str(exc)))
            return
        st.text(t(language, "release", version=release.version) + "\n" + release.citation + "\n" +
                t(language, "citation", version=frames.version, updated=frames.updated) + (f"\n{link}" if link else ""))
