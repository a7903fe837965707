"""French formatting of numbers, percentages and dates: the one place citizen-facing text
gets them, for every layer (data layer, analyses, widgets, dashboards, build).

Babel supplies the French conventions (CLDR data shipped with the package, so no system
locale is needed): thousands grouped with a narrow no-break space, a decimal comma
(``1 234,5``), month and day names. Two habits of French typography CLDR leaves out are
added here: ``1er`` for the first of the month, and a no-break space before ``%`` and
before a counted noun.
"""

from __future__ import annotations

import logging
import math
from datetime import date, datetime
from decimal import Decimal
from numbers import Real
from typing import Any, cast

import pandas as pd
from babel import dates as babel_dates
from babel import numbers as babel_numbers

log = logging.getLogger(__name__)

LOCALE = "fr_FR"
"""Babel locale of every text this module writes."""
NNBSP = babel_numbers.get_group_symbol(LOCALE)
"""Narrow no-break space (U+202F): French thousands separator."""
NBSP = "\u00a0"
"""No-break space: before ``%`` and between a number and what it counts."""
MISSING = "–"
"""Shown in place of a missing value."""
MONTHS = tuple(babel_dates.get_month_names("wide", locale=LOCALE)[m] for m in range(1, 13))
"""``janvier`` … ``décembre``."""
DAYS = tuple(babel_dates.get_day_names("wide", locale=LOCALE)[d] for d in range(7))
"""``lundi`` … ``dimanche`` (Monday first, as :meth:`date.weekday`)."""
DAYS_SHORT = tuple(babel_dates.get_day_names("abbreviated", locale=LOCALE)[d] for d in range(7))
"""``lun.`` … ``dim.``."""

_DATE_PATTERNS = {
    "long": "d MMMM y",
    "full": "EEEE d MMMM y",
    "short": "dd/MM/y",
    "month": "MMMM y",
    "day": "d MMMM",
}


def is_missing(value: object) -> bool:
    """True for None, NaN, NaT and pandas' NA."""
    if value is None:
        return True
    try:
        return bool(pd.isna(cast(Any, value)))
    except (TypeError, ValueError):
        return False


def format_number(value: float | int | None, decimals: int = 0, signed: bool = False) -> str:
    """``1234.5`` → ``1 234,5`` (``decimals`` digits after the comma).

    Parameters
    ----------
    value
        The number; None or NaN gives ``MISSING``.
    decimals
        Digits after the decimal comma, rounded half to even on the float's exact value,
        as Python's own formatting does (``0.125`` → ``0,12``).
    signed
        Prefix positive values with ``+`` (for changes: ``+4,0``); a value that rounds
        to zero takes no sign.
    """
    if is_missing(value):
        return MISSING
    if not isinstance(value, Real) or isinstance(value, bool):
        raise TypeError(f"format_number expects a number, got {value!r}")
    number = float(value)
    if math.isinf(number):
        return ("+∞" if signed else "∞") if number > 0 else "-∞"
    # The float's exact binary value, so Babel rounds it as Python would.
    exact = Decimal(int(value)) if isinstance(value, int) else Decimal(number)
    rounded = round(exact, decimals)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0,0"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    text = babel_numbers.format_decimal(rounded, format=pattern, locale=LOCALE)
    return "+" + text if signed and rounded > 0 else text


def format_compact(value: float) -> str:
    """``1.5`` → ``1,5``, ``2.0`` → ``2``: six significant digits at most, no thousands
    separator (a radius, a distance or a delay inside a sentence: « 1,5 km »)."""
    if is_missing(value):
        return MISSING
    # Python's general format rounds to six significant digits; Babel writes it in French.
    return str(
        babel_numbers.format_decimal(Decimal(f"{value:g}"), format="0.############", locale=LOCALE)
    )


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
    if fraction is None or is_missing(fraction):
        return MISSING
    return f"{format_number(fraction * 100, decimals, signed)}{NBSP}%"


def format_count(count: int, singular: str, plural: str | None = None) -> str:
    """``3, "ligne"`` → ``3 lignes``; 0 and 1 take the singular, as in French."""
    word = singular if abs(count) < 2 else (plural or singular + "s")
    return f"{format_number(count)}{NBSP}{word}"


def _as_date(value: date | datetime | str | pd.Timestamp) -> date:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return datetime.fromisoformat(str(value)[:10]).date()


def format_date(
    value: date | datetime | str | pd.Timestamp | None,
    style: str = "long",
    missing: str = MISSING,
) -> str:
    """A date in French.

    Parameters
    ----------
    value
        A date, datetime, Timestamp or ISO text. Text that is not an ISO date is
        returned as it is (a portal's free-form date is still information).
    style
        ``long`` → ``5 mars 2024`` (``1er`` for the first of the month),
        ``full`` → ``mardi 5 mars 2024``, ``short`` → ``05/03/2024``,
        ``month`` → ``mars 2024``, ``day`` → ``5 mars``.
    missing
        Returned for None, NaT or empty text (default ``MISSING``).
    """
    if style not in _DATE_PATTERNS:
        raise ValueError(f"unknown date style {style!r}; use one of {', '.join(_DATE_PATTERNS)}")
    if value is None or is_missing(value) or value == "":
        return missing
    try:
        day = _as_date(value)
    except ValueError:
        return str(value)
    pattern = _DATE_PATTERNS[style]
    if day.day == 1 and style != "short":
        pattern = pattern.replace("d ", "'1er' ", 1)
    return str(babel_dates.format_date(day, pattern, locale=LOCALE))


def format_date_range(start: date | str | pd.Timestamp, end: date | str | pd.Timestamp) -> str:
    """``du 29 janvier au 25 février 2024``; the year is written once when shared."""
    first, last = _as_date(start), _as_date(end)
    if first == last:
        return f"le {format_date(first)}"
    if first.year == last.year:
        return f"du {format_date(first, 'day')} au {format_date(last)}"
    return f"du {format_date(first)} au {format_date(last)}"
