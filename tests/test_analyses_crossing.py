"""Layers of several datasets in one shape, counted side by side per commune."""

from __future__ import annotations

import pandas as pd
import pytest
import shapely

from analyses import crossing, transit
from rouen_opendata import load_dataset


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


def _outline_names(points: pd.DataFrame, communes: pd.DataFrame) -> list[str]:
    """Commune of each point by ``shapely.contains_xy`` on each outline, written out here."""
    found = pd.Series(crossing.OUTSIDE, index=points.index, dtype="string")
    for name, outline in zip(communes["nom_commune"], communes["geo_shape"], strict=True):
        hit = shapely.contains_xy(shapely.geometry.shape(outline), points["lon"], points["lat"])
        found[hit & found.eq(crossing.OUTSIDE)] = name
    return list(found)


def test_points_are_in_the_commune_whose_outline_holds_them(layers, frames, communes):
    for key in ("conteneurs", "arrets", "arbres"):
        assert list(layers[key]["commune"]) == _outline_names(layers[key], communes), key
    # Generated permits lie inside the commune they name: both ways agree.
    kept = frames["permis"][frames["permis"]["etat"] != crossing.CANCELLED]
    assert list(layers["permis"]["commune"]) == list(kept["nom_commune"])
    stations = frames["bornes"].groupby("id_station_itinerance")["code_insee_commune"].first()
    assert len(layers["bornes"]) == len(stations)
    # The free text of the real containers is not used: only official names are counted.
    typed = frames["conteneurs"]["commune"].reset_index(drop=True)
    assert "Bois-Guillaume" in set(layers["conteneurs"].loc[typed.eq("Bois Guillaume"), "commune"])
    names = set(communes["nom_commune"]) | {crossing.OUTSIDE}
    assert set(layers["conteneurs"]["commune"]) <= names and "Bois Guillaume" not in names


def test_stops_are_stations_some_beyond_the_metropole(layers, frames):
    stations = transit.stations(frames["arrets"])
    assert len(layers["arrets"]) == len(stations)
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
    # Points inside no outline have their own row (a few real containers near the edge).
    outside = sum((layers[key]["commune"] == crossing.OUTSIDE).sum() for key in keys)
    assert (table.loc[crossing.OUTSIDE].sum() if outside else 0) == outside


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


def test_mean_share_weighs_every_layer_alike():
    communes = pd.DataFrame({"code_insee": ["1", "2", "3"], "nom_commune": ["A", "B", "C"]})
    table = pd.DataFrame(
        {"arrets": [300, 100, 0], "arbres": [0, 1, 0]}, index=["A", "B", crossing.OUTSIDE]
    )
    share = crossing.mean_share(table, communes)
    assert share.to_dict() == pytest.approx({"1": (0.75 + 0) / 2, "2": (0.25 + 1) / 2})
    assert crossing.mean_share(table[[]], communes).empty
