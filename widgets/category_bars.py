"""Horizontal bars in the order given: days of the week, distance classes, age bands.

:class:`~widgets.charts.RankedBars` sorts its bars, largest first; categories that have
an order of their own (lundi → dimanche, « moins de 300 m » → « 5 km et plus ») keep it
here. Same look, same « Voir les données en tableau », same ``update``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import pandas as pd

from .charts import DEFAULT_COLOR, MUTED_COLOR, RankedBars, nice_ticks

log = logging.getLogger(__name__)


class CategoryBars(RankedBars):
    """One bar per category, top to bottom in the series' order; missing values show
    no bar and an empty cell."""

    def update(self, series: pd.Series, highlight: str | None = None) -> None:
        """Show every value of ``series`` (index = labels) in its order.

        ``highlight`` keeps its colour while the other bars are muted.
        """
        self.labels = [str(label) for label in series.index]
        values = pd.to_numeric(series, errors="coerce").astype("float64")
        self.values = [float(v) for v in values.to_numpy()]
        colors = [
            self.color.get(label, DEFAULT_COLOR) if isinstance(self.color, Mapping) else self.color
            for label in self.labels
        ]
        if highlight is not None and highlight in self.labels:
            colors = [
                c if label == highlight else MUTED_COLOR
                for c, label in zip(colors, self.labels, strict=True)
            ]
        ticks = nice_ticks(float(values.max()) if values.notna().any() else 0.0)
        self.y_scale.max, self.value_axis.tick_values = ticks[-1], ticks
        self.value_axis.tick_format = ".0f" if ticks[1] >= 1 else ".2~f"
        longest = max((len(f"{v:.{self.decimals}f}") for v in values.dropna()), default=1)
        self.bars.label_display_vertical_offset = 12.0 + 5.0 * longest  # before the bars move
        with self.bars.hold_sync():
            self.bars.x = self.labels
            self.bars.y = values.fillna(0.0).to_numpy()
            self.bars.colors = colors or [DEFAULT_COLOR]
        self.figure.layout.height = f"{max(len(self.labels), 3) * 28 + 60}px"
        table = pd.DataFrame({self.label_name: self.labels, self.value_label: values.to_numpy()})
        self._show_table(table, max(len(table), 1), self.decimals)
        if values.isna().all():
            self.note.value = '<p class="rr-empty">Aucune donnée pour cette sélection.</p>'


def fit_labels(chart: RankedBars, max_px: int = 170) -> None:
    """Widen a bar chart's left margin so its category labels fit (up to ``max_px``).

    The default margin suits short labels (« T4 », « Lundi »); names of places need more.
    Call after ``update``.
    """
    longest = max((len(label) for label in chart.labels), default=0)
    margin = dict(chart.figure.fig_margin)
    margin["left"] = int(min(max_px, max(margin["left"], 12 + 6.5 * longest)))
    chart.figure.fig_margin = margin


def category_bars(series: pd.Series, title: str, value_label: str, **options) -> CategoryBars:
    """Horizontal bars of ``series`` in its own order (index = category labels).

    Options: ``color`` (one colour or label → colour), ``highlight``, ``label_name``
    (table header of the labels), ``decimals``, ``caption``. Call
    ``update(series, highlight=None)`` to change the data.
    """
    highlight = options.pop("highlight", None)
    chart = CategoryBars(title, value_label, top=max(len(series), 1), **options)
    chart.update(series, highlight=highlight)
    return chart
