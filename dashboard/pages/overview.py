"""Overview: headline counts, the region map, the timeline, the ranking and the table.

Widgets only; the numbers come from dashboard.model. Every filter lives in the URL so a
copied link reopens the same view.
"""

from __future__ import annotations

import datetime as dt
import html
from urllib.parse import urlencode

import streamlit as st

from dashboard.figures import ranking, region_map, timeline
from dashboard.geo import TOPOJSON_URL, region_table
from dashboard.loader import DatasetError, load_frames
from dashboard.model import (
    STAGES,
    TYPES,
    Filters,
    apply_filters,
    by_month,
    by_region,
    download_frame,
    export_zip,
    headline,
    outlets,
    safe_url,
    sources_of,
    unknown_region_count,
)
from refusal_monitor.settings import data_dir

PLOT_CONFIG = {"topojsonURL": TOPOJSON_URL, "displaylogo": False, "modeBarButtonsToRemove": ["toImage"]}

try:
    df, sources, problems, set_aside, version = load_frames()
except DatasetError as exc:
    st.error(f"The dataset cannot be read: {exc}")
    st.stop()
if problems:
    with st.expander(f"⚠️ {len(set_aside)} incident rows were set aside because they failed validation"):
        st.write("\n".join(f"- {p}" for p in problems))

regions = region_table()
outlet_names = outlets(sources)
params = st.query_params


def _from_url(key: str, allowed) -> list[str]:
    return [v for v in params.get_all(key) if v in allowed]


def _date_from_url(key: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(params.get(key, ""))
    except ValueError:
        return None


if "f_types" not in st.session_state:
    st.session_state.f_types = _from_url("type", TYPES) or list(TYPES)
    st.session_state.f_stages = _from_url("stage", STAGES)
    st.session_state.f_regions = _from_url("region", regions.index)
    st.session_state.f_outlets = _from_url("outlet", outlet_names)
    st.session_state.f_text = params.get("q", "")
    st.session_state.f_basis = "publication" if params.get("by") == "publication" else "incident"
    st.session_state.f_measure = "people" if params.get("measure") == "people" else "incidents"
    st.session_state.f_per100k = params.get("per100k") == "1"
    st.session_state.f_start = _date_from_url("from")
    st.session_state.f_end = _date_from_url("to")

with st.sidebar:
    st.header("Filters")
    st.multiselect("Type", TYPES, key="f_types")
    st.multiselect("Prosecution stage", STAGES, key="f_stages", placeholder="any stage")
    st.multiselect("Region", list(regions.index), key="f_regions", placeholder="all regions",
                   format_func=lambda c: f"{regions.at[c, 'name_en']} / {regions.at[c, 'name_ru']}")
    st.multiselect("Outlet", outlet_names, key="f_outlets", placeholder="all outlets")
    st.text_input("Search summaries", key="f_text")
    st.radio("Dates by", ["incident", "publication"], key="f_basis", horizontal=True,
             format_func=lambda b: f"{b} date")
    st.date_input("From", key="f_start", value=st.session_state.f_start, min_value=dt.date(2022, 1, 1))
    st.date_input("To", key="f_end", value=st.session_state.f_end, min_value=dt.date(2022, 1, 1))
    st.divider()
    st.radio("Measure", ["incidents", "people"], key="f_measure", horizontal=True)
    st.toggle("Per 100,000 inhabitants", key="f_per100k")

s = st.session_state
filters = Filters(start=s.f_start, end=s.f_end, types=tuple(s.f_types), stages=tuple(s.f_stages),
                  regions=tuple(s.f_regions), outlets=tuple(s.f_outlets), text=s.f_text, date_basis=s.f_basis)
query = {"type": s.f_types if set(s.f_types) != set(TYPES) else [], "stage": s.f_stages, "region": s.f_regions,
         "outlet": s.f_outlets, "q": s.f_text, "by": "publication" if s.f_basis == "publication" else "",
         "measure": "people" if s.f_measure == "people" else "", "per100k": "1" if s.f_per100k else "",
         "from": s.f_start.isoformat() if s.f_start else "", "to": s.f_end.isoformat() if s.f_end else ""}
st.query_params.from_dict({k: v for k, v in query.items() if v})

view = apply_filters(df, filters, sources)

st.title("Refusal Monitor")
st.caption("Reported refusals to fight, desertions and prosecutions of Russian servicemen. "
           "Every number links to the reports behind it.")

counts = headline(view)
for column, kind in zip(st.columns(len(TYPES)), TYPES, strict=True):
    c = counts[kind]
    rng = f"range {c['low']:,}–{c['high']:,}" + (f", {c['unknown']} with no number" if c["unknown"] else "")
    column.metric(f"{kind.capitalize()} incidents", f"{c['incidents']:,}", help=None)
    column.caption(f"**{c['people']:,}** people (best estimate; {rng})")

if view.empty:
    st.info("No incident matches these filters. Widen the date range or clear a filter in the sidebar.",
            icon=":material/filter_alt_off:")
    st.stop()

measure = s.f_measure
ranked = by_region(view, measure, s.f_per100k)
label = f"{measure} per 100k" if s.f_per100k else measure
if s.f_per100k:
    hover = {r.region: f"<br>{int(r.incidents)} incidents, {int(r.people)} people" for r in ranked.itertuples()}
else:
    other = "people" if measure == "incidents" else "incidents"
    hover = {r.region: f"<br>{int(getattr(r, other))} {other}" for r in ranked.itertuples()}


def _filter_to_clicked_region() -> None:
    """Runs before the rerun, the only moment the region widget's state may still be changed."""
    points = (st.session_state.map.selection or {}).get("points", [])
    clicked = [p["location"] for p in points if p.get("location") in regions.index]
    if clicked:
        st.session_state.f_regions = clicked[:1]


st.subheader("Where")
st.plotly_chart(region_map(dict(zip(ranked["region"], ranked["value"], strict=True)), label, hover,
                           selected=s.f_regions[0] if len(s.f_regions) == 1 else None),
                config=PLOT_CONFIG, on_select=_filter_to_clicked_region, selection_mode="points", key="map",
                width="stretch")
st.caption("Click a region to filter everything to it; clear it in the sidebar.")
notes = []
unknown = unknown_region_count(view)
if unknown:
    notes.append(f"{unknown} incident(s) with no known region are counted above but not on the map")
occupied = view[view["occupied"]]
if len(occupied):
    notes.append(f"{len(occupied)} incident(s) in occupied territory of Ukraine are drawn at their location")
abroad = view[view["region"].fillna("").str.match(r"^(?!RU-|UA-)[A-Z]{2}-")]
if len(abroad):
    notes.append(f"{len(abroad)} incident(s) abroad ({', '.join(sorted(set(abroad['region'])))}) are not drawn")
if notes:
    st.caption(" · ".join(notes) + ".")

left, right = st.columns([3, 2])
with left:
    st.subheader("When")
    st.plotly_chart(timeline(by_month(view, measure, s.f_basis), measure), config=PLOT_CONFIG, width="stretch")
with right:
    st.subheader("Regions ranked")
    st.plotly_chart(ranking(ranked, label), config=PLOT_CONFIG, width="stretch")

st.subheader("Incidents")
table = view[["incident_id", "date", "region_en", "type", "stage", "count", "count_low", "count_high", "summary",
              "n_sources"]].rename(columns={"region_en": "region", "n_sources": "sources"})
picked = st.dataframe(table, hide_index=True, on_select="rerun", selection_mode="single-row", key="table",
                      width="stretch")
rows = picked.selection.rows if picked else []
if rows:
    row = view.iloc[rows[0]]
    with st.container(border=True):
        st.markdown(f"**{html.escape(row['incident_id'])}** · {html.escape(row['type'])} "
                    f"{html.escape(row['stage'] or '')} · {html.escape(str(row['region_en']))} · "
                    f"{html.escape(row['date'] or 'date unknown')}")
        st.text(row["summary"])
        for report in sources_of(sources, row["incident_id"]).itertuples():
            link = safe_url(report.url)
            if link:
                st.link_button(f"{report.outlet}: {report.title}" if report.title else link, link)
            else:
                st.text(f"(not a web link) {report.url}")
else:
    st.caption("Select a row to see its sources.")

st.caption(f"Data version {version}. Downloads hold the rows matching the current filters.")
csv_column, zip_column = st.columns(2)
csv_column.download_button("Download these rows (CSV)", lambda: download_frame(view, sources).to_csv(index=False),
                           file_name=f"refusal-monitor-{version}.csv", mime="text/csv", on_click="ignore",
                           help="Formula-safe for spreadsheets. Columns as in data/codebook.csv.")
link = "?" + urlencode({k: v for k, v in query.items() if v}, doseq=True)
zip_column.download_button("Download with codebook and version (ZIP)",
                           lambda: export_zip(view, sources, (data_dir() / "codebook.csv").read_bytes(), version, link),
                           file_name=f"refusal-monitor-{version}.zip", mime="application/zip", on_click="ignore")
