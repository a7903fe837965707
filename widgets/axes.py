"""Chart axes written in French: round ticks, French tick labels, room for long names.

bqplot formats numbers with d3-format, which has no French locale: ``tick_format``
would write ``1,234.5``. Value axes get their tick values from :func:`nice_ticks` and
the text of each tick, written by :func:`rouen_opendata.formatting.format_number`
(``1 234,5``), through bqplot's ``tick_labels``. A tick is written with as many
decimals as the step needs (steps of 2,5 show ``2,5``, never ``3``).

Date axes show months or days, depending on the span (:func:`set_date_ticks`).
Category axes of horizontal bars get a left margin sized to their longest label, up
to a limit; longer labels are shortened with « … » on the axis only (tooltips and
tables keep them whole).
"""

from __future__ import annotations

import logging
import math
import warnings
from collections.abc import Sequence

import numpy as np

from rouen_opendata.formatting import format_number

with warnings.catch_warnings():
    # bqscales 0.3 passes trait metadata through constructors, which traitlets 5
    # deprecates at import time; nothing the caller can change.
    warnings.filterwarnings(
        "ignore", message="metadata .* was set from the constructor", category=DeprecationWarning
    )
    import bqplot

log = logging.getLogger(__name__)

HEADROOM = 1.2
"""Value axes end at least this much above the largest value, so bar labels fit."""
LABEL_CHAR_PX = 5.8
"""Width of one character of an axis label (bqplot's 12 px sans-serif): 4.9 to 6.6 px
measured in Chromium on commune and stop names, 5.8 on average."""
LABEL_PADDING_PX = 16
"""Room between the longest category label and the bars."""
MIN_LABEL_PX = 72
"""Left margin of short category labels (« T4 », « Lundi »)."""
DAY_TICKS_UP_TO = 120
"""Longest span (days) whose date axis shows days (``05/03``) rather than months."""
MAX_LABEL_PX = 224
"""Widest left margin (the longest commune name, « Les Authieux-sur-le-Port-Saint-Ouen »,
fits): beyond, labels are shortened so the bars keep some room on a phone."""


def nice_ticks(largest: float, headroom: float = HEADROOM, intervals: int = 4) -> list[float]:
    """Round tick values from 0 to at least ``largest × headroom``: 0, 200, 400, 600."""
    target = largest * headroom
    if not target > 0:
        return [0.0, 1.0]
    raw = target / intervals
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [round(step * i, 10) for i in range(math.ceil(target / step - 1e-9) + 1)]


def tick_decimals(ticks: Sequence[float]) -> int:
    """Decimals needed to write every tick exactly: 0 for 0, 50, 100; 1 for 0, 2,5, 5."""
    for decimals in range(11):
        if all(abs(t - round(t, decimals)) < 1e-9 for t in ticks):
            return decimals
    return 10


def js_number(value: float) -> str:
    """The text JavaScript gives a number (``String(200)`` is ``"200"``, not ``"200.0"``):
    the key bqplot looks a tick up with in ``tick_labels``."""
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def french_tick_labels(ticks: Sequence[float]) -> dict[str, str]:
    """Tick value (as JavaScript writes it) → French text, one number of decimals for all."""
    decimals = tick_decimals(ticks)
    return {js_number(t): format_number(float(t), decimals) for t in ticks}


def set_value_ticks(
    axis: bqplot.Axis, scale: bqplot.LinearScale, largest: float, headroom: float = HEADROOM
) -> list[float]:
    """Round ticks from 0 past ``largest``, written in French; the scale ends on the last.

    Returns the tick values.
    """
    ticks = nice_ticks(largest, headroom)
    with axis.hold_sync():
        scale.max = ticks[-1]
        axis.tick_values = ticks
        axis.tick_labels = french_tick_labels(ticks)
    return ticks


def set_date_ticks(axis: bqplot.Axis, dates: np.ndarray) -> None:
    """Dates as ``03/2024`` over more than four months, as ``05/03`` over a shorter span."""
    span = (dates[-1] - dates[0]).astype("timedelta64[D]").astype(int) if len(dates) else 0
    axis.tick_format = "%m/%Y" if span > DAY_TICKS_UP_TO else "%d/%m"


def label_margin(labels: Sequence[str], maximum: int = MAX_LABEL_PX) -> int:
    """Left margin (pixels) fitting the longest label, between ``MIN_LABEL_PX`` and
    ``maximum``."""
    longest = max((len(label) for label in labels), default=0)
    needed = math.ceil(LABEL_PADDING_PX + LABEL_CHAR_PX * longest)
    return max(MIN_LABEL_PX, min(maximum, needed))


def short_labels(labels: Sequence[str], margin: int) -> dict[str, str]:
    """Label → shortened label (« … » at the end) for the labels too long for ``margin``."""
    room = max(3, int((margin - LABEL_PADDING_PX) / LABEL_CHAR_PX))
    return {label: label[: room - 1].rstrip() + "…" for label in labels if len(label) > room}
