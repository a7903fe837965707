"""Layers of several datasets in one shape, counted side by side per commune."""

from __future__ import annotations

import pandas as pd
import pytest

from analyses import crossing
from analyses.geo import nearest_centroid
from rouen_opendata import gtfs, load_dataset


@pytest.fixture(scope="module")
def communes() -> pd.DataFrame:
    return load_dataset("communes-metropole").frame


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return {
        key: load_dataset(spec.dataset, table=crossing.DATASETS_TABLES.get(spec.dataset)).frame
        for key, spec in crossing.LAYERS.items()
    }


@pytest.fixture(scope="module")
def layers(frames, communes) -> dict[str, pd.DataFrame]:
    return crossing.build_layers(frames, communes)


def test_parse_layers_orders_dedupes_and_refuses_in_french():
    assert crossing.parse_layers(" Bornes,arrets,bornes ,") == ["arrets", "bornes"]
    assert crossing.parse_layers("") == []
    with pytest.raises(ValueError, match="« velos », « bus » : couches inconnues"):
        crossing.parse_layers("arrets,velos,bus")
    with pytest.raises(ValueError, match="arrets, compteurs, bornes, conteneurs, arbres, permis"):
        crossing.parse_layers("velos")


def test_every_layer_has_the_same_columns_and_a_popup(layers):
    assert list(layers) == list(crossing.LAYERS)
    for key, layer in layers.items():
        assert list(layer.columns) == crossing.COLUMNS, key
        assert layer[["lat", "lon"]].notna().all().all(), key
        assert set(crossing.LAYERS[key].popup()) == {"nom", "detail", "commune"}


def test_layers_keep_the_datasets_own_communes(layers, frames):
    pd.testing.assert_series_equal(
        layers["conteneurs"]["commune"], frames["conteneurs"]["commune"].rename("commune"),
        check_dtype=False,
    )  # fmt: skip
    kept = frames["permis"][frames["permis"]["etat"] != crossing.CANCELLED]
    assert len(layers["permis"]) == len(kept)
    assert layers["permis"]["commune"].value_counts().to_dict() == (
        kept["nom_commune"].value_counts().to_dict()
    )
    stations = frames["bornes"].groupby("id_station_itinerance")["code_insee_commune"].first()
    assert len(layers["bornes"]) == len(stations)


def test_stops_are_stations_on_their_nearest_centroid(layers, frames, communes):
    stations = gtfs.stations(frames["arrets"])
    assert len(layers["arrets"]) == len(stations)
    expected = nearest_centroid(
        stations, communes, "nom_commune", max_m=crossing.OUTSIDE_M, outside=crossing.OUTSIDE
    )
    assert list(layers["arrets"]["commune"]) == list(expected)
    assert (layers["arrets"]["commune"] == crossing.OUTSIDE).sum() > 0  # Caudebec-en-Caux stops


def test_crossed_table_counts_equal_direct_counts(layers, communes):
    keys = ["conteneurs", "arbres", "bornes"]
    table = crossing.crossed_table(layers, keys, communes)
    assert list(table.columns) == keys
    for key in keys:
        direct = layers[key]["commune"].value_counts()
        assert table[key][table[key] > 0].to_dict() == direct.to_dict()
    assert set(communes["nom_commune"]) <= set(table.index)
    totals = table.sum(axis=1)
    assert list(totals) == sorted(totals, reverse=True)
    assert crossing.OUTSIDE not in table.index  # no stop layer chosen, no point outside


def test_crossed_table_without_layers_lists_the_communes(layers, communes):
    table = crossing.crossed_table(layers, [], communes)
    assert table.shape == (len(communes), 0)


def test_shares_and_labelled_table():
    table = pd.DataFrame({"arrets": [3, 1, 0], "arbres": [0, 0, 0]}, index=["A", "B", "C"])
    shares = crossing.shares(table)
    assert shares["arrets"].tolist() == [0.75, 0.25, 0.0]
    assert shares["arbres"].tolist() == [0.0, 0.0, 0.0]
    labelled = crossing.labelled(table)
    assert list(labelled.columns) == ["Commune", "Arrêts Astuce", "Arbres remarquables"]
