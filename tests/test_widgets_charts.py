"""bqplot charts update in place, with the same numbers in their table (bqplot-style tests:
set data, assert on the marks' traits and on the HTML)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rouen_opendata.formatting import NNBSP
from widgets import ranked_bars, time_series, week_hour_heatmap
from widgets.axes import MAX_LABEL_PX, MIN_LABEL_PX, french_tick_labels, nice_ticks
from widgets.colors import MUTED_COLOR
from widgets.tables import TABLE_TOGGLE


def _daily(days: int, start: str = "2024-01-01") -> pd.DataFrame:
    return pd.DataFrame(
        {"jour": pd.date_range(start, periods=days), "courses": np.arange(days, dtype=float) * 100}
    )


def test_time_series_marks_table_and_date_axis():
    chart = time_series(_daily(10), "jour", "courses", "Courses par jour", "Courses (nombre)")
    assert list(chart.line.y) == [i * 100.0 for i in range(10)]
    assert chart.line.x[0] == np.datetime64("2024-01-01")
    assert chart.x_axis.tick_format == "%d/%m"  # short span: day and month
    assert (
        TABLE_TOGGLE in chart.table.value
        and "<caption>Courses par jour</caption>" in chart.table.value
    )
    assert (
        "<td>01/01/2024</td>" in chart.table.value
        and '<td class="rr-num">900</td>' in chart.table.value
    )
    assert chart.points.tooltip.labels == ["Date", "Courses (nombre)"]


def test_time_series_update_changes_marks_and_table_together():
    chart = time_series(_daily(3), "jour", "courses", "Courses", "Courses")
    seen = []
    chart.line.observe(lambda change: seen.append(len(change["new"])), names="y")
    chart.update(_daily(400, "2023-06-01"), "jour", "courses")
    assert seen == [400] and len(chart.points.x) == 400
    assert chart.x_axis.tick_format == "%m/%Y"
    assert f"39{NNBSP}900" in chart.table.value
    assert chart.y_scale.max >= 39_900


def test_time_series_axis_is_written_in_french_and_renamed_in_place():
    chart = time_series(_daily(400), "jour", "courses", "Courses", "Courses")
    ticks = list(chart.y_axis.tick_values)
    assert ticks == [0, 20_000, 40_000, 60_000] and chart.y_scale.max == ticks[-1]
    assert chart.y_axis.tick_labels["40000"] == f"40{NNBSP}000"  # not d3's « 40,000 »
    chart.set_labels(x_label="Semaine du", y_label="Somme de « places »")
    assert chart.y_axis.label == "Somme de « places »"
    assert chart.points.tooltip.labels == ["Semaine du", "Somme de « places »"]
    chart.update(_daily(3), "jour", "courses")
    assert '<th scope="col">Semaine du</th>' in chart.table.value


def test_ranked_bars_keep_the_top_largest_first():
    series = pd.Series({f"L{i}": float(i) for i in range(30)})
    chart = ranked_bars(series, "Courses par ligne", "Courses par jour", top=5, label_name="Ligne")
    assert chart.labels == ["L29", "L28", "L27", "L26", "L25"]
    assert list(chart.bars.y) == [29.0, 28.0, 27.0, 26.0, 25.0]
    assert (
        '<th scope="col">Ligne</th>' in chart.table.value and chart.table.value.count("<tr>") == 6
    )
    assert chart.value_axis.tick_values[-1] >= 29 * 1.2


def test_ranked_bars_highlight_is_shown_even_outside_the_top():
    series = pd.Series({"A": 10.0, "B": 8.0, "C": 5.0, "D": 1.0})
    chart = ranked_bars(
        series, "T", "V", top=3, color={"A": "#ff0000", "D": "#00ff00"}, highlight="D"
    )
    assert chart.labels == ["A", "B", "D"]
    assert list(chart.bars.colors) == [MUTED_COLOR, MUTED_COLOR, "#00ff00"]
    chart.update(series)
    assert chart.labels == ["A", "B", "C"] and chart.bars.colors[0] == "#ff0000"


def test_ranked_bars_empty_selection_says_so():
    chart = ranked_bars(pd.Series(dtype=float), "T", "V")
    assert chart.labels == [] and "Aucune donnée pour cette sélection." in chart.note.value
    chart.set_title("Courses <le> mardi")
    assert (
        "Courses &lt;le&gt; mardi" in chart.heading.value and chart.caption == "Courses <le> mardi"
    )


def test_bar_values_and_value_axis_are_written_in_french():
    series = pd.Series({"Rouen": 12_345.6, "Elbeuf": 2.5})
    chart = ranked_bars(series, "T", "Points pour 10 000 hab.", decimals=1)
    assert list(chart.value_labels.text) == [f"12{NNBSP}345,6", "2,5"]  # d3 writes 12,345.6
    assert list(chart.value_labels.x) == [12_345.6, 2.5]
    assert list(chart.value_labels.y) == [1.5, 0.5]  # band centres, first bar on top
    assert chart.label_scale.max == 2
    ticks = list(chart.value_axis.tick_values)
    assert chart.value_axis.tick_labels == {
        "0": "0",
        "5000": f"5{NNBSP}000",
        "10000": f"10{NNBSP}000",
        "15000": f"15{NNBSP}000",
    } and ticks == [0, 5000, 10_000, 15_000]
    assert chart.bars.label_display is False  # bqplot's own labels would be d3-formatted


def test_ticks_in_steps_of_two_and_a_half_keep_their_decimal():
    chart = ranked_bars(pd.Series({"a": 8.0, "b": 1.0}), "T", "V")
    assert list(chart.value_axis.tick_values) == [0, 2.5, 5, 7.5, 10]
    assert list(chart.value_axis.tick_labels.values()) == ["0,0", "2,5", "5,0", "7,5", "10,0"]
    assert french_tick_labels([0, 0.2, 0.4]) == {"0": "0,0", "0.2": "0,2", "0.4": "0,4"}
    assert french_tick_labels([0, 1, 2]) == {"0": "0", "1": "1", "2": "2"}


def test_label_margin_follows_the_longest_label_and_long_ones_are_shortened():
    short = ranked_bars(pd.Series({"T1": 1.0, "T2": 2.0}), "T", "V")
    assert short.figure.fig_margin["left"] == MIN_LABEL_PX
    assert short.label_axis.tick_labels == {}
    communes = pd.Series({"Saint-Étienne-du-Rouvray": 1.0, "Oissel": 2.0})
    chart = ranked_bars(communes, "T", "V")
    assert MIN_LABEL_PX < chart.figure.fig_margin["left"] < MAX_LABEL_PX
    assert chart.label_axis.tick_labels == {}  # fits: written whole
    name = "Les arbres de l'alliance entre hêtre et chêne sessile, parcelle 123"
    chart.update(pd.Series({name: 3.0, "Oissel": 2.0}))
    assert chart.figure.fig_margin["left"] == MAX_LABEL_PX
    shortened = chart.label_axis.tick_labels[name]
    assert shortened.endswith("…") and name.startswith(shortened[:-1])
    assert chart.labels[0] == name and f"<td>{name}</td>".replace("'", "&#x27;") in (
        chart.table.value
    )  # whole in the table
    chart.update(pd.Series({"A": 1.0}))
    assert chart.figure.fig_margin["left"] == MIN_LABEL_PX and chart.label_axis.tick_labels == {}


def test_bars_can_keep_the_order_given_and_show_missing_as_empty():
    days = pd.Series([5.0, np.nan, 9.0], index=["Lundi", "Mardi", "Mercredi"])
    chart = ranked_bars(days, "Un jour moyen", "Vélos", keep_order=True, label_name="Jour")
    assert chart.labels == ["Lundi", "Mardi", "Mercredi"]
    assert list(chart.bars.y) == [5.0, 0.0, 9.0]
    assert list(chart.value_labels.text) == ["5", "", "9"]
    table = chart.table.value.replace(' class="rr-num"', "")
    assert "<td>Mardi</td><td></td>" in table and "Rang" not in table
    assert chart.table.value.count("<tr>") == 4


def test_ordered_bars_recolour_and_highlight():
    chart = ranked_bars(pd.Series([1.0, 2.0], index=["a", "b"]), "T", "V", keep_order=True)
    seen = []
    chart.bars.observe(lambda change: seen.append(list(change["new"])), names="y")
    chart.color = {"a": "#2E7D32", "b": "#8A9099", "c": "#000000"}
    chart.update(pd.Series([3.0, 1.0, 2.0], index=["c", "a", "b"]), highlight="a")
    assert chart.labels == ["c", "a", "b"] and seen == [[3.0, 1.0, 2.0]]
    assert list(chart.bars.colors) == [MUTED_COLOR, "#2E7D32", MUTED_COLOR]
    chart.update(pd.Series([np.nan], index=["a"]))
    assert "Aucune donnée" in chart.note.value


def test_week_hour_heatmap_from_rows_and_from_pivot():
    rows = pd.DataFrame({"jour": [0, 0, 6], "heure": [8, 8, 23], "passages": [2, 3, 4]})
    chart = week_hour_heatmap(rows, "Passages", "Passages par heure", value="passages")
    assert chart.matrix.shape == (7, 24)
    assert chart.matrix[0, 8] == 5 and chart.matrix[6, 23] == 4
    assert chart.days[0] == "Lundi" and chart.days[6] == "Dimanche"
    assert "<td>Lundi</td>" in chart.table.value
    pivot = pd.DataFrame(
        np.ones((7, 24)),
        index=["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    )
    chart.update(pivot)
    assert chart.matrix.sum() == 7 * 24 and chart.grid.color.shape == (7, 24)


def test_week_hour_heatmap_draws_monday_on_top():
    chart = week_hour_heatmap(pd.DataFrame(0.0, index=range(7), columns=range(24)), "T", "V")
    assert list(chart.grid.row) == chart.days and chart.days[0] == "Lundi"
    # bqplot draws the first row at the bottom of an ordinal scale unless it is reversed,
    # as on the calendar heat map.
    assert chart.grid.scales["row"].reverse is True


def test_nice_ticks_are_round():
    assert nice_ticks(497) == [0, 200, 400, 600]
    assert nice_ticks(0) == [0.0, 1.0]
    assert nice_ticks(0.4) == [0.0, 0.2, 0.4, 0.6]
    assert nice_ticks(8.0) == [0, 2.5, 5, 7.5, 10]
