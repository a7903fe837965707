"""The « énergie des communes » view and figures, read after a draw (no browser, no notebook)."""

from __future__ import annotations

import pandas as pd
import pytest
from test_analyses_energy import _rows

from analyses.energy import EnergyData
from widgets.energy_board import EnergyFigures


def _square(x: float) -> dict:
    ring = [[x, 49.0], [x + 0.1, 49.0], [x + 0.1, 49.1], [x, 49.1], [x, 49.0]]
    return {"type": "Polygon", "coordinates": [ring]}


COMMUNES = pd.DataFrame(
    {
        "code_insee": ["76001", "76002"],
        "nom_commune": ["A", "Le B"],
        "population": [100, 0],
        "population_millesime": [2021, 2021],
        "geo_shape": [_square(1.0), _square(1.2)],
    }
)
VALUES = {"commune": "Toutes", "filiere": "Toutes", "secteur": "Tous", "annee": 2023}


def _data() -> EnergyData:
    return EnergyData.from_frames(_rows(), COMMUNES)


def test_view_of_one_commune_counts_its_rows_and_its_inhabitants():
    data = _data()
    assert (data.first_year, data.population_year) == (2018, 2021)
    view = data.view({**VALUES, "commune": "A"})
    assert view["total_mwh"] == 240.0 and view["sites"] == 62
    assert view["per_site"] == pytest.approx(240 / 62)
    assert view["per_inhabitant"] == pytest.approx(2.4)
    assert view["first_mwh"] == 300.0 and view["change"] == pytest.approx(-0.2)
    assert view["stack"] == "secteur"
    assert view["yearly"].loc[2023].to_dict() == {"Résidentiel": 0.09, "Industrie": 0.15}
    # Every commune stays in the per-commune table, each with its own change.
    assert view["per_commune"]["evolution"].to_dict() == pytest.approx({"A": -0.2, "B": 0.5})


def test_a_chosen_sector_stacks_energies_and_the_first_year_has_no_change():
    view = _data().view({**VALUES, "secteur": "Résidentiel", "annee": 2018})
    assert view["stack"] == "filiere_fr"
    assert list(view["yearly"].columns) == ["Électricité", "Gaz"]
    assert view["change"] is None
    assert view["per_commune"]["evolution"].isna().all()
    assert view["per_inhabitant"] == pytest.approx(300 / 100)  # B has no inhabitant


def test_draw_fills_every_figure():
    data = _data()
    figures = EnergyFigures(COMMUNES, data.first_year, data.population_year)
    view = figures.draw(data.view({**VALUES, "commune": "Le B"}))
    assert view["total_mwh"] == 0.0 and view["per_inhabitant"] is None
    assert figures.cards["total"].label == "Consommation en 2023, Le B"
    assert "INSEE (millésime 2021)" in figures.cards["per_inhabitant"].value
    assert figures.ranking.labels == ["A", "B"]
    assert figures.ranking.values == pytest.approx([0.24, 0.06])
    assert figures.years_chart.legend_title == "Secteurs"
    shown = {
        f["properties"]["Commune"]: f["properties"][figures.choropleth.value_label]
        for f in figures.choropleth.data["features"]
    }
    assert figures.choropleth.value_label == "MWh par habitant en 2023"
    assert shown["A"] == "2,4\u00a0MWh"
    assert figures.download.rows == 2
    assert "Population (INSEE 2021)" in figures.table.value
    assert "Évolution depuis 2018 (%)" in figures.table.value
    assert "exemple généré" in figures.map.map.layers[0].attribution
