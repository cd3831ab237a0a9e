"""Figure builders: what each figure holds, checked on the figure itself (no browser)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.figures import region_map, timeline

MONTHLY = pd.DataFrame({"month": pd.to_datetime(["2023-01-01", "2023-02-01", "2023-02-01"]),
                        "type": ["refusal", "refusal", "desertion"], "value": [2, 1, 3]})
REST = pd.DataFrame({"year": [2022, 0], "type": ["desertion", "refusal"], "value": [4, 1]})
TYPES = {"refusal": "Refusal", "desertion": "Desertion"}


@pytest.mark.parametrize(("rest", "axes", "hatched"), [
    (REST, ["x", "x2"], {"x2"}),
    (REST.iloc[0:0], ["x"], set()),
    (None, ["x"], set()),
])
def test_the_timeline_holds_imprecise_dates_below_the_months_in_one_figure(rest, axes, hatched):
    fig = timeline(MONTHLY, TYPES, "incidents", rest, lambda y: f"{y}, year only", "no date", "Not monthly")
    assert sorted({bar.xaxis for bar in fig.data}) == axes
    assert {bar.xaxis for bar in fig.data if bar.marker.pattern.shape == "/"} == hatched
    if hatched:
        below = [bar for bar in fig.data if bar.xaxis == "x2"]
        assert list(below[0].x) == ["2022, year only", "no date"]
        assert all(bar.showlegend is False for bar in below)
        assert "Not monthly" in [a.text for a in fig.layout.annotations]


@pytest.mark.parametrize(("fixed", "autoexpand"), [(True, False), (False, True)])
def test_the_timeline_margins_are_fixed_unless_asked_to_grow(fixed, autoexpand):
    assert timeline(MONTHLY, TYPES, "incidents", REST, fixed_margins=fixed).layout.margin.autoexpand is autoexpand


def test_the_map_keeps_room_for_its_colour_bar_without_a_second_draw():
    fig = region_map({"RU-MOW": 3})
    assert fig.layout.margin.autoexpand is False
    assert fig.layout.margin.b >= 60


def test_the_timeline_draws_only_months_with_a_value_and_keeps_every_legend_entry():
    months = pd.to_datetime(["2023-01-01", "2023-02-01", "2023-03-01"] * 3)
    monthly = pd.DataFrame({"month": months, "type": ["refusal"] * 3 + ["desertion"] * 3 + ["prosecution"] * 3,
                            "value": [2, 0, 1, 0, 0, 3, 0, 0, 0]})
    fig = timeline(monthly, {**TYPES, "prosecution": "Prosecution"}, "incidents")
    bars = {bar.name: (list(pd.to_datetime(bar.x).month), list(bar.y)) for bar in fig.data}
    assert bars == {"Refusal": ([1, 3], [2, 1]), "Desertion": ([3], [3]), "Prosecution": ([1], [0])}
    assert len({bar.width for bar in fig.data}) == 1
