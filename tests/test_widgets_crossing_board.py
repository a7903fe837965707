"""The « carte croisée » figures follow each view: map layers, cards, chart, warning, sources."""

from __future__ import annotations

import html

import pytest

from analyses import crossing
from analyses.crossing_view import CrossingData
from rouen_opendata import load_dataset
from widgets.controls import ParameterControls
from widgets.crossing_board import EMPTY_NOTE, SHARE_LAYER, CrossingBoard, layer_checklist


@pytest.fixture(scope="module")
def data() -> CrossingData:
    return CrossingData.from_loaded(
        load_dataset("communes-metropole"),
        {
            key: load_dataset(spec.dataset, table=crossing.DATASETS_TABLES.get(spec.dataset))
            for key, spec in crossing.LAYERS.items()
        },
    )


def _drawn(board: CrossingBoard) -> list[str]:
    """Names of the point layers on the map, in drawing order."""
    return [layer.name for layer in board.map.map.layers if layer in board.layers.values()]


def test_layers_follow_the_choice_largest_drawn_first(data):
    board = CrossingBoard(data.communes, data.communes_provenance)
    assert board.share_layer in board.map.map.layers and board.share_layer.name == SHARE_LAYER
    board.draw(data.view({"couches": "arbres,conteneurs,arrets", "commune": "Toutes"}))
    labels = {key: spec.label for key, spec in crossing.LAYERS.items()}
    by_size = sorted(
        ["arrets", "conteneurs", "arbres"], key=lambda k: len(data.points[k]), reverse=True
    )
    assert _drawn(board) == [labels[key] for key in by_size]
    features = {key: len(layer.data["features"]) for key, layer in board.layers.items()}
    assert features == {
        key: len(data.points[key]) if key in by_size else 0 for key in crossing.LAYERS
    }
    assert [card.label for card in board.card_row.children] == [
        "Arrêts Astuce, Métropole",
        "Conteneurs à déchets, Métropole",
        "Arbres remarquables, Métropole",
    ]
    assert board.empty_note.value == ""

    board.draw(data.view({"couches": "", "commune": "Toutes"}))
    assert _drawn(board) == [] and board.card_row.children == ()
    assert board.empty_note.value == EMPTY_NOTE
    assert all(not layer.data["features"] for layer in board.layers.values())


def test_one_commune_cards_and_chart(data):
    board = CrossingBoard(data.communes, data.communes_provenance)
    view = board.draw(data.view({"couches": "conteneurs", "commune": "Rouen"}))
    card = board.cards["conteneurs"]
    assert card.label == "Conteneurs à déchets à Rouen"
    assert card.figure == view["counts"]["conteneurs"] == len(view["shown"]["conteneurs"])
    assert html.unescape(card.value).count("de la Métropole") == 1
    assert board.chart.series == ["Conteneurs à déchets"] and "Rouen" in board.chart.labels
    assert board.download.filename == "carte-croisee-conteneurs.csv"


def test_the_warning_and_the_sources_follow_the_layers(data):
    board = CrossingBoard(data.communes, data.communes_provenance)
    board.draw(data.view({"couches": "arbres", "commune": "Toutes"}))
    page = board.dashboard("Titre", "Intro.", ParameterControls({"couches": layer_checklist()}))
    assert page.banner.value == "" and page.banner.layout.display == "none"
    assert "Arbres remarquables" in html.unescape(board.footer.value)
    board.draw(data.view({"couches": "arbres,bornes", "commune": "Toutes"}))
    assert "Données d'exemple générées" in html.unescape(page.banner.value)
    assert page.banner.layout.display == ""
    assert "Bornes de recharge" in html.unescape(board.footer.value)
    board.draw(data.view({"couches": "arbres", "commune": "Toutes"}))
    assert page.banner.value == "" and page.banner.layout.display == "none"
