"""Crowd levels in words and colours: « calme », « moyen », « chargé », « fermé ».

Plain HTML tables (they read without a kernel, on a phone and with a screen reader):
the word is always written, the colour only repeats it. Rows come from
``analyses.attendance.crowd_table``: columns ``niveau``, ``bas``, ``mediane``, ``haut``,
``jours_ouverts``, ``jours``.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping, Sequence

import pandas as pd

from rouen_opendata.formatting import format_number

log = logging.getLogger(__name__)

LEVEL_COLORS = {
    "calme": "#CDEBD3",
    "moyen": "#FFE7A0",
    "chargé": "#F7B9A6",
    "fermé": "#E3E5E8",
    "trop peu de jours": "#FFFFFF",
}
"""Background of each level's badge (pale: dark text stays readable on all of them)."""
CSS = """
.rr-crowd-wrap { overflow-x: auto; max-width: 100%; }
.rr-crowd { border-collapse: collapse; font-size: 0.88rem; margin: 0.3em 0; }
.rr-crowd caption { text-align: left; font-weight: 600; padding: 0.3em 0; }
.rr-crowd th, .rr-crowd td { border-bottom: 1px solid #e3e6ea; padding: 0.25em 0.35em;
  text-align: left; }
.rr-crowd .rr-num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.rr-answer { font-size: 1.2rem; margin: 0.2em 0 0.4em; }
.rr-crowd .rr-chosen { outline: 2px solid #1d1d1b; outline-offset: -2px; font-weight: 700; }
.rr-level { display: inline-block; border-radius: 0.8em; padding: 0 0.55em;
  border: 1px solid #c5cad3; white-space: nowrap; }
"""


def level_badge(level: str) -> str:
    """One level as an escaped, coloured word."""
    color = LEVEL_COLORS.get(level, "#FFFFFF")
    return f'<span class="rr-level" style="background:{color}">{html.escape(level)}</span>'


def typical_range(row: pd.Series | Mapping[str, object], unit: str = " entrées") -> str:
    """« 420 à 610 entrées » from the quartiles of a row; empty when unknown."""
    low, high = row.get("bas"), row.get("haut")
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return ""
    return f"{format_number(float(low))} à {format_number(float(high))}{unit}"


def week_table_html(
    table: pd.DataFrame, day_names: Sequence[str], chosen: int | None, caption: str
) -> str:
    """One row per weekday: level, usual entries (quartiles), open days out of the past
    days of that weekday (« 115/157 »).

    ``table`` is indexed by weekday number (0 = lundi); ``chosen`` is outlined.
    """
    rows = []
    for number, name in enumerate(day_names):
        row = table.loc[number] if number in table.index else pd.Series(dtype=object)
        level = str(row.get("niveau", "fermé"))
        chosen_css = ' class="rr-chosen"' if number == chosen else ""
        opened = int(row.get("jours_ouverts", 0) or 0)
        days = int(row.get("jours", 0) or 0)
        rows.append(
            f'<tr{chosen_css}><th scope="row">{html.escape(name)}</th>'
            f"<td>{level_badge(level)}</td>"
            f'<td class="rr-num">{html.escape(typical_range(row, ""))}</td>'
            f'<td class="rr-num">{format_number(opened)}/{format_number(days)}</td></tr>'
        )
    head = "".join(
        f'<th scope="col">{h}</th>'
        for h in ("Jour", "Affluence", "Entrées habituelles", "Jours ouverts")
    )
    return (
        f'<style>{CSS}</style><div class="rr-crowd-wrap"><table class="rr-crowd">'
        f"<caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def month_grid_html(
    table: pd.DataFrame,
    month_names: Sequence[str],
    day_names: Sequence[str],
    chosen: int | None,
    caption: str,
) -> str:
    """Months (rows) × weekdays (columns) of levels; the ``chosen`` weekday outlined.

    ``table`` is indexed by (mois 1–12, jour 0–6).
    """
    chosen_css = ' class="rr-chosen"'
    head = '<th scope="col">Mois</th>' + "".join(
        f'<th scope="col"{chosen_css if i == chosen else ""}>{html.escape(d)}</th>'
        for i, d in enumerate(day_names)
    )
    rows = []
    for month, name in enumerate(month_names, start=1):
        cells = []
        for day in range(len(day_names)):
            level = (
                str(table.loc[(month, day), "niveau"]) if (month, day) in table.index else "fermé"
            )
            css = chosen_css if day == chosen else ""
            cells.append(f"<td{css}>{level_badge(level)}</td>")
        rows.append(f'<tr><th scope="row">{html.escape(name)}</th>{"".join(cells)}</tr>')
    return (
        f'<style>{CSS}</style><div class="rr-crowd-wrap"><table class="rr-crowd">'
        f"<caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
