"""Grouped and stacked bars update in place, with a legend and the same numbers in a table."""

from __future__ import annotations

import pandas as pd
import pytest

from widgets.grouped_bars import PALETTE, grouped_bars
from widgets.tables import TABLE_TOGGLE


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {"Arrêts": [10.0, 4.0, 1.0], "Bornes": [2.0, 6.0, 0.0]}, index=["A", "B", "C"]
    )


def test_grouped_bars_marks_colours_legend_and_table():
    chart = grouped_bars(
        _frame(), "Points par commune", "Points", colors={"Bornes": "#F2A900"}, label_name="Commune"
    )
    assert chart.labels == ["A", "B", "C"] and chart.series == ["Arrêts", "Bornes"]
    assert chart.bars.y.tolist() == [[10.0, 4.0, 1.0], [2.0, 6.0, 0.0]]
    assert list(chart.bars.colors) == [PALETTE[0], "#F2A900"]
    assert chart.bars.type == "grouped" and chart.bars.orientation == "horizontal"
    assert "Arrêts" in chart.legend.value and "#F2A900" in chart.legend.value
    assert TABLE_TOGGLE in chart.table.value and '<th scope="col">Commune</th>' in chart.table.value
    assert chart.y_scale.max >= 10.0


def test_update_fires_once_and_resizes():
    chart = grouped_bars(_frame(), "T", "V")
    seen = []
    chart.bars.observe(lambda change: seen.append(change["new"].shape), names="y")
    bigger = pd.DataFrame({"Arrêts": range(8)}, index=[f"c{i}" for i in range(8)], dtype=float)
    chart.update(bigger)
    assert seen == [(1, 8)]
    assert chart.legend.value == ""  # one series: no legend
    assert int(chart.figure.layout.height.removesuffix("px")) > 8 * 11


def test_shares_are_ticked_in_french_and_commune_names_get_room():
    shares = pd.DataFrame(
        {"Arrêts": [12.5, 3.0], "Bornes": [7.0, 1.5]}, index=["Saint-Étienne-du-Rouvray", "Oissel"]
    )
    chart = grouped_bars(shares, "Part de chaque commune", "Part du total (%)", decimals=1)
    assert list(chart.value_axis.tick_labels.values()) == ["0", "5", "10", "15"]
    chart.update(shares * 0.6)  # 7,5 at the most
    assert list(chart.value_axis.tick_labels.values()) == ["0,0", "2,5", "5,0", "7,5", "10,0"]
    assert chart.figure.fig_margin["left"] > 150  # the longest name fits beside the bars
    chart.update(shares.rename(index={"Saint-Étienne-du-Rouvray": "Rouen"}))
    assert chart.figure.fig_margin["left"] < 100


def test_stacked_vertical_scale_covers_the_totals():
    chart = grouped_bars(_frame(), "T", "V", orientation="vertical", stacked=True)
    assert chart.bars.type == "stacked" and chart.bars.orientation == "vertical"
    assert chart.y_scale.max >= 12.0  # A: 10 + 2


def test_empty_or_seriesless_frames_say_so():
    chart = grouped_bars(_frame(), "T", "V")
    chart.update(_frame()[[]])
    assert chart.labels == [] and chart.series == []
    assert "Aucune donnée pour cette sélection." in chart.note.value
    with pytest.raises(ValueError, match="orientation"):
        grouped_bars(_frame(), "T", "V", orientation="diagonal")
