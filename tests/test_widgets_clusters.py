"""Counted circles: one GeoJSON layer whose circle areas follow the counts."""

from __future__ import annotations

import ipyleaflet
import pandas as pd

from widgets.clusters import MAX_RADIUS, MIN_RADIUS, cluster_geojson, cluster_layer, set_clusters

CELLS = pd.DataFrame(
    {"lat": [49.44, 49.40, 49.30], "lon": [1.09, 1.05, 1.00], "count": [400, 100, 1]}
)


def test_radius_grows_with_the_square_root_of_the_count():
    features = cluster_geojson(CELLS)["features"]
    radii = [f["properties"]["style"]["radius"] for f in features]
    assert radii[0] == MAX_RADIUS and radii == sorted(radii, reverse=True)
    assert MIN_RADIUS < radii[2] < radii[1] < MAX_RADIUS
    assert (radii[1] - MIN_RADIUS) / (radii[0] - MIN_RADIUS) == 0.5  # a quarter of the count
    assert features[0]["geometry"]["coordinates"] == [1.09, 49.44]
    assert features[0]["properties"]["Enregistrements"] == "400"


def test_layer_is_one_model_and_set_clusters_replaces_its_circles():
    layer = cluster_layer(CELLS, "Regroupés", color="#AA0000", label="Conteneurs")
    assert isinstance(layer, ipyleaflet.GeoJSON) and len(layer.data["features"]) == 3
    assert layer.data["features"][0]["properties"]["style"]["fillColor"] == "#AA0000"
    set_clusters(layer, CELLS.head(1).assign(count=12345))
    (feature,) = layer.data["features"]
    assert feature["properties"]["Conteneurs"] == "12\u202f345"
    assert feature["properties"]["style"]["fillColor"] == "#AA0000"
    assert cluster_geojson(CELLS.iloc[:0])["features"] == []
