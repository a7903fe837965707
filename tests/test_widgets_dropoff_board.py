"""The « points d'apport volontaire » figures, read from their traits after a draw (no browser)."""

from __future__ import annotations

import html

import pytest
from test_analyses_dropoff import COMMUNES, CONTAINERS, GLASS, TEXTILE, _values

from analyses.dropoff import ALL_TYPES, TOWN_HALL, DropoffData
from widgets.dropoff_board import COLORS, NEAREST_COLOR, DropoffFigures, spelling_html, what_text


@pytest.fixture()
def data() -> DropoffData:
    return DropoffData.from_frames(CONTAINERS, COMMUNES)


def _text(widget) -> str:
    return html.unescape(widget.value).replace("\xa0", " ")


def test_one_layer_per_known_type_and_the_point_where_asked(data):
    figures = DropoffFigures(data, 49.3, 1.05)
    assert list(figures.layers) == [GLASS, TEXTILE]
    assert figures.picker.value == (49.3, 1.05)
    assert figures.picker.home_button.description == "Revenir à l'Hôtel de Ville de Rouen"
    figures.picker.home_button.click()
    assert figures.picker.value == TOWN_HALL


def test_draw_every_type_in_the_metropole(data):
    figures = DropoffFigures(data, *TOWN_HALL)
    view = figures.draw(data.view(_values()))
    features = {name: len(layer.data["features"]) for name, layer in figures.layers.items()}
    assert features == {GLASS: 4, TEXTILE: 1}  # the glass container in no commune included
    assert len(figures.nearest_layer.layers) == len(view.nearest) == 3
    assert {m.fill_color for m in figures.nearest_layer.layers} == {NEAREST_COLOR}
    assert "Conteneurs dans la Métropole" in _text(figures.cards["count"])
    assert "Conteneur le plus proche de votre point" in _text(figures.cards["nearest"])
    assert figures.ranking.labels == ["Elbeuf", "Rouen"]
    assert figures.ranking.values == pytest.approx([2 / 20_000 * 1000, 3 / 100_000 * 1000])
    legend = figures.waste_map.legend.value
    assert all(color in legend for color in (COLORS[GLASS], COLORS[TEXTILE], NEAREST_COLOR))
    assert "Le conteneur le plus proche de votre point, par type" in _text(figures.nearest_text)
    assert "Population (INSEE 2023)" in _text(figures.commune_table)


def test_draw_one_type_in_one_commune(data):
    figures = DropoffFigures(data, *TOWN_HALL)
    figures.draw(data.view(_values(commune="Elbeuf", type_conteneur=GLASS)))
    features = {name: len(layer.data["features"]) for name, layer in figures.layers.items()}
    assert features == {GLASS: 1, TEXTILE: 0}
    assert "Conteneurs « Emballages en verre » à Elbeuf" in _text(figures.cards["count"])
    assert f"{GLASS} : le plus proche de votre point" in _text(figures.cards["nearest"])
    assert COLORS[TEXTILE] not in figures.waste_map.legend.value
    assert (
        figures.ranking.title
        == "Conteneurs « Emballages en verre » pour 1 000 habitants, par commune"
    )
    assert what_text(ALL_TYPES) == "Conteneurs"


def test_the_lesson_counts_spellings_and_containers_in_no_outline(data):
    text = html.unescape(spelling_html(data))
    assert "<strong>3 orthographes</strong> pour 2 communes" in text
    assert "1 ne sont pas le nom officiel" in text
    assert "1 conteneurs ne sont dans aucun contour" in text
