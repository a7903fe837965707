"""Charts (bqplot) that update in place and carry their data as a table.

Each chart is a :class:`Chart` (a VBox): a heading, the bqplot figure, and a
« Voir les données en tableau » disclosure holding the same numbers as an HTML table,
for screen readers and for anyone who prefers figures. ``update(...)`` changes the
marks and the table together, so controls can re-filter a chart without redrawing
the page. The disclosure is plain ``<details>`` HTML: it opens without a kernel.
"""

from __future__ import annotations

import html
import logging
import math
import warnings
from collections.abc import Mapping

import ipywidgets as widgets
import numpy as np
import pandas as pd

from .tables import details_html, html_table

with warnings.catch_warnings():
    # bqscales 0.3 passes trait metadata through constructors, which traitlets 5
    # deprecates at import time; nothing the caller can change.
    warnings.filterwarnings(
        "ignore", message="metadata .* was set from the constructor", category=DeprecationWarning
    )
    import bqplot

log = logging.getLogger(__name__)

DEFAULT_COLOR = "#1F5FA8"
MUTED_COLOR = "#C5CAD3"
"""Colour of the bars that are not highlighted."""
EMPTY_TEXT = "Aucune donnée pour cette sélection."
_MARGIN = {"top": 10, "bottom": 40, "left": 72, "right": 28}
HEADROOM = 1.2
"""Value axes end at least this much above the largest value, so labels fit."""


def nice_ticks(largest: float, headroom: float = HEADROOM, intervals: int = 4) -> list[float]:
    """Round tick values from 0 to at least ``largest × headroom``: 0, 200, 400, 600."""
    target = largest * headroom
    if not target > 0:
        return [0.0, 1.0]
    raw = target / intervals
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [round(step * i, 10) for i in range(math.ceil(target / step - 1e-9) + 1)]


def make_figure(marks: list, axes: list, height: str, margin: dict | None = None) -> bqplot.Figure:
    return bqplot.Figure(
        marks=marks,
        axes=axes,
        fig_margin=margin or dict(_MARGIN),
        animation_duration=0,
        layout=widgets.Layout(width="100%", height=height, min_width="0"),
        background_style={"fill": "white"},
    )


class Chart(widgets.VBox):
    """Heading, figure and data table of one chart; subclasses implement ``update``."""

    def __init__(self, title: str, figure: bqplot.Figure, caption: str | None = None) -> None:
        self.title = title
        self.caption = caption or title
        self.heading = widgets.HTML(f'<h3 class="rr-chart-title">{html.escape(title)}</h3>')
        self.figure = figure
        self.note = widgets.HTML("")
        self.table = widgets.HTML("")
        super().__init__([self.heading, self.note, figure, self.table])
        self.add_class("rr-chart")

    def set_title(self, title: str, caption: str | None = None) -> None:
        """Change the heading (and the table caption, which follows it by default)."""
        self.title, self.caption = title, caption or title
        self.heading.value = f'<h3 class="rr-chart-title">{html.escape(title)}</h3>'

    def _show_table(self, frame: pd.DataFrame, max_rows: int, decimals: int = 0) -> None:
        self.note.value = "" if len(frame) else f'<p class="rr-empty">{EMPTY_TEXT}</p>'
        table = html_table(frame, self.caption, max_rows=max_rows, decimals=decimals)
        self.table.value = details_html(table)


class TimeSeriesChart(Chart):
    """A dated line with a hover tooltip on every point."""

    def __init__(
        self,
        title: str,
        y_label: str,
        *,
        x_label: str = "Date",
        color: str = DEFAULT_COLOR,
        decimals: int = 0,
        caption: str | None = None,
        height: str = "300px",
        table_rows: int = 400,
    ) -> None:
        self.x_label, self.y_label = x_label, y_label
        self.decimals, self.table_rows = decimals, table_rows
        x_scale = bqplot.DateScale()
        self.y_scale = y_scale = bqplot.LinearScale(min=0.0, allow_padding=False)
        scales = {"x": x_scale, "y": y_scale}
        self.line = bqplot.Lines(
            x=np.array([], dtype="datetime64[ms]"),
            y=[],
            scales=scales,
            colors=[color],
            stroke_width=2,
        )
        self.points = bqplot.Scatter(
            x=np.array([], dtype="datetime64[ms]"),
            y=[],
            scales=scales,
            colors=[color],
            default_size=14,
            opacities=[0.35],
            tooltip=bqplot.Tooltip(
                fields=["x", "y"], labels=[x_label, y_label], formats=["%d/%m/%Y", f".{decimals}f"]
            ),
        )
        self.x_axis = bqplot.Axis(scale=x_scale, tick_format="%m/%Y", num_ticks=5)
        y_axis = bqplot.Axis(
            scale=y_scale,
            side="left",
            label=y_label,
            tick_format=f".{decimals}f",
            label_offset="56px",
        )
        super().__init__(
            title, make_figure([self.line, self.points], [self.x_axis, y_axis], height), caption
        )

    def update(self, frame: pd.DataFrame, x: str, y: str) -> None:
        """Show ``frame[y]`` against the dates in ``frame[x]``."""
        data = frame[[x, y]].dropna().sort_values(x)
        dates = pd.to_datetime(data[x]).to_numpy(dtype="datetime64[ms]")
        values = data[y].to_numpy(dtype=float)
        span = (dates[-1] - dates[0]).astype("timedelta64[D]").astype(int) if len(dates) else 0
        self.x_axis.tick_format = "%m/%Y" if span > 120 else "%d/%m"
        self.y_scale.max = nice_ticks(float(values.max()) if values.size else 0.0, 1.05)[-1]
        with self.line.hold_sync(), self.points.hold_sync():
            self.line.x, self.line.y = dates, values
            self.points.x, self.points.y = dates, values
        table = pd.DataFrame(
            {self.x_label: pd.to_datetime(data[x]).dt.normalize(), self.y_label: values}
        )
        self._show_table(table, self.table_rows, self.decimals)


def time_series(
    frame: pd.DataFrame, x: str, y: str, title: str, y_label: str, **options
) -> TimeSeriesChart:
    """A line chart of ``y`` over the dates in ``x``; ``y_label`` names the unit.

    Options: ``x_label`` (« Date », « Semaine du »), ``color``, ``decimals`` (tooltip
    and table), ``caption`` (table), ``height``, ``table_rows``.
    Call ``update(frame, x, y)`` to change the data.
    """
    chart = TimeSeriesChart(title, y_label, **options)
    chart.update(frame, x, y)
    return chart


class RankedBars(Chart):
    """Horizontal bars, largest first, labelled with their values."""

    def __init__(
        self,
        title: str,
        value_label: str,
        *,
        top: int = 15,
        color: str | Mapping[str, str] = DEFAULT_COLOR,
        label_name: str = "Nom",
        decimals: int = 0,
        caption: str | None = None,
    ) -> None:
        self.value_label, self.label_name = value_label, label_name
        self.top, self.color, self.decimals = top, color, decimals
        self.labels: list[str] = []
        self.values: list[float] = []
        x_scale = bqplot.OrdinalScale(reverse=True)
        self.y_scale = y_scale = bqplot.LinearScale(min=0.0, allow_padding=False)
        self.bars = bqplot.Bars(
            x=[],
            y=[],
            scales={"x": x_scale, "y": y_scale},
            orientation="horizontal",
            padding=0.2,
            label_display=True,
            label_display_format=f".{decimals}f",
            label_display_vertical_offset=28.0,
            tooltip=bqplot.Tooltip(
                fields=["x", "y"], labels=[label_name, value_label], formats=["", f".{decimals}f"]
            ),
        )
        self.value_axis = bqplot.Axis(scale=y_scale, label=value_label, tick_format=".0f")
        axes = [bqplot.Axis(scale=x_scale, side="left"), self.value_axis]
        margin = {"top": 10, "bottom": 40, "left": 72, "right": 12}
        super().__init__(title, make_figure([self.bars], axes, "200px", margin), caption)

    def update(self, series: pd.Series, highlight: str | None = None) -> None:
        """Show the ``top`` largest values of ``series`` (index = labels).

        ``highlight`` keeps its colour while the other bars are muted; it is shown
        (in last place) even when it does not rank in the top.
        """
        ordered = series.dropna().sort_values(ascending=False, kind="stable")
        ranked = ordered.head(self.top)
        if highlight in ordered.index and highlight not in ranked.index and self.top > 0:
            ranked = pd.concat([ranked.head(self.top - 1), ordered.loc[[highlight]]])
        self.labels = [str(label) for label in ranked.index]
        self.values = [float(v) for v in ranked.to_numpy()]
        colors = [
            self.color.get(label, DEFAULT_COLOR) if isinstance(self.color, Mapping) else self.color
            for label in self.labels
        ]
        if highlight is not None and highlight in self.labels:
            colors = [
                c if label == highlight else MUTED_COLOR
                for c, label in zip(colors, self.labels, strict=True)
            ]
        ticks = nice_ticks(max(self.values, default=0.0))
        self.y_scale.max, self.value_axis.tick_values = ticks[-1], ticks
        self.value_axis.tick_format = ".0f" if ticks[1] >= 1 else ".2~f"
        with self.bars.hold_sync():
            self.bars.x, self.bars.y = self.labels, self.values
            self.bars.colors = colors or [DEFAULT_COLOR]
        self.figure.layout.height = f"{max(len(self.labels), 3) * 28 + 60}px"
        table = pd.DataFrame(
            {
                "Rang": range(1, len(self.labels) + 1),
                self.label_name: self.labels,
                self.value_label: self.values,
            }
        )
        self._show_table(table, self.top, self.decimals)


def ranked_bars(
    series: pd.Series, title: str, value_label: str, top: int = 15, **options
) -> RankedBars:
    """A ranked horizontal bar chart of the ``top`` largest values of ``series``.

    Options: ``color`` (one colour or label → colour), ``highlight`` (label kept in
    colour, others muted), ``label_name`` (table header of the labels), ``decimals``,
    ``caption``. Call ``update(series, highlight=None)`` to change the data.
    """
    highlight = options.pop("highlight", None)
    chart = RankedBars(title, value_label, top=top, **options)
    chart.update(series, highlight=highlight)
    return chart
