"""Day-of-week × hour heat map (bqplot GridHeatMap) with French day names."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from rouen_opendata.formatting import DAYS

from .charts import Chart, bqplot, make_figure

log = logging.getLogger(__name__)


def _week_hour_pivot(
    data: pd.DataFrame, day: str, hour: str, value: str | None, agg: str
) -> pd.DataFrame:
    if day in data.columns and hour in data.columns:
        values = data[value] if value else pd.Series(1, index=data.index)
        pivot = values.groupby([data[day], data[hour]]).agg(agg).unstack(fill_value=0)
    else:
        pivot = data
    names = {name: i for i, name in enumerate(DAYS)}
    pivot = pivot.rename(index=lambda d: names.get(str(d).lower(), d))
    return pivot.reindex(index=range(7), columns=range(24), fill_value=0).astype(float)


class WeekHourHeatmap(Chart):
    """Day of week (rows, Monday first) × hour of day (columns) grid."""

    def __init__(
        self,
        title: str,
        value_label: str,
        *,
        scheme: str = "Blues",
        decimals: int = 0,
        caption: str | None = None,
    ) -> None:
        self.value_label, self.decimals = value_label, decimals
        self.matrix = np.zeros((7, 24))
        self.days = [d.capitalize() for d in DAYS]
        self.hours = [f"{h}\u00a0h" for h in range(24)]
        # reverse: the first row (lundi) on top; bqplot puts it at the bottom otherwise
        row, column = bqplot.OrdinalScale(reverse=True), bqplot.OrdinalScale()
        color = bqplot.ColorScale(scheme=scheme, min=0.0)
        self.grid = bqplot.GridHeatMap(
            row=self.days,
            column=self.hours,
            color=self.matrix,
            scales={"row": row, "column": column, "color": color},
            tooltip=bqplot.Tooltip(
                fields=["row", "column", "color"],
                labels=["Jour", "Heure", value_label],
                formats=["", "", f".{decimals}f"],
            ),
        )
        axes = [bqplot.Axis(scale=row, side="left"), bqplot.Axis(scale=column, num_ticks=8)]
        margin = {"top": 10, "bottom": 40, "left": 80, "right": 10}
        super().__init__(title, make_figure([self.grid], axes, "260px", margin), caption)

    def update(
        self,
        data: pd.DataFrame,
        *,
        day: str = "jour",
        hour: str = "heure",
        value: str | None = None,
        agg: str = "sum",
    ) -> None:
        """Show a 7 × 24 pivot, or aggregate rows with ``day`` (0 = lundi) and ``hour``."""
        pivot = _week_hour_pivot(data, day, hour, value, agg)
        self.matrix = pivot.to_numpy()
        self.grid.color = self.matrix
        table = pd.DataFrame(
            self.matrix, index=pd.Index(self.days, name="Jour"), columns=self.hours
        )
        self._show_table(table.reset_index(), 7, self.decimals)


def week_hour_heatmap(
    data: pd.DataFrame,
    title: str,
    value_label: str,
    *,
    day: str = "jour",
    hour: str = "heure",
    value: str | None = None,
    agg: str = "sum",
    **options,
) -> WeekHourHeatmap:
    """A day-of-week × hour heat map with French day names.

    ``data`` is either a 7 × 24 pivot (index 0–6 or French day names, columns 0–23) or
    rows with ``day`` (0 = lundi) and ``hour`` columns, aggregated with ``agg`` over
    ``value`` (rows are counted when ``value`` is None). Options: ``scheme``,
    ``decimals``, ``caption``.
    """
    chart = WeekHourHeatmap(title, value_label, **options)
    chart.update(data, day=day, hour=hour, value=value, agg=agg)
    return chart
