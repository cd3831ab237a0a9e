"""The dashboard's numbers without streamlit: filters, headline counts, per-region and
per-month aggregates on a small table written here."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.model import (
    Filters,
    apply_filters,
    by_imprecise_date,
    by_month,
    by_region,
    headline,
    imprecise_counts,
    incidents_frame,
    sources_frame,
)


def incident(iid, kind, region, date, count="", low="", high="", stage="", summary="a group"):
    return {"incident_id": iid, "type": kind, "stage": stage, "count": count, "count_low": low or count,
            "count_high": high or count, "region": region, "place": "", "place_precision": "region", "date": date,
            "date_precision": {10: "day", 7: "month", 4: "year"}.get(len(date), ""), "unit": "", "summary": summary,
            "reviewed": "true"}


@pytest.fixture
def frames():
    incidents = [
        incident("RM-0001", "refusal", "RU-BU", "2022-10-03", "8", summary="Eight men refused"),
        incident("RM-0002", "desertion", "RU-BU", "2023-01-15", "", "20", "30"),
        incident("RM-0003", "prosecution", "RU-MOW", "2023-03-01", "1", stage="convicted"),
        incident("RM-0004", "desertion", "", "2023-03", "2"),
        incident("RM-0005", "refusal", "UA-09", "", "", summary="unknown number"),
        incident("RM-0006", "desertion", "RU-MOW", "2023", "3"),
    ]
    sources = sources_frame([
        {"incident_id": "RM-0001", "url": "https://a.example/1", "outlet": "A", "title": "", "published": "2022-10-05",
         "language": "en"},
        {"incident_id": "RM-0002", "url": "https://b.example/2", "outlet": "B", "title": "", "published": "2023-02-01",
         "language": "ru"},
        {"incident_id": "RM-0003", "url": "https://a.example/3", "outlet": "A", "title": "", "published": "",
         "language": "en"},
        {"incident_id": "RM-0003", "url": "https://b.example/3", "outlet": "B", "title": "", "published": "2023-03-02",
         "language": "en"},
        {"incident_id": "RM-0004", "url": "https://c.example/4", "outlet": "C", "title": "", "published": "2023-04-01",
         "language": "en"},
        {"incident_id": "RM-0005", "url": "https://c.example/5", "outlet": "C", "title": "", "published": "2024-01-01",
         "language": "en", "source_kind": "copy"},
        {"incident_id": "RM-0006", "url": "https://d.example/6", "outlet": "D", "title": "", "published": "2023-05-01",
         "language": "en", "source_kind": "copy"},
        {"incident_id": "RM-0006", "url": "https://e.example/6", "outlet": "E", "title": "", "published": "2023-05-02",
         "language": "en", "source_kind": "original"},
    ])
    return incidents_frame(incidents, sources), sources


def ids(view):
    return sorted(view["incident_id"])


@pytest.mark.parametrize(("filters", "expected"), [
    (Filters(), ["RM-0001", "RM-0002", "RM-0003", "RM-0004", "RM-0005", "RM-0006"]),
    (Filters(types=("desertion",)), ["RM-0002", "RM-0004", "RM-0006"]),
    (Filters(stages=("convicted",)), ["RM-0003"]),
    (Filters(regions=("RU-BU",)), ["RM-0001", "RM-0002"]),
    (Filters(outlets=("A",)), ["RM-0001", "RM-0003"]),
    (Filters(text="REFUSED"), ["RM-0001"]),
    (Filters(no_copies=True), ["RM-0001", "RM-0002", "RM-0003", "RM-0004", "RM-0006"]),
    # Imprecise dates: the year-only RM-0006 (2023) overlaps both ranges, the undated RM-0005 has no date.
    (Filters(start=dt.date(2023, 1, 1), end=dt.date(2023, 2, 28)), ["RM-0002", "RM-0005", "RM-0006"]),
    (Filters(start=dt.date(2023, 1, 1), end=dt.date(2023, 2, 28), keep_imprecise=False), ["RM-0002"]),
    (Filters(start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31), keep_imprecise=False),
     ["RM-0002", "RM-0003", "RM-0004", "RM-0006"]),
    (Filters(start=dt.date(2023, 3, 20)), ["RM-0003", "RM-0004", "RM-0005", "RM-0006"]),
    (Filters(start=dt.date(2024, 1, 1)), ["RM-0005"]),
    (Filters(start=dt.date(2024, 1, 1), keep_imprecise=False), []),
    (Filters(start=dt.date(2023, 12, 1), date_basis="publication", keep_imprecise=False), ["RM-0005"]),
])
def test_each_filter(frames, filters, expected):
    df, sources = frames
    assert ids(apply_filters(df, filters, sources)) == expected


def test_outlet_filter_without_sources_is_an_error(frames):
    with pytest.raises(ValueError, match="sources frame"):
        apply_filters(frames[0], Filters(outlets=("A",)))


def test_sources_are_counted_and_the_first_publication_date_kept(frames):
    df = frames[0].set_index("incident_id")
    assert df.at["RM-0003", "n_sources"] == 2 and df.at["RM-0003", "published"] == "2023-03-02"


def test_headline_uses_best_estimate_and_range(frames):
    counts = headline(frames[0])
    assert counts["desertion"] == {"incidents": 3, "people": 25, "low": 25, "high": 35, "unknown": 0}
    assert counts["refusal"] == {"incidents": 2, "people": 8, "low": 8, "high": 8, "unknown": 1}


def test_by_region_ranks_and_scales_per_100k(frames):
    ranked = by_region(frames[0], "people")
    assert list(ranked["region"][:2]) == ["RU-BU", "RU-MOW"] and ranked["value"].iloc[0] == 28
    assert ranked.set_index("region").at["RU-MOW", "people"] == 4
    scaled = by_region(frames[0], "incidents", per_100k=True).set_index("region")
    population = scaled.at["RU-BU", "population"]
    assert scaled.at["RU-BU", "value"] == pytest.approx(2 / population * 100_000)


def test_by_month_fills_empty_months_with_zero(frames):
    monthly = by_month(frames[0], "incidents")
    assert monthly["month"].min() == dt.datetime(2022, 10, 1) and monthly["month"].nunique() == 6
    assert monthly["value"].sum() == 4


def test_imprecise_dates_are_counted_and_kept_apart_from_the_timeline(frames):
    df = frames[0]
    assert imprecise_counts(df) == {"year": 1, "undated": 1}
    rest = by_imprecise_date(df).set_index(["year", "type"])["value"].to_dict()
    assert rest == {(2023, "desertion"): 1, (0, "refusal"): 1}
    assert by_month(df)["value"].sum() + sum(rest.values()) == len(df)


def test_an_incident_resting_only_on_copies_is_marked(frames):
    marked = frames[0].set_index("incident_id")["copies_only"]
    assert marked["RM-0005"] and not marked["RM-0006"] and not marked["RM-0001"]
