"""Figure builders: each takes plain data and words already in the reader's language, and
returns a plotly Figure, nothing else. Colours are the codebook's (Okabe–Ito for types)."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .geo import GEOJSON_URL, region_table
from .model import CODEBOOK

TYPE_COLOURS = CODEBOOK.colours("type")
MAP_AREAS = {
    # name: (longitude range, latitude range, projection centre longitude, parallels)
    "whole": ((20, 188), (40, 80), 100, (52, 64)),
    "europe": ((20, 75), (41, 69), 45, (48, 62)),
    "caucasus": ((33, 50), (41, 49), 42, (43, 47)),
}
MONTH_BAR_MS = 0.8 * 28 * 24 * 3600 * 1000
"""A month's bar width, fixed: without the empty months Plotly would widen the bars to
fill the gaps between the months left. 80% of the shortest month, as Plotly drew it with
every month present."""
SCALE = [[0, "#eef0f8"], [0.0001, "#c6dbef"], [0.5, "#4292c6"], [1, "#08306b"]]


def nice_step(top: float) -> int:
    """A whole step for four or five legend ticks up to top.

    >>> [nice_step(x) for x in (1, 3, 7, 19, 120, 806)]
    [1, 1, 2, 5, 50, 200]
    """
    raw = max(top / 5, 1)
    power = 10 ** math.floor(math.log10(raw))
    return int(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def whole_ticks(values) -> dict:
    """Axis settings that tick whole numbers only: Plotly would put ticks at 0.2, 0.4…"""
    top = float(max(values, default=0) or 1)
    return {"tickformat": ",d", "tick0": 0, "dtick": nice_step(top), "rangemode": "tozero"}


def region_map(values: dict[str, float], label: str = "incidents", names: dict[str, str] | None = None,
               hover_extra: dict[str, str] | None = None, selected: str | None = None, area: str = "whole",
               whole_numbers: bool = True, height: int = 460, geojson: str | dict = GEOJSON_URL) -> go.Figure:
    """A choropleth of Russia's regions (and occupied Ukraine) in an Albers equal-area
    projection, as atlases of Russia draw it. `area` zooms to European Russia or the
    Caucasus, where most regions are small. Regions without a value are drawn pale so the
    country stays whole; the legend runs in whole numbers unless the values are rates.
    The bottom margin holds the colour bar at every width, so Plotly need not draw twice
    to make room for it."""
    table = region_table()
    codes = list(table.index)
    names = names or {c: table.at[c, "name_en"] for c in codes}
    z = [values.get(c, 0) for c in codes]
    top = max(z) if z and max(z) > 0 else 1
    extra = [hover_extra.get(c, "") if hover_extra else "" for c in codes]
    number = ",d" if whole_numbers else ",.2f"
    colorbar = {"title": {"text": label, "side": "top"}, "orientation": "h", "thickness": 10, "len": 0.45,
                "x": 0.5, "xanchor": "center", "y": 0, "yanchor": "top", "tickformat": number}
    if whole_numbers:
        colorbar.update(tick0=0, dtick=nice_step(top))
    fig = go.Figure(go.Choropleth(
        geojson=geojson, locations=codes, featureidkey="id", z=z, zmin=0, zmax=top,
        customdata=list(zip(codes, [names.get(c, c) for c in codes], extra, strict=True)),
        hovertemplate="<b>%{customdata[1]}</b><br>%{z:" + number + "} " + label + "%{customdata[2]}<extra></extra>",
        colorscale=SCALE, colorbar=colorbar,
        marker_line_color=["#D55E00" if c == selected else "white" for c in codes],
        marker_line_width=[2.5 if c == selected else 0.4 for c in codes],
    ))
    lon, lat, centre, parallels = MAP_AREAS.get(area, MAP_AREAS["whole"])
    fig.update_geos(
        projection={"type": "conic equal area", "parallels": list(parallels), "rotation": {"lon": centre}},
        lonaxis_range=list(lon), lataxis_range=list(lat), center={"lon": centre, "lat": sum(lat) / 2},
        fitbounds="locations" if area == "whole" else False,
        showcountries=True, countrycolor="#bbbbbb", showland=True, landcolor="#f7f7f7",
        showocean=False, showlakes=False, showframe=False, showcoastlines=False, bgcolor="rgba(0,0,0,0)",
        resolution=110,
    )
    fig.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 66, "autoexpand": False}, height=height,
                      clickmode="event+select", dragmode=False, paper_bgcolor="rgba(0,0,0,0)")
    return fig


def timeline(monthly: pd.DataFrame, type_labels: dict[str, str], measure: str, rest: pd.DataFrame | None = None,
             year_label=str, undated_label: str = "", rest_title: str = "", fixed_margins: bool = True) -> go.Figure:
    """Stacked bars per month, one colour per type, only the types shown. Below them, when
    `rest` has rows, the incidents the months cannot place: one bar per year for year-only
    dates and one for undated, hatched so they read as imprecise. One figure rather than two
    because every Plotly figure costs the reader's browser a whole draw of its own.

    The margins fit the labels at desktop widths. Fixed, they spare the browser Plotly's
    second draw that widens margins to fit labels; on a phone, where tick labels turn on
    their side, Plotly widens them as it needs (`fixed_margins=False`)."""
    rows = 1 if rest is None or rest.empty else 2
    fig = make_subplots(rows=rows, cols=1, row_heights=[0.68, 0.32][:rows] if rows == 2 else None,
                        vertical_spacing=0.16, subplot_titles=("", rest_title) if rows == 2 else None)
    for kind, name in type_labels.items():
        part = _months_with_data(monthly[monthly["type"] == kind])
        fig.add_bar(x=part["month"], y=part["value"], name=name, marker_color=TYPE_COLOURS.get(kind),
                    legendgroup=kind, hovertemplate="%{x|%m.%Y}: %{y:,d} " + measure + f" ({name})<extra></extra>",
                    width=MONTH_BAR_MS, row=1, col=1)
    fig.update_layout(barmode="stack", height=320 if rows == 1 else 500,
                      margin={"l": 65, "r": 27, "t": 44, "b": 35, "autoexpand": not fixed_margins},
                      legend={"orientation": "h", "y": 1.12 if rows == 1 else 1.08, "traceorder": "normal"})
    fig.update_yaxes(title=measure, **whole_ticks(monthly.groupby("month")["value"].sum()), row=1, col=1)
    fig.update_xaxes(title=None, tickformat="%m.%Y", hoverformat="%m.%Y", row=1, col=1)
    if rows == 2:
        _imprecise_bars(fig, rest, type_labels, year_label, undated_label, measure)
    return fig


def _months_with_data(part: pd.DataFrame) -> pd.DataFrame:
    """The months of one type that have a value (one zero row if none, to keep its legend
    entry). The zeros the model fills in would each be a bar element for the browser to
    build on every draw: twenty years of months in three types are ~800 bars, most empty,
    and they made the timeline the page's most expensive chart to draw."""
    kept = part[part["value"] > 0]
    return kept if not kept.empty else part.head(1)


def _imprecise_bars(fig: go.Figure, rest: pd.DataFrame, type_labels: dict[str, str], year_label, undated_label: str,
                    measure: str) -> None:
    keys = sorted(set(rest["year"]), key=lambda y: (y == 0, y))
    labels = {y: undated_label if y == 0 else year_label(y) for y in keys}
    for kind, name in type_labels.items():
        part = rest[rest["type"] == kind].set_index("year")["value"].reindex(keys, fill_value=0)
        fig.add_bar(x=[labels[y] for y in keys], y=list(part), name=name, marker_color=TYPE_COLOURS.get(kind),
                    marker_pattern_shape="/", showlegend=False, legendgroup=kind,
                    hovertemplate="%{x}: %{y:,d} " + measure + f" ({name})<extra></extra>", row=2, col=1)
    fig.update_yaxes(**whole_ticks(rest.groupby("year")["value"].sum()), row=2, col=1)
    fig.update_xaxes(type="category", row=2, col=1)


def ranking(ranked: pd.DataFrame, names: list[str], label: str, hover: list[str], whole_numbers: bool = True,
            top: int = 15) -> go.Figure:
    """Horizontal bars of the top regions by the current measure."""
    part = ranked.head(top).iloc[::-1]
    shown = list(reversed(names[:top]))
    number = ",d" if whole_numbers else ",.2f"
    fig = go.Figure(go.Bar(x=part["value"], y=shown, orientation="h", marker_color="#0072B2",
                           customdata=list(reversed(hover[:top])),
                           hovertemplate="%{y}: %{x:" + number + "} " + label + "<br>%{customdata}<extra></extra>"))
    ticks = whole_ticks(part["value"]) if whole_numbers else {"tickformat": number}
    fig.update_layout(height=max(220, 26 * len(part) + 50), margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      xaxis={"title": label, **ticks})
    return fig
