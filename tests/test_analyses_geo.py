"""Distances on the ground, nearest points, and the commune of a point by its outline."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analyses.geo import (
    EARTH_RADIUS_M,
    assign_communes,
    disc_radius_m,
    haversine_m,
    latitude_check,
    longitude_check,
    nearest_by_group,
    nearest_point,
    nearest_target,
    within_m,
)

ROUEN_TOWN_HALL = (49.4431, 1.0994)
PARIS_NOTRE_DAME = (48.8530, 2.3499)
ROUEN_PARIS_KM = 112
"""Rouen to Paris as the crow flies, town hall to Notre-Dame, to the kilometre."""


def test_haversine_known_distances():
    assert haversine_m(*ROUEN_TOWN_HALL, *ROUEN_TOWN_HALL) == 0.0
    one_degree_north = haversine_m(49.0, 1.0, 50.0, 1.0)
    assert one_degree_north == pytest.approx(EARTH_RADIUS_M * math.pi / 180)
    distance = haversine_m(*ROUEN_TOWN_HALL, *PARIS_NOTRE_DAME)
    assert distance / 1000 == pytest.approx(ROUEN_PARIS_KM, abs=0.5)
    (lat1, lon1), (lat2, lon2) = (np.radians(p) for p in (ROUEN_TOWN_HALL, PARIS_NOTRE_DAME))
    cosines = math.acos(
        math.sin(lat1) * math.sin(lat2) + math.cos(lat1) * math.cos(lat2) * math.cos(lon2 - lon1)
    )  # the spherical law of cosines, another formula for the same distance
    assert distance == pytest.approx(EARTH_RADIUS_M * cosines, rel=1e-9)


def test_haversine_broadcasts_and_is_symmetric():
    lats, lons = np.array([49.40, 49.45]), np.array([1.05, 1.10])
    matrix = haversine_m(lats[:, None], lons[:, None], lats[None, :], lons[None, :])
    assert matrix.shape == (2, 2)
    assert matrix[0, 1] == pytest.approx(matrix[1, 0]) and matrix[0, 0] == 0.0


def _points() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kind": ["verre", "verre", "textile", "textile", "verre"],
            "lat": [49.4431, 49.4500, 49.4000, np.nan, 49.4432],
            "lon": [1.1100, 1.0994, 1.0994, 1.0994, 1.0994],
        }
    )


def test_nearest_point_skips_rows_without_position():
    row = nearest_point(_points(), *ROUEN_TOWN_HALL)
    assert row.name == 4 and row["distance_m"] == pytest.approx(11.1, abs=0.2)
    assert nearest_point(_points().iloc[[3]], *ROUEN_TOWN_HALL) is None


def test_nearest_by_group_gives_one_row_per_group_nearest_first():
    nearest = nearest_by_group(_points(), *ROUEN_TOWN_HALL, by="kind")
    assert list(nearest["kind"]) == ["verre", "textile"]
    expected = haversine_m(*ROUEN_TOWN_HALL, 49.4000, 1.0994)
    assert nearest.loc[1, "distance_m"] == pytest.approx(expected)


def test_nearest_target_skips_unlocated_rows_on_both_sides():
    targets = pd.DataFrame({"lat": [np.nan, 49.50, 49.30], "lon": [1.0, 1.0, 1.0]})
    points = pd.DataFrame({"lat": [49.49, np.nan, 49.32], "lon": [1.0, 1.0, 1.0]}, index=[7, 8, 9])
    near = nearest_target(points, targets)
    assert list(near.index) == [7, 9] and list(near["target"]) == [1, 2]  # positions in targets
    assert near["distance_m"].tolist() == pytest.approx([1112.0, 2224.0], abs=1.0)
    assert nearest_target(points, targets.iloc[:1]).empty


def test_points_around_a_centre_use_a_disc_of_the_same_area():
    radius = disc_radius_m(math.pi)  # π km² → 1 km
    assert radius == pytest.approx(1000.0)
    stops = pd.DataFrame({"lat": [49.44, 49.448, 49.46], "lon": [1.09, 1.09, 1.09]})
    inside = within_m(stops, 49.44, 1.09, radius)
    assert inside.tolist() == [True, True, False]  # 0 m, about 890 m, about 2.2 km


def test_coordinate_checks_speak_french():
    latitude_check(49.44)
    longitude_check(1.09)
    with pytest.raises(ValueError, match="latitude 48.85 est hors de la Métropole"):
        latitude_check(48.85)
    with pytest.raises(ValueError, match="longitude 2.35 est hors de la Métropole"):
        longitude_check(2.35)


ROUEN_CATHEDRAL = (49.4431, 1.0993)
ELBEUF_CENTRE = (49.2865, 1.0085)
ROUEN, ELBEUF = "76540", "76231"


@pytest.fixture(scope="module")
def real_communes() -> pd.DataFrame:
    from rouen_opendata import load_dataset

    return load_dataset("communes-metropole", source="snapshot").frame


def test_points_take_the_commune_whose_outline_holds_them(real_communes):
    points = pd.DataFrame(
        [ROUEN_CATHEDRAL, ELBEUF_CENTRE, PARIS_NOTRE_DAME, (np.nan, np.nan)],
        columns=["lat", "lon"],
        index=[10, 11, 12, 13],
    )
    assigned = assign_communes(points, real_communes)
    assert assigned.code.iloc[:2].tolist() == [ROUEN, ELBEUF]
    assert assigned.code.iloc[2:].isna().all() and list(assigned.code.index) == [10, 11, 12, 13]
    assert list(assigned.outside.index) == [12] and assigned.outside_count == 1
    assert assigned.unlocated == 1


def test_a_point_nearer_another_communes_centre_keeps_its_own_outline():
    """A wide commune A beside a narrow one B: the first point lies in A near the border,
    closer to B's centre than to A's (the nearest-centroid answer would be B)."""

    def box(west: float, east: float) -> dict:
        ring = [[west, 49.0], [east, 49.0], [east, 49.1], [west, 49.1], [west, 49.0]]
        return {"type": "Polygon", "coordinates": [ring]}

    communes = pd.DataFrame(
        {
            "code_insee": ["A", "B"],
            "geo_shape": [box(0.0, 2.0), box(2.0, 2.2)],
            "lat": [49.05, 49.05],
            "lon": [1.0, 2.1],
        }
    )
    points = pd.DataFrame({"lat": [49.05, 49.05, 49.02], "lon": [1.9, 2.15, 2.0]})
    assigned = assign_communes(points, communes)
    # The third point is on the shared border: it goes to the first commune of the table.
    assert assigned.code.tolist() == ["A", "B", "A"] and assigned.outside_count == 0
