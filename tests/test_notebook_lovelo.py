"""The « Lovélo » notebook shows the real bike-share stations and their distance to stops.

Figures read after each run (``RESULTS``, from the page the runtime drew: ``view``, and
``figures``, the notebook's :class:`widgets.bikeshare_board.BikeshareFigures`) are compared
with values computed here from the raw GBFS files, the GTFS stops and the commune
outlines: haversine distances and point-in-polygon tests are written out here.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from gbfs_server import serve_gbfs
from notebook_runs import Run, assert_light_and_clean, assert_refused, execute, execute_runs

from analyses import transit as gtfs
from rouen_opendata import load_dataset

pytestmark = pytest.mark.slow

NAME = "lovelo"
SNAPSHOT = Path(__file__).resolve().parent.parent / "data/snapshots/lovelo-gbfs"
LIVE_URL = "https://gbfs.urbansharing.com/lovelolibreservice.fr/gbfs.json"
RUNS = {"defaults": {}, "rouen": {"commune": "Rouen"}, "500-m": {"distance": 500}}
RESULTS = """
results = {
    "stations": len(view["stations"]),
    "stops": len(view["stops"]),
    "near": int(view["near"].sum()),
    "cards": {name: card.figure for name, card in figures.cards.items()},
    "card_labels": {name: card.label for name, card in figures.cards.items()},
    "station_features": len(figures.station_layer.data["features"]),
    "stop_features": len(figures.stop_layer.data["features"]),
    "bands": dict(zip(figures.bands.labels, figures.bands.values, strict=True)),
    "choropleth": {
        f["properties"]["Commune"]: f["properties"][figures.choropleth.value_label]
        for f in figures.choropleth.data["features"]
    },
}
"""


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> dict[str, Run]:
    return execute_runs(NAME, RUNS, tmp_path_factory.mktemp(NAME), RESULTS)


@pytest.fixture(scope="module")
def feed() -> pd.DataFrame:
    """The raw GBFS files, joined by station id."""
    info = json.loads((SNAPSHOT / "station_information.json").read_text("utf-8"))
    status = json.loads((SNAPSHOT / "station_status.json").read_text("utf-8"))
    frame = pd.DataFrame(info["data"]["stations"]).merge(
        pd.DataFrame(status["data"]["stations"]), on="station_id", how="left"
    )
    return frame


@pytest.fixture(scope="module")
def communes() -> pd.DataFrame:
    return load_dataset("communes-metropole").frame


def _commune_of(points: pd.DataFrame, communes: pd.DataFrame) -> pd.Series:
    found = pd.Series(pd.NA, index=points.index, dtype="string")
    for name, outline in zip(communes["nom_commune"], communes["geo_shape"], strict=True):
        hit = shapely.contains_xy(shapely.geometry.shape(outline), points["lon"], points["lat"])
        found[hit & found.isna()] = name
    return found


@pytest.fixture(scope="module")
def stops_distance(feed) -> pd.DataFrame:
    """Each Astuce station, with the haversine distance to the nearest Lovélo station."""
    stops = gtfs.stations(load_dataset("astuce-gtfs", table="stops").frame)
    p1, p2 = np.radians(stops["lat"].to_numpy())[:, None], np.radians(feed["lat"].to_numpy())
    dl = np.radians(feed["lon"].to_numpy() - stops["lon"].to_numpy()[:, None])
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return stops.assign(d=(2 * 6_371_008.8 * np.arcsin(np.sqrt(a))).min(axis=1))


def test_defaults_show_every_station_and_its_bikes(executed, feed):
    shown = executed["defaults"].results
    assert shown["stations"] == shown["station_features"] == len(feed) == 122
    assert shown["cards"]["stations"] == len(feed)
    assert shown["cards"]["bikes"] == feed["num_bikes_available"].sum()
    assert shown["cards"]["docks"] == feed["num_docks_available"].sum()
    assert shown["card_labels"]["stations"] == "Stations dans la Métropole"


def test_share_of_stops_near_a_station(executed, stops_distance):
    for run, limit in (("defaults", 300), ("500-m", 500)):
        shown = executed[run].results
        near = stops_distance["d"] < limit
        assert shown["stops"] == shown["stop_features"] == len(stops_distance)
        assert shown["near"] == near.sum(), run
        assert shown["cards"]["near"] == pytest.approx(100 * near.mean()), run
        assert shown["card_labels"]["near"] == f"Arrêts à moins de {limit} m d'une station"
    bands = executed["defaults"].results["bands"]
    d = stops_distance["d"]
    assert bands == {
        "moins de 300\u00a0m": (d < 300).sum(),
        "300 à 500\u00a0m": ((d >= 300) & (d < 500)).sum(),
        "500 à 1\u202f000\u00a0m": ((d >= 500) & (d < 1000)).sum(),
        "plus de 1\u202f000\u00a0m": (d >= 1000).sum(),
    }


def test_one_commune(executed, feed, communes, stops_distance):
    shown = executed["rouen"].results
    in_rouen = _commune_of(feed, communes).eq("Rouen")
    assert shown["stations"] == in_rouen.sum() and shown["cards"]["stations"] == in_rouen.sum()
    assert shown["cards"]["bikes"] == feed.loc[in_rouen, "num_bikes_available"].sum()
    stops_rouen = stops_distance[_commune_of(stops_distance, communes).eq("Rouen")]
    assert shown["stops"] == len(stops_rouen)
    assert shown["near"] == (stops_rouen["d"] < 300).sum()
    assert shown["card_labels"]["stations"] == "Stations à Rouen"


def test_communes_are_coloured_by_stations_per_10000_inhabitants(executed, feed, communes):
    shown = executed["defaults"].results["choropleth"]
    counts = _commune_of(feed, communes).value_counts()
    per_10000 = (counts / communes.set_index("nom_commune")["population"] * 1e4).fillna(0)
    assert set(shown) == set(communes["nom_commune"])
    for name, text in shown.items():
        value = float(text.replace("\u202f", "").replace(",", "."))
        assert value == pytest.approx(per_10000[name], abs=0.05), name
    assert "aucune station" in executed["defaults"].widget_texts


def test_the_page_says_when_the_bikes_were_counted_and_that_data_is_real(executed):
    for run in executed.values():
        texts = run.widget_texts
        assert "état du 28 février 2025 à 10 h 10" in texts
        assert "données d'exemple" not in texts.lower()


def test_executed_pages_stay_light(executed):
    assert_light_and_clean(executed)


def test_an_unknown_distance_is_refused_in_french(tmp_path):
    assert_refused(NAME, {"distance": 250}, tmp_path, "n'est pas un choix possible")


def test_a_live_read_says_how_many_minutes_ago_the_feed_was_updated(tmp_path, monkeypatch):
    """With ``OPENDATA_SOURCE=live`` the stations come from a loopback Lovélo whose feed
    was updated two minutes ago; the other datasets fall back to their snapshots."""
    data = Path(__file__).resolve().parent.parent / "data"
    with serve_gbfs(SNAPSHOT) as system:
        registry = (data / "registry.yaml").read_text(encoding="utf-8")
        (tmp_path / "registry.yaml").write_text(
            registry.replace(LIVE_URL, f"{system.url}/gbfs.json"), encoding="utf-8"
        )
        for key in ("lovelo-gbfs", "astuce-gtfs", "communes-metropole"):
            shutil.copytree(data / "snapshots" / key, tmp_path / "snapshots" / key)
        for name, value in {
            "OPENDATA_DATA_DIR": str(tmp_path),
            "OPENDATA_SOURCE": "live",
            "OPENDATA_MAX_RETRIES": "0",
        }.items():
            monkeypatch.setenv(name, value)
        monkeypatch.delenv("OPENDATA_PREFETCH_DIR", raising=False)
        run = execute(NAME, {}, tmp_path / "live.ipynb", RESULTS)
    assert any(path.startswith("/station_status") for path in system.requests)
    texts = run.widget_texts
    assert "mis à jour il y a 2 min" in texts and "état du" not in texts
    assert run.results["stations"] == 122
