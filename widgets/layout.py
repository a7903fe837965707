"""The dashboard frame: header, data warning, controls, body, sources.

One responsive column that reads at 360 px wide: rows of cards and controls wrap,
charts take the full width. Styling is one small CSS block (class names prefixed
``rr-``) carried by a single shared HTML widget, so a page embeds it once however many
dashboards or sections it shows.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import ipywidgets as widgets

from .provenance import generated_banner, provenance_footer

if TYPE_CHECKING:
    from rouen_opendata import DataProvenance

log = logging.getLogger(__name__)

CSS = """
.rr-dashboard { max-width: 1100px; margin: 0; color: #1d1d1b;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.45; }
.rr-dashboard h2, .rr-section h2 { font-size: 1.35rem; margin: 0.8em 0 0.3em; }
.rr-dashboard .rr-title { font-size: 1.6rem; margin: 0.2em 0; }
.rr-intro p { margin: 0.3em 0 0.6em; max-width: 48em; }
.rr-chart-title { font-size: 1.05rem; margin: 0.6em 0 0.2em; }
.rr-controls { gap: 0.3em 1.2em; padding: 0.5em 0; border-bottom: 1px solid #d8dce2; }
.rr-controls .widget-label { font-weight: 600; }
.rr-kpi-row { gap: 0.75em; margin: 0.5em 0; }
.rr-kpi { flex: 1 1 9.5em; min-width: 9.5em; max-width: 100%; }
.rr-kpi-card { border: 1px solid #d8dce2; border-radius: 8px; padding: 0.6em 0.8em;
  background: #f7f8fa; height: 100%; box-sizing: border-box; }
.rr-kpi-card p { margin: 0; }
.rr-kpi-label { font-size: 0.9rem; color: #4a4f57; }
.rr-kpi-number { font-size: 1.7rem; font-weight: 700; }
.rr-kpi-unit { font-size: 0.95rem; }
.rr-kpi-trend, .rr-kpi-help { font-size: 0.85rem; color: #4a4f57; }
.rr-up span[aria-hidden] { color: #1b7f3b; } .rr-down span[aria-hidden] { color: #b3261e; }
.rr-section { width: 100%; margin: 0.4em 0 0.8em; }
.rr-chart, .rr-map { width: 100%; min-width: 0; }
.rr-details summary { cursor: pointer; color: #1f5fa8; padding: 0.3em 0; }
.rr-table-wrap { overflow-x: auto; max-height: 28em; }
.rr-table { border-collapse: collapse; font-size: 0.9rem; margin: 0.3em 0; }
.rr-table caption { text-align: left; font-weight: 600; padding: 0.3em 0; }
.rr-table th, .rr-table td { border-bottom: 1px solid #e3e6ea; padding: 0.2em 0.6em;
  text-align: left; }
.rr-table .rr-num { text-align: right; font-variant-numeric: tabular-nums; }
.rr-table-note, .rr-empty, .rr-info-empty { font-size: 0.85rem; color: #4a4f57; }
.rr-popup p { margin: 0.15em 0; font-size: 0.9rem; line-height: 1.35; }
.rr-legend { font-size: 0.85rem; margin: 0.3em 0; }
.rr-legend ul { display: flex; flex-wrap: wrap; gap: 0.2em 1em; list-style: none;
  padding: 0; margin: 0.2em 0; }
.rr-legend-title { font-weight: 600; }
.rr-swatch { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 50%;
  margin-right: 0.35em; vertical-align: -0.05em; border: 1px solid #fff;
  box-shadow: 0 0 0 1px #9aa0a6; }
.rr-banner { border-left: 6px solid #e08a00; background: #fff4e0; padding: 0.5em 0.9em;
  margin: 0.5em 0; }
.rr-banner p { margin: 0.2em 0; }
.rr-provenance { font-size: 0.85rem; color: #4a4f57; border-top: 1px solid #d8dce2;
  margin-top: 1em; padding-top: 0.4em; }
.rr-provenance-title { font-size: 1rem !important; }
.rr-provenance ul { padding-left: 1.2em; margin: 0.2em 0; }
.rr-sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }
.rr-dashboard .widget-html-content, .rr-section .widget-html-content { white-space: normal;
  line-height: 1.45; }
.rr-dashboard > .widget-html, .rr-section > .widget-html, .rr-chart > .widget-html,
.rr-map > .widget-html, .rr-dashboard .widget-html > .widget-html-content { width: 100%; }
@media (max-width: 480px) {
  .rr-dashboard .rr-title { font-size: 1.3rem; }
  .rr-kpi-number { font-size: 1.4rem; }
  .rr-kpi { flex-basis: 8em; min-width: 8em; }
}
"""
"""House style of the dashboards. ``white-space: normal`` lets HTML widgets wrap."""

_style_widget: widgets.HTML | None = None


def style_block() -> widgets.HTML:
    """The shared ``<style>`` widget (one model per kernel, so one copy per page)."""
    global _style_widget
    if _style_widget is None or _style_widget.comm is None:
        _style_widget = widgets.HTML(f"<style>{CSS}</style>", layout=widgets.Layout(display="none"))
    return _style_widget


def _paragraphs(text: str) -> str:
    return "".join(
        f"<p>{html.escape(part.strip())}</p>" for part in text.split("\n\n") if part.strip()
    )


def section(title: str, children: Sequence[widgets.Widget], description: str = "") -> widgets.VBox:
    """A titled block of the body: heading, optional French text, then widgets."""
    heading = widgets.HTML(
        f"<h2>{html.escape(title)}</h2>{_paragraphs(description)}",
        layout=widgets.Layout(width="100%"),
    )
    box = widgets.VBox([heading, *children], layout=widgets.Layout(width="100%"))
    box.add_class("rr-section")
    return box


class Dashboard(widgets.VBox):
    """The assembled page; parts are attributes so a notebook can reach them."""

    def __init__(
        self,
        header: widgets.HTML,
        banner: widgets.HTML,
        controls: widgets.Widget | None,
        body: Sequence[widgets.Widget],
        footer: widgets.HTML | None,
    ) -> None:
        self.header, self.banner, self.controls = header, banner, controls
        self.body, self.footer = list(body), footer
        parts = [style_block(), header, banner]
        parts += [controls] if controls is not None else []
        parts += self.body + ([footer] if footer is not None else [])
        super().__init__(parts, layout=widgets.Layout(width="100%"))
        self.add_class("rr-dashboard")


def dashboard(
    title: str,
    intro: str,
    controls: widgets.Widget | None,
    body: widgets.Widget | Iterable[widgets.Widget],
    provenances: DataProvenance | Iterable[DataProvenance],
    *,
    footer: bool = True,
) -> Dashboard:
    """One responsive column: title and intro, data warning, controls, body, sources.

    Parameters
    ----------
    title
        Dashboard title (French, plain text).
    intro
        One or a few sentences; blank lines separate paragraphs (plain text, escaped).
    controls
        Usually a :class:`~widgets.controls.ParameterControls`; None for none.
    body
        One widget or a sequence (sections, charts, maps, card rows).
    provenances
        Provenance of every dataset shown: feeds the banner (« Données d'exemple
        générées », « Données hors ligne du … ») and the sources footer.
    footer
        False when the notebook shows :func:`~widgets.provenance.provenance_footer`
        itself, at its very end.
    """
    header = widgets.HTML(
        f'<h2 class="rr-title">{html.escape(title)}</h2>'
        f'<div class="rr-intro">{_paragraphs(intro)}</div>',
        layout=widgets.Layout(width="100%"),
    )
    parts = [body] if isinstance(body, widgets.Widget) else list(body)
    provenances = [provenances] if hasattr(provenances, "title") else list(provenances)
    return Dashboard(
        header,
        generated_banner(provenances),
        controls,
        parts,
        provenance_footer(provenances) if footer else None,
    )
