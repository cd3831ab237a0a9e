"""Figure builders: each takes plain data and returns a plotly Figure, nothing else."""

from __future__ import annotations

import plotly.graph_objects as go

from .geo import GEOJSON_URL, region_table
from .model import CODEBOOK, TYPES

TYPE_COLOURS = CODEBOOK.colours("type")


def region_map(values: dict[str, float], label: str = "incidents",
               hover_extra: dict[str, str] | None = None, selected: str | None = None,
               geojson: str | dict = GEOJSON_URL) -> go.Figure:
    """A choropleth of Russia's regions (and occupied Ukraine) in an Albers equal-area
    projection, as atlases of Russia draw it: standard parallels 52° and 64°, centred on
    100° E. Regions without a value are drawn in grey so the country stays whole.
    `geojson` is the boundaries' URL as the page serves them, or the polygons themselves."""
    table = region_table()
    codes = list(table.index)
    z = [values.get(c, 0) for c in codes]
    names = [f"{table.at[c, 'name_en']} / {table.at[c, 'name_ru']}"
             + (" — occupied territory of Ukraine" if table.at[c, "occupied"] else "") for c in codes]
    extra = [hover_extra.get(c, "") if hover_extra else "" for c in codes]
    fig = go.Figure(go.Choropleth(
        geojson=geojson, locations=codes, featureidkey="id", z=z,
        customdata=list(zip(codes, names, extra, strict=True)),
        hovertemplate="<b>%{customdata[1]}</b><br>%{z:,.4~g} " + label + "%{customdata[2]}<extra></extra>",
        colorscale=[[0, "#f2f0f7"], [0.0001, "#dadaeb"], [0.5, "#9e9ac8"], [1, "#3f007d"]],
        marker_line_color=["#d62728" if c == selected else "white" for c in codes],
        marker_line_width=[2.5 if c == selected else 0.4 for c in codes],
        colorbar={"title": {"text": label}, "thickness": 12},
    ))
    fig.update_geos(
        projection={"type": "conic equal area", "parallels": [52, 64], "rotation": {"lon": 100}},
        lonaxis_range=[20, 188], lataxis_range=[40, 80], center={"lon": 100, "lat": 62},
        showcountries=True, countrycolor="#bbbbbb", showland=True, landcolor="#f7f7f7",
        showocean=False, showlakes=False, showframe=False, showcoastlines=False,
        resolution=110,
    )
    fig.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0}, height=480, clickmode="event+select",
                      dragmode=False)
    return fig


def timeline(monthly, measure: str = "incidents") -> go.Figure:
    """Stacked bars per month and type."""
    fig = go.Figure()
    for kind in TYPES:
        colour = TYPE_COLOURS.get(kind)
        part = monthly[monthly["type"] == kind]
        fig.add_bar(x=part["month"], y=part["value"], name=kind, marker_color=colour,
                    hovertemplate="%{x|%B %Y}: %{y} " + measure + f" ({kind})<extra></extra>")
    fig.update_layout(barmode="stack", height=320, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      legend={"orientation": "h", "y": 1.1}, yaxis_title=measure, xaxis_title=None)
    return fig


def ranking(ranked, label: str, top: int = 15) -> go.Figure:
    """Horizontal bars of the top regions by the current measure."""
    part = ranked.head(top).iloc[::-1]
    names = [f"{e} / {r}" for e, r in zip(part["name_en"].fillna(part["region"]), part["name_ru"].fillna(""),
                                          strict=True)]
    fig = go.Figure(go.Bar(x=part["value"], y=names, orientation="h", marker_color="#6a51a3",
                           customdata=part[["incidents", "people"]],
                           hovertemplate="%{y}: %{x:,.4~g} " + label
                                         + "<br>%{customdata[0]} incidents, %{customdata[1]} people<extra></extra>"))
    fig.update_layout(height=max(220, 26 * len(part) + 40), margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      xaxis_title=label)
    return fig
