"""Point symbols that vary by feature: circle size from a number, colour from a category.

One ipyleaflet ``GeoJSON`` layer holds every point (one widget model, whatever their
number), each feature carrying its own style (``radius``, ``fillColor``). Circle
*areas* are proportional to the value, so a stop with four times the boardings looks
four times as big, not sixteen. Hovering or touching a point fills the info panel of
:func:`widgets.crossing_map` (the facts are the feature's properties).

Counted circles are the same symbols: a large point set counted on a grid first (one
row per cell: ``lat``, ``lon``, ``count``) becomes ``symbol_layer(cells, name,
{"count": "Enregistrements"}, size="count")``, light on a phone's page.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping

import ipyleaflet
import numpy as np
import pandas as pd

from .colors import DEFAULT_COLOR
from .maps import HOVER_STYLE, point_style, points_geojson

log = logging.getLogger(__name__)

OTHER_COLOR = "#9AA0A6"
"""Colour of the categories missing from a colour mapping."""
FILL_OPACITY = 0.75
"""Sized circles overlap: a lighter fill than plain points keeps the small ones visible."""


def radii(values: pd.Series, max_radius: float = 18.0, min_radius: float = 2.0) -> pd.Series:
    """Circle radii in pixels with areas proportional to ``values`` (largest = max_radius)."""
    numbers = pd.to_numeric(values, errors="coerce").astype("float64").clip(lower=0)
    top = numbers.max()
    if not top or math.isnan(top):
        return pd.Series(min_radius, index=values.index)
    return (max_radius * np.sqrt(numbers.fillna(0) / top)).clip(lower=min_radius).round(1)


class SymbolLayer(ipyleaflet.GeoJSON):
    """A GeoJSON layer of circles sized by ``size`` and coloured by ``category``.

    Call :meth:`update` with a new frame to redraw every point in place.
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        name: str,
        popup_fields: Mapping[str, str] | None = None,
        *,
        size: str | None = None,
        radius: float = 6.0,
        max_radius: float = 18.0,
        min_radius: float = 2.0,
        category: str | None = None,
        colors: Mapping[str, str] | None = None,
        color: str = DEFAULT_COLOR,
        lat: str = "lat",
        lon: str = "lon",
    ) -> None:
        self.popup_fields = dict(popup_fields or {})
        self.size, self.radius = size, radius
        self.max_radius, self.min_radius = max_radius, min_radius
        self.category, self.colors, self.color = category, dict(colors or {}), color
        self.lat, self.lon = lat, lon
        super().__init__(
            data={"type": "FeatureCollection", "features": []},
            name=name,
            point_style={**point_style(color, radius), "fillOpacity": FILL_OPACITY},
            hover_style=dict(HOVER_STYLE),
        )
        self.update(frame)

    def styles(self, frame: pd.DataFrame) -> list[dict[str, object]]:
        """The style of each located row (radius and fill colour), in row order."""
        located = frame.dropna(subset=[self.lat, self.lon])
        sizes = (
            radii(located[self.size], self.max_radius, self.min_radius)
            if self.size
            else pd.Series(self.radius, index=located.index)
        )
        if self.category:
            fills = [self.colors.get(str(v), OTHER_COLOR) for v in located[self.category]]
        else:
            fills = [self.color] * len(located)
        return [
            {"radius": float(r), "fillColor": c}
            for r, c in zip(sizes.to_numpy(), fills, strict=True)
        ]

    def update(self, frame: pd.DataFrame) -> None:
        """Replace every point by the located rows of ``frame``; with ``size``, the
        largest are drawn first so that smaller circles stay visible on top."""
        if self.size:
            order = pd.to_numeric(frame[self.size], errors="coerce").fillna(0)
            frame = frame.loc[order.sort_values(ascending=False, kind="stable").index]
        data = points_geojson(frame, self.popup_fields, lat=self.lat, lon=self.lon)
        for feature, style in zip(data["features"], self.styles(frame), strict=True):
            feature["properties"]["style"] = style
        self.data = data


def symbol_layer(
    frame: pd.DataFrame, name: str, popup_fields: Mapping[str, str] | None = None, **options
) -> SymbolLayer:
    """One GeoJSON layer of circles, sized and/or coloured per point.

    Parameters
    ----------
    frame
        One row per point, with ``lat`` and ``lon`` columns (``lat=``/``lon=`` to rename).
    name
        Layer name (layer switcher).
    popup_fields
        Column → French label of the facts shown for a point.
    **options
        ``size`` (column: circle areas proportional to it, the largest ``max_radius``
        pixels, none smaller than ``min_radius``), ``radius`` (fixed radius without
        ``size``), ``category`` (column) with ``colors`` (value → colour; others grey),
        or one ``color``; ``lat``/``lon`` (coordinate columns).
    """
    return SymbolLayer(frame, name, popup_fields, **options)
