"""The « réseau Astuce » notebook runs offline on the snapshot and shows the right numbers.

Each run is executed once with papermill; ``RESULTS`` reads what the page drew through
the dashboard runtime (``view`` is the last view drawn, ``figures`` the notebook's
:class:`widgets.network_board.NetworkBoard`, ``data`` its
:class:`analyses.transit.network_view.NetworkData`), and the figures are compared with
counts made here directly with pandas from the snapshot tables. Deep links are executed
the way Voilà runs a kernel that is not preheated (``VOILA_PREHEAT=False`` and the
visitor's ``QUERY_STRING`` in the kernel's environment, which ``dashboard.kernel`` reads).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from notebook_runs import (
    Run,
    address_after_changes,
    address_notice,
    address_state,
    assert_light_and_clean,
    assert_refused,
    execute_runs,
    open_addresses,
)

from rouen_opendata import load_dataset
from widgets import format_number

pytestmark = pytest.mark.slow

NAME = "reseau-astuce"
TYPICAL_WEEKS = ("2024-01-29", "2024-02-25")
"""Four whole weeks from the week of the snapshot's date (1 February 2024)."""
RUNS = {
    "defaults": {},
    "metro": {"mode": "Métro"},
    "t4-on-a-date": {"mode": "TEOR", "ligne": "T4", "date": "2024-03-05"},
}
DEEP_LINKS = {
    "t4-on-a-date": "mode=TEOR&ligne=T4&date=2024-03-05",
    "line-of-another-mode": "mode=Bus&ligne=T4&date=2030-01-01",
    "all-wrong": "mode=Tramway&ligne=401&jour=Lundi&date=5+mars+2024&couleur=rouge",
}
"""Query strings of dashboard addresses, as a visitor's browser sends them."""
RESULTS = """
bars = figures.bars
results = {
    "typical_period": [d.date().isoformat() for d in data.levels.typical],
    "lines": len(view["ids"]),
    "stations": len(data.stations),
    "trips": float(view["trips"]),
    "trips_card": figures.cards["trips"].text,
    "top_line": bars.labels[0] if bars.labels else "",
    "top_trips": bars.values[0] if bars.values else None,
    "bars": [[label, value] for label, value in zip(bars.labels, bars.values, strict=True)],
}
"""
"""What the tests read from a run, through the page the runtime drew."""


@pytest.fixture(scope="module")
def gtfs_tables() -> dict[str, pd.DataFrame]:
    names = ("routes", "trips", "calendar", "calendar_dates", "stops")
    return {name: load_dataset("astuce-gtfs", table=name).frame for name in names}


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> dict[str, Run]:
    runs = execute_runs(NAME, RUNS, tmp_path_factory.mktemp(NAME), RESULTS)
    for run in runs.values():
        run.results["bars"] = dict(run.results["bars"])  # recorded as pairs: JSON keeps order
    return runs


@pytest.fixture(scope="module")
def deep_linked(tmp_path_factory) -> dict[str, Run]:
    """Each of ``DEEP_LINKS`` opened in Voilà (a kernel that is not preheated)."""
    runs = open_addresses(NAME, DEEP_LINKS, tmp_path_factory.mktemp(f"{NAME}-urls"), RESULTS)
    for run in runs.values():
        run.results["bars"] = dict(run.results["bars"])  # recorded as pairs: JSON keeps order
    return runs


def _running_services(day: date, tables: dict[str, pd.DataFrame]) -> set[str]:
    """Services running on a day: calendar flags and dates, then calendar_dates exceptions."""
    stamp = pd.Timestamp(day)
    calendar = tables["calendar"]
    weekday = calendar.columns[1 + day.weekday()]  # monday … sunday follow service_id
    base = calendar[
        (calendar["start_date"] <= stamp)
        & (calendar["end_date"] >= stamp)
        & (calendar[weekday] == 1)
    ]["service_id"]
    exceptions = tables["calendar_dates"][tables["calendar_dates"]["date"] == stamp]
    added = exceptions.loc[exceptions["exception_type"] == 1, "service_id"]
    removed = exceptions.loc[exceptions["exception_type"] == 2, "service_id"]
    return (set(base) | set(added)) - set(removed)


def _trips_on(route_id: str, day: date, tables: dict[str, pd.DataFrame]) -> int:
    trips = tables["trips"]
    running = _running_services(day, tables)
    return int(((trips["route_id"] == route_id) & trips["service_id"].isin(running)).sum())


def _route_id(short_name: str, tables: dict[str, pd.DataFrame]) -> str:
    routes = tables["routes"]
    return routes.loc[routes["route_short_name"] == short_name, "route_id"].item()


def test_defaults_show_the_network_on_a_typical_weekday(executed, gtfs_tables):
    run = executed["defaults"]
    shown = run.results
    routes, stops = gtfs_tables["routes"], gtfs_tables["stops"]
    lifts = routes["route_long_name"].str.startswith(("Ascenseur", "Escalator"))
    assert shown["lines"] == int((~lifts).sum())
    stations = stops["location_type"].eq(1) | stops["parent_station"].isna()
    assert shown["stations"] == int(stations.sum())
    assert shown["typical_period"] == list(TYPICAL_WEEKS)
    weekdays = [d.date() for d in pd.date_range(*TYPICAL_WEEKS) if d.day_of_week < 5]
    metro = _route_id("Métro", gtfs_tables)
    expected = sum(_trips_on(metro, d, gtfs_tables) for d in weekdays) / len(weekdays)
    assert shown["top_line"] == "Métro"
    assert shown["top_trips"] == pytest.approx(expected)
    assert list(shown["bars"]) == sorted(shown["bars"], key=shown["bars"].get, reverse=True)
    assert len(shown["bars"]) == 15
    texts = run.widget_texts
    assert "Courses un jour de semaine moyen" in texts
    assert shown["trips_card"] in texts.replace('</span> <span class="rr-kpi-unit">', "\u00a0")
    assert format_number(shown["stations"]) in texts


def test_metro_variant_keeps_one_line(executed, gtfs_tables):
    run = executed["metro"]
    shown = run.results
    assert shown["parameters"]["mode"] == "Métro" and shown["lines"] == 1
    assert list(shown["bars"]) == ["Métro"]
    assert shown["trips"] == pytest.approx(shown["bars"]["Métro"])
    assert "Boulingrin" in run.widget_texts  # a metro terminus on the map


def test_a_line_on_a_date_matches_a_direct_count(executed, gtfs_tables):
    run = executed["t4-on-a-date"]
    shown = run.results
    day = date(2024, 3, 5)
    assert shown["trips"] == _trips_on(_route_id("T4", gtfs_tables), day, gtfs_tables)
    assert set(shown["bars"]) == {"T1", "T2", "T3", "T4"}  # T4 highlighted among TEOR
    for line, trips in shown["bars"].items():
        assert trips == _trips_on(_route_id(line, gtfs_tables), day, gtfs_tables)
    assert "Courses le mardi 5 mars 2024" in run.widget_texts


def test_executed_pages_stay_light(executed):
    assert_light_and_clean(executed)


def test_a_wrong_parameter_fails_with_a_french_message(tmp_path):
    message = "« T9 » n'est pas un choix possible pour « Ligne »"
    assert_refused(NAME, {"mode": "TEOR", "ligne": "T9"}, tmp_path, message, RESULTS)


def test_a_deep_link_shows_what_papermill_shows(executed, deep_linked):
    run = deep_linked["t4-on-a-date"]
    assert run.results == executed["t4-on-a-date"].results
    assert address_notice(run) == ""
    assert "Courses le mardi 5 mars 2024" in run.widget_texts


def test_a_line_of_another_mode_and_a_date_outside_the_file_are_refused(deep_linked):
    run = deep_linked["line-of-another-mode"]
    assert run.results["parameters"] == {
        "mode": "Bus",  # the valid part of the address still applies
        "ligne": "Toutes",
        "jour": "Semaine",
        "date": "",
    }
    assert set(run.results["bars"]) >= {"F1", "F2"} and "T4" not in run.results["bars"]
    notice = address_notice(run)
    assert "« T4 » n'est pas un choix possible pour « ligne » quand « mode » vaut « Bus »" in (
        notice
    )
    assert "(choix possibles : « Toutes », « F1 », « F2 »" in notice
    assert "« date » doit être un jour de la période du fichier" in notice
    assert "(du 26 août 2023 au 1er septembre 2024), pas « 2030-01-01 »" in notice


def test_a_wrong_address_gives_the_defaults_and_says_what_is_accepted(executed, deep_linked):
    run = deep_linked["all-wrong"]
    assert run.results == executed["defaults"].results
    notice = address_notice(run)
    # A plain refusal names the control a visitor reads (« Mode », « Jour type »), as on every
    # dashboard on the runtime; the line's, which depends on the mode, the address's names.
    assert "« Tramway » n'est pas un choix possible pour « Mode »" in notice
    assert "« Métro », « TEOR », « Bus »" in notice
    assert "« 401 » n'est pas un choix possible pour « ligne » quand « mode » vaut « Tous »" in (
        notice
    )
    assert "« Lundi » n'est pas un choix possible pour « Jour type »" in notice
    assert "« date » attend un jour au format AAAA-MM-JJ, pas « 5 mars 2024 »" in notice
    assert "couleur" in notice
    assert "Paramètres acceptés : mode (texte, par défaut « Tous »); ligne" in notice


def test_deep_linked_pages_stay_light_without_incident(deep_linked):
    assert_light_and_clean(deep_linked)


def test_changing_the_controls_keeps_the_address_in_step():
    changes = [("mode", "Bus"), ("ligne", "F1"), ("mode", "Tous"), ("mode", "Métro")]
    states = address_after_changes(NAME, "mode=TEOR&ligne=T4", changes)
    shown = [(values["mode"], values["ligne"], state) for values, state in states]
    assert shown == [
        ("Bus", "Toutes", address_state("mode=Bus")),  # T4 is no bus line: gone from the address
        ("Bus", "F1", address_state("mode=Bus&ligne=F1")),
        ("Tous", "F1", address_state("ligne=F1")),
        ("Métro", "Toutes", address_state("mode=M%C3%A9tro")),
    ]
