"""Key facts written as text: a date, a licence, a name, in the look of the KPI cards.

:class:`~widgets.indicators.KpiCard` shows numbers; a :class:`TextCard` shows a short
text (« 6 janvier 2025 », « Licence Ouverte v2.0 ») beside them, in the same row.
"""

from __future__ import annotations

import html
import logging

import ipywidgets as widgets

from rouen_opendata.formatting import MISSING

log = logging.getLogger(__name__)

TEXT_STYLE = "font-size: 1.1rem; font-weight: 700; overflow-wrap: anywhere; hyphens: auto;"
"""A text is longer than a number: smaller than the KPI figures, as bold."""


class TextCard(widgets.HTML):
    """One fact as text; ``update(text=..., help=...)`` changes it in place."""

    def __init__(self, label: str, text: str, *, help: str | None = None) -> None:
        super().__init__()
        self.label, self.text, self.help = label, text, help
        self.add_class("rr-kpi")
        self.update(text, help=help)

    def update(self, text: str, *, label: str | None = None, help: str | None = None) -> None:
        """Change the text (and optionally the label or the help sentence)."""
        self.text = text
        self.label = self.label if label is None else label
        self.help = self.help if help is None else help
        shown = text or MISSING
        help_text = f'<p class="rr-kpi-help">{html.escape(self.help)}</p>' if self.help else ""
        self.value = (
            f'<div class="rr-kpi-card" role="group" aria-label="{html.escape(self.label)}">'
            f'<p class="rr-kpi-label">{html.escape(self.label)}</p>'
            f'<p class="rr-kpi-value"><span class="rr-kpi-text" style="{TEXT_STYLE}">'
            f"{html.escape(shown)}</span></p>"
            f"{help_text}</div>"
        )


def text_card(label: str, text: str, help: str | None = None) -> TextCard:
    """A card showing ``text`` under ``label`` (empty text shows « – »)."""
    return TextCard(label, text, help=help)
