"""Filtering and aggregation of the incident table: pure pandas, no streamlit import.

Every function takes and returns plain frames, so the pages only lay out widgets and
the tests exercise the numbers without a browser.

Dates are as precise as the reports allow. An incident dated to a day or a month sits on
the monthly timeline; one known only by its year, or undated, is counted in every total,
drawn apart from the timeline, and kept by a date filter unless the reader asks otherwise.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from store.codebook import shipped_codebook

from .geo import region_table

CODEBOOK = shipped_codebook()
TYPES = CODEBOOK.types
STAGES = CODEBOOK.stages
SOURCE_COLUMNS = CODEBOOK.names("sources.csv")
INCIDENT_COLUMNS = CODEBOOK.names("incidents.csv")
COUNT_COLUMNS = ("count", "count_low", "count_high")
CATEGORY_COLUMNS = ("type", "stage", "place_precision", "date_precision", "unit", "reviewed", "region_en", "region_ru")
"""Columns with few distinct values, held as codes: every filter copies the frame, and a
code copies in a fraction of a string's time. The pages compare them only by value."""
FIRST_DATE = dt.date(2022, 1, 1)
"""The earliest date the filters offer: the dataset's dates begin with the full-scale invasion."""


def sources_frame(sources: list[dict] | pd.DataFrame) -> pd.DataFrame:
    """One row per (incident, report), as in sources.csv; a column the file lacks is empty."""
    frame = pd.DataFrame(sources)
    return frame.reindex(columns=SOURCE_COLUMNS).fillna("").astype(str) if len(frame) else \
        pd.DataFrame(columns=SOURCE_COLUMNS, dtype=str)


def incidents_frame(incidents: list[dict] | pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """One row per incident with how many reports it has, the first publication date,
    the month (`event_date`, `published_date`) or only the `year` it is dated to, and
    whether it rests only on copies. Lists of URLs are deliberately not folded in:
    per-group Python lists cost seconds at 100k incidents. Every step is a whole-column
    operation (Arrow or numpy): this runs on every server start and every data change."""
    inc = pd.DataFrame(incidents).reindex(columns=INCIDENT_COLUMNS).fillna("").astype(str)
    df = inc.assign(**_report_facts(inc["incident_id"], sources))
    for col in COUNT_COLUMNS:
        df[col] = _numbers(df[col])
    df["people"] = df["count"].fillna(df["count_low"])
    df["event_date"] = _per_distinct(df["date"].where(df["date"].str.len() >= 7, "").str.slice(0, 7), _months)
    df["year"] = _per_distinct(df["date"].str.slice(0, 4), lambda years: pd.to_numeric(years, errors="coerce"))
    df["published_date"] = _per_distinct(df["published"].str.slice(0, 7), _months)
    for lang in ("en", "ru"):
        names = region_table()[f"name_{lang}"]
        df[f"region_{lang}"] = _per_distinct(df["region"], lambda codes, names=names: codes.map(names).fillna(codes))
    df["occupied"] = df["region"].str.startswith("UA-")
    for col in CATEGORY_COLUMNS:
        df[col] = df[col].astype("category")
    return _newest_first(df)


def _report_facts(ids: pd.Series, sources: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per incident: its number of reports, whether it rests only on copies, and its first
    report's publication date ("" for none). Reports are matched to incidents by codes from
    one factorisation of the IDs and counted with numpy, not by mapping strings per row."""
    codes, unique_ids = pd.factorize(ids)
    owner = pc.index_in(_text(sources["incident_id"]), value_set=_text(pd.Series(unique_ids)))
    owner = owner.fill_null(-1).to_numpy(zero_copy_only=False)
    mine = owner >= 0
    n_sources = np.bincount(owner[mine], minlength=len(unique_ids))
    original = (sources["source_kind"] != "copy").to_numpy(dtype=bool)
    originals = np.bincount(owner[mine & original], minlength=len(unique_ids))
    published = sources["published"]
    dated = mine & (published != "").to_numpy(dtype=bool)
    ranks, dates = pd.factorize(published[dated], sort=True)
    first = np.full(len(unique_ids), len(dates))
    np.minimum.at(first, owner[dated], ranks)
    first_date = np.append(np.asarray(dates, dtype=object), "")[first]
    return {"n_sources": n_sources[codes], "published": first_date[codes],
            "copies_only": (n_sources > 0)[codes] & (originals == 0)[codes]}


def _text(column: pd.Series) -> pa.Array:
    return pa.array(column, type=pa.string(), from_pandas=True)


def _numbers(column: pd.Series) -> pd.Series:
    """Counts as floats, empty cells NaN: Arrow's cast when every cell is a number (as in
    validated data), else pd.to_numeric, which takes four times as long on Arrow strings."""
    cells = _text(column)
    try:
        numbers = pc.cast(pc.if_else(pc.equal(cells, ""), pa.scalar(None, pa.string()), cells), pa.float64())
    except pa.ArrowInvalid:
        return pd.to_numeric(column, errors="coerce").astype(float)
    return pd.Series(numbers.to_numpy(zero_copy_only=False), index=column.index, dtype=float)


def _per_distinct(column: pd.Series, convert) -> np.ndarray:
    """`convert` (a function of a Series) applied to each distinct value once and spread
    back over the rows: 100k incidents have a few hundred months and regions.

    >>> _per_distinct(pd.Series(["2024", "2023", "2024", "x"]), lambda v: pd.to_numeric(v, errors="coerce")).tolist()
    [2024.0, 2023.0, 2024.0, nan]
    """
    codes, found = pd.factorize(column)
    return convert(pd.Series(found, dtype=object)).to_numpy()[codes]


def _months(cells: pd.Series) -> pd.Series:
    """YYYY-MM cells as the first of their month, anything else NaT."""
    return pd.to_datetime(cells, format="%Y-%m", errors="coerce")


def _newest_first(df: pd.DataFrame) -> pd.DataFrame:
    """By first report, then date, then ID, all newest first; ties keep the file's order.
    Arrow's stable sort of the three text columns: pandas sorts Arrow strings by copying them."""
    keys = pa.table({c: _text(df[c]) for c in ("published", "date", "incident_id")})
    order = pc.sort_indices(keys, sort_keys=[(c, "descending") for c in keys.column_names])
    return df.take(order.to_numpy()).reset_index(drop=True)


def outlets(sources: pd.DataFrame) -> list[str]:
    return sorted(o for o in sources["outlet"].unique() if o)


def sources_of(sources: pd.DataFrame, incident_id: str) -> pd.DataFrame:
    """An incident's reports, original reporting first (the codebook's source policy: prefer
    the outlet that reported it over those that copied it), then by publication date.

    >>> frame = pd.DataFrame({"incident_id": ["RM-1"] * 3, "url": ["a", "b", "c"],
    ...                       "source_kind": ["copy", "", "original"],
    ...                       "published": ["2024-01-01", "2024-02-01", "2024-03-01"]})
    >>> list(sources_of(frame, "RM-1")["url"])
    ['b', 'c', 'a']
    """
    own = sources[sources["incident_id"] == incident_id]
    order = own.assign(_copy=own["source_kind"] == "copy").sort_values(["_copy", "published"], kind="stable")
    return order.drop(columns="_copy")


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
    keep_imprecise: bool = True
    no_copies: bool = False


def apply_filters(df: pd.DataFrame, f: Filters, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """The incidents that pass every filter. The outlet filter needs the sources frame: an
    incident passes when any of its reports is by one of them."""
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
    if f.no_copies:
        mask &= ~df["copies_only"]
    if f.start is not None or f.end is not None:
        mask &= _in_date_range(df, f)
    return df[mask]


def _in_date_range(df: pd.DataFrame, f: Filters) -> pd.Series:
    """Months compare by month. An incident known only by its year passes when the whole
    year lies in the range, and, when imprecise dates are kept, when the year overlaps it;
    an undated incident passes only when imprecise dates are kept."""
    lo = pd.Timestamp(f.start.year, f.start.month, 1) if f.start else pd.Timestamp.min
    hi = pd.Timestamp(f.end.year, f.end.month, 1) if f.end else pd.Timestamp.max
    month = df["event_date"] if f.date_basis == "incident" else df["published_date"]
    inside = month.notna() & (month >= lo) & (month <= hi)
    if f.date_basis != "incident":
        return inside | (month.isna() & f.keep_imprecise)
    year = df["year"]
    year_only = month.isna() & year.notna()
    starts_in = (year > lo.year) | ((year == lo.year) & (lo.month == 1)) if f.start else True
    ends_in = (year < hi.year) | ((year == hi.year) & (hi.month == 12)) if f.end else True
    whole_year = year_only & starts_in & ends_in
    overlaps = year_only & (year >= (lo.year if f.start else 0)) & (year <= (hi.year if f.end else 9999))
    undated = month.isna() & year.isna()
    return inside | whole_year | ((overlaps | undated) & f.keep_imprecise)


def clamp_date(value: dt.date | None, lo: dt.date = FIRST_DATE, hi: dt.date | None = None) -> dt.date | None:
    """A date from the URL moved into the range the date pickers accept (a picker given a
    date outside its range raises).

    >>> clamp_date(dt.date(2021, 12, 1)), clamp_date(None), clamp_date(dt.date(2099, 1, 1), hi=dt.date(2030, 1, 1))
    (datetime.date(2022, 1, 1), None, datetime.date(2030, 1, 1))
    """
    if value is None:
        return None
    hi = hi or last_date()
    return min(max(value, lo), hi)


def last_date() -> dt.date:
    """The latest date the filters offer: the end of next year."""
    return dt.date(dt.date.today().year + 1, 12, 31)


def headline(df: pd.DataFrame) -> dict[str, dict]:
    """Per type: incidents, people (best estimate), the low–high range of people, and how
    many give no number. Sums by type code with numpy: pandas' named aggregation costs
    more than the sums at 100k rows."""
    codes = pd.Categorical(df["type"], categories=TYPES).codes
    known = codes >= 0
    codes = codes[known]

    def total(values) -> np.ndarray:
        return np.bincount(codes, weights=np.nan_to_num(np.asarray(values, dtype=float)[known]), minlength=len(TYPES))

    sums = {"incidents": np.bincount(codes, minlength=len(TYPES)), "people": total(df["people"]),
            "low": total(df["count_low"]), "high": total(df["count_high"]), "unknown": total(df["count_low"].isna())}
    return {kind: {k: int(round(v[i])) for k, v in sums.items()} for i, kind in enumerate(TYPES)}


def imprecise_counts(df: pd.DataFrame) -> dict[str, int]:
    """How many incidents are known only by year, and how many are undated."""
    no_month = df["event_date"].isna()
    return {"year": int((no_month & df["year"].notna()).sum()), "undated": int((no_month & df["year"].isna()).sum())}


def by_region(df: pd.DataFrame, measure: str = "incidents", per_100k: bool = False) -> pd.DataFrame:
    """One row per region with incidents and people, and `value` the chosen measure
    (optionally per 100,000 inhabitants), ranked. Sums by region code with numpy: pandas'
    named aggregation costs more than the sums, and this runs on every rerun."""
    codes, found = pd.factorize(df["region"])
    incidents = np.bincount(codes[codes >= 0], minlength=len(found))
    people = np.bincount(codes[codes >= 0], weights=np.nan_to_num(df["people"].to_numpy(dtype=float)[codes >= 0]),
                         minlength=len(found))
    grouped = pd.DataFrame({"incidents": incidents, "people": people}, index=pd.Index(found, name="region"))
    grouped = grouped[grouped.index != ""].sort_index()
    regions = region_table()
    grouped = grouped.join(regions[["name_en", "name_ru", "population", "occupied"]], how="left")
    grouped["people"] = grouped["people"].astype(int)
    grouped["value"] = grouped[measure].astype(float)
    if per_100k:
        grouped["value"] = grouped["value"] / grouped["population"] * 100_000
    return grouped.sort_values(["value", "incidents"], ascending=False).reset_index()


def unknown_region_count(df: pd.DataFrame) -> int:
    return int((df["region"].fillna("") == "").sum())


def abroad_codes(df: pd.DataFrame) -> list[str]:
    """Region codes of places outside Russia and occupied Ukraine that the map cannot draw."""
    return sorted({c for c in df["region"].dropna().unique() if c and not c.startswith(("RU-", "UA-"))})


def by_month(df: pd.DataFrame, measure: str = "incidents", date_basis: str = "incident") -> pd.DataFrame:
    """Incidents or people per month and type (long format), months without data as 0.
    Only incidents dated to a month or a day; see by_imprecise_date for the rest. Summed
    into a months × types grid with numpy, not grouped, unstacked and reindexed."""
    column = "event_date" if date_basis == "incident" else "published_date"
    dated = df[column].notna().to_numpy()
    if not dated.any():
        return pd.DataFrame(columns=["month", "type", "value"])
    when = df[column][dated]
    first, last = when.min(), when.max()
    months = pd.date_range(first, last, freq="MS")
    offset = ((when.dt.year - first.year) * 12 + when.dt.month - first.month).to_numpy()
    kind = pd.Categorical(df["type"][dated], categories=TYPES).codes
    known = kind >= 0
    cell = kind[known].astype(np.int64) * len(months) + offset[known]
    if measure == "people":
        value = np.bincount(cell, weights=np.nan_to_num(df["people"].to_numpy(dtype=float)[dated][known]),
                            minlength=len(TYPES) * len(months))
    else:
        value = np.bincount(cell, minlength=len(TYPES) * len(months))
    return pd.DataFrame({"month": np.tile(months, len(TYPES)), "type": np.repeat(np.array(TYPES, dtype=object),
                                                                                  len(months)), "value": value})


def by_imprecise_date(df: pd.DataFrame, measure: str = "incidents", date_basis: str = "incident") -> pd.DataFrame:
    """Incidents or people that the monthly timeline cannot place, per year (0 for undated)
    and type: year-only incident dates, or no date of the chosen kind."""
    column = "event_date" if date_basis == "incident" else "published_date"
    rest = df[df[column].isna()]
    if rest.empty:
        return pd.DataFrame(columns=["year", "type", "value"])
    year = rest["year"].fillna(0).astype(int) if date_basis == "incident" else pd.Series(0, index=rest.index)
    value = rest["people"].fillna(0) if measure == "people" else pd.Series(1, index=rest.index)
    table = value.groupby([year, rest["type"]], observed=True).sum()
    table.index.names = ["year", "type"]
    return table.rename("value").reset_index()


def newest_first(df: pd.DataFrame) -> pd.DataFrame:
    """Incidents by first report, newest first (then by date, then by ID): the order
    incidents_frame leaves them in, which every filter keeps."""
    return df


def data_version(fingerprint: dict[str, str], sources: pd.DataFrame) -> str:
    """The newest report date and a short hash of the data files: the same files always
    give the same version, in a container without git as much as in a clone.

    >>> data_version({"incidents.csv": "ab12cd34ef", "sources.csv": "99"}, pd.DataFrame({"published": ["2024-05-01"]}))
    '2024-05-01+e4705b0'
    """
    digest = hashlib.sha256("".join(fingerprint[k] for k in sorted(fingerprint)).encode()).hexdigest()[:7]
    return f"{last_updated(sources)}+{digest}"


def last_updated(sources: pd.DataFrame) -> str:
    """The newest report's publication date: the date the dataset is current to. Only
    cells that are dates count: sources.csv is not set aside row by row, and this text
    goes into file names and the page."""
    published = sources["published"][sources["published"].str.fullmatch(r"20\d\d-\d\d(?:-\d\d)?")]
    return published.max() if len(published) else "undated"
