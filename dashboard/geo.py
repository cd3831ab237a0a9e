"""Region boundaries and the gazetteer as the map needs them, with no streamlit import."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from geography.gazetteer import regions
from lexicons import load_yaml
from refusal_monitor.settings import regions_dir

TOPOJSON_URL = "/app/static/topojson/"
"""Where the page fetches Plotly's base map: served by the app itself (Streamlit static
serving), never the CDN Plotly would otherwise use, so readers' browsers contact no
other host."""

GEOJSON_URL = "/app/static/regions.geojson"
"""The region polygons as the browser fetches them: a byte-for-byte copy of
data/regions/boundaries.geojson in static/. Referring to them by URL keeps each rerun's
map spec at a few KB instead of re-serialising 230 KB of coordinates, and the browser
fetches the file once per page."""


@cache
def region_table() -> pd.DataFrame:
    """One row per region: code, English and Russian names, type, district, population."""
    rows = [{"code": r.code, "name_en": r.en, "name_ru": r.ru, "type": r.type,
             "district": r.district, "population": r.population, "occupied": r.occupied}
            for r in regions().values()]
    return pd.DataFrame(rows).set_index("code", drop=False)


@cache
def search_names() -> dict[str, list[str]]:
    """Per region, the names a reader may search it by: the gazetteer's aliases in both
    languages, the capital, and a few colloquial names (i18n/region_search.yaml)."""
    rows = load_yaml(regions_dir() / "regions.yaml") or []
    extra = load_yaml(Path(__file__).resolve().parent / "i18n" / "region_search.yaml") or {}
    return {row["code"]: list(dict.fromkeys([*row["aliases_en"], *row["aliases_ru"], row["capital"], row["capital_ru"],
                                             *extra.get(row["code"], [])]))
            for row in rows}
