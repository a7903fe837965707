"""Service days of a GTFS feed, its periods, and trips per line and day."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, timedelta

import pandas as pd

from .modes import routes_with_modes

log = logging.getLogger(__name__)

DAY_TYPES = ("Semaine", "Samedi", "Dimanche")
"""Day types: Monday–Friday, Saturday, Sunday (public holidays count by weekday)."""
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


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
        """Trips per line: average for day type ``kind``, or the count on date ``on``
        (0 for a line the feed gives no trip)."""
        ids = list(route_ids)
        if on:
            day = self.check_date(on)
            return self.daily.reindex(ids, fill_value=0)[day].astype(float).rename("trips")
        return self.by_day_type.reindex(ids, fill_value=0.0)[kind].rename("trips")

    def per_day(self, route_ids: Iterable[str]) -> pd.DataFrame:
        """Total trips of the lines for every date of the period (columns date, trips)."""
        totals = self.daily.reindex(list(route_ids), fill_value=0).sum(axis=0)
        return pd.DataFrame({"date": totals.index, "trips": totals.to_numpy()})

    def per_week(self, route_ids: Iterable[str]) -> pd.DataFrame:
        """Total trips of the lines per whole week of the period (columns date = Monday, trips)."""
        days = self.per_day(route_ids).set_index("date")["trips"]
        first = days.index[0] + timedelta(days=(7 - days.index[0].weekday()) % 7)
        last = days.index[-1] - timedelta(days=(days.index[-1].weekday() + 1) % 7)
        weeks = days[first:last].resample("W-MON", label="left", closed="left").sum()
        return pd.DataFrame({"date": weeks.index, "trips": weeks.to_numpy()})
