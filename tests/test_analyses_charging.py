"""Charging points: stations and power classes, per-commune coverage, stop distances."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analyses import charging

METRES_PER_DEGREE = 6_371_008.8 * math.pi / 180
"""Length of one degree of latitude on the sphere the distances use."""
COMMUNES = pd.DataFrame(
    {
        "code_insee": ["76540", "76231", "76001"],
        "nom_commune": ["Rouen", "Elbeuf", "Sans-Borne"],
        "population": [110_000, 16_000, 500],
        "superficie_km2": [21.4, 16.3, 3.0],
        "lat": [49.44, 49.29, 49.50],
        "lon": [1.09, 1.01, 1.20],
    }
)


def _points() -> pd.DataFrame:
    """Three stations: two points in Rouen (7.4 and 50 kW), one 22 kW point in Elbeuf,
    and one point whose commune code is not in the table."""
    return pd.DataFrame(
        {
            "nom_amenageur": ["A", "A", "B", "C"],
            "id_station_itinerance": ["S1", "S1", "S2", "S3"],
            "nom_station": ["Rouen Gare", "Rouen Gare", "Elbeuf Centre", "Ailleurs"],
            "adresse_station": ["1 rue", "1 rue", "2 rue", "3 rue"],
            "code_insee_commune": ["76540", "76540", "76231", "27000"],
            "id_pdc_itinerance": ["P1", "P2", "P3", "P4"],
            "puissance_nominale": [7.4, 50.0, 22.0, 3.7],
            "gratuit": ["false", "true", "false", "false"],
            "lat": [49.44, 49.44, 49.29, 49.10],
            "lon": [1.09, 1.09, 1.01, 1.00],
        }
    )


def test_power_classes_cut_at_22_and_50_kw():
    labels = charging.power_class(pd.Series([3.7, 21.9, 22.0, 49.9, 50.0, 350.0, np.nan]))
    normal, fast_ac, fast = (band.label for band in charging.POWER_CLASSES)
    assert labels.tolist()[:6] == [normal, normal, fast_ac, fast_ac, fast, fast]
    assert pd.isna(labels.iloc[6])


def test_stations_take_their_most_powerful_point():
    stations = charging.charging_stations(_points(), COMMUNES).set_index("station_id")
    assert stations.loc["S1", ["points", "max_kw", "free", "commune"]].tolist() == [
        2,
        50.0,
        True,
        "Rouen",
    ]
    assert stations.loc["S1", "power_class"] == charging.POWER_CLASSES[2].label
    assert stations.loc["S2", "power_class"] == charging.POWER_CLASSES[1].label
    assert pd.isna(stations.loc["S3", "commune"])  # code outside the reference table


def test_minimum_power_keeps_the_points_at_or_above_it():
    points = _points()
    assert charging.power_thresholds(points) == [0.0, 3.7, 7.4, 22.0, 50.0]
    assert len(charging.at_least(points, 0.0)) == 4
    assert charging.at_least(points, 22.0)["id_pdc_itinerance"].tolist() == ["P2", "P3"]


def test_nearest_station_distance_along_a_meridian():
    stations = pd.DataFrame({"name": ["Nord", "Sud"], "lat": [49.50, 49.30], "lon": [1.0, 1.0]})
    stops = pd.DataFrame(
        {"name": ["a", "b", "c"], "lat": [49.49, 49.32, np.nan], "lon": [1.0, 1.0, 1.0]}
    )
    near = charging.nearest_station(stops, stations)
    assert near["nearest"].tolist()[:2] == ["Nord", "Sud"]
    assert near["distance_m"].iloc[0] == pytest.approx(0.01 * METRES_PER_DEGREE)
    assert near["distance_m"].iloc[1] == pytest.approx(0.02 * METRES_PER_DEGREE)
    assert np.isnan(near["distance_m"].iloc[2])  # no position, no distance
    none = charging.nearest_station(stops, stations.iloc[:0])
    assert none["distance_m"].isna().all() and none["nearest"].isna().all()


def test_distance_classes_count_each_distance_once_lower_bound_included():
    distances = pd.Series([0, 299.9, 300, 499, 500, 999, 1000, 4999, 5000, 12000, np.nan])
    classes = charging.distance_classes(distances)
    assert classes.index.tolist() == [
        "moins de 300 m",
        "300 à 500 m",
        "500 m à 1 km",
        "1 à 2 km",
        "2 à 5 km",
        "5 km et plus",
    ]
    assert classes.tolist() == [2, 2, 2, 1, 1, 2]
    assert charging.share_within(distances, 500) == pytest.approx(4 / 10)
    assert charging.share_within(pd.Series([np.nan]), 500) is None
    assert charging.metres_text(1500) == "1,5 km"


def test_coverage_lists_every_commune_per_10000_inhabitants():
    table = charging.coverage(_points(), COMMUNES).set_index("commune")
    assert table.index.tolist() == ["Rouen", "Elbeuf", "Sans-Borne"]
    assert table["points"].tolist() == [2, 1, 0] and table["stations"].tolist() == [1, 1, 0]
    assert table.loc["Rouen", "per_10k"] == pytest.approx(2 / 110_000 * 10_000)
    assert table.loc["Sans-Borne", "per_10k"] == 0.0


def _square(lat: float, lon: float, half: float = 0.05) -> dict:
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def _outlined() -> pd.DataFrame:
    return COMMUNES.assign(
        geo_shape=[_square(la, lo) for la, lo in zip(COMMUNES["lat"], COMMUNES["lon"], strict=True)]
    )


def _stops() -> pd.DataFrame:
    """Two stops in Rouen's square, one in Elbeuf's, one in no commune."""
    return pd.DataFrame(
        {
            "name": ["Gare", "Hôtel de Ville", "Elbeuf Halle", "Loin"],
            "lat": [49.44, 49.46, 49.29, 49.00],
            "lon": [1.09, 1.09, 1.01, 0.50],
        }
    )


def test_stops_take_the_commune_of_their_outline_and_the_others_are_counted():
    placed, outside = charging.place_stops(_stops(), _outlined())
    assert outside == 1
    assert placed["name"].tolist() == ["Gare", "Hôtel de Ville", "Elbeuf Halle"]
    assert placed["commune"].tolist() == ["Rouen", "Rouen", "Elbeuf"]


def test_view_of_one_commune_counts_its_stops_and_its_stations():
    stops, _ = charging.place_stops(_stops(), _outlined())
    whole = charging.charging_view(_points(), COMMUNES, stops, None, 0.0, 500)
    assert len(whole.in_place) == 3 and len(whole.near) == 3
    assert whole.per_10k == pytest.approx(3 / 126_500 * 10_000)
    rouen = charging.charging_view(_points(), COMMUNES, stops, "Rouen", 0.0, 500)
    assert rouen.in_place["name"].tolist() == ["Rouen Gare"]
    assert rouen.near["name"].tolist() == ["Gare", "Hôtel de Ville"]
    # Hôtel de Ville is 0.02° of latitude north of the station.
    second = 0.02 * METRES_PER_DEGREE
    assert rouen.near["distance_m"].tolist() == pytest.approx([0.0, second])
    assert rouen.close == 1 and rouen.share == pytest.approx(0.5)
    assert rouen.median == pytest.approx(second / 2)
    assert rouen.far["name"].tolist() == ["Hôtel de Ville"]
    assert rouen.per_10k == pytest.approx(2 / 110_000 * 10_000)
    fast = charging.charging_view(_points(), COMMUNES, stops, "Elbeuf", 50.0, 500)
    assert fast.in_place.empty and fast.stations["name"].tolist() == ["Rouen Gare"]
    assert fast.near["nearest"].tolist() == ["Rouen Gare"]
