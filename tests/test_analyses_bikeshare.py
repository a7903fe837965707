"""Lovélo stations: states at the feed's instant, communes, density, distance from stops."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analyses import bikeshare
from rouen_opendata import load_dataset

SNAPSHOT = Path(__file__).resolve().parent.parent / "data/snapshots/lovelo-gbfs"


@pytest.fixture(scope="module")
def stations() -> pd.DataFrame:
    information = load_dataset("lovelo-gbfs", table="station_information").frame
    status = load_dataset("lovelo-gbfs", table="station_status").frame
    return bikeshare.stations(information, status)


@pytest.fixture(scope="module")
def communes() -> pd.DataFrame:
    return load_dataset("communes-metropole").frame


def test_stations_and_their_state_match_the_raw_feed(stations):
    raw = json.loads((SNAPSHOT / "station_status.json").read_text("utf-8"))["data"]["stations"]
    info = json.loads((SNAPSHOT / "station_information.json").read_text("utf-8"))
    assert len(stations) == len(info["data"]["stations"]) == 122
    assert stations["velos"].sum() == sum(s["num_bikes_available"] for s in raw)
    by_id = {s["station_id"]: s for s in raw}
    for row in stations.itertuples():
        status = by_id[row.station_id]
        if not status["is_renting"]:
            assert row.etat == bikeshare.CLOSED
        elif status["num_bikes_available"] == 0:
            assert row.etat == bikeshare.EMPTY
        elif status["num_docks_available"] == 0:
            assert row.etat == bikeshare.FULL
        else:
            assert row.etat == bikeshare.AVAILABLE
    calende = stations[stations["numero"] == "131"].iloc[0]
    assert calende["nom"] == "Calende"  # « 131 - CALENDE » as published


def test_density_lists_every_commune_and_counts_every_station(stations, communes):
    placed = bikeshare.with_communes(stations, communes)
    table = bikeshare.density_by_commune(placed, communes)
    assert len(table) == len(communes)
    assert table["stations"].sum() == placed["code_insee"].notna().sum()
    rouen = table.set_index("nom_commune").loc["Rouen"]
    assert rouen["par_10000"] == pytest.approx(rouen["stations"] / rouen["population"] * 1e4)
    assert list(table["par_10000"]) == sorted(table["par_10000"], reverse=True)


def test_distance_from_each_stop_to_the_nearest_station():
    stops = pd.DataFrame(
        {
            "stop_id": ["a", "b"],
            "stop_name": ["Près", "Loin"],
            "stop_lat": [49.4400, 49.4400],
            "stop_lon": [1.0900, 1.1100],
            "location_type": [0, 0],
            "parent_station": [None, None],
            "wheelchair_boarding": [0, 0],
        }
    )
    bikes = pd.DataFrame({"nom": ["S1", "S2"], "lat": [49.4409, 49.4500], "lon": [1.0900, 1.1100]})
    nearest = bikeshare.stops_to_stations(stops, bikes).set_index("arret")
    # 0.0009° of latitude is about 100 m; 0.01° about 1,112 m.
    assert nearest.loc["Près", "station"] == "S1"
    assert nearest.loc["Près", "distance_m"] == pytest.approx(100.1, abs=0.5)
    assert nearest.loc["Loin", "station"] == "S2"
    assert nearest.loc["Loin", "distance_m"] == pytest.approx(1111.9, abs=1)
    bands = bikeshare.distance_bands(nearest["distance_m"])
    assert bands.tolist() == [1, 0, 0, 1] and bands.index[0] == "moins de 300\u00a0m"
    assert bands.index[-1] == "plus de 1\u202f000\u00a0m"
    assert bikeshare.distance_bands(pd.Series([300.0, 299.9])).tolist() == [1, 1, 0, 0]
    assert np.isclose(bands.sum(), 2)


def test_freshness_says_minutes_when_live_and_the_instant_otherwise():
    now = datetime(2025, 2, 28, 9, 22, tzinfo=timezone.utc)
    assert bikeshare.freshness_fr("2025-02-28T09:10:45+00:00", "live", now) == (
        "mis à jour il y a 11 min"
    )
    assert bikeshare.freshness_fr("2025-02-28T09:10:45+00:00", "snapshot") == (
        "état du 28 février 2025 à 10 h 10"
    )
    assert bikeshare.freshness_fr(None, "snapshot") == ""
