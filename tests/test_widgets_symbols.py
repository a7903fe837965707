"""Sized and coloured point symbols in one GeoJSON layer, counted circles included."""

from __future__ import annotations

import ipyleaflet
import pandas as pd

from widgets.symbols import OTHER_COLOR, radii, symbol_layer


def _points() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": ["Gare", "Mairie", "Parc", "Sans position"],
            "boardings": [400, 100, 0, 50],
            "mode": ["Métro", "Bus", "Bateau", "Bus"],
            "lat": [49.45, 49.44, 49.43, None],
            "lon": [1.09, 1.10, 1.11, None],
        }
    )


def test_radii_make_areas_proportional():
    sizes = radii(pd.Series([400, 100, 0]), max_radius=20, min_radius=2)
    assert list(sizes) == [20.0, 10.0, 2.0]  # a quarter of the value: half the radius
    assert list(radii(pd.Series([0, 0]))) == [2.0, 2.0]


def test_one_layer_carries_each_point_style_largest_first():
    layer = symbol_layer(
        _points(),
        "Arrêts",
        {"name": "Arrêt", "boardings": "Montées"},
        size="boardings",
        max_radius=20,
        category="mode",
        colors={"Métro": "#123E8B", "Bus": "#E08A00"},
    )
    features = layer.data["features"]
    assert [f["properties"]["Arrêt"] for f in features] == ["Gare", "Mairie", "Parc"]
    assert [f["properties"]["style"] for f in features] == [
        {"radius": 20.0, "fillColor": "#123E8B"},
        {"radius": 10.0, "fillColor": "#E08A00"},
        {"radius": 2.0, "fillColor": OTHER_COLOR},
    ]
    assert layer.point_style["radius"] == 6.0  # circles, not pins


def test_update_replaces_the_points_and_notifies():
    layer = symbol_layer(_points(), "Arrêts", {"name": "Arrêt"}, color="#000000")
    seen = []
    layer.observe(lambda change: seen.append(len(change["new"]["features"])), names="data")
    layer.update(_points().iloc[:1])
    assert seen == [1]
    assert layer.data["features"][0]["properties"]["style"] == {
        "radius": 6.0,
        "fillColor": "#000000",
    }


def test_counted_circles_are_symbols_sized_by_their_count():
    cells = pd.DataFrame(
        {"lat": [49.44, 49.40, 49.30], "lon": [1.09, 1.05, 1.00], "count": [400, 100, 1]}
    )
    layer = symbol_layer(
        cells,
        "Regroupés",
        {"count": "Conteneurs"},
        size="count",
        min_radius=4,
        max_radius=22,
        color="#AA0000",
    )
    assert isinstance(layer, ipyleaflet.GeoJSON) and len(layer.data["features"]) == 3
    features = layer.data["features"]
    radii_drawn = [f["properties"]["style"]["radius"] for f in features]
    assert radii_drawn == [22.0, 11.0, 4.0]  # a quarter of the count: half the radius
    assert features[0]["geometry"]["coordinates"] == [1.09, 49.44]
    assert features[0]["properties"]["style"]["fillColor"] == "#AA0000"
    layer.update(cells.head(1).assign(count=12345))
    (feature,) = layer.data["features"]
    assert feature["properties"]["Conteneurs"] == "12\u202f345"
