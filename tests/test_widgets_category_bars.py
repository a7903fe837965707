"""Category bars keep the categories' own order (bqplot-style tests)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from widgets import ranked_bars
from widgets.category_bars import category_bars, fit_labels
from widgets.charts import MUTED_COLOR


def test_bars_keep_the_order_given_and_show_missing_as_empty():
    days = pd.Series([5.0, np.nan, 9.0], index=["Lundi", "Mardi", "Mercredi"])
    chart = category_bars(days, "Un jour moyen", "Vélos", label_name="Jour")
    assert chart.labels == ["Lundi", "Mardi", "Mercredi"]
    assert list(chart.bars.y) == [5.0, 0.0, 9.0]
    assert "<td>Mardi</td><td></td>" in chart.table.value.replace(' class="rr-num"', "")
    assert chart.table.value.count("<tr>") == 4


def test_update_recolours_and_highlights():
    chart = category_bars(pd.Series([1.0, 2.0], index=["a", "b"]), "T", "V")
    seen = []
    chart.bars.observe(lambda change: seen.append(list(change["new"])), names="y")
    chart.color = {"a": "#2E7D32", "b": "#8A9099", "c": "#000000"}
    chart.update(pd.Series([3.0, 1.0, 2.0], index=["c", "a", "b"]), highlight="a")
    assert chart.labels == ["c", "a", "b"] and seen == [[3.0, 1.0, 2.0]]
    assert list(chart.bars.colors) == [MUTED_COLOR, "#2E7D32", MUTED_COLOR]
    chart.update(pd.Series([np.nan], index=["a"]))
    assert "Aucune donnée" in chart.note.value


def test_fit_labels_widens_the_margin_up_to_a_limit():
    chart = ranked_bars(pd.Series({"Pont Guillaume-le-Conquérant": 1.0, "Île": 2.0}), "T", "V")
    before = chart.figure.fig_margin["left"]
    fit_labels(chart)
    assert before < chart.figure.fig_margin["left"] <= 170
    short = ranked_bars(pd.Series({"T1": 1.0}), "T", "V")
    fit_labels(short)
    assert short.figure.fig_margin["left"] == before
