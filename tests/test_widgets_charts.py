"""bqplot charts update in place, with the same numbers in their table (bqplot-style tests:
set data, assert on the marks' traits and on the HTML)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from widgets import ranked_bars, time_series, week_hour_heatmap
from widgets.charts import MUTED_COLOR, nice_ticks
from widgets.format import NNBSP
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


def test_nice_ticks_are_round():
    assert nice_ticks(497) == [0, 200, 400, 600]
    assert nice_ticks(0) == [0.0, 1.0]
    assert nice_ticks(0.4) == [0.0, 0.2, 0.4, 0.6]
