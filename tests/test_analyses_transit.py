"""GTFS computations checked against direct pandas counts: a tiny hand-made feed whose
answers can be worked out by hand, and the real Astuce snapshot for one line and date."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from analyses import transit
from rouen_opendata import load_dataset

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _calendar(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["service_id", *WEEKDAYS, "start_date", "end_date"])
    for column in ("start_date", "end_date"):
        frame[column] = pd.to_datetime(frame[column])
    return frame.astype({"service_id": "string", **{d: "Int64" for d in WEEKDAYS}})


@pytest.fixture
def feed() -> dict[str, pd.DataFrame]:
    """Two weeks of 2024-03 (4 March is a Monday); a weekday, a Saturday and a Sunday service."""
    calendar = _calendar(
        [
            ("WK", 1, 1, 1, 1, 1, 0, 0, "2024-03-04", "2024-03-17"),
            ("SA", 0, 0, 0, 0, 0, 1, 0, "2024-03-04", "2024-03-17"),
            ("SU", 0, 0, 0, 0, 0, 0, 1, "2024-03-04", "2024-03-17"),
        ]
    )
    calendar_dates = pd.DataFrame(
        {
            "service_id": pd.array(["WK", "SU", "SA"], dtype="string"),
            "date": pd.to_datetime(["2024-03-06", "2024-03-06", "2024-03-20"]),
            "exception_type": pd.array([2, 1, 1], dtype="Int64"),
        }
    )  # Wednesday 6 runs the Sunday service; Wednesday 20 (after the end) runs Saturday's.
    routes = pd.DataFrame(
        {
            "route_id": pd.array(["M", "B1", "L1", "T9"], dtype="string"),
            "route_short_name": pd.array(["Métro", "12", "401", "T9"], dtype="string"),
            "route_long_name": pd.array(
                ["A <> B", "C <> D", "Ascenseurs Gare", "E <> F"], dtype="string"
            ),
            "route_type": pd.array([1, 3, 3, 0], dtype="Int64"),
            "route_sort_order": pd.array([1, 3, 9, 2], dtype="Int64"),
        }
    )
    trips = pd.DataFrame(
        {
            "route_id": ["M"] * 6 + ["B1"] * 3 + ["L1"] * 2,
            "service_id": ["WK", "WK", "WK", "SA", "SA", "SU", "WK", "SU", "SA", "WK", "SU"],
            "trip_headsign": [
                "Gare ROUEN",
                "Parc ROUEN",
                "Gare ROUEN",
                "Gare ROUEN",
                "Parc ROUEN",
                "Gare ROUEN",
                "Mairie SOTTEVILLE",
                "Mairie SOTTEVILLE",
                "Ailleurs DARNÉTAL",
                "Ascenseur Quai",
                "Ascenseur Quai",
            ],
        }
    ).astype("string")
    trips["trip_id"] = pd.array([f"t{i}" for i in range(len(trips))], dtype="string")
    stops = pd.DataFrame(
        {
            "stop_id": ["GARE", "g1", "g2", "PARC", "p1", "m1", "ASC", "a1"],
            "stop_name": [
                "Gare",
                "Gare",
                "Gare",
                "Parc",
                "Parc",
                "Mairie",
                "Ascenseurs Gare",
                "Ascenseur Quai",
            ],
            "stop_lat": [49.44, 49.4401, 49.4402, 49.40, 49.4001, 49.42, 49.441, 49.441],
            "stop_lon": [1.09, 1.0901, 1.0902, 1.05, 1.0501, 1.07, 1.091, 1.091],
            "location_type": [1, 0, 0, 1, 0, 0, 1, 0],
            "parent_station": ["", "GARE", "GARE", "", "PARC", "", "", "ASC"],
            "wheelchair_boarding": [None, 1, 2, None, 2, None, None, 1],
        }
    )
    stops = stops.replace({"parent_station": {"": None}}).astype(
        {
            "stop_id": "string",
            "stop_name": "string",
            "parent_station": "string",
            "location_type": "Int64",
            "wheelchair_boarding": "Int64",
        }
    )
    return {
        "calendar": calendar,
        "calendar_dates": calendar_dates,
        "routes": routes,
        "trips": trips,
        "stops": stops,
    }


def _runs(service: str, day: date, feed: dict[str, pd.DataFrame]) -> bool:
    """Whether a service runs on a day, written the plain way the GTFS reference says."""
    exceptions = feed["calendar_dates"]
    hit = exceptions[
        (exceptions["service_id"] == service) & (exceptions["date"] == pd.Timestamp(day))
    ]
    if len(hit):
        return int(hit["exception_type"].iloc[0]) == 1
    row = feed["calendar"][feed["calendar"]["service_id"] == service]
    if row.empty:
        return False
    row = row.iloc[0]
    inside = row["start_date"] <= pd.Timestamp(day) <= row["end_date"]
    return bool(inside and row[WEEKDAYS[day.weekday()]] == 1)


def _direct_count(route_id: str, day: date, feed: dict[str, pd.DataFrame]) -> int:
    per_service = feed["trips"].loc[feed["trips"]["route_id"] == route_id, "service_id"]
    return int(
        sum(n for service, n in per_service.value_counts().items() if _runs(service, day, feed))
    )


def test_route_modes_follow_type_and_names(feed):
    lines = transit.routes_with_modes(feed["routes"])
    assert dict(zip(lines["route_id"], lines["mode"], strict=True)) == {
        "M": transit.METRO,
        "T9": transit.TEOR,
        "B1": transit.BUS,
        "L1": transit.LIFTS,
    }
    assert list(lines["route_id"]) == ["M", "T9", "B1", "L1"]  # route_sort_order
    assert transit.route_mode(715) == transit.ON_DEMAND
    assert transit.route_mode(3, "410", "Filo'R Zone 1") == transit.ON_DEMAND
    assert transit.route_mode(4, "Calypso", "Calypso") == transit.BOAT
    assert transit.route_mode(2) == transit.OTHER


def test_service_days_apply_weekdays_and_exceptions(feed):
    days = transit.service_days(feed["calendar"], feed["calendar_dates"])
    by_service = days.groupby("service_id")["date"].apply(lambda d: {x.date() for x in d})
    weekdays = {
        date(2024, 3, 4) + timedelta(days=i)
        for i in range(14)
        if (date(2024, 3, 4) + timedelta(days=i)).weekday() < 5
    }
    assert by_service["WK"] == weekdays - {date(2024, 3, 6)}
    assert by_service["SU"] == {date(2024, 3, 10), date(2024, 3, 17), date(2024, 3, 6)}
    assert by_service["SA"] == {date(2024, 3, 9), date(2024, 3, 16), date(2024, 3, 20)}
    for day in pd.date_range("2024-03-01", "2024-03-25").date:
        for service in ("WK", "SA", "SU"):
            assert (day in by_service[service]) == _runs(service, day, feed), (service, day)


def test_daily_trips_match_a_direct_count(feed):
    days = transit.service_days(feed["calendar"], feed["calendar_dates"])
    counts = transit.daily_trips(feed["trips"], days, "2024-03-04", "2024-03-20")
    assert list(counts.index) == sorted(feed["routes"]["route_id"].drop(index=3))
    for route_id in counts.index:
        for day in counts.columns:
            assert counts.loc[route_id, day] == _direct_count(route_id, day.date(), feed)
    assert counts.loc["M", pd.Timestamp("2024-03-06")] == 1  # Sunday service that day
    assert transit.trips_on_date(feed["trips"], days, "2024-03-05")["M"] == 3


def test_averages_by_day_type_count_days_without_service(feed):
    days = transit.service_days(feed["calendar"], feed["calendar_dates"])
    table = transit.trips_by_day_type(feed["trips"], days, "2024-03-04", "2024-03-17")
    # Metro: 3 trips on 9 weekdays and 1 on Wednesday 6 → 28 / 10 weekdays.
    assert table.loc["M", "Semaine"] == pytest.approx(28 / 10)
    assert table.loc["M", "Samedi"] == 2 and table.loc["M", "Dimanche"] == 1
    assert table.loc["B1", "Semaine"] == pytest.approx((9 * 1 + 1) / 10)


def test_typical_period_is_whole_weeks_inside_the_feed():
    assert transit.typical_period("2024-02-01") == (
        pd.Timestamp("2024-01-29"),
        pd.Timestamp("2024-02-25"),
    )
    within = (pd.Timestamp("2024-03-01"), pd.Timestamp("2024-03-31"))
    start, end = transit.typical_period("2024-06-01", weeks=2, within=within)
    assert start.weekday() == 0 and end - start == pd.Timedelta(days=13) and end <= within[1]


def test_select_routes_refuses_unknown_values_in_french(feed):
    lines = transit.routes_with_modes(feed["routes"])
    assert set(transit.select_routes(lines)["route_id"]) == {"M", "T9", "B1"}  # no lifts
    assert list(transit.select_routes(lines, transit.METRO, "Métro")["route_id"]) == ["M"]
    with pytest.raises(ValueError, match="Mode « Tram » inconnu"):
        transit.select_routes(lines, "Tram")
    with pytest.raises(ValueError, match="La ligne « 12 » n'existe pas pour le mode « Métro »"):
        transit.select_routes(lines, transit.METRO, "12")
    assert transit.line_choices(lines, transit.METRO) == [
        ("Toutes les lignes", "Toutes"),
        ("Métro · A ↔ B", "Métro"),
    ]


def test_stations_roll_platforms_up_and_find_termini(feed):
    table = transit.station_modes(feed["stops"], feed["routes"], feed["trips"]).set_index(
        "station_id"
    )
    assert list(table.index) == ["ASC", "GARE", "m1", "PARC"]  # sorted by name
    assert table.loc["GARE", "platforms"] == 2 and table.loc["GARE", "wheelchair"]
    assert not table.loc["PARC", "wheelchair"]  # its only platform says no
    assert table.loc["GARE", "lines"] == ("Métro",) and table.loc["GARE", "mode"] == transit.METRO
    assert table.loc["m1", "modes"] == (transit.BUS,) and table.loc["m1", "basis"] == "terminus"
    assert table.loc["ASC", "mode"] == transit.LIFTS
    assert transit.terminus_stations(feed["trips"], feed["stops"]).query("route_id == 'B1'")[
        "station_id"
    ].tolist() == ["m1"]  # "Ailleurs" matches nothing


def test_stations_use_stop_times_when_given(feed):
    stop_times = pd.DataFrame({"trip_id": ["t0", "t0", "t6"], "stop_id": ["g1", "m1", "p1"]})
    table = transit.station_modes(feed["stops"], feed["routes"], feed["trips"], stop_times)
    table = table.set_index("station_id")
    assert table.loc["m1", "lines"] == ("Métro",) and table.loc["PARC", "lines"] == ("12",)
    assert table.loc["PARC", "basis"] == "horaires"


@pytest.fixture(scope="module")
def astuce() -> dict[str, pd.DataFrame]:
    names = ("routes", "trips", "calendar", "calendar_dates", "stops")
    return {name: load_dataset("astuce-gtfs", table=name).frame for name in names}


def test_real_feed_metro_on_a_tuesday_matches_a_direct_count(astuce):
    day = date(2024, 3, 5)
    direct = _direct_count("90", day, astuce)
    days = transit.service_days(astuce["calendar"], astuce["calendar_dates"])
    assert transit.trips_on_date(astuce["trips"], days, day)["90"] == direct
    assert direct == 395  # the snapshot is immutable: a change here means new data


def test_real_feed_modes_and_typical_week(astuce):
    levels = transit.ServiceLevels(
        astuce["routes"],
        astuce["trips"],
        astuce["calendar"],
        astuce["calendar_dates"],
        reference="2024-02-01",
    )
    assert levels.lines["mode"].value_counts().to_dict() == {
        transit.BUS: 95,
        transit.ON_DEMAND: 9,
        transit.LIFTS: 7,
        transit.TEOR: 4,
        transit.METRO: 1,
        transit.BOAT: 1,
    }
    assert [d.date().isoformat() for d in levels.typical] == ["2024-01-29", "2024-02-25"]
    weekdays = [d for d in pd.date_range(*levels.typical) if d.weekday() < 5]
    expected = sum(_direct_count("91", d.date(), astuce) for d in weekdays) / len(weekdays)
    assert levels.per_line(["91"], "Semaine")["91"] == pytest.approx(expected)
    with pytest.raises(ValueError, match="hors de la période"):
        levels.check_date("2030-01-01")
