"""The view of a map fitted to its points, computed in Python.

:func:`fit_view` centres and zooms a map so a set of points shows on a phone-sized
map. The view is computed here rather than by Leaflet's ``fitBounds`` so that it is
part of the page state: a static page opens on it too, without a kernel.
"""

from __future__ import annotations

import logging
import math

import ipyleaflet
import pandas as pd

from .maps import COORDINATE_DIGITS, DEFAULT_ZOOM, ROUEN_CENTER

log = logging.getLogger(__name__)

MAX_ZOOM = 15
"""Closest zoom for a single point or a tight group (a street)."""
MIN_ZOOM = 5
"""Farthest zoom (a dataset spread over France)."""
FIT_PX = (360, 360)
"""Map size (width, height in pixels) the points must fit in: a phone's width, and the
visible height of a map on it."""
MARGIN = 1.2
"""Room left around the points (20 %)."""
TILE_PX = 256
"""Width of a map tile: the world is ``TILE_PX × 2**zoom`` pixels wide."""


def _zoom(span_degrees: float, pixels: float) -> int:
    if span_degrees <= 0:
        return MAX_ZOOM
    return math.floor(math.log2(pixels * 360 / (TILE_PX * span_degrees * MARGIN)))


def fit_view(
    map_: ipyleaflet.Map,
    frame: pd.DataFrame,
    *,
    lat: str = "lat",
    lon: str = "lon",
    size_px: tuple[int, int] = FIT_PX,
    max_zoom: int = MAX_ZOOM,
) -> None:
    """Centre and zoom ``map_`` so every located row of ``frame`` shows on a map of
    ``size_px`` (a phone by default); no located row shows the whole Métropole."""
    located = frame[[lat, lon]].dropna()
    if located.empty:
        map_.center, map_.zoom = ROUEN_CENTER, DEFAULT_ZOOM
        return
    south, north = float(located[lat].min()), float(located[lat].max())
    west, east = float(located[lon].min()), float(located[lon].max())
    middle = (south + north) / 2
    # Mercator: a degree of latitude is drawn taller than a degree of longitude is wide.
    stretch = 1 / max(math.cos(math.radians(middle)), 0.1)
    zoom = min(_zoom(east - west, size_px[0]), _zoom((north - south) * stretch, size_px[1]))
    map_.center = (round(middle, COORDINATE_DIGITS), round((west + east) / 2, COORDINATE_DIGITS))
    map_.zoom = max(MIN_ZOOM, min(max_zoom, zoom))
