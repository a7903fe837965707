"""GeoJSON point layers whatever their size, and a view that fits the points."""

from __future__ import annotations

import ipyleaflet
import pandas as pd

from widgets import base_map, set_points
from widgets.point_layers import fit_view, geojson_points_layer


def _points(count: int) -> pd.DataFrame:
    return pd.DataFrame(
        {"nom": [f"P{i}" for i in range(count)], "lat": [49.44] * count, "lon": [1.09] * count}
    )


def test_small_sets_are_still_one_geojson_layer():
    layer = geojson_points_layer(_points(3), "Bornes", {"nom": "Station"}, "#F2A900", radius=6)
    assert isinstance(layer, ipyleaflet.GeoJSON) and len(layer.data["features"]) == 3
    assert layer.point_style["fillColor"] == "#F2A900" and layer.point_style["radius"] == 6
    assert layer.data["features"][0]["properties"] == {"Station": "P0"}
    set_points(layer, _points(0), {"nom": "Station"})
    assert layer.data["features"] == []


def test_fit_view_zooms_in_on_close_points_and_out_on_far_ones():
    map_ = base_map()
    close = pd.DataFrame({"lat": [49.440, 49.445], "lon": [1.090, 1.095]})
    fit_view(map_, close)
    assert map_.zoom >= 14 and abs(map_.center[0] - 49.4425) < 1e-9
    far = pd.DataFrame({"lat": [49.28, 49.53], "lon": [0.80, 1.25]})
    fit_view(map_, far)
    assert 9 <= map_.zoom <= 10
    before = (tuple(map_.center), map_.zoom)
    fit_view(map_, far.iloc[:0])
    assert (tuple(map_.center), map_.zoom) == before
