"""The « points d'apport volontaire » notebook shows the real containers of the snapshot.

Each run is executed once with papermill; ``RESULTS`` reads what the page drew through
the dashboard runtime (``view`` is the last :class:`analyses.dropoff.DropoffView` drawn,
``figures`` the notebook's :class:`widgets.dropoff_board.DropoffFigures`). Counts, ratios
and nearest containers are compared with values computed here directly from the
snapshot: each container's commune by a point-in-polygon test written here
(``shapely.contains_xy`` per outline), not by the notebook's ``analyses.geo``.
"""

from __future__ import annotations

from urllib.parse import urlencode

import numpy as np
import pandas as pd
import pytest
import shapely
from notebook_runs import (
    Run,
    address_notice,
    assert_light_and_clean,
    assert_refused,
    execute_runs,
    open_addresses,
)

from rouen_opendata import load_dataset

pytestmark = pytest.mark.slow

NAME = "dechets-apport-volontaire"
TOWN_HALL = (49.4431, 1.0994)
"""The notebook's default point (Rouen town hall)."""
ELBEUF = (49.2858, 1.0083)
RUNS = {
    "defaults": {},
    "textile": {"type_conteneur": "Textile"},
    "elbeuf-verre": {
        "commune": "Elbeuf",
        "type_conteneur": "Emballages en verre",
        "lat": ELBEUF[0],
        "lon": ELBEUF[1],
    },
}
DEEP_LINKS = {
    "textile-from-elbeuf": urlencode(
        {"type_conteneur": "Textile", "lat": ELBEUF[0], "lon": ELBEUF[1]}
    ),
    "paris": urlencode({"commune": "Elbeuf", "lat": 48.853, "lon": 2.35}),
}
"""Query strings of dashboard addresses, as a visitor's browser sends them."""
RESULTS = """
results = {
    "count": view.count,
    "per_1000": view.per_1000,
    "per_km2": view.per_km2,
    "ranking": [
        [label, v] for label, v in zip(figures.ranking.labels, figures.ranking.values, strict=True)
    ],
    "nearest": [
        [row.pavtyp, row.adresse, row.commune, row.distance_m, row.lat, row.lon]
        for row in view.nearest.itertuples()
    ],
    "map_points": {
        name: len(layer.data["features"]) if hasattr(layer, "data") else len(layer.layers)
        for name, layer in figures.layers.items()
    },
    "table_rows": len(view.density),
    "choropleth": {
        f["properties"]["Commune"]: f["properties"][figures.choropleth.value_label]
        for f in figures.choropleth.data["features"]
    },
    "choropleth_breaks": figures.choropleth.breaks,
    "spellings": [
        data.spellings.distinct, data.spellings.reconciled, data.spellings.disagreeing_points
    ],
    "outside": data.outside_count,
}
"""
"""What the tests read from a run, through the page the runtime drew."""


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> dict[str, Run]:
    return execute_runs(NAME, RUNS, tmp_path_factory.mktemp(NAME), RESULTS)


@pytest.fixture(scope="module")
def deep_linked(tmp_path_factory) -> dict[str, Run]:
    """Each of ``DEEP_LINKS`` opened in Voilà (a kernel that is not preheated)."""
    return open_addresses(NAME, DEEP_LINKS, tmp_path_factory.mktemp(f"{NAME}-urls"), RESULTS)


@pytest.fixture(scope="module")
def communes() -> pd.DataFrame:
    return load_dataset("communes-metropole").frame.set_index("nom_commune")


@pytest.fixture(scope="module")
def containers(communes) -> pd.DataFrame:
    """Every container, its ``commune`` the name of the outline it lies in (or missing)."""
    frame = load_dataset("donmetdec-pav").frame
    inside = pd.Series(pd.NA, index=frame.index, dtype="string")
    for name, outline in communes["geo_shape"].items():
        hit = shapely.contains_xy(shapely.geometry.shape(outline), frame["lon"], frame["lat"])
        inside[hit & inside.isna()] = name
    return frame.assign(commune_saisie=frame["commune"], commune=inside)


def _metres(lat: float, lon: float, frame: pd.DataFrame) -> pd.Series:
    """Haversine distances written out here, independently of analyses.geo."""
    p1, p2 = np.radians(lat), np.radians(frame["lat"])
    dp, dl = p2 - p1, np.radians(frame["lon"] - lon)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6_371_008.8 * np.arcsin(np.sqrt(a))


def _nearest_by_type(lat: float, lon: float, frame: pd.DataFrame) -> dict[str, float]:
    return frame.assign(d=_metres(lat, lon, frame)).groupby("pavtyp")["d"].min().to_dict()


def test_defaults_count_every_container_in_a_commune(executed, containers, communes):
    run = executed["defaults"]
    shown = run.results
    counted = containers["commune"].notna()
    assert shown["count"] == counted.sum() and shown["outside"] == (~counted).sum()
    assert shown["per_1000"] == pytest.approx(counted.sum() / communes["population"].sum() * 1000)
    assert shown["per_km2"] == pytest.approx(counted.sum() / communes["superficie_km2"].sum())
    per_1000 = containers["commune"].value_counts() / communes["population"] * 1000
    ranked = per_1000.sort_values(ascending=False)
    assert shown["ranking"][0][0] == ranked.index[0]
    assert [v for _, v in shown["ranking"]] == pytest.approx(list(ranked.head(15)))
    # Every container is on the map, those outside every outline included.
    assert shown["map_points"] == containers["pavtyp"].value_counts().to_dict()
    assert shown["table_rows"] == len(communes)
    assert "Conteneurs dans la Métropole" in run.widget_texts


def test_the_communes_are_coloured_by_containers_per_1000_inhabitants(
    executed, containers, communes
):
    shown = executed["defaults"].results
    per_1000 = (containers["commune"].value_counts() / communes["population"] * 1000).fillna(0)
    assert set(shown["choropleth"]) == set(communes.index)
    for name, text in shown["choropleth"].items():
        assert float(text.replace("\u00a0", "").replace(",", ".")) == pytest.approx(
            per_1000[name], abs=0.05
        ), name
    breaks = shown["choropleth_breaks"]
    assert breaks == sorted(breaks) and per_1000.min() < breaks[0] < breaks[-1] < per_1000.max()


def test_the_page_says_how_many_spellings_the_outlines_reconciled(executed, containers):
    run = executed["defaults"]
    distinct, reconciled, _ = run.results["spellings"]
    assert distinct == containers["commune_saisie"].nunique()
    pairs = containers.dropna(subset=["commune"]).groupby("commune_saisie")["commune"]
    main = pairs.agg(lambda names: names.value_counts().index[0])
    assert reconciled == (main.index != main.to_numpy()).sum()
    assert f"{distinct} orthographes" in run.widget_texts


def test_real_containers_are_not_labelled_generated(executed):
    for run in executed.values():
        assert "données d'exemple" not in run.widget_texts.lower()
        assert "exemple généré" not in run.widget_texts.lower()


def test_defaults_find_the_nearest_container_of_each_type(executed, containers):
    run = executed["defaults"]
    shown = run.results
    nearest = {row[0]: row[3] for row in shown["nearest"]}
    assert nearest == pytest.approx(_nearest_by_type(*TOWN_HALL, containers))
    distances = [row[3] for row in shown["nearest"]]
    assert distances == sorted(distances)
    marked = [m for m in run.models("LeafletCircleMarkerModel") if m["fill_color"] == "#D81B60"]
    assert len(marked) == containers["pavtyp"].nunique()  # one pink marker per type
    (picked,) = [m for m in run.models("LeafletMarkerModel") if m["pane"] != "rr-noms"]
    assert picked["location"] == list(TOWN_HALL)


def test_one_type(executed, containers, communes):
    shown = executed["textile"].results
    textile = containers[containers["pavtyp"] == "Textile"]
    assert shown["count"] == textile["commune"].notna().sum()  # in a commune
    assert {k: v for k, v in shown["map_points"].items() if v} == {"Textile": len(textile)}
    per_1000 = (textile["commune"].value_counts() / communes["population"] * 1000).dropna()
    assert shown["ranking"][0][1] == pytest.approx(per_1000.max())
    assert [row[0] for row in shown["nearest"]] == ["Textile"]
    assert shown["nearest"][0][3] == pytest.approx(_metres(*TOWN_HALL, textile).min())


def test_one_commune_one_type_from_another_point(executed, containers, communes):
    run = executed["elbeuf-verre"]
    shown = run.results
    glass = containers[containers["pavtyp"] == "Emballages en verre"]
    in_elbeuf = glass[glass["commune"] == "Elbeuf"]
    assert shown["count"] == len(in_elbeuf)
    assert shown["per_1000"] == pytest.approx(
        len(in_elbeuf) / communes.loc["Elbeuf", "population"] * 1000
    )
    assert shown["map_points"]["Emballages en verre"] == len(in_elbeuf)
    assert shown["nearest"][0][3] == pytest.approx(_metres(*ELBEUF, glass).min())
    assert shown["parameters"]["lat"] == ELBEUF[0] and shown["parameters"]["lon"] == ELBEUF[1]
    assert "Conteneurs « Emballages en verre » à Elbeuf" in run.widget_texts


def test_executed_pages_stay_light(executed):
    assert_light_and_clean(executed)


def test_a_point_outside_the_metropole_fails_in_french(tmp_path):
    assert_refused(NAME, {"lat": 48.853, "lon": 2.35}, tmp_path, "hors de la Métropole", RESULTS)


def test_an_address_moves_the_point_and_picks_the_type(deep_linked, containers):
    run = deep_linked["textile-from-elbeuf"]
    assert address_notice(run) == ""
    shown = run.results
    assert shown["parameters"] == {
        "commune": "Toutes",
        "type_conteneur": "Textile",
        "lat": ELBEUF[0],
        "lon": ELBEUF[1],
    }
    textile = containers[containers["pavtyp"] == "Textile"]
    assert [row[0] for row in shown["nearest"]] == ["Textile"]
    assert shown["nearest"][0][3] == pytest.approx(_metres(*ELBEUF, textile).min())
    (picked,) = [m for m in run.models("LeafletMarkerModel") if m["pane"] != "rr-noms"]
    assert picked["location"] == list(ELBEUF)


def test_an_address_outside_the_metropole_keeps_the_town_hall_and_says_why(deep_linked):
    run = deep_linked["paris"]
    notice = address_notice(run)
    assert "la latitude 48.853 est hors de la Métropole" in notice
    assert "la longitude 2.35 est hors de la Métropole" in notice
    shown = run.results
    # What the address got right is kept; the point stays at the town hall.
    assert shown["parameters"] == {
        "commune": "Elbeuf",
        "type_conteneur": "Tous",
        "lat": TOWN_HALL[0],
        "lon": TOWN_HALL[1],
    }
    assert "Conteneurs à Elbeuf" in run.widget_texts
    assert_light_and_clean(deep_linked)
