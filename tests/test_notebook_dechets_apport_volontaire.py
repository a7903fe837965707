"""The « points d'apport volontaire » notebook shows the snapshot's containers.

Counts, ratios and nearest containers recorded by each run (``reuse-results``) are
compared with values computed here directly from the snapshot.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from notebook_runs import Run, assert_light_and_clean, assert_refused, execute_runs

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


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> dict[str, Run]:
    return execute_runs(NAME, RUNS, tmp_path_factory.mktemp(NAME))


@pytest.fixture(scope="module")
def containers() -> pd.DataFrame:
    return load_dataset("donmetdec-pav").frame


@pytest.fixture(scope="module")
def communes() -> pd.DataFrame:
    return load_dataset("communes-metropole").frame.set_index("nom_commune")


def _metres(lat: float, lon: float, frame: pd.DataFrame) -> pd.Series:
    """Haversine distances written out here, independently of analyses.geo."""
    p1, p2 = np.radians(lat), np.radians(frame["lat"])
    dp, dl = p2 - p1, np.radians(frame["lon"] - lon)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6_371_008.8 * np.arcsin(np.sqrt(a))


def _nearest_by_type(lat: float, lon: float, frame: pd.DataFrame) -> dict[str, float]:
    return frame.assign(d=_metres(lat, lon, frame)).groupby("pavtyp")["d"].min().to_dict()


def test_defaults_count_every_container(executed, containers, communes):
    run = executed["defaults"]
    shown = run.results
    assert shown["count"] == len(containers)
    assert shown["per_1000"] == pytest.approx(len(containers) / communes["population"].sum() * 1000)
    assert shown["per_km2"] == pytest.approx(len(containers) / communes["superficie_km2"].sum())
    per_1000 = containers["commune"].value_counts() / communes["population"] * 1000
    ranked = per_1000.sort_values(ascending=False)
    assert shown["ranking"][0][0] == ranked.index[0]
    assert [v for _, v in shown["ranking"]] == pytest.approx(list(ranked.head(15)))
    assert shown["map_points"] == containers["pavtyp"].value_counts().to_dict()
    assert shown["table_rows"] == len(communes)
    assert "Conteneurs dans la Métropole" in run.widget_texts


def test_defaults_find_the_nearest_container_of_each_type(executed, containers):
    run = executed["defaults"]
    shown = run.results
    nearest = {row[0]: row[3] for row in shown["nearest"]}
    assert nearest == pytest.approx(_nearest_by_type(*TOWN_HALL, containers))
    distances = [row[3] for row in shown["nearest"]]
    assert distances == sorted(distances)
    marked = [m for m in run.models("LeafletCircleMarkerModel") if m["fill_color"] == "#D81B60"]
    assert len(marked) == containers["pavtyp"].nunique()  # one pink marker per type
    assert run.models("LeafletMarkerModel")[0]["location"] == list(TOWN_HALL)


def test_one_type(executed, containers, communes):
    shown = executed["textile"].results
    textile = containers[containers["pavtyp"] == "Textile"]
    assert shown["count"] == len(textile)
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
    assert_refused(NAME, {"lat": 48.853, "lon": 2.35}, tmp_path, "hors de la Métropole")
