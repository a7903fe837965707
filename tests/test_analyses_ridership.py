"""Boardings per stop, line and month on small frames and a tiny GTFS stops table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import widgets as w
from analyses import ridership as rid


@pytest.fixture
def stops() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "stop_id": ["GARE", "G1", "G2", "MAIRIE", "SEUL"],
            "stop_name": ["Gare", "Gare", "Gare", "Mairie", "Seul"],
            "stop_lat": [49.45, 49.4501, 49.4502, 49.44, 49.43],
            "stop_lon": [1.09, 1.0901, 1.0902, 1.10, 1.11],
            "location_type": pd.array([1, 0, 0, 1, 0], dtype="Int64"),
            "parent_station": pd.array([None, "GARE", "GARE", None, None], dtype="string"),
            "wheelchair_boarding": pd.array([None, 1, 1, None, 0], dtype="Int64"),
        }
    )


@pytest.fixture
def routes() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "route_id": ["90", "91"],
            "route_short_name": ["Métro", "T1"],
            "route_long_name": ["A <> B", "C <> D"],
            "route_type": pd.array([1, 0], dtype="Int64"),
            "route_color": ["123E8B", "e63027"],
            "route_sort_order": pd.array([1, 5], dtype="Int64"),
        }
    )


@pytest.fixture
def rows() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "mois": ["2024-01", "2024-01", "2024-01", "2024-02", "2024-02", "2024-02"],
            "route_id": ["91", "90", "90", "90", "42", "90"],
            "route_short_name": ["T1", "Métro", "Métro", "Métro", "42", "Métro"],
            "stop_id": ["G1", "GARE", "MAIRIE", "GARE", "AILLEURS", "MAIRIE"],
            "stop_name": ["Gare", "Gare", "Mairie", "Gare", "Ailleurs", "Mairie"],
            "montees": pd.array([310, 620, 31, 290, 29, 0], dtype="Int64"),
            "descentes": pd.array([300, 600, 61, 280, 39, 0], dtype="Int64"),
        }
    )
    return rid.prepare(frame)


def test_lines_follow_the_network_order_with_colours(rows, routes):
    table = rid.lines(rows, routes)
    assert list(table["route_short_name"]) == ["Métro", "T1", "42"]  # unknown line last
    assert list(table["route_color"].fillna("")) == ["123E8B", "e63027", ""]
    # Drawn in the feed's colours, the line the feed does not know in the default one.
    assert w.line_colors(table) == {"Métro": "#123E8B", "T1": "#E63027", "42": "#1F5FA8"}
    assert list(table["mode"]) == ["Métro", "TEOR", "Bus"]


def test_lines_and_months_are_checked_in_french(rows):
    assert rid.months(rows) == ["2024-01", "2024-02"]
    assert rid.check_line(rows, "T1") == "T1" and rid.check_month(rows, "") == ""
    with pytest.raises(ValueError, match="la ligne « T9 » n'a pas de comptage"):
        rid.check_line(rows, "T9")
    with pytest.raises(ValueError, match="le mois « 2023-01 » n'a pas de comptage"):
        rid.check_month(rows, "2023-01")


def test_totals_per_day_and_concentration(rows):
    figures = rid.totals(rows)
    assert figures["boardings"] == 1280 and figures["days"] == 31 + 29
    assert figures["per_day"] == pytest.approx(1280 / 60)
    assert figures["stops"] == 4  # MAIRIE has boardings in January
    assert figures["top_share"] == pytest.approx(1.0)  # fewer than ten stops
    january = rid.totals(rid.select(rows, rid.ALL_LINES, "2024-01"))
    assert january["days"] == 31 and january["boardings"] == 961


def test_line_totals_and_months(rows):
    assert rid.line_totals(rows).to_dict() == {"Métro": 941.0, "T1": 310.0, "42": 29.0}
    monthly = rid.monthly(rid.select(rows, "Métro"))
    assert list(monthly["montees"]) == [651.0, 290.0]
    assert list(monthly["par_jour"]) == pytest.approx([651 / 31, 290 / 29])


def test_stop_totals_bring_platforms_to_their_station(rows, stops, routes):
    table = rid.stop_totals(rows, stops, rid.lines(rows, routes))
    gare = table.set_index("station_id").loc["GARE"]
    assert gare["montees"] == 310 + 620 + 290 and gare["name"] == "Gare"
    assert gare["lignes"] == "Métro, T1"  # by boardings
    assert gare["mode"] == "Métro" and gare["lat"] == pytest.approx(49.45)
    elsewhere = table.set_index("station_id").loc["AILLEURS"]
    assert np.isnan(elsewhere["lat"]) and elsewhere["name"] == "Ailleurs"  # not in the GTFS
    assert list(table["montees"]) == sorted(table["montees"], reverse=True)


def test_the_view_of_one_line_and_month_and_the_drop_down_choices(rows, stops, routes):
    line_table = rid.lines(rows, routes)
    view = rid.view(rows, stops, line_table, "Métro", "2024-01")
    assert view["line"] == "Métro" and view["days"] == 31 and view["when"] == "janvier 2024"
    assert view["totals"]["boardings"] == 620 + 31
    assert view["lines"].to_dict() == pytest.approx({"Métro": 651 / 31, "T1": 310 / 31})
    assert list(view["monthly"]["montees"]) == [651.0, 290.0]  # every month of the line
    whole = rid.view(rows, stops, line_table, rid.ALL_LINES, rid.ALL_MONTHS)
    assert whole["line"] is None and whole["days"] == 60
    assert whole["when"] == "de janvier 2024 à février 2024"
    assert rid.month_choices(rows) == [
        ("Toute la période", ""),
        ("janvier 2024", "2024-01"),
        ("février 2024", "2024-02"),
    ]
    assert [value for _, value in rid.line_choices(line_table)] == ["Toutes", "Métro", "T1", "42"]
