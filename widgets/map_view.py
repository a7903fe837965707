"""Keeping a map's view and layer in step with changing data.

:func:`fit_view` centres and zooms a map on a set of points from Python, so the view is
part of the page state (a static page shows it without a kernel). :func:`replace_layer`
swaps the data layer of a :class:`~widgets.map_panel.MapPanel` when the kind of layer
changes (points become counted circles past a threshold), wiring the info panel again
and closing the old layer so it leaves the page state.
"""

from __future__ import annotations

import logging
import math

import ipyleaflet
import pandas as pd

from .map_panel import MapPanel
from .maps import ROUEN_CENTER

log = logging.getLogger(__name__)

MAX_ZOOM = 15
"""Closest zoom for a single point or a tight group (a street)."""
MIN_ZOOM = 5
TILES = (1.4, 1.4)
"""Map tiles (256 px) across and down that the points should fit in: a phone is about
1.4 tiles wide, and a 420 px map 1.6 tiles high."""
MARGIN = 1.2
"""Room left around the points (20 %)."""


def _zoom(span: float, tiles: float) -> int:
    return MAX_ZOOM if span <= 0 else math.floor(math.log2(tiles * 360 / (span * MARGIN)))


def fit_view(
    map_: ipyleaflet.Map, lat: pd.Series, lon: pd.Series, tiles: tuple[float, float] = TILES
) -> None:
    """Centre ``map_`` on the points and zoom so they fit; no points keeps Rouen.

    ``tiles`` is the map's size in tiles (across, down); the default fits a phone.
    """
    located = pd.DataFrame({"lat": lat, "lon": lon}).dropna()
    if located.empty:
        map_.center = ROUEN_CENTER
        return
    south, north = float(located["lat"].min()), float(located["lat"].max())
    west, east = float(located["lon"].min()), float(located["lon"].max())
    # On the map a degree of latitude is taller than a degree of longitude is wide.
    stretch = 1 / max(math.cos(math.radians((south + north) / 2)), 0.1)
    zoom = min(_zoom(east - west, tiles[0]), _zoom((north - south) * stretch, tiles[1]))
    map_.center = ((south + north) / 2, (west + east) / 2)
    map_.zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))


def replace_layer(panel: MapPanel, name: str, layer: ipyleaflet.Layer) -> ipyleaflet.Layer:
    """Put ``layer`` in place of the panel's layer called ``name`` (or add it)."""
    old = panel.layers.get(name)
    if old is not None:
        panel.map.remove(old)
        for child in getattr(old, "layers", ()) + getattr(old, "markers", ()):
            child.close()
        old.close()
    layer.name = name
    panel.map.add(layer)
    if panel.info is not None and isinstance(layer, ipyleaflet.GeoJSON):
        layer.on_hover(panel.info.show)
        layer.on_click(panel.info.show)
    panel.layers[name] = layer
    return layer
