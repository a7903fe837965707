"""Public transport computations on a GTFS feed: modes of lines, service days, trips per
day, stations, and the French drop-down choices they offer.

Functions take the frames returned by ``load_dataset("astuce-gtfs", table=...)`` (the
data layer reads the feed) and return plain DataFrames or Series; nothing here reads
files, draws or picks colours (the modes' colours are ``widgets.MODE_COLORS``).

The Astuce snapshot is a *partial* feed (no ``stop_times.txt``): trips can be counted
per line and per day, but which line calls at which stop is only known for the
termini named by trip headsigns. :func:`station_modes` uses ``stop_times`` when given.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, timedelta

import pandas as pd

log = logging.getLogger(__name__)

METRO, TEOR, BUS = "Métro", "TEOR", "Bus"
ON_DEMAND, BOAT, LIFTS, OTHER = (
    "Transport à la demande",
    "Navette fluviale",
    "Ascenseurs et escalators",
    "Autre",
)
MODES = (METRO, TEOR, BUS, ON_DEMAND, BOAT, LIFTS, OTHER)
"""Modes in display order; the first of a station's modes is its main mode."""
UNKNOWN_MODE = "Non précisé"
"""Mode of a station whose lines the feed does not tell."""
ROUTE_TYPE_MODES = {1: METRO, 0: TEOR, 4: BOAT, 715: ON_DEMAND}
"""GTFS route_type → mode. In Rouen, route_type 0 (tram) is used for the TEOR
bus rapid transit lines T1–T4; 715 is the extended type for demand-responsive lines."""
NAME_MODES = {
    "ascenseur": LIFTS,
    "escalator": LIFTS,
    "filo'r": ON_DEMAND,
    "allobus": ON_DEMAND,
    "ponton": BOAT,
}
"""Name prefixes that tell a mode when route_type does not (lifts and on-demand
zones are published as bus lines; river shuttle piers have no parent station)."""

DAY_TYPES = ("Semaine", "Samedi", "Dimanche")
"""Day types: Monday–Friday, Saturday, Sunday (public holidays count by weekday)."""
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _name_mode(name: object) -> str | None:
    text = str(name).strip().lower() if isinstance(name, str) else ""
    return next((mode for prefix, mode in NAME_MODES.items() if text.startswith(prefix)), None)


def route_mode(route_type: int, short_name: str = "", long_name: str = "") -> str:
    """Mode of one line from its GTFS route_type and names (see ``MODES``)."""
    by_name = _name_mode(long_name) or _name_mode(short_name)
    if by_name is not None:
        return by_name
    if route_type in ROUTE_TYPE_MODES:
        return ROUTE_TYPE_MODES[route_type]
    return BUS if route_type == 3 or 700 <= route_type <= 799 else OTHER


def routes_with_modes(routes: pd.DataFrame) -> pd.DataFrame:
    """``routes`` with a ``mode`` column, sorted as the network orders its lines."""
    frame = routes.copy()
    frame["mode"] = [
        route_mode(int(t), s, n)
        for t, s, n in zip(
            frame["route_type"],
            frame["route_short_name"].fillna(""),
            frame["route_long_name"].fillna(""),
            strict=True,
        )
    ]
    order = "route_sort_order" if "route_sort_order" in frame else "route_short_name"
    return frame.sort_values(order, kind="stable").reset_index(drop=True)


ALL_MODES, ALL_LINES = "Tous", "Toutes"
"""Parameter values meaning no filter. « Tous » leaves out lifts and escalators, which
the feed publishes as lines (401–407) with thousands of daily « trips » each."""


def select_routes(
    routes: pd.DataFrame, mode: str = ALL_MODES, line: str = ALL_LINES
) -> pd.DataFrame:
    """Lines of ``routes_with_modes(routes)`` matching a mode and a line short name.

    Raises ``ValueError`` with a French message naming the accepted values.
    """
    lines = routes if "mode" in routes else routes_with_modes(routes)
    if mode == ALL_MODES:
        chosen = lines[lines["mode"] != LIFTS]
    elif mode in set(lines["mode"]):
        chosen = lines[lines["mode"] == mode]
    else:
        present = [m for m in MODES if m in set(lines["mode"])]
        known = ", ".join(f"« {m} »" for m in (ALL_MODES, *present))
        raise ValueError(f"Mode « {mode} » inconnu : choisissez parmi {known}.")
    if line == ALL_LINES:
        return chosen
    if line not in set(chosen["route_short_name"]):
        raise ValueError(
            f"La ligne « {line} » n'existe pas pour le mode « {mode} » "
            f"(lignes : {', '.join(chosen['route_short_name'].astype(str))})."
        )
    return chosen[chosen["route_short_name"] == line]


def service_days(
    calendar: pd.DataFrame, calendar_dates: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per (service_id, date) on which the service runs.

    Dates come from ``calendar`` (weekday flags between start_date and end_date);
    ``calendar_dates`` then adds (exception_type 1) or removes (2) single dates.
    """
    pieces = [
        pd.DataFrame(
            {"service_id": pd.Series(dtype="string"), "date": pd.Series(dtype="datetime64[us]")}
        )
    ]
    for row in calendar.itertuples(index=False):
        dates = pd.date_range(pd.Timestamp(str(row.start_date)), pd.Timestamp(str(row.end_date)))
        flags = [getattr(row, day) == 1 for day in _WEEKDAYS]
        keep = [flags[d] for d in dates.day_of_week]
        pieces.append(pd.DataFrame({"service_id": row.service_id, "date": dates[keep]}))
    days = pd.concat(pieces, ignore_index=True)
    if calendar_dates is not None and len(calendar_dates):
        exceptions = calendar_dates[["service_id", "date", "exception_type"]]
        added = exceptions.loc[exceptions["exception_type"] == 1, ["service_id", "date"]]
        removed = exceptions.loc[exceptions["exception_type"] == 2, ["service_id", "date"]]
        days = pd.concat([days, added], ignore_index=True)
        marked = days.merge(removed.drop_duplicates(), how="left", indicator=True)
        days = marked.loc[marked["_merge"] == "left_only", ["service_id", "date"]]
    days = days.astype({"service_id": "string", "date": "datetime64[us]"})
    return days.drop_duplicates().sort_values(["date", "service_id"]).reset_index(drop=True)


def feed_period(days: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last date on which any service runs."""
    return days["date"].min(), days["date"].max()


def main_period(
    days: pd.DataFrame, trips: pd.DataFrame, min_share: float = 0.05
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last date with at least ``min_share`` of the busiest day's trips.

    Calendars often start long before a feed is used (a few services of the Astuce
    snapshot date from 2022); this leaves out such thin tails.
    """
    per_service = trips.groupby("service_id").size().rename("trips")
    totals = days.join(per_service, on="service_id").groupby("date")["trips"].sum()
    busy = totals[totals >= min_share * totals.max()].index
    return busy.min(), busy.max()


def typical_period(
    reference: date | str,
    weeks: int = 4,
    within: tuple[pd.Timestamp, pd.Timestamp] | None = None,
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Whole weeks (Monday to Sunday) starting with the week of ``reference``.

    With ``within`` (e.g. :func:`main_period`), the reference is first moved inside it
    and the weeks are moved earlier if they would run past its end.
    """
    day = pd.Timestamp(reference).normalize()
    if within is not None:
        day = min(max(day, within[0]), within[1] - timedelta(days=7 * weeks - 1))
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=7 * weeks - 1)


DAY_TYPE_CHOICES = [
    ("Semaine (lundi–vendredi)", "Semaine"),
    ("Samedi", "Samedi"),
    ("Dimanche", "Dimanche"),
]
"""Drop-down choices (French label, parameter value) for the day type."""


def mode_choices(lines: pd.DataFrame) -> list[tuple[str, str]]:
    """Drop-down choices for the mode: « Tous » then the modes the feed has."""
    present = [m for m in MODES if m in set(lines["mode"])]
    return [("Tous (hors ascenseurs)", ALL_MODES)] + [(m, m) for m in present]


def line_choices(lines: pd.DataFrame, mode: str = ALL_MODES) -> list[tuple[str, str]]:
    """Drop-down choices for the line: « Toutes » then « T4 · Marie Curie ↔ Zénith »…"""
    chosen = select_routes(lines, mode)
    return [("Toutes les lignes", ALL_LINES)] + [
        (f"{short} · {str(long).replace(' <> ', ' ↔ ')}" if long else str(short), str(short))
        for short, long in zip(
            chosen["route_short_name"], chosen["route_long_name"].fillna(""), strict=True
        )
    ]


def day_type(dates: pd.Series | pd.DatetimeIndex) -> pd.Series:
    """``Semaine``, ``Samedi`` or ``Dimanche`` for each date."""
    weekday = pd.Series(pd.DatetimeIndex(dates).day_of_week)
    return weekday.map(lambda d: DAY_TYPES[max(d - 4, 0)]).astype("string")


def daily_trips(
    trips: pd.DataFrame, days: pd.DataFrame, start: date | str, end: date | str
) -> pd.DataFrame:
    """Trips per line and date: index route_id, one column per date of [start, end].

    Every line of ``trips`` and every date is present; days without service hold 0.
    """
    dates = pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq="D")
    per_service = trips.groupby(["route_id", "service_id"]).size().rename("trips").reset_index()
    running = days[days["date"].between(dates[0], dates[-1])] if len(dates) else days.iloc[:0]
    counts = per_service.merge(running, on="service_id").pivot_table(
        index="route_id", columns="date", values="trips", aggfunc="sum", fill_value=0
    )
    routes = pd.Index(sorted(trips["route_id"].unique()), name="route_id")
    counts = counts.reindex(index=routes, columns=dates, fill_value=0).astype("int64")
    counts.columns.name = "date"
    return counts


def trips_by_day_type(
    trips: pd.DataFrame, days: pd.DataFrame, start: date | str, end: date | str
) -> pd.DataFrame:
    """Average trips per day of each day type over [start, end], per line.

    Columns are ``DAY_TYPES``; the average is over every date of that type in the
    period, days without service counting as 0.
    """
    counts = daily_trips(trips, days, start, end)
    types = day_type(pd.DatetimeIndex(counts.columns))
    table = pd.DataFrame(
        {kind: counts.loc[:, (types == kind).to_numpy()].mean(axis=1) for kind in DAY_TYPES},
        index=counts.index,
    )
    return table.fillna(0.0)


def trips_on_date(trips: pd.DataFrame, days: pd.DataFrame, on: date | str) -> pd.Series:
    """Trips of each line on one date (0 for lines that do not run)."""
    return daily_trips(trips, days, on, on).iloc[:, 0].rename("trips")


def stations(stops: pd.DataFrame) -> pd.DataFrame:
    """One row per station: parent stations, and stops that have no parent.

    Columns: station_id, name, lat, lon, platforms (stops where one boards: child
    stops, or the stop itself when it has no parent),
    wheelchair (True when a platform is accessible, False when all say they are not,
    NA when the feed does not tell).
    """
    is_station = stops["location_type"].fillna(0).eq(1) | stops["parent_station"].isna()
    table = stops.loc[is_station, ["stop_id", "stop_name", "stop_lat", "stop_lon"]]
    table = table.rename(
        columns={"stop_id": "station_id", "stop_name": "name", "stop_lat": "lat", "stop_lon": "lon"}
    )
    boarding = stops[stops["location_type"].fillna(0).eq(0)]  # platforms, and lone stops
    flags = boarding["wheelchair_boarding"].fillna(0)
    by_station = platform_station(boarding)
    summary = pd.DataFrame(
        {
            "platforms": by_station.value_counts(),
            "accessible": flags.eq(1).groupby(by_station).any(),
            "refused": flags.eq(2).groupby(by_station).all(),
        }
    )
    table = table.merge(summary, left_on="station_id", right_index=True, how="left")
    table["platforms"] = table["platforms"].fillna(0).astype("int64")
    wheelchair = pd.Series(pd.NA, index=table.index, dtype="boolean")
    wheelchair[table["refused"].eq(True)] = False
    wheelchair[table["accessible"].eq(True)] = True
    table["wheelchair"] = wheelchair
    table = table.drop(columns=["accessible", "refused"])
    return table.sort_values("name").reset_index(drop=True)


def platform_station(stops: pd.DataFrame) -> pd.Series:
    """Station of each stop (its parent_station, or itself), indexed like ``stops``."""
    return stops["parent_station"].fillna(stops["stop_id"]).astype("string")


def _normalise(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).strip()


def terminus_stations(trips: pd.DataFrame, stops: pd.DataFrame) -> pd.DataFrame:
    """(route_id, station_id) pairs of the termini named by trip headsigns.

    A headsign reads ``<stop name> <COMMUNE>`` (``Boulingrin ROUEN``), sometimes after a
    ``|``. The longest stop name it starts with gives the station; names shared by
    several stations are skipped rather than guessed.
    """
    names: dict[str, set[str]] = {}
    for name, station in zip(stops["stop_name"], platform_station(stops), strict=True):
        if isinstance(name, str) and name.strip():
            names.setdefault(_normalise(name), set()).add(station)
    pairs = []
    for route_id, headsign in (
        trips[["route_id", "trip_headsign"]].drop_duplicates().itertuples(index=False)
    ):
        if not isinstance(headsign, str):
            continue
        text = _normalise(headsign.split("|")[-1])
        matches = [n for n in names if text == n or text.startswith(n + " ")]
        if matches and len(found := names[max(matches, key=len)]) == 1:
            pairs.append((route_id, next(iter(found))))
    frame = pd.DataFrame(pairs, columns=["route_id", "station_id"], dtype="string")
    return frame.drop_duplicates().reset_index(drop=True)


def _ordered(values: Iterable[str], order: Iterable[str]) -> tuple[str, ...]:
    rank = {value: i for i, value in enumerate(order)}
    return tuple(sorted(set(values), key=lambda v: (rank.get(v, len(rank)), v)))


def station_modes(
    stops: pd.DataFrame,
    routes: pd.DataFrame,
    trips: pd.DataFrame,
    stop_times: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Stations with the modes and lines known to serve them.

    With ``stop_times`` every line calling at a platform counts for its station.
    Without it (partial feed) only termini named by headsigns and stations whose name
    tells the mode (lifts, river piers) are known. Columns: those of :func:`stations`,
    plus ``modes`` and ``lines`` (tuples), ``mode`` (main mode, or ``UNKNOWN_MODE``),
    ``route_ids`` (tuple) and ``basis`` (``horaires``, ``terminus``, ``nom`` or ``""``).
    """
    table = stations(stops)
    lines = routes_with_modes(routes).set_index("route_id")
    if stop_times is not None:
        served = (
            stop_times[["trip_id", "stop_id"]]
            .drop_duplicates()
            .merge(trips[["trip_id", "route_id"]], on="trip_id")
        )
        station_of = dict(zip(stops["stop_id"], platform_station(stops), strict=True))
        served = served.assign(station_id=served["stop_id"].map(station_of))
        pairs, basis = served[["route_id", "station_id"]].drop_duplicates(), "horaires"
    else:
        pairs, basis = terminus_stations(trips, stops), "terminus"
    pairs = pairs[pairs["route_id"].isin(lines.index)]
    served_by: dict[str, list[str]] = {}
    for route_id, station_id in pairs.itertuples(index=False):
        served_by.setdefault(str(station_id), []).append(str(route_id))
    order = list(lines.index)
    table["route_ids"] = [_ordered(served_by.get(s, ()), order) for s in table["station_id"]]
    short_name, mode_of = dict(lines["route_short_name"]), dict(lines["mode"])
    table["lines"] = [tuple(short_name[r] for r in ids) for ids in table["route_ids"]]
    modes = [_ordered((mode_of[r] for r in ids), MODES) for ids in table["route_ids"]]
    by_name = [_name_mode(name) for name in table["name"]]
    table["modes"] = [
        m if m or named is None else (named,) for m, named in zip(modes, by_name, strict=True)
    ]
    table["mode"] = [m[0] if m else UNKNOWN_MODE for m in table["modes"]]
    table["basis"] = [
        basis if r else ("nom" if m else "")
        for r, m in zip(table["route_ids"], table["modes"], strict=True)
    ]
    log.debug(
        "modes known for %d of %d stations (%s)", (table["basis"] != "").sum(), len(table), basis
    )
    return table


class ServiceLevels:
    """Trips per line of a feed, computed once, then read for any selection.

    Parameters
    ----------
    routes, trips, calendar, calendar_dates
        Tables of the feed.
    reference
        Date the typical period starts from (the data's date); weeks: its length.
    """

    def __init__(
        self,
        routes: pd.DataFrame,
        trips: pd.DataFrame,
        calendar: pd.DataFrame,
        calendar_dates: pd.DataFrame | None = None,
        *,
        reference: date | str | None = None,
        weeks: int = 4,
    ) -> None:
        self.lines = routes_with_modes(routes)
        self.days = service_days(calendar, calendar_dates)
        self.period = main_period(self.days, trips)
        self.typical = typical_period(reference or self.period[0], weeks, within=self.period)
        self.by_day_type = trips_by_day_type(trips, self.days, *self.typical)
        self.daily = daily_trips(trips, self.days, *self.period)
        log.info("service levels: period %s–%s, typical %s–%s", *self.period, *self.typical)

    def check_date(self, on: date | str) -> pd.Timestamp:
        """``on`` as a Timestamp; ValueError (French) outside the period of the feed."""
        try:
            day = pd.Timestamp(on).normalize()
        except ValueError:
            raise ValueError(f"« {on} » n'est pas une date (format attendu AAAA-MM-JJ).") from None
        first, last = (d.date().isoformat() for d in self.period)
        if not self.period[0] <= day <= self.period[1]:
            raise ValueError(
                f"Le {day.date()} est hors de la période du fichier ({first} au {last})."
            )
        return day

    def per_line(
        self, route_ids: Iterable[str], kind: str = DAY_TYPES[0], on: date | str | None = None
    ) -> pd.Series:
        """Trips per line: average for day type ``kind``, or the count on date ``on``."""
        ids = list(route_ids)
        if on:
            return self.daily.loc[ids, self.check_date(on)].astype(float).rename("trips")
        return self.by_day_type.loc[ids, kind].rename("trips")

    def per_day(self, route_ids: Iterable[str]) -> pd.DataFrame:
        """Total trips of the lines for every date of the period (columns date, trips)."""
        totals = self.daily.loc[list(route_ids)].sum(axis=0)
        return pd.DataFrame({"date": totals.index, "trips": totals.to_numpy()})

    def per_week(self, route_ids: Iterable[str]) -> pd.DataFrame:
        """Total trips of the lines per whole week of the period (columns date = Monday, trips)."""
        days = self.per_day(route_ids).set_index("date")["trips"]
        first = days.index[0] + timedelta(days=(7 - days.index[0].weekday()) % 7)
        last = days.index[-1] - timedelta(days=(days.index[-1].weekday() + 1) % 7)
        weeks = days[first:last].resample("W-MON", label="left", closed="left").sum()
        return pd.DataFrame({"date": weeks.index, "trips": weeks.to_numpy()})
