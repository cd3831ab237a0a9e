"""Filtering and aggregation of the incident table: pure pandas, no streamlit import.

Every function takes and returns plain frames, so the pages only lay out widgets and
the tests exercise the numbers without a browser.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from dataclasses import dataclass, field

import pandas as pd

from store.codebook import shipped_codebook

from .geo import region_table

CODEBOOK = shipped_codebook()
TYPES = CODEBOOK.types
STAGES = CODEBOOK.stages
SOURCE_COLUMNS = CODEBOOK.names("sources.csv")
INCIDENT_COLUMNS = CODEBOOK.names("incidents.csv")


def sources_frame(sources: list[dict] | pd.DataFrame) -> pd.DataFrame:
    """One row per (incident, report), as in sources.csv."""
    return pd.DataFrame(sources, columns=SOURCE_COLUMNS).fillna("")


def incidents_frame(incidents: list[dict] | pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """One row per incident with how many reports it has, the first publication date, and
    monthly `event_date`/`published_date` for the timeline. Lists of URLs or outlets are
    deliberately not folded in: per-group Python lists cost seconds at 100k incidents, and
    the few places that need them look them up in the sources frame."""
    inc = pd.DataFrame(incidents, columns=INCIDENT_COLUMNS)
    n_sources = sources["incident_id"].value_counts()
    dated = sources.loc[sources["published"] != "", ["incident_id", "published"]]
    first = dated.sort_values("published", kind="stable").drop_duplicates("incident_id")
    df = inc.assign(n_sources=inc["incident_id"].map(n_sources),
                    published=inc["incident_id"].map(first.set_index("incident_id")["published"]))
    for col in ("count", "count_low", "count_high"):
        df[col] = pd.to_numeric(df[col], errors="coerce")
    df["n_sources"] = df["n_sources"].fillna(0).astype(int)
    df["published"] = df["published"].fillna("")
    df["people"] = df["count"].fillna(df["count_low"])
    df["event_date"] = pd.to_datetime(df["date"].str.slice(0, 7), format="%Y-%m", errors="coerce")
    df["published_date"] = pd.to_datetime(df["published"].str.slice(0, 7), format="%Y-%m", errors="coerce")
    regions = region_table()
    df["region_en"] = df["region"].map(regions["name_en"]).fillna(df["region"])
    df["region_ru"] = df["region"].map(regions["name_ru"]).fillna("")
    df["occupied"] = df["region"].str.startswith("UA-")
    return df


def outlets(sources: pd.DataFrame) -> list[str]:
    return sorted(o for o in sources["outlet"].unique() if o)


def sources_of(sources: pd.DataFrame, incident_id: str) -> pd.DataFrame:
    return sources[sources["incident_id"] == incident_id]


@dataclass(frozen=True)
class Filters:
    start: dt.date | None = None
    end: dt.date | None = None
    types: tuple[str, ...] = TYPES
    stages: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    text: str = ""
    date_basis: str = "incident"
    extra: dict = field(default_factory=dict, compare=False)


def apply_filters(df: pd.DataFrame, f: Filters, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """The incidents that pass every filter. Dates compare by month; an incident with no
    date of the chosen kind passes only when no date range is set. The outlet filter
    needs the sources frame: an incident passes when any of its reports is by one of them."""
    mask = df["type"].isin(f.types)
    if f.stages:
        mask &= df["stage"].isin(f.stages)
    if f.regions:
        mask &= df["region"].isin(f.regions)
    if f.outlets:
        if sources is None:
            raise ValueError("the outlet filter needs the sources frame")
        mask &= df["incident_id"].isin(sources.loc[sources["outlet"].isin(f.outlets), "incident_id"])
    if f.text.strip():
        mask &= df["summary"].str.contains(f.text.strip(), case=False, regex=False)
    column = "event_date" if f.date_basis == "incident" else "published_date"
    if f.start is not None:
        mask &= df[column] >= pd.Timestamp(f.start.year, f.start.month, 1)
    if f.end is not None:
        mask &= df[column] <= pd.Timestamp(f.end.year, f.end.month, 1)
    return df[mask]


def headline(df: pd.DataFrame) -> dict[str, dict]:
    """Per type: incidents, people (best estimate) and the low–high range of people."""
    grouped = df.assign(unknown=df["count_low"].isna()).groupby("type").agg(
        incidents=("type", "size"), people=("people", "sum"), low=("count_low", "sum"), high=("count_high", "sum"),
        unknown=("unknown", "sum"))
    grouped = grouped.reindex(list(TYPES), fill_value=0)
    return {kind: {k: int(v) for k, v in row.items()} for kind, row in grouped.to_dict("index").items()}


def by_region(df: pd.DataFrame, measure: str = "incidents", per_100k: bool = False) -> pd.DataFrame:
    """One row per region with incidents and people, and `value` the chosen measure
    (optionally per 100,000 inhabitants), ranked."""
    known = df[df["region"].fillna("") != ""]
    grouped = known.groupby("region").agg(incidents=("incident_id", "size"), people=("people", "sum"))
    regions = region_table()
    grouped = grouped.join(regions[["name_en", "name_ru", "population", "occupied"]], how="left")
    grouped["value"] = grouped[measure].astype(float)
    if per_100k:
        grouped["value"] = grouped["value"] / grouped["population"] * 100_000
    return grouped.sort_values(["value", "incidents"], ascending=False).reset_index()


def unknown_region_count(df: pd.DataFrame) -> int:
    return int((df["region"].fillna("") == "").sum())


def by_month(df: pd.DataFrame, measure: str = "incidents", date_basis: str = "incident") -> pd.DataFrame:
    """Incidents or people per month and type (long format), months without data as 0."""
    column = "event_date" if date_basis == "incident" else "published_date"
    dated = df.dropna(subset=[column])
    if dated.empty:
        return pd.DataFrame(columns=["month", "type", "value"])
    value = dated["people"] if measure == "people" else pd.Series(1, index=dated.index)
    table = value.groupby([dated[column], dated["type"]]).sum().unstack(fill_value=0)
    months = pd.date_range(table.index.min(), table.index.max(), freq="MS")
    table = table.reindex(months, fill_value=0).reindex(columns=list(TYPES), fill_value=0)
    table.index.name = "month"
    return table.reset_index().melt(id_vars="month", var_name="type", value_name="value")


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot run as spreadsheet formulas (a leading =, +, -, @
    gets a ' in front), as OWASP recommends for CSV downloads.

    >>> csv_safe(pd.DataFrame({"a": ["=1+1", "ok", "-x"]}))["a"].tolist()
    ["'=1+1", 'ok', "'-x"]
    """
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: f"'{v}" if isinstance(v, str) and v.startswith(_FORMULA) else v)
    return out


def download_frame(df: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The filtered rows as published: codebook columns plus source URLs, formula-safe."""
    cols = ["incident_id", "type", "stage", "count", "count_low", "count_high", "region", "region_en", "place",
            "date", "date_precision", "summary", "n_sources", "published"]
    out = df[cols].copy()
    mine = sources[sources["incident_id"].isin(out["incident_id"])]
    urls = mine.groupby("incident_id", sort=False)["url"].agg(" ".join)
    out["source_urls"] = out["incident_id"].map(urls).fillna("")
    return csv_safe(out)


def data_version(fingerprint: dict[str, str], sources: pd.DataFrame) -> str:
    """The newest report date and a short hash of the data files: the same files always
    give the same version, in a container without git as much as in a clone.

    >>> data_version({"incidents.csv": "ab12cd34ef", "sources.csv": "99"}, pd.DataFrame({"published": ["2024-05-01"]}))
    '2024-05-01+e4705b0'
    """
    digest = hashlib.sha256("".join(fingerprint[k] for k in sorted(fingerprint)).encode()).hexdigest()[:7]
    published = sources["published"][sources["published"] != ""]
    newest = published.max() if len(published) else "undated"
    return f"{newest}+{digest}"


def export_zip(view: pd.DataFrame, sources: pd.DataFrame, codebook_csv: bytes, version: str, link: str) -> bytes:
    """The filtered rows, the codebook and a note of the data version, the view's link,
    licence and citation: what a reader needs to reuse the numbers correctly."""
    note = (f"Refusal Monitor data export\nData version: {version}\nView: {link}\nRows: {len(view)}\n"
            "Licence: CC BY 4.0. Cite as: Refusal Monitor, dataset version above, and the view's link.\n"
            "Columns: see codebook.csv. Every row lists its sources in source_urls.\n")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("incidents.csv", download_frame(view, sources).to_csv(index=False))
        archive.writestr("codebook.csv", codebook_csv)
        archive.writestr("README.txt", note)
    return buffer.getvalue()


def safe_url(url: str) -> str | None:
    """The URL if it is http(s), else None: data never becomes a javascript: link.

    >>> safe_url("https://meduza.io/x"), safe_url("javascript:alert(1)")
    ('https://meduza.io/x', None)
    """
    return url if isinstance(url, str) and url.lower().startswith(("http://", "https://")) else None
