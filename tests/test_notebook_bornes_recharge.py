"""The « bornes de recharge » notebook runs offline and shows the right numbers.

Each run is executed once with papermill; ``RESULTS`` reads what the page drew (the
runtime's last view and the notebook's figures). The figures are compared with
values computed here directly: stations regrouped with pandas, stops taken from the
GTFS table and placed in communes with shapely on each outline, distances recomputed
with the haversine formula written out below.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import shapely
from notebook_runs import Run, assert_light_and_clean, assert_refused, execute_runs

from rouen_opendata import load_dataset

pytestmark = pytest.mark.slow

NAME = "bornes-recharge"
EARTH_RADIUS_M = 6_371_008.8
RESULTS = """
def pairs(chart):
    return [[label, value] for label, value in zip(chart.labels, chart.values, strict=True)]


results = {
    "stations": len(view.in_place),
    "points": int(view.in_place["points"].sum()),
    "per_10k": float(view.per_10k),
    "stops_counted": len(view.near),
    "stops_outside": outside_stops,
    "share": view.share,
    "shares": {str(d): s for d, s in view.shares.items()},
    "median_m": view.median,
    "far_stops": len(view.far),
    "distance_classes": pairs(figures.distance_bars),
    "farthest": pairs(figures.farthest_bars),
    "coverage_bars": pairs(figures.coverage_bars),
    "communes_without": int((view.coverage["points"] == 0).sum()),
    "map_stations": {name: len(layer.layers) for name, layer in figures.station_layers.items()},
    "map_far_stops": len(figures.far_layer.data["features"]),
    "outside_note": figures.outside_note.value,
    "cards": {name: card.text for name, card in figures.cards.items()},
}
"""
"""What the tests read from a run: ``view`` is what the page's draw function computed."""
RUNS = {
    "defaults": {},
    "fast-1km": {"puissance_min": 50.0, "distance_max_m": 1000},
    "elbeuf-300m": {"commune": "Elbeuf", "distance_max_m": 300},
}
CLASS_EDGES = [0, 300, 500, 1000, 2000, 5000, math.inf]


def _metres(lat1, lon1, lat2, lon2) -> np.ndarray:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    a = (
        np.sin((p2 - p1) / 2) ** 2
        + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(a))


@pytest.fixture(scope="module")
def data() -> dict[str, pd.DataFrame]:
    points = load_dataset("bornes-irve").frame
    communes = load_dataset("communes-metropole").frame
    stops = load_dataset("astuce-gtfs", table="stops").frame
    stops = stops[stops["location_type"].eq(1) | stops["parent_station"].isna()]
    commune_of = pd.Series(pd.NA, index=stops.index, dtype="string")
    for code, outline in zip(communes["code_insee"], communes["geo_shape"], strict=True):
        inside = shapely.contains_xy(
            shapely.geometry.shape(outline), stops["stop_lon"], stops["stop_lat"]
        )
        commune_of[inside & commune_of.isna().to_numpy()] = code
    inside = stops[commune_of.notna()].assign(code_insee=commune_of.dropna())
    return {"points": points, "communes": communes, "stops": inside, "all_stops": stops}


def _distances(stops: pd.DataFrame, points: pd.DataFrame) -> pd.Series:
    stations = points.groupby("id_station_itinerance")[["lat", "lon"]].first()
    metres = _metres(
        stops["stop_lat"].to_numpy()[:, None],
        stops["stop_lon"].to_numpy()[:, None],
        stations["lat"].to_numpy()[None, :],
        stations["lon"].to_numpy()[None, :],
    )
    return pd.Series(metres.min(axis=1), index=stops["stop_name"].to_numpy())


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> dict[str, Run]:
    return execute_runs(NAME, RUNS, tmp_path_factory.mktemp(NAME), RESULTS)


def _check_distances(shown: dict, distances: pd.Series, limit: int) -> None:
    assert shown["stops_counted"] == len(distances)
    assert shown["share"] == pytest.approx((distances < limit).mean())
    assert shown["far_stops"] == int((distances >= limit).sum())
    assert shown["median_m"] == pytest.approx(distances.median())
    counts = pd.cut(distances, CLASS_EDGES, right=False).value_counts(sort=False)
    assert [value for _, value in shown["distance_classes"]] == counts.tolist()
    farthest = distances.sort_values(ascending=False).head(10) / 1000
    assert [label for label, _ in shown["farthest"]][0] == farthest.index[0]
    assert [value for _, value in shown["farthest"]][0] == pytest.approx(farthest.iloc[0])


def test_defaults_cross_every_stop_with_every_station(executed, data):
    shown = executed["defaults"].results
    points, communes = data["points"], data["communes"]
    assert shown["stations"] == points["id_station_itinerance"].nunique()
    assert shown["points"] == len(points)
    assert shown["stops_outside"] == len(data["all_stops"]) - len(data["stops"]) > 0
    assert shown["per_10k"] == pytest.approx(len(points) / communes["population"].sum() * 10_000)
    distances = _distances(data["stops"], points)
    _check_distances(shown, distances, 500)
    assert shown["shares"] == {
        str(d): pytest.approx((distances < d).mean()) for d in (300, 500, 1000)
    }
    assert shown["map_far_stops"] == shown["far_stops"]
    note = shown["outside_note"].replace("\xa0", " ")
    assert f"{shown['stops_outside']} arrêts Astuce situés hors des communes" in note
    assert "ne sont pas comptés" in note
    best = points.groupby("id_station_itinerance")["puissance_nominale"].max()
    assert sorted(shown["map_stations"].values()) == sorted(
        [int((best < 22).sum()), int(((best >= 22) & (best < 50)).sum()), int((best >= 50).sum())]
    )


def test_coverage_per_10000_inhabitants(executed, data):
    shown = executed["defaults"].results
    points, communes = data["points"], data["communes"]
    per_commune = points["code_insee_commune"].value_counts()
    ratio = communes.set_index("code_insee")["population"].pipe(
        lambda pop: per_commune.reindex(pop.index, fill_value=0) / pop * 10_000
    )
    names = communes.set_index("code_insee")["nom_commune"]
    top = ratio.sort_values(ascending=False).head(15)
    assert [label for label, _ in shown["coverage_bars"]][0] == names[top.index[0]]
    assert [value for _, value in shown["coverage_bars"]] == pytest.approx(top.tolist())
    assert shown["communes_without"] == int((ratio == 0).sum()) > 0


def test_fast_charging_only_and_a_one_kilometre_walk(executed, data):
    run = executed["fast-1km"]
    shown = run.results
    fast = data["points"][data["points"]["puissance_nominale"] >= 50]
    assert shown["parameters"]["puissance_min"] == 50.0
    assert shown["stations"] == fast["id_station_itinerance"].nunique()
    assert shown["points"] == len(fast)
    assert list(shown["map_stations"].values()).count(0) == 2  # only the « rapide » layer
    _check_distances(shown, _distances(data["stops"], fast), 1000)
    assert "Arrêts à moins de 1 km d'une borne" in run.widget_texts


def test_a_commune_keeps_the_stops_inside_its_outline(executed, data):
    run = executed["elbeuf-300m"]
    shown = run.results
    elbeuf = data["communes"].set_index("nom_commune").loc["Elbeuf"]
    stops = data["stops"]
    inside = stops[stops["code_insee"] == elbeuf["code_insee"]]
    assert len(inside) > 0
    _check_distances(shown, _distances(inside, data["points"]), 300)
    here = data["points"][data["points"]["code_insee_commune"] == elbeuf["code_insee"]]
    assert shown["stations"] == here["id_station_itinerance"].nunique()
    assert shown["per_10k"] == pytest.approx(len(here) / elbeuf["population"] * 10_000)
    assert "À Elbeuf." in run.widget_texts


def test_executed_pages_stay_light(executed):
    assert_light_and_clean(executed)


def test_a_wrong_power_fails_with_a_french_message(tmp_path):
    message = "« 42.0 » n'est pas un choix possible pour « Puissance »"
    assert_refused(NAME, {"puissance_min": 42.0}, tmp_path, message, RESULTS)
