"""Accessible HTML tables: the text alternative of every chart and map.

Each table has a ``<caption>``, column headers with ``scope``, French number and
date formatting, and every value HTML-escaped.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping
from datetime import date

import pandas as pd

from rouen_opendata.formatting import format_date, format_number, is_missing

log = logging.getLogger(__name__)


def format_cell(value: object, decimals: int = 1) -> str:
    """One value as French text: numbers grouped, dates ``05/03/2024``, tuples joined."""
    if hasattr(value, "item") and not isinstance(value, str | pd.Timestamp):
        value = value.item()  # numpy scalar → Python scalar
    if isinstance(value, tuple | list):
        return ", ".join(format_cell(item, decimals) for item in value)
    if is_missing(value):
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int):
        return format_number(value)
    if isinstance(value, float):
        return format_number(value, decimals)
    if isinstance(value, pd.Timestamp | date):
        return format_date(value, "short")
    return str(value)


def html_table(
    frame: pd.DataFrame,
    caption: str,
    max_rows: int = 50,
    *,
    decimals: int | Mapping[str, int] = 1,
    index: bool = False,
) -> str:
    """An escaped ``<table>`` with caption and headers, at most ``max_rows`` rows.

    Parameters
    ----------
    frame
        Rows to show; column names become headers.
    caption
        What the table shows (read first by screen readers).
    max_rows
        Rows beyond this are left out and a note says how many there are.
    decimals
        Digits after the comma for float columns, one number or per column.
    index
        Show the index as the first column (a row header).
    """
    shown = frame.reset_index() if index else frame
    total = len(shown)
    shown = shown.head(max_rows)
    columns = [str(c) for c in shown.columns]

    def digits(column: str) -> int:
        return decimals.get(column, 1) if isinstance(decimals, Mapping) else decimals

    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in columns)
    rows = []
    for values in shown.itertuples(index=False):
        cells = []
        for position, (column, value) in enumerate(zip(columns, values, strict=True)):
            text = html.escape(format_cell(value, digits(column)))
            numeric = pd.api.types.is_number(value) and not pd.api.types.is_bool(value)
            css = ' class="rr-num"' if numeric else ""
            tag = 'th scope="row"' if index and position == 0 else "td"
            cells.append(f"<{tag}{css}>{text}</{tag.split()[0]}>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    note = ""
    if total > len(shown):
        note = (
            f'<p class="rr-table-note">{format_number(len(shown))} premières lignes '
            f"sur {format_number(total)}.</p>"
        )
    if not rows:
        rows.append(f'<tr><td colspan="{max(len(columns), 1)}">Aucune donnée.</td></tr>')
    # The wrapper scrolls sideways on phones: keyboard users must be able to reach it.
    return (
        f'<div class="rr-table-wrap" tabindex="0" role="region" '
        f'aria-label="{html.escape(caption, quote=True)}"><table class="rr-table">'
        f"<caption>{html.escape(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{note}</div>"
    )


TABLE_TOGGLE = "Voir les données en tableau"
"""Label of the disclosure that opens a chart's or a map's table."""


def details_html(table: str) -> str:
    """A table inside a « Voir les données en tableau » disclosure (opens without a kernel)."""
    return f'<details class="rr-details"><summary>{TABLE_TOGGLE}</summary>{table}</details>'
