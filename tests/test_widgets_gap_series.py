"""The gap series never bridges a gap: missing values break the line, incomplete ones
are grey points off it, and the table says which is which (bqplot-style tests)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from widgets.charts import EMPTY_TEXT
from widgets.gap_series import PARTIAL_COLOR, STATUS, gap_series


def _days() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "jour": pd.date_range("2024-03-01", periods=5),
            "velos": [10.0, np.nan, 30.0, 4.0, 50.0],
            "complet": [True, True, True, False, True],
        }
    )


def test_missing_and_incomplete_values_break_the_line():
    chart = gap_series(_days(), "jour", "velos", "Vélos", "Vélos par jour", "complet")
    line = np.asarray(chart.line.y, dtype=float)
    assert np.isnan(line[[1, 3]]).all() and line[[0, 2, 4]].tolist() == [10.0, 30.0, 50.0]
    ends = _days().assign(complet=[False, True, True, True, False])
    chart.update(ends, "jour", "velos", "complet")
    assert list(chart.line.y) == [30.0, 4.0]  # the line starts and ends on complete values
    assert list(chart.partial.y) == [10.0, 50.0] and len(chart.line.x) == 2
    chart.update(_days(), "jour", "velos", "complet")
    assert list(chart.points.y) == [10.0, 30.0, 50.0]  # hover targets: complete values only
    assert list(chart.partial.y) == [4.0] and chart.partial.colors == [PARTIAL_COLOR]
    assert (chart.complete_count, chart.partial_count, chart.missing_count) == (3, 1, 1)
    assert chart.y_scale.max >= 50


def test_the_table_and_legend_tell_complete_incomplete_and_missing_apart():
    chart = gap_series(
        _days(), "jour", "velos", "Vélos", "Vélos", "complet", partial_label="Total <partiel>"
    )
    table = chart.table.value
    assert table.count(f"<td>{STATUS['complete']}</td>") == 3
    assert f"<td>{STATUS['partial']}</td>" in table and f"<td>{STATUS['missing']}</td>" in table
    assert "Total &lt;partiel&gt;" in chart.legend.value
    assert "Courbe interrompue" in chart.legend.value


def test_update_without_complete_column_and_with_nothing_known():
    chart = gap_series(_days(), "jour", "velos", "Vélos", "Vélos")
    seen = []
    chart.line.observe(lambda change: seen.append(len(change["new"])), names="y")
    assert chart.partial_count == 0 and "Total" not in chart.legend.value
    empty = _days().assign(velos=np.nan)
    chart.update(empty, "jour", "velos")
    assert seen == [0] and len(chart.points.x) == 0
    assert EMPTY_TEXT in chart.note.value
    assert chart.x_axis.tick_format == "%d/%m"
