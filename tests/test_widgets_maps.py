"""Maps stay light: big point sets are one GeoJSON layer, small ones markers with popups."""

from __future__ import annotations

import ipyleaflet
import numpy as np
import pandas as pd
import pytest
from ipywidgets.widgets.widget import _instances as live_widgets

from widgets import MARKER_LIMIT, base_map, crossing_map, geojson_layer, points_layer, set_points
from widgets.colors import legend_html
from widgets.maps import OSM_ATTRIBUTION

# ``live_widgets`` is the dict behind ``ipywidgets.Widget.widgets`` (deprecated in
# ipywidgets 8): every widget the kernel still holds, each one also in the page state.

POPUP = {"nom": "Arrêt", "n": "Quais"}


def _points(count: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "lat": 49.40 + rng.random(count) / 10,
            "lon": 1.00 + rng.random(count) / 10,
            "nom": [f"Arrêt <{i}>" for i in range(count)],
            "n": range(count),
        }
    )


def test_base_map_credits_tiles_and_data():
    m = base_map(data_attribution="Données : Métropole <Rouen>")
    assert tuple(round(c, 2) for c in m.center) == (49.44, 1.09) and m.zoom == 11
    attribution = m.layers[0].attribution
    assert attribution.startswith(OSM_ATTRIBUTION) and "Métropole &lt;Rouen&gt;" in attribution
    assert m.layout.height == "420px" and m.scroll_wheel_zoom is False


def test_big_point_sets_are_one_geojson_layer():
    frame = _points(MARKER_LIMIT * 5)
    layer = points_layer(frame, "Arrêts", POPUP, color="#123456", cluster=True)
    assert isinstance(layer, ipyleaflet.GeoJSON)
    features = layer.data["features"]
    assert len(features) == len(frame)
    assert features[0]["properties"] == {"Arrêt": "Arrêt <0>", "Quais": "0"}
    assert len(str(features[0]["geometry"]["coordinates"][0]).split(".")[1]) <= 5
    assert layer.point_style["fillColor"] == "#123456"


def test_small_sets_are_markers_with_escaped_popups_sharing_one_layout():
    cluster = points_layer(_points(5), "Arbres", POPUP, cluster=True)
    assert isinstance(cluster, ipyleaflet.MarkerCluster) and len(cluster.markers) == 5
    first = cluster.markers[0]
    assert first.title == "Arrêt <0>" and "Arrêt &lt;0&gt;" in first.popup.value
    assert first.popup.layout is cluster.markers[1].popup.layout
    circles = points_layer(_points(3), "Terminus", POPUP, color="#E63027")
    assert isinstance(circles, ipyleaflet.LayerGroup)
    assert {c.fill_color for c in circles.layers} == {"#E63027"}


def test_rows_without_coordinates_are_left_off():
    frame = _points(4)
    frame.loc[1, "lat"] = np.nan
    assert len(points_layer(frame, "x", POPUP).layers) == 3


def test_set_points_replaces_points_in_place_and_keeps_the_style():
    layer = points_layer(_points(0), "Métro", POPUP, color="#123E8B", radius=7)
    set_points(layer, _points(4), POPUP)
    assert len(layer.layers) == 4 and layer.layers[0].fill_color == "#123E8B"
    old = layer.layers[0]
    set_points(layer, _points(2), POPUP)
    assert len(layer.layers) == 2 and old.comm is None  # closed, out of the page state
    big = points_layer(_points(400), "Autres", POPUP)
    set_points(big, _points(350), POPUP)
    assert len(big.data["features"]) == 350


@pytest.mark.parametrize("cluster", [False, True])
def test_repeated_updates_leave_no_marker_or_popup_alive(cluster):
    layer = points_layer(_points(4), "Arrêts", POPUP, cluster=cluster)
    map_ = base_map()
    map_.add(layer)
    set_points(layer, _points(4, seed=2), POPUP)
    alive = len(live_widgets)
    replaced = list(layer.markers if cluster else layer.layers)
    for seed in range(3, 8):
        set_points(layer, _points(4, seed=seed), POPUP)
    assert len(live_widgets) == alive  # before: 4 popups, a layout and a style more each time
    for marker in replaced:
        assert marker.comm is None and marker.popup.comm is None
        assert marker.popup.layout.comm is None and marker.popup.style.comm is None
    set_points(layer, _points(0), POPUP)
    assert len(live_widgets) == alive - 4 * 2 - 2  # markers, popups, shared layout and style


def test_any_set_can_be_one_geojson_layer():
    layer = points_layer(_points(3), "Bornes", POPUP, "#F2A900", radius=6, geojson=True)
    assert isinstance(layer, ipyleaflet.GeoJSON) and len(layer.data["features"]) == 3
    assert layer.point_style["fillColor"] == "#F2A900" and layer.point_style["radius"] == 6
    assert layer.data["features"][0]["properties"] == {"Arrêt": "Arrêt <0>", "Quais": "0"}
    set_points(layer, _points(0), POPUP)
    assert layer.data["features"] == []


def test_crossing_map_has_layers_switcher_legend_and_info_panel():
    big = points_layer(_points(400), "x", POPUP)
    shapes = geojson_layer({"type": "FeatureCollection", "features": []}, "Zones")
    panel = crossing_map(
        {"Arrêts": big, "Zones": shapes},
        legend_items={"Métro": "#123E8B", "Bus <scolaire>": "#E08A00"},
        legend_title="Modes",
    )
    background = panel.map.layers[1]
    assert background.name == "Fond : communes"  # under the tiles, before the data layers
    assert [layer.name for layer in panel.map.layers[2:]] == ["Arrêts", "Zones"]
    assert any(isinstance(c, ipyleaflet.LayersControl) for c in panel.map.controls)
    assert "Bus &lt;scolaire&gt;" in panel.legend.value and "#123E8B" in panel.legend.value
    big._hover_callbacks(event="mouseover", properties={"Arrêt": "Gare <Rive droite>"})
    assert "Gare &lt;Rive droite&gt;" in panel.info.value
    panel.set_table(_points(3)[["nom", "n"]], "Arrêts affichés")
    assert "Voir les données en tableau" in panel.table.value


def test_legend_refuses_what_is_not_a_colour():
    with pytest.raises(ValueError, match="not a CSS colour"):
        legend_html({"x": "red;background:url(x)"})
