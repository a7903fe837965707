"""Points sized and coloured by a value: counters by traffic, sites by visitors.

:class:`GraduatedPoints` puts each point in a class of the value (limits given, or
rounded quantiles from :func:`class_breaks`); a larger class is a bigger, darker circle.
Points are circle markers with popups, which open in static pages too, so this is for
a few hundred points at most (``widgets.maps.MARKER_LIMIT``): aggregate larger sets
first. One point can be highlighted (dark outline, the others faded).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence

import ipyleaflet
import numpy as np
import pandas as pd

from rouen_opendata.formatting import format_number

from .maps import (
    COORDINATE_DIGITS,
    MARKER_LIMIT,
    close_markers,
    facts_html,
    point_facts,
    popups,
)

log = logging.getLogger(__name__)

BLUES = ("#9ECAE1", "#4292C6", "#2171B5", "#08306B")
"""Light to dark: one colour per class (colour-blind safe, readable on the map tiles)."""
RADII = (4, 6, 9, 12)
"""Circle radius (pixels) per class."""
HIGHLIGHT_COLOR = "#E63027"


def _round_nice(value: float) -> float:
    """Round to two significant digits (1 234 → 1 200, 0,0456 → 0,046)."""
    if value <= 0 or not math.isfinite(value):
        return 0.0
    digits = 1 - math.floor(math.log10(value))
    return round(value, digits)


def class_breaks(values: pd.Series | Sequence[float], classes: int = 4) -> list[float]:
    """Rounded quantile limits cutting ``values`` in up to ``classes`` classes.

    Returns the limits between classes, increasing, without duplicates (fewer classes
    when values are few or equal); empty when there is nothing to cut.
    """
    known = pd.Series(values, dtype="float64").dropna()
    if known.nunique() < 2 or classes < 2:
        return []
    cuts = known.quantile([i / classes for i in range(1, classes)]).map(_round_nice)
    low, high = known.min(), known.max()
    return sorted({float(c) for c in cuts if low < c <= high})


def class_labels(breaks: Sequence[float], unit: str = "") -> list[str]:
    """« moins de 500 », « 500 à 1 000 », « 1 000 et plus », each with the unit after
    the number (« 1 000 vélos par jour et plus »)."""
    suffix = f"\u00a0{unit}" if unit else ""
    if not breaks:
        return [f"toutes valeurs{suffix}"]
    numbers = [format_number(b, 0 if b >= 10 else 2) for b in breaks]
    labels = [f"moins de {numbers[0]}{suffix}"]
    labels += [f"{a} à {b}{suffix}" for a, b in zip(numbers[:-1], numbers[1:], strict=True)]
    return [*labels, f"{numbers[-1]}{suffix} et plus"]


class GraduatedPoints:
    """A map layer of circles sized and coloured by class of a value.

    Parameters
    ----------
    name
        Layer name in the layer switcher.
    breaks
        Limits between classes (see :func:`class_breaks`); at most ``len(colors) - 1``.
    popup_fields
        Column → French label of the facts in a point's popup.
    unit
        Unit of the value in the legend (« vélos par jour »).
    colors, radii
        One per class, smallest class first.
    lat, lon
        Coordinate columns.
    """

    def __init__(
        self,
        name: str,
        breaks: Sequence[float],
        popup_fields: Mapping[str, str] | None = None,
        *,
        unit: str = "",
        colors: Sequence[str] = BLUES,
        radii: Sequence[int] = RADII,
        lat: str = "lat",
        lon: str = "lon",
    ) -> None:
        if len(breaks) >= len(colors) or len(colors) != len(radii):
            raise ValueError("need one colour and one radius per class")
        self.breaks = [float(b) for b in breaks]
        self.popup_fields, self.unit = dict(popup_fields or {}), unit
        offset = len(colors) - len(self.breaks) - 1  # few classes use the darker colours
        self.colors, self.radii = list(colors)[offset:], list(radii)[offset:]
        self.lat, self.lon = lat, lon
        self.layer = ipyleaflet.LayerGroup(name=name)
        self.shown: pd.DataFrame = pd.DataFrame()

    @property
    def legend_items(self) -> dict[str, str]:
        """Class label → colour, for ``crossing_map(legend_items=...)``."""
        return dict(zip(class_labels(self.breaks, self.unit), self.colors, strict=True))

    def classify(self, values: pd.Series) -> np.ndarray:
        """Class index (0 = smallest) of each value; -1 for a missing value."""
        numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
        classes = np.searchsorted(np.asarray(self.breaks), numbers, side="right")
        return np.where(np.isnan(numbers), -1, classes)

    def update(self, frame: pd.DataFrame, value: str, highlight: object = None) -> None:
        """Draw the rows of ``frame`` (located, with a known ``value``), largest on top.

        ``highlight`` is a value of ``frame.index``: that point gets a dark outline and
        the others fade. Replaced markers are closed with their popups.
        """
        located = frame.dropna(subset=[self.lat, self.lon, value])
        if len(located) > MARKER_LIMIT:
            log.warning(
                "%d graduated points, only the %d largest drawn", len(located), MARKER_LIMIT
            )
        # Largest first: later markers are drawn on top, so small circles stay visible.
        located = located.sort_values(value, ascending=False, kind="stable").head(MARKER_LIMIT)
        classes = self.classify(located[value])
        facts = [point_facts(row, self.popup_fields) for _, row in located.iterrows()]
        texts = popups([facts_html(f) for f in facts])
        markers = []
        for (key, row), cls, popup in zip(located.iterrows(), classes, texts, strict=True):
            chosen, faded = key == highlight, highlight is not None and key != highlight
            markers.append(
                ipyleaflet.CircleMarker(
                    location=(
                        round(float(row[self.lat]), COORDINATE_DIGITS),
                        round(float(row[self.lon]), COORDINATE_DIGITS),
                    ),
                    radius=int(self.radii[cls]) + (3 if chosen else 0),
                    color=HIGHLIGHT_COLOR if chosen else "white",
                    weight=4 if chosen else 1,
                    fill_color=self.colors[cls],
                    fill_opacity=0.35 if faded else 0.85,
                    popup=popup,
                    popup_min_width=180,
                )
            )
        if highlight in set(located.index):  # drawn last: on top of its neighbours
            position = list(located.index).index(highlight)
            markers.append(markers.pop(position))
        old = list(self.layer.layers)
        self.layer.layers = tuple(markers)
        close_markers(old)
        self.shown = located.assign(_class=classes)
