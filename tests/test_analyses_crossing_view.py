"""What the « carte croisée » page shows for a choice of layers and a commune.

Layers are built once from the snapshots (:class:`analyses.crossing_view.CrossingData`);
each view is checked against counts made here from the layers' points with pandas.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analyses import crossing
from analyses.crossing_view import TOP, CrossingData, chart_rows
from rouen_opendata import load_dataset


@pytest.fixture(scope="module")
def data() -> CrossingData:
    return CrossingData.from_loaded(
        load_dataset("communes-metropole"),
        {
            key: load_dataset(spec.dataset, table=crossing.DATASETS_TABLES.get(spec.dataset))
            for key, spec in crossing.LAYERS.items()
        },
    )


def test_chart_rows_keep_the_chosen_commune_in_last_place():
    table = pd.DataFrame({"a": range(12, 0, -1)}, index=[f"C{i}" for i in range(12)])
    assert chart_rows(table, None) == [f"C{i}" for i in range(TOP)]
    assert chart_rows(table, "C3") == [f"C{i}" for i in range(TOP)]
    assert chart_rows(table, "C11") == [*(f"C{i}" for i in range(TOP - 1)), "C11"]
    assert chart_rows(table.iloc[:3], "C11", top=3) == ["C0", "C1", "C11"]


def test_every_layer_and_its_provenance_are_kept(data):
    assert list(data.points) == list(crossing.LAYERS)
    assert [p.key for p in data.provenances.values()] == [
        spec.dataset for spec in crossing.LAYERS.values()
    ]
    assert data.communes_provenance.key == "communes-metropole"


def test_all_communes(data):
    view = data.view({"couches": "conteneurs,arrets", "commune": "Toutes"})
    assert view["keys"] == ["arrets", "conteneurs"] and view["where"] is None
    for key in view["keys"]:
        assert view["shown"][key] is data.points[key]
        assert view["totals"][key] == len(data.points[key])
    assert view["counts"] == {} and view["shares_of_total"] == {}
    assert view["rows"] == list(view["table"].index[:TOP])
    containers = data.points["conteneurs"]["commune"].value_counts()
    rouen = view["shares"].loc["Rouen", "conteneurs"]
    assert rouen == pytest.approx(100 * containers["Rouen"] / len(data.points["conteneurs"]))
    assert view["filename"] == "carte-croisee-arrets-conteneurs"
    assert [p.key for p in view["sources"]] == [
        "astuce-gtfs",
        "donmetdec-pav",
        "communes-metropole",
    ]
    assert list(view["labelled"].columns) == ["Commune", "Arrêts Astuce", "Conteneurs à déchets"]


def test_one_commune(data):
    view = data.view({"couches": "arbres,permis", "commune": "Elbeuf"})
    assert view["where"] == "Elbeuf"
    for key in ("arbres", "permis"):
        points = data.points[key]
        assert (
            len(view["shown"][key]) == view["counts"][key] == points["commune"].eq("Elbeuf").sum()
        )
        share = view["shares_of_total"][key]
        assert share is None if not len(points) else share == view["counts"][key] / len(points)
    assert "Elbeuf" in view["rows"] and len(view["rows"]) == TOP
    mean = view["mean_share"]
    assert mean.between(0, 100).all() and mean.sum() == pytest.approx(100, abs=1e-6)


def test_no_layer(data):
    view = data.view({"couches": "", "commune": "Rouen"})
    assert view["keys"] == [] and view["shown"] == {} and view["counts"] == {}
    assert view["mean_share"].empty and list(view["labelled"].columns) == ["Commune"]
    assert view["filename"] == "carte-croisee"
    assert [p.key for p in view["sources"]] == ["communes-metropole"]


def test_an_unknown_layer_is_refused_in_french(data):
    with pytest.raises(ValueError, match="« velos » : couche inconnue"):
        data.view({"couches": "velos", "commune": "Toutes"})
