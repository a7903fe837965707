"""Calendar heat map of daily values (bqplot GridHeatMap) with French labels.

Two views of the same days:

- ``"semaines"``: one column per week (Monday first), one row per weekday — weekly
  habits show as rows, closures and holidays as columns;
- ``"mois"``: one row per month, one column per day of the month (1 to 31).

Days without a value (closed, outside the period, 30 February) are drawn in a neutral
grey and said so under the chart. The table alternative has the same shape as the
picture (weeks × weekdays, or months × days) and writes « fermé » on closed days.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from bqplot.traits import array_from_json
from traitlets import TraitError
from traittypes import Array

from rouen_opendata.formatting import DAYS, MONTHS, format_date

from .charts import Chart, bqplot, make_figure
from .tables import details_html, html_table

log = logging.getLogger(__name__)

VIEWS = ("semaines", "mois")
NULL_COLOR = "#D5D8DC"
"""Colour of days without a value (closed, or outside the period)."""
CLOSED_TEXT = "fermé"
"""Written in the table on closed days."""
MAX_TICKS = 5
"""Week labels shown on the weeks view (readable at 360 px)."""
DAY_TICKS = 9
"""Day-of-month labels shown on the months view (1, 5, 9…)."""
MONTHS_SHORT = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)
WEEKDAY_LABELS = [d.capitalize() for d in DAYS]
EMPTY_COLUMNS = ["", "\u00a0"]
"""Column labels of the blank grid shown when there is nothing to draw."""


def _daily(values: pd.Series, closed: pd.Series | None) -> pd.Series:
    """Values on a complete daily index; closed days become NaN."""
    series = pd.Series(values, dtype="float64").copy()
    series.index = pd.DatetimeIndex(series.index).normalize()
    series = series.groupby(level=0).sum(min_count=1)
    if closed is not None:
        shut = pd.Series(closed, dtype="boolean").fillna(False)
        shut.index = pd.DatetimeIndex(shut.index).normalize()
        series[series.index.isin(shut.index[shut.to_numpy(dtype=bool)])] = np.nan
    if series.empty:
        return series
    days = pd.date_range(series.index.min(), series.index.max(), freq="D")
    return series.reindex(days)


def _week_label(monday: pd.Timestamp) -> str:
    return f"sem. du {format_date(monday, 'short')}"


def _month_label(month: pd.Period) -> str:
    return f"{MONTHS[month.month - 1]} {month.year}"


def week_grid(values: pd.Series, closed: pd.Series | None = None) -> pd.DataFrame:
    """Weekdays (rows, lundi first) × weeks (columns labelled « sem. du 01/01/2024 »)."""
    daily = _daily(values, closed)
    if daily.empty:
        return pd.DataFrame(index=WEEKDAY_LABELS, dtype="float64")
    monday = daily.index - pd.to_timedelta(daily.index.day_of_week, unit="D")
    frame = pd.DataFrame(
        {"week": monday, "weekday": daily.index.day_of_week, "value": daily.to_numpy()}
    )
    grid = frame.pivot(index="weekday", columns="week", values="value")
    grid = grid.reindex(index=range(7))
    grid.index = WEEKDAY_LABELS
    grid.columns = [_week_label(m) for m in grid.columns]
    return grid


def month_grid(values: pd.Series, closed: pd.Series | None = None) -> pd.DataFrame:
    """Months (rows labelled « janvier 2024 ») × days of the month (columns 1 to 31)."""
    daily = _daily(values, closed)
    if daily.empty:
        return pd.DataFrame(columns=range(1, 32), dtype="float64")
    frame = pd.DataFrame(
        {
            "month": daily.index.to_period("M"),
            "day": daily.index.day,
            "value": daily.to_numpy(),
        }
    )
    grid = frame.pivot(index="month", columns="day", values="value")
    grid = grid.reindex(columns=range(1, 32))
    grid.index = [_month_label(m) for m in grid.index]
    return grid


def week_tick_labels(labels: list[str]) -> dict[str, str]:
    """Week column label → short month of its Monday for the axis (« mars », « janv. 2024 »)."""
    mondays = pd.to_datetime(
        [label.removeprefix("sem. du ") for label in labels], format="%d/%m/%Y"
    )
    return {
        label: MONTHS_SHORT[day.month - 1] + (f" {day.year}" if day.month == 1 else "")
        for label, day in zip(labels, mondays, strict=True)
    }


def _nullable_json(value: np.ndarray | None, _widget: object) -> list | None:
    """The colour grid as nested lists with ``null`` for NaN: bqplot's front end draws
    ``null`` cells in ``null_color`` but NaN ones in black."""
    if value is None:
        return None
    grid = np.atleast_2d(np.asarray(value, dtype=float))
    return [[float(v) if np.isfinite(v) else None for v in row] for row in grid]


def _keep_grid(trait: Array, value: np.ndarray) -> np.ndarray:
    """Keep the colour grid 2-D: bqplot squeezes it, so a single week (7 × 1) or a single
    month (1 × 31) became 1-D and no longer matched its row and column labels."""
    grid = np.atleast_2d(value)
    if grid.ndim != 2:
        raise TraitError(f"{trait.name} must be a 2-D grid, got shape {np.shape(value)}")
    return grid


class NullableGridHeatMap(bqplot.GridHeatMap):
    """A GridHeatMap whose missing cells (NaN) take ``null_color`` and whose grid stays
    2-D even with a single row or column."""

    color = (
        Array(None, allow_none=True)
        .tag(
            sync=True,
            scaled=True,
            rtype="Color",
            atype="bqplot.ColorAxis",
            to_json=_nullable_json,
            from_json=array_from_json,
        )
        .valid(_keep_grid)
    )


class CalendarHeatmap(Chart):
    """Daily values drawn as a calendar; ``update(values, closed=...)`` redraws it."""

    def __init__(
        self,
        title: str,
        value_label: str,
        *,
        view: str = "semaines",
        scheme: str = "Blues",
        decimals: int = 0,
        caption: str | None = None,
        null_text: str = "En gris : jour sans valeur (équipement fermé ou hors période).",
    ) -> None:
        self._check_view(view)
        self.value_label, self.decimals, self.view = value_label, decimals, view
        self.null_text = null_text
        self.grid_frame = pd.DataFrame()
        # reverse: the first row (lundi, or the first month) on top, as on a paper calendar
        self.row_scale = bqplot.OrdinalScale(reverse=True)
        self.column_scale = bqplot.OrdinalScale()
        self.color_scale = bqplot.ColorScale(scheme=scheme, min=0.0)
        self.grid = NullableGridHeatMap(
            row=WEEKDAY_LABELS,
            column=EMPTY_COLUMNS,
            color=np.full((7, len(EMPTY_COLUMNS)), np.nan),
            null_color=NULL_COLOR,
            stroke="white",
            scales={"row": self.row_scale, "column": self.column_scale, "color": self.color_scale},
            tooltip=bqplot.Tooltip(fields=["row", "column", "color"], formats=["", "", ""]),
        )
        self.row_axis = bqplot.Axis(scale=self.row_scale, side="left")
        self.column_axis = bqplot.Axis(scale=self.column_scale)
        margin = {"top": 10, "bottom": 36, "left": 80, "right": 14}
        figure = make_figure([self.grid], [self.row_axis, self.column_axis], "220px", margin)
        super().__init__(title, figure, caption)

    @staticmethod
    def _check_view(view: str) -> None:
        if view not in VIEWS:
            raise ValueError(f"unknown calendar view {view!r}; use one of {VIEWS}")

    def update(
        self,
        values: pd.Series,
        *,
        closed: pd.Series | None = None,
        view: str | None = None,
    ) -> None:
        """Show daily ``values`` (index: dates); ``closed`` (same index, True = closed)
        greys those days out; ``view`` switches between « semaines » and « mois »."""
        view = view or self.view
        self._check_view(view)
        self.view = view
        grid = week_grid(values, closed) if view == "semaines" else month_grid(values, closed)
        self.grid_frame = grid
        drawn = grid
        if grid.size == 0:  # nothing to draw: show an empty week
            drawn = pd.DataFrame(np.nan, index=WEEKDAY_LABELS, columns=EMPTY_COLUMNS)
        rows, columns = [str(r) for r in drawn.index], [str(c) for c in drawn.columns]
        matrix = drawn.to_numpy(dtype=float)
        finite = matrix[np.isfinite(matrix)]
        top = float(finite.max()) if finite.size else 1.0
        with self.grid.hold_sync():
            self.color_scale.max = top if top > 0 else 1.0
            self.grid.row = self.grid.column = None  # bqplot checks them against the colours
            self.grid.color = matrix
            self.grid.row, self.grid.column = rows, columns
            labels = ["Jour", "Semaine", self.value_label]
            if view == "mois":
                labels = ["Mois", "Jour du mois", self.value_label]
            self.grid.tooltip.labels = labels
            self.grid.tooltip.formats = ["", "", f".{self.decimals}f"]
        weeks = view == "semaines" and grid.size > 0
        # On an ordinal axis bqplot spreads num_ticks labels evenly over the columns.
        self.column_axis.num_ticks = MAX_TICKS if weeks else DAY_TICKS
        self.column_axis.tick_labels = week_tick_labels(columns) if weeks else None
        self.figure.fig_margin = {**self.figure.fig_margin, "left": 80 if weeks else 112}
        self.figure.layout.height = f"{max(len(rows), 7) * (22 if view == 'mois' else 26) + 50}px"
        self._show_grid_table(grid, closed)

    def _shaped(self, grid: pd.DataFrame) -> pd.DataFrame:
        """A grid in its table shape: weeks as rows (a paper calendar), or months as rows."""
        table = grid.T if self.view == "semaines" else grid.copy()
        table.columns = [str(c) for c in table.columns]
        return table

    def _show_grid_table(self, grid: pd.DataFrame, closed: pd.Series | None) -> None:
        table = self._shaped(grid).astype(object)
        if closed is not None and grid.size:
            flags = pd.Series(closed, dtype="boolean").fillna(False).astype(float)
            shape = week_grid if self.view == "semaines" else month_grid
            shut = self._shaped(shape(flags)).reindex(index=table.index, columns=table.columns)
            table = table.mask(shut.eq(1.0), CLOSED_TEXT)
        table = table.where(table.notna(), None)
        table.index.name = "Semaine" if self.view == "semaines" else "Mois"
        empty = '<p class="rr-empty">Aucune donnée pour cette sélection.</p>'
        self.note.value = f'<p class="rr-empty">{self.null_text}</p>' if grid.size else empty
        self.table.value = details_html(
            html_table(table.reset_index(), self.caption, max_rows=200, decimals=self.decimals)
        )


def calendar_heatmap(
    values: pd.Series,
    title: str,
    value_label: str,
    *,
    closed: pd.Series | None = None,
    view: str = "semaines",
    **options,
) -> CalendarHeatmap:
    """A calendar of daily values (index: dates) with French day and month names.

    Parameters
    ----------
    values
        One value per day; missing days are greyed out.
    title, value_label
        Chart heading and the name of the value (tooltip, table caption).
    closed
        Optional flags (True = closed) on the same dates: greyed out, « fermé » in the table.
    view
        ``"semaines"`` (weekdays × weeks) or ``"mois"`` (months × days of the month).
    **options
        ``scheme`` (bqplot colour scheme), ``decimals``, ``caption``, ``null_text``.
    """
    chart = CalendarHeatmap(title, value_label, view=view, **options)
    chart.update(values, closed=closed)
    return chart
