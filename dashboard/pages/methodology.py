"""Methodology: definitions, how rows are collected, extracted and reviewed (with the
review log's figures), coverage, source policy, corrections, licence and the codebook."""

from __future__ import annotations

import re

import streamlit as st

from dashboard import plain
from dashboard.loader import DatasetError, LogError, load_frames, review_figures
from dashboard.model import CODEBOOK
from dashboard.text import t
from dashboard.ui import footer, lang

DATE = re.compile(r"20\d\d(?:-\d\d){0,2}")
L = lang()
st.title(t(L, "meth_title"))
st.markdown(t(L, "meth_definitions"))

st.subheader(t(L, "meth_collection_title"))
st.markdown(t(L, "meth_collection"))

st.subheader(t(L, "meth_curation_title"))
try:
    figures = review_figures()
except LogError as exc:
    plain.show(t(L, "meth_curation_unreadable", reason=str(exc)))
else:
    if figures is None:
        plain.show(t(L, "meth_curation_pending"))
    else:
        plain.show(t(L, "meth_curation", proposals=figures.proposals, accepted=figures.accepted,
                     edited=figures.edited, rejected=figures.rejected, added=figures.added,
                     rate=f"{figures.acceptance:.0%}"))

try:
    frames = load_frames()
except DatasetError as exc:
    frames = None
    st.error(t(L, "dataset_unreadable"), icon=":material/error:")
    plain.show(str(exc))


def _span(values) -> tuple[str, str]:
    """First and last date among cells that are dates: this text goes into Markdown."""
    given = sorted(v for v in values if DATE.fullmatch(v or ""))
    return (given[0], given[-1]) if given else (t(L, "meth_coverage_unknown"),) * 2


st.subheader(t(L, "meth_coverage_title"))
if frames is not None:
    first, last = _span(frames.sources["published"])
    first_event, last_event = _span(frames.incidents["date"])
else:
    first = last = first_event = last_event = t(L, "meth_coverage_unknown")
st.markdown(t(L, "meth_coverage", first=first, last=last, first_event=first_event, last_event=last_event))

st.subheader(t(L, "meth_licence_title"))
st.markdown(t(L, "meth_licence"))

st.subheader(t(L, "meth_codebook_title"))
st.caption(t(L, "meth_codebook"))
st.dataframe([{t(L, "col_file"): c.file, t(L, "col_column"): c.name, t(L, "col_label"): c.label(L),
               t(L, "col_kind"): c.kind, t(L, "col_required"): t(L, "answer_yes" if c.required else "answer_no"),
               t(L, "col_allowed"): "|".join(CODEBOOK.allowed(c.name)) if c.kind == "category" else c.allowed,
               t(L, "col_meaning"): c.meaning} for c in CODEBOOK.columns], hide_index=True, width="stretch")
st.subheader(t(L, "meth_values_title"))
st.dataframe([{t(L, "col_column"): v.column, t(L, "col_value"): v.value, t(L, "col_label"): v.label(L),
               t(L, "col_meaning"): v.meaning} for v in CODEBOOK.values], hide_index=True, width="stretch")
footer(frames, L)
