"""Overview: headline counts, the region map, the timeline, the ranking, the latest cases,
the table, an incident's card and the downloads.

Widgets only; the numbers come from dashboard.model, the files from dashboard.exports, the
words from dashboard.text, and data reaches the page through dashboard.plain. Every filter
lives in the URL so a copied link reopens the same view, and in the session so it survives
a visit to Methodology.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import plain
from dashboard.exports import csv_bytes, export_zip, incidents_export, region_totals, view_link
from dashboard.figures import ranking, region_map, timeline
from dashboard.geo import TOPOJSON_URL, region_table
from dashboard.loader import codebook_files
from dashboard.model import (
    FIRST_DATE,
    STAGES,
    TYPES,
    Filters,
    abroad_codes,
    apply_filters,
    by_imprecise_date,
    by_month,
    by_region,
    clamp_date,
    headline,
    imprecise_counts,
    last_date,
    newest_first,
    outlets,
    sources_of,
    unknown_region_count,
)
from dashboard.text import number, t, word
from dashboard.ui import footer, frames_or_stop, lang, region_label, region_search_label, value_label

PLOT_CONFIG = {"topojsonURL": TOPOJSON_URL, "displaylogo": False, "displayModeBar": False}
TABLE_CAP = 300
LATEST = 8
AREAS = ("whole", "europe", "caucasus")
L = lang()
frames = frames_or_stop(L)
df, sources = frames.incidents, frames.sources
if frames.problems:
    with st.expander(t(L, "set_aside", len(frames.set_aside)), icon=":material/warning:"):
        plain.show_lines(frames.problems)

regions = region_table()
region_codes = list(regions.index) + [c for c in abroad_codes(df) if c not in regions.index]
outlet_names = outlets(sources)
params = st.query_params
PERSIST = {"persist_state": "session"}


def _from_url(key: str, allowed) -> list[str]:
    return [v for v in params.get_all(key) if v in allowed]


def _date_from_url(key: str) -> dt.date | None:
    try:
        return clamp_date(dt.date.fromisoformat(params.get(key, "")))
    except ValueError:
        return None


DEFAULTS = {"f_types": list(TYPES), "f_stages": [], "f_regions": [], "f_outlets": [], "f_text": "",
            "f_basis": "incident", "f_measure": "incidents", "f_per100k": False, "f_start": None, "f_end": None,
            "f_imprecise": True, "f_no_copies": False, "f_area": "whole"}
# The filters and measures in the sidebar's popover.
MORE = ("f_stages", "f_outlets", "f_text", "f_basis", "f_imprecise", "f_no_copies", "f_measure", "f_per100k")


def _state_from_url() -> None:
    s = st.session_state
    s.f_types = _from_url("type", TYPES) or list(TYPES)
    s.f_stages = _from_url("stage", STAGES)
    s.f_regions = _from_url("region", region_codes)
    s.f_outlets = _from_url("outlet", outlet_names)
    s.f_text = params.get("q", "")[:200]
    s.f_basis = "publication" if params.get("by") == "publication" else "incident"
    s.f_measure = "people" if params.get("measure") == "people" else "incidents"
    s.f_per100k = params.get("per100k") == "1"
    s.f_start, s.f_end = _date_from_url("from"), _date_from_url("to")
    if s.f_start and s.f_end and s.f_start > s.f_end:
        s.f_start, s.f_end = s.f_end, s.f_start
    s.f_imprecise = params.get("imprecise") != "0"
    s.f_no_copies = params.get("copies") == "0"
    s.f_area = params.get("area") if params.get("area") in AREAS else "whole"
    s.incident = params.get("incident", "")


def _reset() -> None:
    for key, value in DEFAULTS.items():
        st.session_state[key] = value
    st.session_state.incident = ""


def _clear_region() -> None:
    st.session_state.f_regions = []


if "f_types" not in st.session_state:
    _state_from_url()
elif params.get("incident") and params.get("incident") != st.session_state.get("incident"):
    st.session_state.incident = params.get("incident")


def _sidebar() -> None:
    """The filters most readers use stay in view; the rest sit in a popover, whose widgets the
    browser draws only when it opens (each widget costs a reload about 25–50 ms)."""
    with st.sidebar:
        st.header(t(L, "filters"))
        st.multiselect(t(L, "f_type"), TYPES, key="f_types", format_func=lambda v: value_label("type", v, L), **PERSIST)
        st.multiselect(t(L, "f_region"), region_codes, key="f_regions", placeholder=t(L, "f_region_all"),
                       format_func=lambda c: region_search_label(c, L), **PERSIST)
        st.date_input(t(L, "f_from"), key="f_start", min_value=FIRST_DATE, max_value=last_date(),
                      format="YYYY-MM-DD", **PERSIST)
        st.date_input(t(L, "f_to"), key="f_end", min_value=FIRST_DATE, max_value=last_date(), format="YYYY-MM-DD",
                      **PERSIST)
        changed = sum(st.session_state[key] != DEFAULTS[key] for key in MORE)
        more = t(L, "more_filters_set", changed) if changed else t(L, "more_filters")
        with st.popover(more, icon=":material/tune:", width="stretch"):
            _more_filters()
        st.button(t(L, "reset"), on_click=_reset, icon=":material/restart_alt:", width="stretch")


def _more_filters() -> None:
    st.multiselect(t(L, "f_stage"), STAGES, key="f_stages", placeholder=t(L, "f_stage_any"),
                   format_func=lambda v: value_label("stage", v, L), **PERSIST)
    st.multiselect(t(L, "f_outlet"), outlet_names, key="f_outlets", placeholder=t(L, "f_outlet_all"), **PERSIST)
    st.text_input(t(L, "f_search"), key="f_text", max_chars=200, **PERSIST)
    st.radio(t(L, "f_basis"), ["incident", "publication"], key="f_basis", horizontal=True,
             format_func=lambda b: t(L, f"basis_{b}"), **PERSIST)
    st.checkbox(t(L, "f_keep_imprecise"), key="f_imprecise", help=t(L, "f_keep_imprecise_help"), **PERSIST)
    st.checkbox(t(L, "f_no_copies"), key="f_no_copies", help=t(L, "f_no_copies_help",
                                                               n=int(df["copies_only"].sum())), **PERSIST)
    st.divider()
    st.radio(t(L, "f_measure"), ["incidents", "people"], key="f_measure", horizontal=True,
             format_func=lambda m: t(L, f"measure_{m}"), **PERSIST)
    st.toggle(t(L, "f_per100k"), key="f_per100k", **PERSIST)

s = st.session_state
filters = Filters(start=s.f_start, end=s.f_end, types=tuple(s.f_types), stages=tuple(s.f_stages),
                  regions=tuple(s.f_regions), outlets=tuple(s.f_outlets), text=s.f_text, date_basis=s.f_basis,
                  keep_imprecise=s.f_imprecise, no_copies=s.f_no_copies)
query = {"type": s.f_types if set(s.f_types) != set(TYPES) else [], "stage": s.f_stages, "region": s.f_regions,
         "outlet": s.f_outlets, "q": s.f_text, "by": "publication" if s.f_basis == "publication" else "",
         "measure": "people" if s.f_measure == "people" else "", "per100k": "1" if s.f_per100k else "",
         "from": s.f_start.isoformat() if s.f_start else "", "to": s.f_end.isoformat() if s.f_end else "",
         "imprecise": "" if s.f_imprecise else "0", "copies": "0" if s.f_no_copies else "",
         "area": "" if s.f_area == "whole" else s.f_area, "lang": "ru" if L == "ru" else ""}
st.query_params.from_dict({k: v for k, v in {**query, "incident": s.get("incident", "")}.items() if v})
link = view_link(st.context.url or "", query)
view = apply_filters(df, filters, sources)
shown_types = {k: value_label("type", k, L) for k in TYPES if k in s.f_types}
measure_word = t(L, f"measure_{s.f_measure}")

st.title(t(L, "app_title"))
st.caption(t(L, "tagline"))


def _headline() -> None:
    counts = headline(view)
    for column, kind in zip(st.columns(len(TYPES)), TYPES, strict=True):
        c = counts[kind]
        column.metric(t(L, "headline_label", type=value_label("type", kind, L)), number(c["incidents"], L))
        parts = [t(L, "headline_people", people=c["people"])]
        if c["low"] != c["high"]:
            parts.append(t(L, "headline_range", low=c["low"], high=c["high"]))
        if c["unknown"]:
            parts.append(t(L, "headline_no_number", c["unknown"]))
        column.caption("; ".join(parts))
    rough = imprecise_counts(view)
    if rough["year"] or rough["undated"]:
        st.caption(t(L, "imprecise_note", year=rough["year"], undated=rough["undated"]))


_headline()
if view.empty:
    st.info(t(L, "empty_state"), icon=":material/filter_alt_off:")
    st.button(t(L, "reset"), on_click=_reset, icon=":material/restart_alt:", key="reset_empty")


def _filter_to_clicked_region() -> None:
    """Runs before the rerun, the only moment the region widget's state may still be changed."""
    points = (st.session_state.map.selection or {}).get("points", [])
    clicked = [p.get("location") for p in points if p.get("location") in regions.index]
    if clicked:
        st.session_state.f_regions = clicked[:1]


def _on_phone() -> bool:
    """A phone's browser says "Mobi" in its user agent."""
    agent = (st.context.headers or {}).get("User-Agent", "") if st.context.headers is not None else ""
    return "Mobi" in agent


def _map_height() -> int:
    """On a phone the whole country is 350 px wide, and a desktop-height map would leave
    most of the chart empty."""
    if not _on_phone():
        return 460
    return 300 if s.f_area == "whole" else 420


def _map_section() -> tuple:
    st.subheader(t(L, "where"))
    ranked = by_region(view, s.f_measure, s.f_per100k)
    label = t(L, "per100k_label", measure=measure_word) if s.f_per100k else measure_word
    names = {c: plain.escape(region_label(c, L)) + (t(L, "occupied_suffix") if regions.at[c, "occupied"] else "")
             for c in regions.index}
    other = "people" if s.f_measure == "incidents" else "incidents"
    hover = {r.region: "<br>" + word(L, f"{other}_word", int(getattr(r, other))) for r in ranked.itertuples()}
    top_row = st.columns([3, 2])
    top_row[0].segmented_control(t(L, "map_view"), AREAS, key="f_area", required=True,
                                 format_func=lambda a: t(L, f"map_{a}"), persist_state="session")
    if s.f_regions:
        top_row[1].button(t(L, "clear_region"), on_click=_clear_region, icon=":material/close:")
    figure = region_map(dict(zip(ranked["region"], ranked["value"], strict=True)), label, names, hover,
                        selected=s.f_regions[0] if len(s.f_regions) == 1 else None, area=s.f_area,
                        whole_numbers=not s.f_per100k, height=_map_height())
    st.plotly_chart(figure, config=PLOT_CONFIG, on_select=_filter_to_clicked_region, selection_mode="points",
                    key="map", width="stretch")
    notes = [t(L, "map_click_hint")]
    if unknown := unknown_region_count(view):
        notes.append(t(L, "map_no_region", unknown))
    if occupied := int(view["occupied"].sum()):
        notes.append(t(L, "map_occupied", occupied))
    if abroad := abroad_codes(view):
        count = int(view["region"].isin(abroad).sum())
        notes.append(t(L, "map_abroad", count, places=", ".join(region_label(c, L) for c in abroad)))
    plain.show(" · ".join(notes), muted=True)
    return ranked, label


def _when_and_ranking(ranked, label) -> None:
    """The timeline and the ranking in tabs of which only the open one is built and sent
    (on_change="rerun"): each Plotly chart on the page costs the reader's browser a draw on
    every load and filter change, and the map is the one most readers came for."""
    when, ranking_tab = st.tabs([t(L, "when"), t(L, "regions_ranked")], key="charts_tab", on_change="rerun")
    if when.open:
        with when:
            rest = by_imprecise_date(view, s.f_measure, s.f_basis)
            st.plotly_chart(timeline(by_month(view, s.f_measure, s.f_basis), shown_types, measure_word, rest,
                                     lambda y: t(L, "year_only", year=str(y)), t(L, "undated"), t(L, "not_monthly"),
                                     fixed_margins=not _on_phone()),
                            config=PLOT_CONFIG, width="stretch", key="timeline")
    if ranking_tab.open:
        with ranking_tab:
            top = ranked.head(15)
            names = [plain.escape(region_label(c, L)) for c in top["region"]]
            hover = [f"{word(L, 'incidents_word', int(r.incidents))}, {word(L, 'people_word', int(r.people))}"
                     for r in top.itertuples()]
            st.plotly_chart(ranking(top, names, label, hover, whole_numbers=not s.f_per100k), config=PLOT_CONFIG,
                            width="stretch", key="ranking")


def _date_text(row) -> str:
    return row["date"] or t(L, "card_date_unknown")


def _cases() -> None:
    """The latest cases, or every incident in the table: only the open tab is built and sent,
    because the data grid is the costliest element for the browser to draw on a reload."""
    latest, table = st.tabs([t(L, "latest"), t(L, "table_tab")], key="cases_tab", on_change="rerun")
    if latest.open:
        with latest:
            _latest()
    if table.open:
        with table:
            _table()
            if not s.get("incident"):
                st.caption(t(L, "select_row"))


def _latest() -> None:
    st.caption(t(L, "latest_help"))
    items = []
    for _, row in newest_first(view).head(LATEST).iterrows():
        target = "incident=" + row["incident_id"] + ("&lang=ru" if L == "ru" else "")
        head = f"{_date_text(row)} · {value_label('type', row['type'], L)} · {region_label(row['region'], L)}"
        items.append(f"<li>{plain.internal_link_html(row['incident_id'], target)} {plain.escape(head)}<br>"
                     f"<span style='opacity:0.8'>{plain.escape(row['summary'])}</span></li>")
    plain.show_html("<ul style='padding-left:1.1em'>" + "".join(items) + "</ul>")


def _labels(codes, column: str):
    """Codebook labels as plain text: labels of a categorical column stay categorical, and
    the data grid shows an empty category as "None"."""
    return codes.astype(object).map(lambda v: value_label(column, v, L) if isinstance(v, str) else "")


def _table() -> None:
    ordered = newest_first(view).head(TABLE_CAP)
    if len(view) > TABLE_CAP:
        st.caption(t(L, "table_capped", shown=TABLE_CAP, total=len(view)))
    people = ordered["people"].map(lambda v: "" if v != v else number(v, L))
    table = ordered.assign(
        type_label=_labels(ordered["type"], "type"), stage_label=_labels(ordered["stage"], "stage"),
        region_label=ordered["region"].map(lambda c: region_label(c, L)), people_text=people)
    columns = {"date": "col_date", "type_label": "col_type", "summary": "col_summary", "region_label": "col_region",
               "stage_label": "col_stage", "people_text": "col_people", "n_sources": "col_sources",
               "incident_id": "col_incident_id"}
    config = {c: st.column_config.Column(t(L, key), width="large" if c == "summary" else None)
              for c, key in columns.items()}
    st.session_state.table_ids = list(ordered["incident_id"])
    st.dataframe(table[list(columns)], hide_index=True, on_select=_open_selected_row, selection_mode="single-row",
                 key="table", width="stretch", column_config=config)


def _open_selected_row() -> None:
    """Runs before the rerun, so the card of the row just selected opens in that rerun."""
    rows = st.session_state.table.selection.rows
    ids = st.session_state.get("table_ids", [])
    if rows and rows[0] < len(ids):
        st.session_state.incident = ids[rows[0]]


def _close_card() -> None:
    st.session_state.incident = ""


def _card(incident_id: str) -> None:
    match = df[df["incident_id"] == incident_id]
    with st.container(border=True, key="incident_card"):
        if match.empty:
            plain.show(t(L, "card_not_found", id=incident_id))
            st.button(t(L, "card_close"), on_click=_close_card)
            return
        row = match.iloc[0]
        st.subheader(t(L, "card_title", id=row["incident_id"]), anchor=False)
        facts = [value_label("type", row["type"], L), value_label("stage", row["stage"], L),
                 region_label(row["region"], L), row["place"], _date_text(row)]
        if not (row["people"] != row["people"]):
            facts.append(word(L, "people_word", int(row["people"])))
        plain.show(" · ".join(f for f in facts if f), tag="p")
        plain.show(row["summary"])
        reports = sources_of(sources, incident_id)
        plain.show(t(L, "card_sources", len(reports)) + (f" — {t(L, 'copies_only')}" if row["copies_only"] else ""),
                   muted=True)
        items = []
        for report in reports.itertuples():
            label = f"{report.outlet}: {report.title}" if report.title else (report.outlet or report.url)
            kind = t(L, f"kind_{report.source_kind}") if report.source_kind in ("original", "copy") \
                else t(L, "kind_unknown")
            tail = " · ".join(x for x in (report.published, kind) if x)
            shown = plain.link_html(label, report.url) if plain.web_url(report.url) else \
                f"{plain.escape(t(L, 'not_web_link'))} {plain.escape(report.url)}"
            items.append(f"<li>{shown} <span style='opacity:0.75'>{plain.escape(tail)}</span></li>")
        plain.show_html("<ul>" + "".join(items) + "</ul>")
        own = "incident=" + row["incident_id"] + ("&lang=ru" if L == "ru" else "")
        plain.show_html(plain.internal_link_html(t(L, "card_link"), own))
        st.button(t(L, "card_close"), on_click=_close_card, key="close_card")


def _downloads() -> None:
    st.subheader(t(L, "downloads"))
    st.caption(t(L, "downloads_note"))
    base = f"refusal-monitor-{frames.version}"
    csv_column, zip_column, json_column = st.columns(3)
    csv_column.download_button(t(L, "download_csv"), lambda: csv_bytes(incidents_export(view)),
                               file_name=f"{base}.csv", mime="text/csv", on_click="ignore",
                               help=t(L, "download_csv_help"), icon=":material/download:")
    zip_column.download_button(t(L, "download_zip"),
                               lambda: export_zip(view, sources, codebook_files(), frames.version, link),
                               file_name=f"{base}.zip", mime="application/zip", on_click="ignore",
                               icon=":material/folder_zip:")
    json_column.download_button(t(L, "download_json"), lambda: region_totals(view, frames.version, link),
                                file_name=f"{base}-regions.json", mime="application/json", on_click="ignore",
                                icon=":material/data_object:")


if s.get("incident"):
    _card(s.incident)
ranked_regions, measure_label = _map_section()
if not view.empty:
    _when_and_ranking(ranked_regions, measure_label)
    _cases()
    _downloads()
footer(frames, L, link)
# Last, though it reads first: the widgets' values are in the session already, and the
# browser gets the map before the sidebar's widgets (the reader sees the map sooner).
_sidebar()
