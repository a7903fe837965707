"""Key figures: a value, its unit, and its trend against a previous value.

A :class:`KpiCard` is one HTML widget (small page state) whose ``update`` changes the
figures in place. The trend arrow is decorative (``aria-hidden``); the same trend is
written out in words for screen readers.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence

import ipywidgets as widgets

from rouen_opendata.formatting import MISSING, format_number, format_percent, is_missing

log = logging.getLogger(__name__)

STABLE_BELOW = 0.005
"""Relative changes smaller than this (0,5 %) are shown as stable."""


def trend_text(value: float | None, previous: float | None) -> tuple[str, str, str]:
    """(css class, visible text, screen-reader text) of the change from previous to value.

    From 100 to 110: ``("rr-up", "▲ +10 %", "en hausse de 10 %")``.
    """
    if is_missing(value) or is_missing(previous):
        return "", "", ""
    if previous == 0:
        if value == 0:
            return "rr-flat", "= stable", "stable"
        return "rr-up", "▲ nouveau", "en hausse, contre zéro"
    change = (value - previous) / abs(previous)
    if abs(change) < STABLE_BELOW:
        return "rr-flat", "= stable", "stable"
    decimals = 0 if abs(change) >= 0.1 else 1
    amount, signed = format_percent(abs(change), decimals), format_percent(change, decimals, True)
    if change > 0:
        return "rr-up", f"▲ {signed}", f"en hausse de {amount}"
    return "rr-down", f"▼ {signed}", f"en baisse de {amount}"


class KpiCard(widgets.HTML):
    """One key figure; call ``update(value=..., previous=...)`` to change it.

    Parameters
    ----------
    label
        What is counted, in French (« Lignes », « Courses un jour de semaine »).
    value
        The figure; None shows « – » (non disponible).
    unit
        Written after the figure (« courses », « km », « % »).
    previous
        Figure of the comparison period; gives the ▲/▼ trend in percent.
    decimals
        Digits after the decimal comma.
    signed
        The figure is a change: positive values get a ``+`` (« +4,0 % »).
    help
        One sentence under the figure saying how it is counted.
    previous_label
        The comparison period in words (« un mardi moyen »).
    """

    def __init__(
        self,
        label: str,
        value: float | None,
        unit: str = "",
        *,
        previous: float | None = None,
        decimals: int = 0,
        signed: bool = False,
        help: str | None = None,
        previous_label: str = "la période précédente",
    ) -> None:
        super().__init__()
        self.label, self.unit, self.help = label, unit, help
        self.decimals, self.signed, self.previous_label = decimals, signed, previous_label
        self.figure: float | None = None
        self.previous: float | None = None
        self.add_class("rr-kpi")
        self.update(value, previous)

    def update(
        self,
        value: float | None,
        previous: float | None = None,
        *,
        label: str | None = None,
        unit: str | None = None,
        help: str | None = None,
        previous_label: str | None = None,
    ) -> None:
        """Change the figure (and optionally its label, unit, help or comparison)."""
        self.figure, self.previous = value, previous
        self.label = self.label if label is None else label
        self.unit = self.unit if unit is None else unit
        self.help = self.help if help is None else help
        self.previous_label = self.previous_label if previous_label is None else previous_label
        self.value = self.render()

    @property
    def number(self) -> str:
        """The figure as written, without its unit: ``1 234``, ``+4,0``, ``–``."""
        return format_number(self.figure, self.decimals, self.signed)

    @property
    def text(self) -> str:
        """The figure as shown, e.g. ``1 234 courses``."""
        number = self.number
        return number if number == MISSING or not self.unit else f"{number}\u00a0{self.unit}"

    def render(self) -> str:
        css, visible, spoken = trend_text(self.figure, self.previous)
        unit = f' <span class="rr-kpi-unit">{html.escape(self.unit)}</span>' if self.unit else ""
        missing = (
            ' <span class="rr-sr-only">(non disponible)</span>' if is_missing(self.figure) else ""
        )
        trend = ""
        if visible:
            trend = (
                f'<p class="rr-kpi-trend {css}"><span aria-hidden="true">'
                f"{html.escape(visible)}</span>"
                f'<span class="rr-sr-only">{html.escape(spoken)}</span>'
                f" par rapport à {html.escape(self.previous_label)}</p>"
            )
        help_text = f'<p class="rr-kpi-help">{html.escape(self.help)}</p>' if self.help else ""
        return (
            '<div class="rr-kpi-card" role="group" '
            f'aria-label="{html.escape(self.label)}">'
            f'<p class="rr-kpi-label">{html.escape(self.label)}</p>'
            f'<p class="rr-kpi-value"><span class="rr-kpi-number">'
            f"{html.escape(self.number)}</span>{unit}{missing}</p>"
            f"{trend}{help_text}</div>"
        )


def kpi_card(
    label: str,
    value: float | None,
    unit: str = "",
    previous: float | None = None,
    decimals: int = 0,
    help: str | None = None,
    **options: object,
) -> KpiCard:
    """A key figure card (see :class:`KpiCard` for the parameters; ``signed`` and
    ``previous_label`` are keyword-only)."""
    return KpiCard(label, value, unit, previous=previous, decimals=decimals, help=help, **options)


class AnswerCard(widgets.HTML):
    """An answer in words (« Patinoire, le samedi : en général, c'est calme. ») in the
    card of a key figure, across the page; ``update(body)`` takes HTML the notebook
    composed, its values escaped."""

    def __init__(self, body: str = "") -> None:
        super().__init__(layout=widgets.Layout(width="100%"))
        self.update(body)

    def update(self, body: str) -> None:
        """Replace the answer."""
        self.body = body
        self.value = f'<div class="rr-kpi-card">{body}</div>' if body else ""


def kpi_row(cards: Sequence[widgets.Widget]) -> widgets.HBox:
    """Cards side by side, wrapping onto several lines on narrow screens."""
    row = widgets.HBox(list(cards), layout=widgets.Layout(flex_flow="row wrap", width="100%"))
    row.add_class("rr-kpi-row")
    return row
