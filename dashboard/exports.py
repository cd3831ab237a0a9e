"""What a reader downloads: the filtered incidents and their sources with exactly the
codebook's columns, region totals as JSON, and a ZIP with the codebook and a note. Pure
functions, no streamlit import.

Every file is formula-safe (a spreadsheet never runs a cell) and every CSV is UTF-8 with a
byte-order mark, so Excel reads Cyrillic. Counts are whole numbers.
"""

from __future__ import annotations

import io
import json
import zipfile
from urllib.parse import urlencode, urlsplit, urlunsplit

import pandas as pd

from .geo import region_table
from .model import COUNT_COLUMNS, INCIDENT_COLUMNS, SOURCE_COLUMNS, by_region

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot run as spreadsheet formulas (a leading =, +, -, @,
    tab or carriage return gets a ' in front), as OWASP recommends for CSV downloads.

    >>> csv_safe(pd.DataFrame({"a": ["=1+1", "ok", "-x"]}))["a"].tolist()
    ["'=1+1", 'ok', "'-x"]
    """
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: f"'{v}" if isinstance(v, str) and v.startswith(_FORMULA) else v)
    return out


def incidents_export(view: pd.DataFrame) -> pd.DataFrame:
    """The filtered incidents with the codebook's columns, in its order, counts as integers."""
    out = view[INCIDENT_COLUMNS].copy()
    for col in out.columns[out.dtypes == "category"]:
        out[col] = out[col].astype(str)
    for col in COUNT_COLUMNS:
        out[col] = out[col].astype("Int64")
    return csv_safe(out)


def sources_export(view: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Every report of the filtered incidents, one row each, with the codebook's columns."""
    return csv_safe(sources.loc[sources["incident_id"].isin(view["incident_id"]), SOURCE_COLUMNS])


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV as Excel opens it correctly: UTF-8 with a byte-order mark.

    >>> csv_bytes(pd.DataFrame({"a": ["Тест"]}))[:3]
    b'\\xef\\xbb\\xbf'
    """
    return frame.to_csv(index=False).encode("utf-8-sig")


def view_link(page_url: str, query: dict) -> str:
    """The absolute link to this view: the page's address with the filters as its query.

    >>> view_link("http://127.0.0.1:8501/?old=1", {"type": ["refusal"], "q": ""})
    'http://127.0.0.1:8501/?type=refusal'
    >>> view_link("https://monitor.example/", {})
    'https://monitor.example/'
    """
    parts = urlsplit(page_url or "")
    kept = {k: v for k, v in query.items() if v}
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", urlencode(kept, doseq=True), ""))


def region_totals(view: pd.DataFrame, version: str, link: str) -> bytes:
    """Incidents and people per region of the view as JSON, for embedding in an article."""
    ranked = by_region(view, "incidents")
    regions = region_table()
    rows = [{"code": r.region, "name_en": regions.at[r.region, "name_en"] if r.region in regions.index else r.region,
             "name_ru": regions.at[r.region, "name_ru"] if r.region in regions.index else r.region,
             "incidents": int(r.incidents), "people": int(r.people)} for r in ranked.itertuples()]
    note = {"source": "Refusal Monitor", "licence": "CC BY 4.0", "data_version": version, "view": link,
            "incidents": len(view), "incidents_without_region": int((view["region"] == "").sum()), "regions": rows}
    return json.dumps(note, ensure_ascii=False, indent=1).encode("utf-8")


def readme(version: str, link: str, rows: int) -> str:
    return (f"Refusal Monitor data export\nData version: {version}\nView: {link}\nIncidents: {rows}\n"
            "Licence: CC BY 4.0. Cite as: Refusal Monitor, the data version above, and the view's link.\n"
            "incidents.csv and sources.csv have exactly the columns that codebook.csv describes;\n"
            "codebook_values.csv lists each category's allowed values. sources.csv has one row per report;\n"
            "source_kind says whether it is the outlet's original reporting or a copy.\n"
            "region_totals.json: incidents and people per region of this view.\n"
            "CSV files are UTF-8 with a byte-order mark; cells that a spreadsheet would run as a formula\n"
            "start with an apostrophe.\n")


def export_zip(view: pd.DataFrame, sources: pd.DataFrame, codebook_files: dict[str, bytes], version: str,
               link: str) -> bytes:
    """The filtered incidents, their sources, the codebook, region totals and a note of
    the data version, the view's link, licence and citation."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("incidents.csv", csv_bytes(incidents_export(view)))
        archive.writestr("sources.csv", csv_bytes(sources_export(view, sources)))
        for name, content in codebook_files.items():
            archive.writestr(name, content)
        archive.writestr("region_totals.json", region_totals(view, version, link))
        archive.writestr("README.txt", readme(version, link, len(view)))
    return buffer.getvalue()
