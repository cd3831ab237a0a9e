"""Region boundaries and the gazetteer as the map needs them, with no streamlit import."""

from __future__ import annotations

import json
from functools import cache

import pandas as pd

from extract.gazetteer import REGIONS_DIR, regions

TOPOJSON_URL = "/app/static/topojson/"
"""Where the page fetches Plotly's base map: served by the app itself (Streamlit static
serving), never the CDN Plotly would otherwise use, so readers' browsers contact no
other host."""


@cache
def boundaries() -> dict:
    """The simplified region polygons (data/regions/boundaries.geojson), keyed by ISO code."""
    return json.loads((REGIONS_DIR / "boundaries.geojson").read_text(encoding="utf-8"))


@cache
def region_table() -> pd.DataFrame:
    """One row per region: code, English and Russian names, type, district, population."""
    rows = [{"code": r.code, "name_en": r.en, "name_ru": r.ru, "type": r.type,
             "district": r.district, "population": r.population, "occupied": r.occupied}
            for r in regions().values()]
    return pd.DataFrame(rows).set_index("code", drop=False)
