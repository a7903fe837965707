"""Map view fitted from Python, and a data layer swapped in place."""

from __future__ import annotations

import ipyleaflet
import pandas as pd
import pytest

from widgets import crossing_map, points_layer
from widgets.clusters import cluster_layer
from widgets.map_view import MAX_ZOOM, fit_view, replace_layer
from widgets.maps import ROUEN_CENTER, base_map


def test_view_fits_the_points():
    m = base_map()
    fit_view(m, pd.Series([49.30, 49.55]), pd.Series([0.95, 1.25]))  # the Métropole
    assert tuple(m.center) == pytest.approx((49.425, 1.1)) and m.zoom == 10
    fit_view(m, pd.Series([49.44, 49.4405]), pd.Series([1.09, 1.0905]))  # one street
    assert m.zoom == MAX_ZOOM
    fit_view(m, pd.Series([49.44]), pd.Series([1.09]))
    assert m.zoom == MAX_ZOOM and tuple(m.center) == (49.44, 1.09)
    fit_view(m, pd.Series([None], dtype=float), pd.Series([None], dtype=float))
    assert tuple(m.center) == ROUEN_CENTER


def test_a_wider_map_zooms_closer():
    phone, desktop = base_map(), base_map()
    lat, lon = pd.Series([49.30, 49.55]), pd.Series([0.90, 1.30])
    fit_view(phone, lat, lon)
    fit_view(desktop, lat, lon, tiles=(4.0, 4.0))
    assert desktop.zoom > phone.zoom


def test_replace_layer_swaps_the_data_layer_and_rewires_the_info_panel():
    points = pd.DataFrame({"lat": [49.44, 49.45], "lon": [1.09, 1.1], "nom": ["a", "b"]})
    panel = crossing_map({})
    first = replace_layer(panel, "Données", points_layer(points, "x", {"nom": "Nom"}))
    assert first in panel.map.layers and first.name == "Données"
    cells = pd.DataFrame({"lat": [49.44], "lon": [1.09], "count": [2]})
    second = replace_layer(panel, "Données", cluster_layer(cells, "y"))
    assert second in panel.map.layers and first not in panel.map.layers
    assert first.comm is None  # closed: it left the page state
    assert panel.layers == {"Données": second}
    second._handle_mouse_events(
        None, {"event": "mouseover", "properties": {"Enregistrements": "2"}}, None
    )
    assert "Enregistrements" in panel.info.value
    assert sum(isinstance(layer, ipyleaflet.GeoJSON) for layer in panel.map.layers) == 1
