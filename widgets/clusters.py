"""Counted circles: a large point set drawn as one circle per grid cell.

Thousands of points weigh on a phone's page; counted on a grid first (one row per
cell: ``lat``, ``lon``, ``count``), they become a single GeoJSON layer of circles whose
area follows the count. Hovering or touching a circle fills the map's info panel with
its count (see :func:`widgets.map_panel.crossing_map`).
"""

from __future__ import annotations

import logging
import math

import ipyleaflet
import pandas as pd

from .format import format_number
from .maps import COORDINATE_DIGITS, DEFAULT_COLOR

log = logging.getLogger(__name__)

MIN_RADIUS = 4
MAX_RADIUS = 22
"""Radius in pixels of the smallest and the largest circle."""
COUNT_LABEL = "Enregistrements"
"""Property shown in the info panel for a circle."""


def cluster_geojson(
    frame: pd.DataFrame, color: str = DEFAULT_COLOR, label: str = COUNT_LABEL
) -> dict:
    """A FeatureCollection of circles from ``lat``, ``lon`` and ``count`` columns.

    Each feature carries its style (radius by the square root of its count, so areas
    compare) and one property, ``label`` → the count in French.
    """
    largest = float(frame["count"].max()) if len(frame) else 1.0
    features = []
    for lat, lon, count in zip(frame["lat"], frame["lon"], frame["count"], strict=True):
        share = math.sqrt(float(count) / largest) if largest > 0 else 0.0
        radius = round(MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * share, 1)
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [
                        round(float(lon), COORDINATE_DIGITS),
                        round(float(lat), COORDINATE_DIGITS),
                    ],
                },
                "properties": {
                    label: format_number(int(count)),
                    "style": {
                        "radius": radius,
                        "color": "white",
                        "weight": 1,
                        "fillColor": color,
                        "fillOpacity": 0.7,
                    },
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def cluster_layer(
    frame: pd.DataFrame, name: str, color: str = DEFAULT_COLOR, label: str = COUNT_LABEL
) -> ipyleaflet.GeoJSON:
    """One GeoJSON layer of counted circles (see :func:`cluster_geojson`)."""
    layer = ipyleaflet.GeoJSON(
        data=cluster_geojson(frame, color, label),
        name=name,
        point_style={"radius": MIN_RADIUS},
        hover_style={"weight": 3, "color": "#222222", "fillOpacity": 0.9},
    )
    layer.cluster_color, layer.cluster_label = color, label
    return layer


def set_clusters(layer: ipyleaflet.GeoJSON, frame: pd.DataFrame) -> None:
    """Replace the circles of a layer made by :func:`cluster_layer`, in place."""
    color = getattr(layer, "cluster_color", DEFAULT_COLOR)
    layer.data = cluster_geojson(frame, color, getattr(layer, "cluster_label", COUNT_LABEL))
