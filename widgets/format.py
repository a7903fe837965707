"""French formatting of numbers, percentages and dates for citizen-facing text.

Numbers group thousands with a narrow no-break space and use a decimal comma
(``1 234,5``); a no-break space separates a value from ``%``. Month and day names
are written here rather than taken from the system locale, which is often absent
on servers.
"""

from __future__ import annotations

import logging
import math
from datetime import date, datetime
from numbers import Real

import pandas as pd

log = logging.getLogger(__name__)

NNBSP = "\u202f"
"""Narrow no-break space: thousands separator, and before ``%``."""
MISSING = "–"
"""Shown in place of a missing value."""
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
DAYS_SHORT = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")


def is_missing(value: object) -> bool:
    """True for None, NaN, NaT and pandas' NA."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def format_number(value: float | int | None, decimals: int = 0, signed: bool = False) -> str:
    """``1234.5`` → ``1 234,5`` (``decimals`` digits after the comma).

    Parameters
    ----------
    value
        The number; None or NaN gives ``MISSING``.
    decimals
        Digits after the decimal comma, rounded half to even as Python does.
    signed
        Prefix positive values with ``+`` (for changes: ``+4,0``); a value that rounds
        to zero takes no sign.
    """
    if is_missing(value):
        return MISSING
    if not isinstance(value, Real) or isinstance(value, bool):
        raise TypeError(f"format_number expects a number, got {value!r}")
    if math.isinf(float(value)):
        return ("+∞" if signed else "∞") if value > 0 else "-∞"
    text = f"{float(value):,.{decimals}f}"
    zero = float(text.replace(",", "")) == 0
    if text.startswith("-") and zero:
        text = text[1:]
    if signed and value > 0 and not zero:
        text = "+" + text
    return text.replace(",", NNBSP).replace(".", ",")


def format_percent(fraction: float | None, decimals: int = 0, signed: bool = False) -> str:
    """``0.125`` → ``12,5 %``; ``signed=True`` adds ``+`` to gains.

    Parameters
    ----------
    fraction
        A share or change as a fraction of 1.
    decimals
        Digits after the decimal comma.
    signed
        Prefix positive values with ``+`` (for changes).
    """
    if is_missing(fraction):
        return MISSING
    return f"{format_number(fraction * 100, decimals, signed)}\u00a0%"


def format_count(count: int, singular: str, plural: str | None = None) -> str:
    """``3, "ligne"`` → ``3 lignes``; 0 and 1 take the singular, as in French."""
    word = singular if abs(count) < 2 else (plural or singular + "s")
    return f"{format_number(count)}\u00a0{word}"


def _as_date(value: date | datetime | str | pd.Timestamp) -> date:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return datetime.fromisoformat(str(value)[:10]).date()


def format_date(value: date | datetime | str | pd.Timestamp | None, style: str = "long") -> str:
    """A date in French.

    Parameters
    ----------
    value
        A date, datetime, Timestamp or ISO text; None gives ``MISSING``.
    style
        ``long`` → ``5 mars 2024`` (``1er`` for the first of the month),
        ``full`` → ``mardi 5 mars 2024``, ``short`` → ``05/03/2024``,
        ``month`` → ``mars 2024``, ``day`` → ``5 mars``.
    """
    if is_missing(value) or value == "":
        return MISSING
    day = _as_date(value)
    number = "1er" if day.day == 1 else str(day.day)
    styles = {
        "long": f"{number} {MONTHS[day.month - 1]} {day.year}",
        "full": f"{DAYS[day.weekday()]} {number} {MONTHS[day.month - 1]} {day.year}",
        "short": day.strftime("%d/%m/%Y"),
        "month": f"{MONTHS[day.month - 1]} {day.year}",
        "day": f"{number} {MONTHS[day.month - 1]}",
    }
    if style not in styles:
        raise ValueError(f"unknown date style {style!r}; use one of {', '.join(styles)}")
    return styles[style]


def format_date_range(start: date | str | pd.Timestamp, end: date | str | pd.Timestamp) -> str:
    """``du 29 janvier au 25 février 2024``; the year is written once when shared."""
    first, last = _as_date(start), _as_date(end)
    if first == last:
        return f"le {format_date(first)}"
    if first.year == last.year:
        return f"du {format_date(first, 'day')} au {format_date(last)}"
    return f"du {format_date(first)} au {format_date(last)}"
