"""Calendar heat map: grids in both views, closed days, French labels, table alternative
(bqplot-style: build with small series, set data, assert on traits and on the HTML)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from widgets.calendar import (
    CLOSED_TEXT,
    NULL_COLOR,
    CalendarHeatmap,
    _nullable_json,
    calendar_heatmap,
    month_grid,
    week_grid,
    week_tick_labels,
)
from widgets.tables import TABLE_TOGGLE


def _days(start: str = "2024-01-01", periods: int = 60) -> pd.Series:
    index = pd.date_range(start, periods=periods)
    return pd.Series(np.arange(1, periods + 1, dtype=float), index=index)


def test_week_grid_has_weekdays_as_rows_and_weeks_as_columns():
    values = _days("2024-01-03", 12)  # Wednesday 3 to Sunday 14 January
    grid = week_grid(values)
    assert list(grid.index) == [
        "Lundi",
        "Mardi",
        "Mercredi",
        "Jeudi",
        "Vendredi",
        "Samedi",
        "Dimanche",
    ]
    assert list(grid.columns) == ["sem. du 01/01/2024", "sem. du 08/01/2024"]
    assert np.isnan(grid.iloc[0, 0]) and grid.loc["Mercredi", "sem. du 01/01/2024"] == 1.0
    assert grid.loc["Dimanche", "sem. du 08/01/2024"] == 12.0


def test_month_grid_has_months_as_rows_and_days_as_columns():
    grid = month_grid(_days("2024-01-30", 35))
    assert list(grid.index) == ["janvier 2024", "février 2024", "mars 2024"]
    assert list(grid.columns) == list(range(1, 32))
    assert grid.loc["février 2024", 29] == 31.0 and np.isnan(grid.loc["février 2024", 30])


def test_closed_days_are_blank_in_the_grid_and_fermé_in_the_table():
    values = _days(periods=14)
    closed = pd.Series(values.index.day_of_week == 0, index=values.index)
    chart = calendar_heatmap(values, "Entrées jour par jour", "Entrées", closed=closed)
    assert chart.grid_frame.loc["Lundi"].isna().all()
    assert chart.table.value.count(f"<td>{CLOSED_TEXT}</td>") == 2
    assert TABLE_TOGGLE in chart.table.value
    assert "<caption>Entrées jour par jour</caption>" in chart.table.value
    assert '<th scope="col">Semaine</th>' in chart.table.value  # weeks as rows, like a calendar


def test_missing_days_reach_the_browser_as_null_so_they_take_the_null_colour():
    chart = calendar_heatmap(_days(periods=10), "T", "Entrées")
    assert chart.grid.null_color == NULL_COLOR
    state = chart.grid.get_state()["color"]
    assert state[0] == [1.0, 8.0] and state[3] == [4.0, None]  # no Thursday 11 January
    assert _nullable_json(None, chart.grid) is None


def test_update_switches_views_and_notifies_observers():
    chart = calendar_heatmap(_days(periods=21), "T", "Entrées")
    seen = []
    chart.grid.observe(lambda change: seen.append(np.asarray(change["new"]).shape), names="color")
    chart.update(_days("2024-01-01", 70), view="mois")
    assert seen == [(3, 31)] and chart.view == "mois"
    assert list(chart.grid.row) == ["janvier 2024", "février 2024", "mars 2024"]
    assert chart.grid.tooltip.labels == ["Mois", "Jour du mois", "Entrées"]
    assert chart.column_axis.tick_labels is None
    assert '<th scope="col">Mois</th>' in chart.table.value
    assert chart.color_scale.max == 70.0


def test_week_axis_shows_a_few_month_names():
    chart = calendar_heatmap(_days(periods=366), "T", "Entrées")
    assert chart.column_axis.num_ticks == 5
    labels = chart.column_axis.tick_labels
    assert labels["sem. du 01/01/2024"] == "janv. 2024" and labels["sem. du 04/03/2024"] == "mars"
    assert week_tick_labels(["sem. du 30/12/2024"]) == {"sem. du 30/12/2024": "déc."}


def test_an_empty_selection_says_so():
    chart = CalendarHeatmap("T", "Entrées")
    chart.update(pd.Series(dtype=float))
    assert "Aucune donnée pour cette sélection." in chart.note.value
    assert chart.grid.color.shape == (7, 2)


def test_an_unknown_view_is_refused():
    with pytest.raises(ValueError, match="unknown calendar view"):
        calendar_heatmap(_days(), "T", "Entrées", view="années")


@pytest.mark.parametrize(
    ("start", "periods", "view", "shape"),
    [
        ("2024-01-03", 1, "semaines", (7, 1)),  # a single day
        ("2024-01-01", 7, "semaines", (7, 1)),  # Monday to Sunday
        ("2024-02-01", 29, "mois", (1, 31)),  # one whole month
        ("2024-02-05", 1, "mois", (1, 31)),  # a single day, months view
    ],
)
def test_a_single_week_or_month_is_drawn_as_a_grid(start, periods, view, shape):
    values = _days(start, periods)
    chart = CalendarHeatmap("T", "Entrées")
    chart.update(values, view=view)  # bqplot used to squeeze the grid to 1-D and fail
    drawn = np.asarray(chart.grid.color, dtype=float)
    assert drawn.shape == chart.grid_frame.shape == shape
    np.testing.assert_array_equal(drawn, chart.grid_frame.to_numpy(dtype=float))
    sent = chart.grid.get_state()["color"]  # what the browser draws, row by row
    assert [len(row) for row in sent] == [shape[1]] * shape[0]
    assert [v for row in sent for v in row if v is not None] == list(values)
    first = pd.Timestamp(start)
    if view == "semaines":
        assert list(chart.grid.row) == list(chart.grid_frame.index) and chart.grid.row[0] == "Lundi"
        assert list(chart.grid.column) == ["sem. du 01/01/2024"]
        assert chart.column_axis.tick_labels == {"sem. du 01/01/2024": "janv. 2024"}
        assert sent[first.day_of_week][0] == 1.0 and sum(v is None for v in sent[6]) == (
            periods < 7
        )
    else:
        assert list(chart.grid.row) == ["février 2024"]
        assert list(chart.grid.column) == [str(d) for d in range(1, 32)]
        assert sent[0][first.day - 1] == 1.0 and sent[0][29:] == [None, None]
    assert chart.color_scale.max == float(periods)
    assert chart.note.value == f'<p class="rr-empty">{chart.null_text}</p>'


def test_a_single_week_then_longer_periods_redraw():
    chart = calendar_heatmap(_days(periods=3), "T", "Entrées")
    assert np.asarray(chart.grid.color).shape == (7, 1)
    chart.update(_days(periods=30))
    assert np.asarray(chart.grid.color).shape == (7, 5)
    chart.update(_days("2024-03-01", 5), view="mois")
    assert np.asarray(chart.grid.color).shape == (1, 31)
    chart.update(_days("2024-03-01", 40), view="mois")
    assert np.asarray(chart.grid.color).shape == (2, 31)
