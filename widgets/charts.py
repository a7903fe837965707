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
from collections.abc import Mapping

import ipywidgets as widgets
import numpy as np
import pandas as pd

from rouen_opendata.formatting import format_number

from .axes import (
    MAX_LABEL_PX,
    MIN_LABEL_PX,
    bqplot,
    label_margin,
    set_date_ticks,
    set_value_ticks,
    short_labels,
)
from .colors import DEFAULT_COLOR, MUTED_COLOR
from .tables import details_html, html_table

log = logging.getLogger(__name__)

VALUE_COLOR = "#1D1D1B"
"""Colour of the value written at the end of each bar."""
EMPTY_TEXT = "Aucune donnée pour cette sélection."
_MARGIN = {"top": 10, "bottom": 40, "left": 72, "right": 28}
BAR_ROW_PX = 28
"""Height of one bar and its gap, in pixels."""


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
        self.y_axis = bqplot.Axis(scale=y_scale, side="left", label=y_label, label_offset="56px")
        figure = make_figure([self.line, self.points], [self.x_axis, self.y_axis], height)
        super().__init__(title, figure, caption)

    def set_labels(self, *, x_label: str | None = None, y_label: str | None = None) -> None:
        """Rename the dates (« Semaine du ») or the values (axis, tooltip and table)."""
        self.x_label = self.x_label if x_label is None else x_label
        self.y_label = self.y_label if y_label is None else y_label
        self.y_axis.label = self.y_label
        self.points.tooltip.labels = [self.x_label, self.y_label]

    def update(self, frame: pd.DataFrame, x: str, y: str) -> None:
        """Show ``frame[y]`` against the dates in ``frame[x]``."""
        data = frame[[x, y]].dropna().sort_values(x)
        dates = pd.to_datetime(data[x]).to_numpy(dtype="datetime64[ms]")
        values = data[y].to_numpy(dtype=float)
        set_date_ticks(self.x_axis, dates)
        largest = float(values.max()) if values.size else 0.0
        set_value_ticks(self.y_axis, self.y_scale, largest, 1.05)
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
    Call ``update(frame, x, y)`` to change the data, ``set_labels(...)`` to rename.
    """
    chart = TimeSeriesChart(title, y_label, **options)
    chart.update(frame, x, y)
    return chart


class RankedBars(Chart):
    """Horizontal bars, largest first (or in the series' order), labelled with their values.

    Parameters
    ----------
    title, value_label
        Heading (also the table caption unless ``caption`` is given) and the name of
        the values, with their unit (value axis, table header).
    top
        Bars shown, the largest; ignored with ``keep_order``.
    keep_order
        Keep the series' own order (lundi → dimanche, « moins de 300 m » → « 5 km et
        plus ») and every value; a missing value shows no bar and an empty cell.
    color
        One colour, or label → colour (others ``DEFAULT_COLOR``); settable before
        ``update``.
    label_name
        Table header of the labels (« Commune », « Arrêt »).
    decimals
        Digits after the decimal comma of the values (bar labels and table).
    max_label_px
        Widest room for the labels left of the bars; the margin follows the longest
        label up to it, and longer labels are shortened on the axis only.
    """

    def __init__(
        self,
        title: str,
        value_label: str,
        *,
        top: int = 15,
        keep_order: bool = False,
        color: str | Mapping[str, str] = DEFAULT_COLOR,
        label_name: str = "Nom",
        decimals: int = 0,
        caption: str | None = None,
        max_label_px: int = MAX_LABEL_PX,
    ) -> None:
        self.value_label, self.label_name = value_label, label_name
        self.top, self.keep_order, self.color, self.decimals = top, keep_order, color, decimals
        self.max_label_px = max_label_px
        self.labels: list[str] = []
        self.values: list[float] = []
        # No figure padding: the bars' bands and the value labels' 0…n scale span the same
        # height, so each value sits beside its bar.
        x_scale = bqplot.OrdinalScale(reverse=True, allow_padding=False)
        self.y_scale = y_scale = bqplot.LinearScale(min=0.0, allow_padding=False)
        self.bars = bqplot.Bars(
            x=[],
            y=[],
            scales={"x": x_scale, "y": y_scale},
            orientation="horizontal",
            padding=0.2,
            # The label only: a shortened one is read whole here, and the value is written
            # beside the bar in French (d3 would write 1,234.5).
            tooltip=bqplot.Tooltip(fields=["x"], labels=[label_name]),
        )
        # The values in French (bqplot's own bar labels are d3-formatted: 1,234.5). Bar i
        # of n is centred at n - i - 0.5 on a 0…n linear scale, as on the bars' ordinal
        # scale; an ordinal scale here would misplace (NaN) the labels of removed bars.
        self.label_scale = bqplot.LinearScale(min=0.0, max=1.0, allow_padding=False)
        self.value_labels = bqplot.Label(
            x=[],
            y=[],
            text=[],
            scales={"x": y_scale, "y": self.label_scale},
            align="start",
            x_offset=4,
            default_size=12,
            colors=[VALUE_COLOR],
            apply_clip=False,
        )
        self.label_axis = bqplot.Axis(scale=x_scale, side="left")
        self.value_axis = bqplot.Axis(scale=y_scale, label=value_label)
        margin = {"top": 10, "bottom": 40, "left": MIN_LABEL_PX, "right": 20}
        figure = make_figure(
            [self.bars, self.value_labels], [self.label_axis, self.value_axis], "200px", margin
        )
        super().__init__(title, figure, caption)

    def _chosen(self, series: pd.Series, highlight: str | None) -> pd.Series:
        """The values shown, in display order (NaN kept only with ``keep_order``)."""
        if self.keep_order:
            return pd.to_numeric(series, errors="coerce").astype("float64")
        ordered = series.dropna().sort_values(ascending=False, kind="stable")
        ranked = ordered.head(self.top)
        if highlight in ordered.index and highlight not in ranked.index and self.top > 0:
            ranked = pd.concat([ranked.head(self.top - 1), ordered.loc[[highlight]]])
        return ranked.astype("float64")

    def update(self, series: pd.Series, highlight: str | None = None) -> None:
        """Show the values of ``series`` (index = labels): the ``top`` largest, largest
        first, or all of them in order with ``keep_order``.

        ``highlight`` keeps its colour while the other bars are muted; a ranking shows
        it (in last place) even when it does not rank in the top.
        """
        shown = self._chosen(series, highlight)
        self.labels = [str(label) for label in shown.index]
        self.values = [float(v) for v in shown.to_numpy()]
        known = shown.dropna()
        colors = [
            self.color.get(label, DEFAULT_COLOR) if isinstance(self.color, Mapping) else self.color
            for label in self.labels
        ]
        if highlight is not None and highlight in self.labels:
            colors = [
                c if label == highlight else MUTED_COLOR
                for c, label in zip(colors, self.labels, strict=True)
            ]
        set_value_ticks(self.value_axis, self.y_scale, float(known.max()) if len(known) else 0.0)
        margin = label_margin(self.labels, self.max_label_px)
        self.label_axis.tick_labels = short_labels(self.labels, margin)
        self.figure.fig_margin = {**self.figure.fig_margin, "left": margin}
        count = len(self.labels)
        self.label_scale.max = float(max(count, 1))
        with self.bars.hold_sync(), self.value_labels.hold_sync():
            self.bars.x = self.labels
            self.bars.y = shown.fillna(0.0).to_numpy()
            self.bars.colors = colors or [DEFAULT_COLOR]
            self.value_labels.x = shown.fillna(0.0).to_numpy()
            self.value_labels.y = np.arange(count, 0, -1, dtype=float) - 0.5
            self.value_labels.text = [
                "" if np.isnan(v) else format_number(v, self.decimals) for v in self.values
            ]
        self.figure.layout.height = f"{max(len(self.labels), 3) * BAR_ROW_PX + 60}px"
        columns = {self.label_name: self.labels, self.value_label: shown.to_numpy()}
        rank = {} if self.keep_order else {"Rang": range(1, len(self.labels) + 1)}
        table = pd.DataFrame({**rank, **columns})
        self._show_table(table, max(len(table), 1), self.decimals)
        if len(self.labels) and known.empty:
            self.note.value = f'<p class="rr-empty">{EMPTY_TEXT}</p>'


def ranked_bars(
    series: pd.Series, title: str, value_label: str, top: int = 15, **options
) -> RankedBars:
    """A horizontal bar chart of ``series`` (index = labels): the ``top`` largest values,
    largest first, or every value in the series' order with ``keep_order=True``.

    Options (see :class:`RankedBars`): ``keep_order``, ``color`` (one colour or label →
    colour), ``highlight`` (label kept in colour, others muted), ``label_name`` (table
    header of the labels), ``decimals``, ``caption``, ``max_label_px``. Call
    ``update(series, highlight=None)`` to change the data.
    """
    highlight = options.pop("highlight", None)
    chart = RankedBars(title, value_label, top=top, **options)
    chart.update(series, highlight=highlight)
    return chart
