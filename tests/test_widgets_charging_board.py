"""The « bornes de recharge » figures, read from their traits after a draw (no browser)."""

from __future__ import annotations

import html

import pytest
from test_analyses_charging import COMMUNES, _outlined, _points, _stops

from analyses import charging
from widgets.charging_board import (
    ChargingFigures,
    distance_options,
    outside_text,
    power_options,
)


@pytest.fixture()
def drawn() -> tuple[ChargingFigures, charging.ChargingView]:
    stops, outside = charging.place_stops(_stops(), _outlined())
    figures = ChargingFigures(stops, COMMUNES, outside, "Bornes : données d'exemple générées")
    view = charging.charging_view(_points(), COMMUNES, stops, "Rouen", 0.0, 500)
    return figures, figures.draw(view, "Rouen", 0.0, 500)


def test_draw_fills_the_map_cards_and_bars(drawn):
    figures, view = drawn
    per_class = {label: len(layer.layers) for label, layer in figures.station_layers.items()}
    best = view.stations.groupby("power_class").size()
    assert per_class == {label: int(best.get(label, 0)) for label in per_class}
    assert len(figures.far_layer.layers) == len(view.far) == 1
    assert figures.charge_map.map.center == [COMMUNES.loc[0, "lat"], COMMUNES.loc[0, "lon"]]
    assert "À Rouen." in figures.cards["stations"].value
    assert "1 arrêts sur 2 situés à Rouen." in figures.cards["near"].value.replace("\xa0", " ")
    assert figures.distance_bars.values == view.classes.tolist()
    assert figures.coverage_bars.labels[0] == view.coverage.sort_values("per_10k").iloc[-1, 0]
    assert "1 commune sur 3 n'a aucun point de charge" in figures.coverage_box.value.replace(
        "\xa0", " "
    )


def test_the_whole_metropole_goes_back_to_rouen_centre(drawn):
    figures, _ = drawn
    stops, _ = charging.place_stops(_stops(), _outlined())
    view = charging.charging_view(_points(), COMMUNES, stops, None, 50.0, 300)
    figures.draw(view, None, 50.0, 300)
    assert figures.charge_map.map.zoom == 10
    assert "avec un point d'au moins 50 kW" in html.unescape(figures.cards["points"].value)


def test_options_and_the_outside_sentence_are_french():
    assert power_options([0.0, 3.7, 22.0]) == [
        ("Toutes les puissances", 0.0),
        ("3,7 kW et plus", 3.7),
        ("22 kW et plus", 22.0),
    ]
    assert distance_options((300, 1000)) == [("moins de 300 m", 300), ("moins de 1 km", 1000)]
    assert outside_text(0) == ""
    assert "n'est pas compté" in outside_text(1)
    assert "ne sont pas comptés" in outside_text(3)
