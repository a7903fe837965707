"""The « réseau Astuce » view and figures on the tiny hand-made feed of
``test_analyses_transit`` (two weeks of March 2024), whose answers can be worked out by
hand; the real snapshot is checked through the notebook (``test_notebook_reseau_astuce``)."""

from __future__ import annotations

import html

import pandas as pd
import pytest
from test_analyses_transit import feed  # noqa: F401 (the fixture)

from analyses import transit
from analyses.transit.network_view import TABLES, NetworkData
from widgets.colors import line_colors
from widgets.network_board import NetworkBoard, network_intro


@pytest.fixture
def data(feed) -> NetworkData:  # noqa: F811 (the fixture imported above)
    return NetworkData.from_frames(**{name: feed[name] for name in TABLES}, reference="2024-03-04")


def _values(**given: str) -> dict[str, str]:
    return {"mode": "Tous", "ligne": "Toutes", "jour": "Semaine", "date": "", **given}


def test_a_precise_day_counts_that_day_for_the_mode_and_the_line(data):
    # Tuesday 5 March: 3 metro trips (weekday service), 1 bus trip; lifts left out of « Tous ».
    view = data.view(_values(date="2024-03-05"))
    assert view["ids"] == ["M", "T9", "B1"] and view["everything"]
    assert view["kind"] == "Semaine" and view["when"] == "le mardi 5 mars 2024"
    assert view["trips"] == 4
    assert view["per_line"].to_dict() == {"Métro": 3, "T9": 0, "12": 1}
    metro = data.view(_values(mode=transit.METRO, ligne="Métro", date="2024-03-06"))
    assert metro["ids"] == ["M"] and metro["line"] == "Métro" and not metro["everything"]
    assert metro["trips"] == 1  # Wednesday 6 runs the Sunday service
    assert metro["kind"] == "Semaine"


def test_a_typical_day_is_the_mean_over_whole_weeks(data):
    view = data.view(_values(mode=transit.METRO, jour="Samedi"))
    typical = data.levels.by_day_type.loc["M"]
    assert view["when"] == "un samedi moyen"
    assert view["trips"] == pytest.approx(typical["Samedi"])
    assert view["week"] == pytest.approx(
        5 * typical["Semaine"] + typical["Samedi"] + typical["Dimanche"]
    )
    daily = data.levels.daily.loc["M"]
    for monday, trips in zip(view["weekly"]["date"], view["weekly"]["trips"], strict=True):
        assert monday.weekday() == 0
        assert trips == daily[monday : monday + pd.Timedelta(days=6)].sum()


def test_stations_take_the_colour_of_what_is_chosen(data):
    everything = data.view(_values())
    assert set(everything["stations"][transit.METRO]["station_id"]) == {"GARE", "PARC"}
    assert list(everything["stations"][transit.BUS]["station_id"]) == ["m1"]
    assert "ASC" in set(everything["others"]["station_id"])  # lifts stay grey
    bus = data.view(_values(mode=transit.BUS))
    assert list(bus["stations"][transit.BUS]["station_id"]) == ["m1"]
    assert bus["stations"][transit.METRO].empty
    assert data.map_modes == [transit.METRO, transit.BUS, transit.LIFTS]


def test_choices_and_dates_are_checked_in_french(data):
    assert [value for _, value in data.line_choices(transit.BUS)] == ["Toutes", "12"]
    assert len(data.line_choices("Tramway")) == 4  # an unknown mode: every line but lifts
    assert data.check_date("") == "" and data.check_date("2024-03-05") == "2024-03-05"
    with pytest.raises(ValueError, match="« date » attend un jour au format AAAA-MM-JJ"):
        data.check_date("5 mars 2024")
    with pytest.raises(
        ValueError, match=r"période du fichier \(du 4 mars au 20 mars 2024\), pas « 2030-01-01 »"
    ):
        data.check_date("2030-01-01")
    with pytest.raises(ValueError, match="La ligne « T9 » n'existe pas pour le mode « Bus »"):
        data.view(_values(mode=transit.BUS, ligne="T9"))


def test_the_board_draws_a_view_in_place(data):
    board = NetworkBoard(data)
    layers = dict(board.layers)
    board.draw(data.view(_values(mode=transit.METRO, ligne="Métro", date="2024-03-05")))
    assert board.layers == layers  # the same layers, their points replaced
    assert board.bars.labels == ["Métro"] and board.bars.values == [3]
    assert "Courses le mardi 5 mars 2024" in html.unescape(board.cards["trips"].value)
    assert board.cards["lines"].text.startswith("1")
    points = {mode: len(layer.layers) for mode, layer in board.layers.items()}
    assert points == {transit.METRO: 2, transit.BUS: 0, transit.LIFTS: 0}
    assert "Hors ascenseurs" not in board.cards["lines"].value
    board.draw(data.view(_values()))
    assert "Hors ascenseurs et escalators." in html.unescape(board.cards["lines"].value)
    assert line_colors(pd.DataFrame({"route_short_name": ["A"], "route_color": [None]})) == {
        "A": "#1F5FA8"
    }
    assert "semaine type : du " in network_intro(data)
    assert len(board.sections()) == 4
