"""The « Lovélo » view and figures, read after a draw (no browser, no notebook)."""

from __future__ import annotations

import pandas as pd
import pytest

from analyses import bikeshare
from widgets.bikeshare_board import BikeshareFigures, walking_options


def _square(lon: float) -> dict:
    ring = [[lon, 49.4], [lon + 0.1, 49.4], [lon + 0.1, 49.5], [lon, 49.5], [lon, 49.4]]
    return {"type": "Polygon", "coordinates": [ring]}


COMMUNES = pd.DataFrame(
    {
        "code_insee": ["76001", "76002"],
        "nom_commune": ["Amont", "Le Bas"],
        "population": [10_000, 5_000],
        "population_millesime": [2021, 2021],
        "superficie_km2": [8.0, 4.0],
        "geo_shape": [_square(1.0), _square(1.1)],
    }
)
INFORMATION = pd.DataFrame(
    {
        "station_id": ["1", "2"],
        "name": ["01 - GARE RIVE DROITE", "02 - VIEUX MARCHE"],
        "address": ["Rue Verte", "Place du Vieux-Marché"],
        "lat": [49.4400, 49.4500],
        "lon": [1.0900, 1.0500],
        "capacity": [10, 5],
    }
)
STATUS = pd.DataFrame(
    {
        "station_id": ["1", "2"],
        "is_renting": [True, True],
        "num_bikes_available": [3, 0],
        "num_docks_available": [7, 5],
    }
)
STOPS = pd.DataFrame(
    {
        "stop_id": ["a", "b", "c"],
        "stop_name": ["Près", "Loin", "Dehors"],
        "stop_lat": [49.4409, 49.4400, 48.0],  # about 100 m from station 1; far; no commune
        "stop_lon": [1.0900, 1.1500, 1.0],
        "location_type": [0, 0, 0],
        "parent_station": [None, None, None],
        "wheelchair_boarding": [0, 0, 0],
    }
)


def _data() -> bikeshare.BikeshareData:
    return bikeshare.BikeshareData.from_frames(INFORMATION, STATUS, STOPS, COMMUNES)


def test_view_of_the_metropole_and_of_one_commune():
    data = _data()
    assert data.population_year == 2021
    assert data.stations["commune"].tolist() == ["Amont", "Amont"]
    everywhere = data.view({"commune": "Toutes", "distance": 300})
    assert len(everywhere["stations"]) == 2 and len(everywhere["stops"]) == 3
    assert everywhere["near"].sum() == 1
    assert everywhere["share"] == pytest.approx(100 / 3)
    assert everywhere["bands"].tolist() == [1, 0, 0, 2]
    amont = data.view({"commune": "Amont", "distance": 300})
    assert amont["stops"]["arret"].tolist() == ["Près"] and amont["share"] == 100.0
    # The stop outside every commune is in no commune's view.
    bas = data.view({"commune": "Le Bas", "distance": 1000})
    assert len(bas["stations"]) == 0 and bas["stops"]["arret"].tolist() == ["Loin"]
    assert bas["share"] == 0.0


def test_draw_fills_the_map_the_cards_and_the_distances():
    data = _data()
    figures = BikeshareFigures(data, COMMUNES, "état du 28 février 2025 à 10 h 10")
    figures.draw(data.view({"commune": "Amont", "distance": 200}))
    assert figures.cards["stations"].figure == 2
    assert figures.cards["stations"].label == "Stations à Amont"
    assert figures.cards["bikes"].figure == 3 and figures.cards["docks"].figure == 12
    assert "état du 28 février 2025" in figures.cards["bikes"].value
    assert figures.cards["near"].figure == 100.0
    assert figures.cards["near"].label == "Arrêts à moins de 200 m d'une station"
    stations = [f["properties"] for f in figures.station_layer.data["features"]]
    assert {s["Station"]: s["État"] for s in stations} == {
        "Gare Rive Droite": bikeshare.AVAILABLE,
        "Vieux Marche": bikeshare.EMPTY,
    }
    (stop,) = figures.stop_layer.data["features"]
    assert stop["properties"]["Distance (m)"] == "100"
    assert stop["properties"]["Station la plus proche"] == "Gare Rive Droite"
    assert figures.bands.values == [1.0, 0.0, 0.0, 0.0]
    shown = {
        f["properties"]["Commune"]: f["properties"][figures.choropleth.value_label]
        for f in figures.choropleth.data["features"]
    }
    assert shown == {"Amont": "2,0", "Le Bas": "0,0"}
    assert "aucune station" in figures.choropleth.legend.value
    assert "Amont" in figures.density_table.value
    assert "Le Bas" not in figures.density_table.value
    assert "INSEE 2021" in figures.density_map.map.layers[0].attribution


def test_the_metropole_view_goes_back_to_the_whole_map():
    data = _data()
    figures = BikeshareFigures(data, COMMUNES, "")
    figures.draw(data.view({"commune": "Le Bas", "distance": 300}))
    assert figures.cards["stations"].figure == 0
    figures.draw(data.view({"commune": "Toutes", "distance": 300}))
    assert figures.cards["stations"].label == "Stations dans la Métropole"
    assert len(figures.stop_layer.data["features"]) == 3
    assert tuple(figures.station_map.map.center) == (49.44, 1.09)
    assert walking_options((200, 1000)) == [("200 m", 200), ("1000 m", 1000)]
