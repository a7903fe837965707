"""A dated line that shows missing data as gaps, never as a drop or a bridge.

:func:`gap_series` draws a value over dates where some dates have no value, or only an
incomplete one (a total some of whose parts are missing). The line is broken wherever
the value is not complete; incomplete values are drawn as separate grey points, off the
line, and named in a legend; the table says for each date whether the value is
complete, incomplete or missing. Nothing is interpolated.
"""

from __future__ import annotations

import html
import logging

import ipywidgets as widgets
import numpy as np
import pandas as pd

from .axes import set_date_ticks, set_value_ticks
from .charts import EMPTY_TEXT, Chart, bqplot, make_figure
from .colors import DEFAULT_COLOR, swatch_html

log = logging.getLogger(__name__)

PARTIAL_COLOR = "#8A9099"
"""Colour of the incomplete values (grey points off the line)."""
STATUS_COLUMN = "Données"
STATUS = {"complete": "complètes", "partial": "incomplètes", "missing": "aucune"}
"""Words of the table's status column."""


class GapSeriesChart(Chart):
    """Line of the complete values (broken elsewhere), grey points for incomplete ones.

    After :meth:`update`, ``complete_count``, ``partial_count`` and ``missing_count``
    say how many dates fell in each case.
    """

    def __init__(
        self,
        title: str,
        y_label: str,
        *,
        x_label: str = "Date",
        complete_label: str = "Valeur complète",
        partial_label: str = "Valeur incomplète (hors de la courbe)",
        color: str = DEFAULT_COLOR,
        decimals: int = 0,
        caption: str | None = None,
        height: str = "300px",
        table_rows: int = 800,
    ) -> None:
        self.x_label, self.y_label = x_label, y_label
        self.complete_label, self.partial_label = complete_label, partial_label
        self.color, self.decimals, self.table_rows = color, decimals, table_rows
        self.complete_count = self.partial_count = self.missing_count = 0
        x_scale = bqplot.DateScale()
        self.y_scale = bqplot.LinearScale(min=0.0, allow_padding=False)
        scales = {"x": x_scale, "y": self.y_scale}
        no_dates = np.array([], dtype="datetime64[ms]")
        self.line = bqplot.Lines(x=no_dates, y=[], scales=scales, colors=[color], stroke_width=2)
        self.points = self._scatter(scales, color, complete_label, 14, 0.9)
        self.partial = self._scatter(scales, PARTIAL_COLOR, partial_label, 18, 0.8)
        self.x_axis = bqplot.Axis(scale=x_scale, tick_format="%m/%Y", num_ticks=5)
        self.y_axis = bqplot.Axis(
            scale=self.y_scale, side="left", label=y_label, label_offset="56px"
        )
        figure = make_figure(
            [self.line, self.points, self.partial], [self.x_axis, self.y_axis], height
        )
        super().__init__(title, figure, caption)
        self.legend = widgets.HTML("", layout=widgets.Layout(width="100%"))
        self.children = [self.heading, self.note, figure, self.legend, self.table]

    def _scatter(
        self, scales: dict, color: str, label: str, size: int, opacity: float
    ) -> bqplot.Scatter:
        return bqplot.Scatter(
            x=np.array([], dtype="datetime64[ms]"),
            y=[],
            scales=scales,
            colors=[color],
            default_size=size,
            opacities=[opacity],
            tooltip=bqplot.Tooltip(
                fields=["x", "y"],
                labels=[self.x_label, label],
                formats=["%d/%m/%Y", f".{self.decimals}f"],
            ),
        )

    def update(self, frame: pd.DataFrame, x: str, y: str, complete: str | None = None) -> None:
        """Show ``frame[y]`` over the dates ``frame[x]``.

        Parameters
        ----------
        frame
            One row per date, every date of the span included (a missing row is not a
            gap: it is simply not drawn).
        x, y
            Date and value columns; a missing value is a gap.
        complete
            Boolean column: False marks an incomplete value, drawn as a grey point off
            the line. Without it every known value is complete.
        """
        data = frame.sort_values(x)
        dates = pd.to_datetime(data[x]).to_numpy(dtype="datetime64[ms]")
        values = pd.to_numeric(data[y], errors="coerce").to_numpy(dtype=float)
        known = ~np.isnan(values)
        whole = data[complete].fillna(False).to_numpy(dtype=bool) & known if complete else known
        partial = known & ~whole
        self.complete_count, self.partial_count = int(whole.sum()), int(partial.sum())
        self.missing_count = int((~known).sum())
        set_date_ticks(self.x_axis, dates)
        largest = float(values[known].max()) if known.any() else 0.0
        set_value_ticks(self.y_axis, self.y_scale, largest, 1.05)
        # The line starts and ends on complete values: bqplot places line labels at the
        # ends, and a NaN there is an invalid SVG position.
        kept = np.flatnonzero(whole)
        ends = slice(kept[0], kept[-1] + 1) if len(kept) else slice(0, 0)
        with self.line.hold_sync(), self.points.hold_sync(), self.partial.hold_sync():
            self.line.x, self.line.y = dates[ends], np.where(whole, values, np.nan)[ends]
            self.points.x, self.points.y = dates[whole], values[whole]
            self.partial.x, self.partial.y = dates[partial], values[partial]
        self.legend.value = self._legend_html()
        status = np.where(whole, STATUS["complete"], np.where(partial, STATUS["partial"], ""))
        status = np.where(known, status, STATUS["missing"])
        table = pd.DataFrame(
            {
                self.x_label: pd.to_datetime(data[x]).dt.normalize().to_numpy(),
                self.y_label: values,
                STATUS_COLUMN: status,
            }
        )
        self._show_table(table, self.table_rows, self.decimals)
        if not known.any():
            self.note.value = f'<p class="rr-empty">{EMPTY_TEXT}</p>'

    def _legend_html(self) -> str:
        items = [f"<li>{swatch_html(self.color, line=True)}{html.escape(self.complete_label)}</li>"]
        if self.partial_count:
            items.append(f"<li>{swatch_html(PARTIAL_COLOR)}{html.escape(self.partial_label)}</li>")
        if self.missing_count or self.partial_count:
            items.append("<li>Courbe interrompue : données manquantes ou incomplètes</li>")
        return f'<div class="rr-legend"><ul>{"".join(items)}</ul></div>'


def gap_series(
    frame: pd.DataFrame,
    x: str,
    y: str,
    title: str,
    y_label: str,
    complete: str | None = None,
    **options,
) -> GapSeriesChart:
    """A line of ``y`` over the dates ``x`` with gaps where values are missing.

    ``complete`` names a boolean column marking complete values; the others are drawn
    as grey points off the line. Options: ``x_label``, ``complete_label``,
    ``partial_label`` (legend and tooltips), ``color``, ``decimals``, ``caption``,
    ``height``, ``table_rows``. Call ``update(frame, x, y, complete)`` to change it.
    """
    chart = GapSeriesChart(title, y_label, **options)
    chart.update(frame, x, y, complete)
    return chart
