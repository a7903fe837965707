"""Bars for several series side by side (grouped) or piled up (stacked).

One category axis (communes, years), one bar per series and category, one colour per
series with a legend above the figure, and the same numbers in a table. Like the other
charts (:mod:`widgets.charts`), ``update(frame)`` changes marks and table together.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import ipywidgets as widgets
import numpy as np
import pandas as pd

from .axes import MAX_LABEL_PX, MIN_LABEL_PX, label_margin, set_value_ticks, short_labels
from .charts import Chart, bqplot, make_figure
from .colors import DEFAULT_COLOR, legend_html

log = logging.getLogger(__name__)

BAR_PX = 11
"""Thickness of one bar of a horizontal group, in pixels."""
PALETTE = ("#1F5FA8", "#E08A00", "#2E7D32", "#8E44AD", "#E63027", "#0B9BD0", "#6B7B3A")
"""Colours of series without one given."""


class GroupedBars(Chart):
    """Several series per category, grouped or stacked, horizontal or vertical.

    Parameters
    ----------
    title
        Heading (also the table caption unless ``caption`` is given).
    value_label
        Name of the values (axis and table), with its unit: « Part de la Métropole (%) ».
    colors
        Series name → colour; other series take ``PALETTE`` colours in turn.
    label_name
        Table header of the categories (« Commune », « Année »).
    orientation
        ``horizontal`` (categories listed top to bottom, for long names) or ``vertical``.
    stacked
        Pile the series up (totals read at the end of each bar) instead of side by side.
    decimals
        Digits after the decimal comma in the tooltip and the table.
    legend_title
        Heading of the legend drawn above the figure (shown for two series or more).
    max_label_px
        Widest room for the category names of horizontal bars; the margin follows the
        longest name up to it (see :mod:`widgets.axes`).
    """

    def __init__(
        self,
        title: str,
        value_label: str,
        *,
        colors: Mapping[str, str] | None = None,
        label_name: str = "Nom",
        orientation: str = "horizontal",
        stacked: bool = False,
        decimals: int = 0,
        caption: str | None = None,
        legend_title: str = "Séries",
        max_label_px: int = MAX_LABEL_PX,
    ) -> None:
        if orientation not in ("horizontal", "vertical"):
            raise ValueError(f"orientation must be horizontal or vertical, not {orientation!r}")
        self.value_label, self.label_name = value_label, label_name
        self.colors, self.decimals = dict(colors or {}), decimals
        self.orientation, self.stacked, self.legend_title = orientation, stacked, legend_title
        self.max_label_px = max_label_px
        self.labels: list[str] = []
        self.series: list[str] = []
        self.values: dict[str, list[float]] = {}
        horizontal = orientation == "horizontal"
        x_scale = bqplot.OrdinalScale(reverse=horizontal)
        self.y_scale = y_scale = bqplot.LinearScale(min=0.0, allow_padding=False)
        self.bars = bqplot.Bars(
            x=[],
            y=[],
            scales={"x": x_scale, "y": y_scale},
            orientation=orientation,
            type="stacked" if stacked else "grouped",
            padding=0.15,
            tooltip=bqplot.Tooltip(
                fields=["x", "y"],
                labels=[label_name, value_label],
                formats=["", f".{decimals}f"],
            ),
        )
        self.value_axis = bqplot.Axis(
            scale=y_scale,
            label=value_label,
            side="bottom" if horizontal else "left",
            label_offset="36px" if horizontal else "56px",
        )
        self.label_axis = bqplot.Axis(scale=x_scale, side="left" if horizontal else "bottom")
        margin = {"top": 10, "bottom": 48, "left": MIN_LABEL_PX, "right": 16}
        figure = make_figure([self.bars], [self.label_axis, self.value_axis], "240px", margin)
        super().__init__(title, figure, caption)
        self.legend = widgets.HTML("", layout=widgets.Layout(width="100%"))
        self.children = (self.heading, self.note, self.legend, self.figure, self.table)

    def color_of(self, series: str, position: int) -> str:
        """The colour of a series: given, else the palette's in turn."""
        return self.colors.get(series, PALETTE[position % len(PALETTE)])

    def update(self, frame: pd.DataFrame) -> None:
        """Show ``frame``: index = categories in display order, columns = series."""
        data = frame.astype("float64").fillna(0.0)
        if data.shape[1] == 0:
            data = data.iloc[:0]  # no series: nothing to draw, whatever the categories
        self.labels = [str(label) for label in data.index]
        self.series = [str(column) for column in data.columns]
        self.values = {
            s: [float(v) for v in data[c]] for s, c in zip(self.series, data.columns, strict=True)
        }
        matrix = data.to_numpy().T if len(self.series) else np.empty((0, len(self.labels)))
        colors = [self.color_of(s, i) for i, s in enumerate(self.series)]
        largest = (
            float(matrix.sum(axis=0).max() if self.stacked else matrix.max())
            if matrix.size
            else 0.0
        )
        set_value_ticks(self.value_axis, self.y_scale, largest, 1.08)
        if self.orientation == "horizontal":
            margin = label_margin(self.labels, self.max_label_px)
            self.label_axis.tick_labels = short_labels(self.labels, margin)
            self.figure.fig_margin = {**self.figure.fig_margin, "left": margin}
        with self.bars.hold_sync():
            self.bars.x = self.labels
            self.bars.y = matrix
            self.bars.colors = colors or [DEFAULT_COLOR]
            self.bars.labels = self.series
        if self.orientation == "horizontal":
            per_category = BAR_PX * (1 if self.stacked else max(len(self.series), 1)) + 10
            self.figure.layout.height = f"{max(len(self.labels), 2) * per_category + 70}px"
        items = dict(zip(self.series, colors, strict=True))
        self.legend.value = legend_html(items, self.legend_title) if len(items) > 1 else ""
        table = data.copy()
        table.columns = self.series
        table.insert(0, self.label_name, self.labels)
        self._show_table(table.reset_index(drop=True), max(len(table), 1), self.decimals)


def grouped_bars(frame: pd.DataFrame, title: str, value_label: str, **options) -> GroupedBars:
    """Bars of several series per category (see :class:`GroupedBars` for the options).

    ``frame``: index = categories in display order, one column per series.
    Call ``update(frame)`` to change the data.
    """
    chart = GroupedBars(title, value_label, **options)
    chart.update(frame)
    return chart
