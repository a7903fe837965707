"""Map view fitted from Python, and a data layer swapped in place."""

from __future__ import annotations

import ipyleaflet
import pandas as pd
import pytest

from widgets import crossing_map, points_layer, symbol_layer
from widgets.map_view import MAX_ZOOM, fit_view
from widgets.maps import DEFAULT_ZOOM, ROUEN_CENTER, base_map


def _points(lat: list[float | None], lon: list[float | None]) -> pd.DataFrame:
    return pd.DataFrame({"lat": lat, "lon": lon}, dtype=float)


def test_view_fits_the_points():
    m = base_map()
    fit_view(m, _points([49.30, 49.55], [0.95, 1.25]))  # the Métropole
    assert tuple(m.center) == pytest.approx((49.425, 1.1)) and m.zoom == 10
    fit_view(m, _points([49.44, 49.4405], [1.09, 1.0905]))  # one street
    assert m.zoom == MAX_ZOOM
    fit_view(m, _points([49.44], [1.09]))
    assert m.zoom == MAX_ZOOM and tuple(m.center) == (49.44, 1.09)
    fit_view(m, _points([49.440, 49.445], [1.090, 1.095]))  # a neighbourhood
    assert m.zoom >= 14 and tuple(m.center) == (49.4425, 1.0925)


def test_no_located_point_shows_the_whole_metropole():
    m = base_map(center=(49.28, 1.0), zoom=14)
    fit_view(m, _points([None], [None]))
    assert tuple(m.center) == ROUEN_CENTER and m.zoom == DEFAULT_ZOOM


def test_a_wider_map_zooms_closer_and_other_columns_can_be_named():
    phone, desktop = base_map(), base_map()
    stops = pd.DataFrame({"stop_lat": [49.30, 49.55], "stop_lon": [0.90, 1.30]})
    fit_view(phone, stops, lat="stop_lat", lon="stop_lon")
    fit_view(desktop, stops, lat="stop_lat", lon="stop_lon", size_px=(1024, 1024))
    assert desktop.zoom > phone.zoom


def test_replace_layer_swaps_the_data_layer_and_rewires_the_info_panel():
    points = pd.DataFrame({"lat": [49.44, 49.45], "lon": [1.09, 1.1], "nom": ["a", "b"]})
    panel = crossing_map({})
    first = panel.replace_layer("Données", points_layer(points, "x", {"nom": "Nom"}))
    assert first in panel.map.layers and first.name == "Données"
    markers = list(first.layers)
    cells = pd.DataFrame({"lat": [49.44], "lon": [1.09], "count": [2]})
    second = panel.replace_layer(
        "Données", symbol_layer(cells, "y", {"count": "Enregistrements"}, size="count")
    )
    assert second in panel.map.layers and first not in panel.map.layers
    assert first.comm is None  # closed: it left the page state
    assert all(m.comm is None and m.popup.comm is None for m in markers)
    assert panel.layers == {"Données": second}
    second._handle_mouse_events(
        None, {"event": "mouseover", "properties": {"Enregistrements": "2"}}, None
    )
    assert "Enregistrements" in panel.info.value
    assert sum(isinstance(layer, ipyleaflet.GeoJSON) for layer in panel.map.layers) == 1
