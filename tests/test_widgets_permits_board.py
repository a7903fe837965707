"""The « permis de construire » figures, read from their traits after a draw (no browser)."""

from __future__ import annotations

import html
from dataclasses import replace

import pytest
from test_analyses_permits_view import communes_frame, permits_frame

from analyses import permits as pc
from analyses.permits_view import PermitData
from rouen_opendata import load_dataset
from widgets.maps import DEFAULT_ZOOM, ROUEN_CENTER
from widgets.permits_board import PermitFigures, permit_options, selection_words


@pytest.fixture(scope="module")
def generated():
    """The sample's provenance (generated permits)."""
    return load_dataset("permis-construire").provenance


@pytest.fixture
def data() -> PermitData:
    return PermitData.from_frames(permits_frame(), communes_frame())


def _pairs(chart) -> dict:
    return dict(zip(chart.labels, chart.values, strict=True))


def _attribution(panel) -> str:
    return html.unescape(panel.map.basemap.attribution)


def test_options_put_all_first_then_every_choice(data):
    options = permit_options(data.commune_names, data.years)
    assert options["commune"] == [("Toutes les communes", "Toutes"), ("Elbeuf", "Elbeuf"),
                                  ("Rouen", "Rouen")]  # fmt: skip
    assert options["annee"] == [("Toutes les années", 0), ("2021", 2021), ("2022", 2022),
                                ("2023", 2023)]  # fmt: skip
    assert [value for _, value in options["type_dau"]] == ["Tous", "PC", "PA", "DP"]
    assert options["type_dau"][2] == ("Permis d'aménager", "PA")


def test_selection_words(data):
    every = data.view({"commune": pc.ALL_COMMUNES, "annee": 0, "type_dau": pc.ALL_TYPES})
    assert selection_words(every) == ("de 2021 à 2023", "", "")
    one = data.view({"commune": "Elbeuf", "annee": 2022, "type_dau": "PA"})
    assert selection_words(one) == ("en 2022", " à Elbeuf", " (permis d'aménager)")


def test_draw_one_commune_fills_every_figure(data, generated):
    figures = PermitFigures(data.communes, generated)
    view = figures.draw(data.view({"commune": "Rouen", "annee": 2023, "type_dau": pc.ALL_TYPES}))
    cards = figures.cards
    assert cards["dwellings"].figure == 25.0 and cards["dwellings"].previous == 1.0
    assert cards["dwellings"].label == "Logements autorisés en 2023 à Rouen"
    assert "par rapport à 2022" in html.unescape(cards["dwellings"].value)
    assert (cards["permits"].figure, cards["cancelled"].figure) == (1, 0)
    assert cards["floor_area"].figure == 1700.0
    (feature,) = figures.permit_layer.data["features"]
    assert feature["properties"]["Autorisation"] == "PC 076 540 25 X0005"
    assert feature["properties"]["Logements"] == "25"
    assert list(figures.permit_map.map.center) != list(ROUEN_CENTER)  # fitted to Rouen
    assert _pairs(figures.per_year) == {"2021": 40.0, "2022": 1.0, "2023": 25.0}
    assert figures.per_year.title == "Logements autorisés, année par année à Rouen"
    assert _pairs(figures.ranking) == {"Rouen": 25.0, "Elbeuf": 3.0}
    assert figures.choropleth.value_label == "Logements autorisés pour 1 000 habitants, en 2023"
    by_name = {
        f["properties"]["Commune"]: f["properties"][figures.choropleth.value_label]
        for f in figures.choropleth.data["features"]
    }
    assert set(by_name) == {"Rouen", "Elbeuf", "Sahurs"}
    assert _pairs(figures.per_kind)["Résidence"] == 25.0
    assert "tableau complet" in figures.commune_table.value
    assert view["totals"]["dwellings"] == 25.0
    assert _attribution(figures.permit_map).endswith(
        "Autorisations : exemple généré au format Sitadel"
    )
    assert _attribution(figures.commune_map).endswith("Population : INSEE 2023")


def test_draw_everywhere_shows_the_whole_metropole(data, generated):
    figures = PermitFigures(data.communes, generated, "Le jeu « x » n'est pas déclaré.")
    figures.draw(data.view({"commune": pc.ALL_COMMUNES, "annee": 0, "type_dau": "PC"}))
    # The cancelled permit is not on the map; every other PC is.
    assert len(figures.permit_layer.data["features"]) == 3
    assert list(figures.permit_map.map.center) == list(ROUEN_CENTER)
    assert figures.permit_map.map.zoom == DEFAULT_ZOOM
    assert figures.cards["dwellings"].previous is None
    assert figures.cards["dwellings"].label == "Logements autorisés de 2021 à 2023"
    assert figures.per_year.title == (
        "Logements autorisés (permis de construire), année par année dans la Métropole"
    )
    assert figures.ranking.title.endswith("(permis de construire), de 2021 à 2023")
    assert "« x » n'est pas déclaré" in html.unescape(figures.notice.value)
    assert "Jeu de données demandé non disponible" in html.unescape(figures.notice.value)


def test_real_permits_are_not_called_generated(data, generated):
    real = replace(generated, generated=False, publisher="Métropole Rouen Normandie")
    figures = PermitFigures(data.communes, real)
    attribution = _attribution(figures.permit_map)
    assert attribution.endswith("Autorisations : Métropole Rouen Normandie")
    assert "exemple" not in attribution
