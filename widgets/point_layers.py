"""Point layers that stay one GeoJSON model whatever their size, and a view that fits them.

:func:`widgets.maps.points_layer` draws small sets as one marker model per point (with
popups that open in static pages) and switches to GeoJSON above ``MARKER_LIMIT``. A map
that shows many layers at once, some small and some large, is lighter when every layer
is a single GeoJSON model: :func:`geojson_points_layer` always makes one, styled like
``points_layer``'s large sets, and :func:`widgets.maps.set_points` updates it in place.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping

import ipyleaflet
import pandas as pd

from .maps import DEFAULT_COLOR, points_geojson

log = logging.getLogger(__name__)

HOVER_STYLE = {"weight": 3, "color": "#222222", "fillOpacity": 1}
EQUATOR_METRES_PER_PIXEL = 156_543.03
"""Ground size of a map pixel at the equator at zoom 0 (Web Mercator tiles of 256 px)."""
METRES_PER_DEGREE = 111_320.0


def point_style(color: str, radius: int) -> dict[str, object]:
    """Circle style of every point of a layer (white outline, so overlaps stay readable)."""
    return {
        "radius": radius,
        "color": "white",
        "weight": 1,
        "fillColor": color,
        "fillOpacity": 0.85,
        "opacity": 0.9,
    }


def geojson_points_layer(
    frame: pd.DataFrame,
    name: str,
    popup_fields: Mapping[str, str] | None = None,
    color: str = DEFAULT_COLOR,
    *,
    radius: int = 5,
    lat: str = "lat",
    lon: str = "lon",
) -> ipyleaflet.GeoJSON:
    """One GeoJSON layer of circles; each point's properties are its facts (label → text).

    The facts show in the map's info panel when a point is hovered or touched (live
    pages). Update the points with :func:`widgets.maps.set_points`.
    """
    return ipyleaflet.GeoJSON(
        data=points_geojson(frame, popup_fields, lat=lat, lon=lon),
        name=name,
        point_style=point_style(color, radius),
        hover_style=dict(HOVER_STYLE),
    )


def fit_view(
    map_: ipyleaflet.Map,
    frame: pd.DataFrame,
    *,
    width_px: int = 330,
    height_px: int = 380,
    max_zoom: int = 15,
    min_zoom: int = 9,
    lat: str = "lat",
    lon: str = "lon",
) -> None:
    """Centre and zoom ``map_`` so every point of ``frame`` shows, even on a phone.

    The zoom is computed here rather than by Leaflet's ``fitBounds`` so that the view is
    part of the page state: a static page opens on it too. ``width_px``/``height_px`` are
    the smallest map the view must fit (a 360 px wide phone). No point: no change.
    """
    located = frame[[lat, lon]].dropna()
    if located.empty:
        return
    south, north = float(located[lat].min()), float(located[lat].max())
    west, east = float(located[lon].min()), float(located[lon].max())
    middle = (south + north) / 2
    scale = math.cos(math.radians(middle))
    needed = max(
        (east - west) * METRES_PER_DEGREE * scale / width_px,
        (north - south) * METRES_PER_DEGREE / height_px,
        1e-9,
    )
    zoom = math.floor(math.log2(EQUATOR_METRES_PER_PIXEL * scale / needed))
    map_.center = (middle, (west + east) / 2)
    map_.zoom = max(min_zoom, min(max_zoom, zoom))
