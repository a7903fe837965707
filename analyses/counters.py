"""Bike counters: complete days, outages, profiles, year-on-year change, record days.

Hourly counts (``load_dataset("eco-counter-data")``: ``id``, ``name``, ``date`` in naive
Europe/Paris local time, ``counts``) become a day × counter table (:class:`DailyCounts`)
where a day holds a number only when the counter reported every hour of it (23 or 25
hours on daylight-saving days). Any other day is missing: never a zero, never filled in.
Every figure below is computed from reported days only, and says how many it used.

Totals over several counters are only *complete* on days when every counter in service
reported; :func:`total_series` keeps the incomplete totals apart so a chart can show
them off the line. Averages over a period (:func:`mean_per_day`, :func:`weekday_profile`,
:func:`week_hour_profile`) are sums over counters of each counter's mean on its own
reported days. Year-on-year change (:func:`year_on_year`) pairs each day with the same
weekday 52 weeks earlier, for the same counter, and keeps only pairs with both days.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

log = logging.getLogger(__name__)

TIME_ZONE = "Europe/Paris"
"""Time zone of the naive local timestamps of the counts."""
ALL_COUNTERS = "Tous"
"""Parameter value meaning « every counter »."""
YEAR_SHIFT = pd.Timedelta(days=364)
"""A year back on the same weekday (52 weeks), for year-on-year comparisons."""
WEEKLY_FROM_DAYS = 120
"""Periods longer than this many days are drawn week by week."""
WEEKDAYS = 5
"""Days 0–4 (Monday–Friday) are weekdays, 5–6 the weekend."""


def hours_in_day(days: pd.DatetimeIndex) -> np.ndarray:
    """Hours in each local day: 24, or 23 and 25 on daylight-saving change days."""
    start = days.tz_localize(TIME_ZONE)
    end = (days + pd.Timedelta(days=1)).tz_localize(TIME_ZONE)
    return ((end - start) / pd.Timedelta(hours=1)).to_numpy(dtype=float)


@dataclass(frozen=True)
class DailyCounts:
    """Bikes counted per day and counter, with the days each counter should have counted.

    Attributes
    ----------
    counts
        Day (every day of the span, midnight timestamps) × counter id; NaN when the
        counter did not report every hour of the day.
    active
        Same shape, True from the counter's first day in service (installation date,
        else first reported day): only those days can be missing.
    """

    counts: pd.DataFrame
    active: pd.DataFrame

    @classmethod
    def from_hourly(
        cls, hourly: pd.DataFrame, installed: Mapping[str, object] | pd.Series | None = None
    ) -> DailyCounts:
        """Sum hourly rows into complete days.

        Parameters
        ----------
        hourly
            Rows with ``id``, ``date`` (naive local time) and ``counts``.
        installed
            Counter id → installation date; days before it are not missing. Counters
            absent from it start at their first reported day.
        """
        day = hourly["date"].dt.normalize().rename("day")
        ids = hourly["id"].astype(str).rename("id")
        grouped = hourly["counts"].astype("float64").groupby([day, ids]).agg(["sum", "size"])
        sums, sizes = grouped["sum"].unstack(), grouped["size"].unstack()
        if sums.empty:
            empty = pd.DataFrame(index=pd.DatetimeIndex([], name="day"))
            return cls(empty, empty.astype(bool))
        days = pd.date_range(sums.index.min(), sums.index.max(), freq="D", name="day")
        sums, sizes = sums.reindex(days), sizes.reindex(days).fillna(0)
        complete = sizes.ge(hours_in_day(days)[:, None])
        counts = sums.where(complete)
        first = sizes.gt(0).idxmax()
        starts = pd.Series(installed if installed is not None else {}, dtype="object")
        starts = pd.to_datetime(starts.reindex(first.index), errors="coerce").dt.normalize()
        starts = starts.fillna(first)
        active = pd.DataFrame(
            days.to_numpy()[:, None] >= starts.to_numpy(dtype="datetime64[ns]")[None, :],
            index=days,
            columns=counts.columns,
        )
        incomplete = int((sizes.gt(0) & ~complete).to_numpy().sum())
        if incomplete:
            log.info("%d counter-days with some hours missing treated as missing", incomplete)
        return cls(counts.sort_index(axis=1), active.sort_index(axis=1))

    @property
    def missing(self) -> pd.DataFrame:
        """True where a counter in service has no complete count."""
        return self.active & self.counts.isna()

    @property
    def days(self) -> pd.DatetimeIndex:
        return self.counts.index

    def between(self, start: pd.Timestamp, end: pd.Timestamp) -> DailyCounts:
        """Days from ``start`` to ``end`` included."""
        keep = (self.days >= start) & (self.days <= end)
        return DailyCounts(self.counts.loc[keep], self.active.loc[keep])

    def select(self, ids: Iterable[str]) -> DailyCounts:
        """Only the counters ``ids``."""
        ids = list(ids)
        return DailyCounts(self.counts[ids], self.active[ids])

    def reported(self) -> pd.Series:
        """Complete days per counter."""
        return self.counts.notna().sum().astype("int64")


def parse_day(
    text: str,
    first: pd.Timestamp,
    last: pd.Timestamp,
    label: str,
    *,
    empty: pd.Timestamp | None = None,
) -> pd.Timestamp:
    """An ISO date within [first, last]; ``ValueError`` in French otherwise.

    An empty ``text`` gives ``empty`` when it is given (refused otherwise).
    """
    if empty is not None and not str(text).strip():
        return empty
    try:
        day = pd.Timestamp(date.fromisoformat(str(text).strip()))
    except ValueError:
        raise ValueError(
            f"« {text} » n'est pas une date pour « {label} » (format attendu : AAAA-MM-JJ)"
        ) from None
    if not first <= day <= last:
        raise ValueError(
            f"Le {day.date().isoformat()} est hors de la période des données pour « {label} » "
            f"({first.date().isoformat()} au {last.date().isoformat()})"
        )
    return day


def ordered_period(
    start: pd.Timestamp, end: pd.Timestamp
) -> tuple[pd.Timestamp, pd.Timestamp, str]:
    """(start, end, French note): dates given in the wrong order are swapped, and said so."""
    if start <= end:
        return start, end, ""
    return end, start, "la date de début était après la date de fin : les deux ont été inversées."


def period(
    start: str, end: str, first: pd.Timestamp, last: pd.Timestamp, label: str
) -> tuple[pd.Timestamp, pd.Timestamp, str]:
    """(start, end, French note) of a period given as ISO dates within [first, last].

    An empty start means ``first``, an empty end ``last`` (the ends of the data); dates
    in the wrong order are swapped and said so (:func:`ordered_period`).
    """
    return ordered_period(
        parse_day(start, first, last, label, empty=first),
        parse_day(end, first, last, label, empty=last),
    )


def counter_choices(sites: pd.DataFrame) -> list[str]:
    """``Tous`` then the counter names in alphabetical order."""
    return [ALL_COUNTERS, *sorted(sites["name"].dropna().astype(str).unique())]


def counter_ids(sites: pd.DataFrame, name: str, known: Iterable[str]) -> list[str]:
    """Ids of the counter named ``name`` (every known id for ``Tous``)."""
    known = list(known)
    if name == ALL_COUNTERS:
        return known
    ids = sites.loc[sites["name"].astype(str) == name, "id"].astype(str)
    return [i for i in ids if i in set(known)]


def first_service_day(data: DailyCounts) -> pd.Series:
    """Counter id → its first day in service in ``data`` (NaT when in service on none)."""
    if data.active.empty:
        return pd.Series(pd.NaT, index=data.counts.columns, dtype="datetime64[ns]")
    return data.active.idxmax().where(data.active.any()).astype("datetime64[ns]")


def not_in_service(
    data: DailyCounts, ids: Iterable[str], start: pd.Timestamp, end: pd.Timestamp
) -> pd.Series:
    """Counters of ``ids`` in service on no day of [start, end] (installed later): id →
    first day in service in ``data`` (NaT when none). Such a counter has nothing to show
    for the period, and no missing day either."""
    chosen = data.select(ids)
    idle = ~chosen.between(start, end).active.any()
    return first_service_day(chosen)[idle[idle].index]


def total_series(daily: DailyCounts, weekly: bool = False) -> pd.DataFrame:
    """Total of the counters per day (or per Monday-starting week).

    Returns
    -------
    pandas.DataFrame
        Columns ``date`` (day, or Monday of the week), ``total`` (sum of what was
        reported; NaN when nothing was), ``complete`` (every counter in service reported
        every day, and for a week all 7 days lie in the table), ``missing`` (missing
        counter-days).
    """
    frame = pd.DataFrame(
        {
            "total": daily.counts.sum(axis=1, min_count=1),
            "missing": daily.missing.sum(axis=1),
            "in_table": 1,
        },
        index=daily.days,
    )
    if weekly:
        week = (daily.days - pd.to_timedelta(daily.days.day_of_week, unit="D")).rename("date")
        frame = frame.groupby(week).agg(
            total=("total", lambda s: s.sum(min_count=1)),
            missing=("missing", "sum"),
            in_table=("in_table", "sum"),
        )
    frame["complete"] = frame["missing"].eq(0) & frame["in_table"].eq(7 if weekly else 1)
    frame["complete"] &= frame["total"].notna()
    frame.index.name = "date"
    return frame.reset_index()[["date", "total", "complete", "missing"]]


def outages(daily: DailyCounts) -> pd.DataFrame:
    """Runs of consecutive missing days: columns ``id``, ``start``, ``end``, ``days``.

    Sorted by counter then start date.
    """
    gaps = daily.missing.to_numpy()
    edges = np.diff(np.pad(gaps.T.astype(np.int8), ((0, 0), (1, 1))), axis=1)
    counter, first = np.nonzero(edges == 1)  # row-major: by counter, then by day
    _, after = np.nonzero(edges == -1)
    days = daily.days
    rows = {
        "id": daily.counts.columns[counter],
        "start": days[first],
        "end": days[after - 1],
        "days": after - first,
    }
    return pd.DataFrame(rows, columns=["id", "start", "end", "days"]).astype({"days": "int64"})


def mean_per_day(daily: DailyCounts) -> pd.Series:
    """Mean bikes per reported day, per counter (NaN for a counter with no such day)."""
    return daily.counts.mean()


def typical_day(daily: DailyCounts, weekend: bool) -> float | None:
    """Bikes on an average weekday (or weekend day), all selected counters together.

    The sum over counters of each counter's mean on its reported days of that kind;
    None when no counter reported such a day.
    """
    kind = (daily.days.day_of_week >= WEEKDAYS) == weekend
    means = daily.counts.loc[kind].mean().dropna()
    return float(means.sum()) if len(means) else None


def weekday_profile(daily: DailyCounts) -> pd.Series:
    """Bikes on an average Monday … Sunday (index 0–6), counters summed as in
    :func:`typical_day`; NaN for a weekday no counter reported."""
    means = daily.counts.groupby(daily.days.day_of_week).mean()
    profile = means.sum(axis=1, min_count=1).reindex(range(7))
    return profile.rename("bikes")


def week_hour_profile(hourly: pd.DataFrame, daily: DailyCounts) -> pd.DataFrame:
    """Bikes per hour on an average Monday … Sunday: 7 × 24 (rows 0 = lundi, hours 0–23).

    For each counter, counts of its complete days in ``daily`` are summed per weekday and
    hour and divided by its number of complete days of that weekday; counters are then
    summed. Each row therefore adds up to :func:`weekday_profile`. The repeated hour of
    the autumn clock change counts in its hour; the spring day has no 2 o'clock.
    """
    stacked = daily.counts.stack().dropna().index  # (day, id) pairs with a complete count
    empty = pd.DataFrame(0.0, index=range(7), columns=range(24))
    if len(stacked) == 0:
        return empty
    pairs = pd.DataFrame({"day": stacked.get_level_values(0), "id": stacked.get_level_values(1)})
    rows = hourly.loc[
        hourly["id"].astype(str).isin(daily.counts.columns)
        & hourly["date"].between(daily.days[0], daily.days[-1] + pd.Timedelta(days=1)),
        ["id", "date", "counts"],
    ]
    rows = rows.assign(id=rows["id"].astype(str), day=rows["date"].dt.normalize())
    rows = rows.merge(pairs, on=["day", "id"], how="inner")
    sums = (
        rows["counts"]
        .astype("float64")
        .groupby([rows["id"], rows["day"].dt.day_of_week, rows["date"].dt.hour])
        .sum()
    )
    days = pairs.groupby([pairs["id"], pairs["day"].dt.day_of_week]).size()
    means = sums / days.reindex(sums.index.droplevel(2)).to_numpy()
    profile = means.groupby(level=[1, 2]).sum().unstack(fill_value=0.0)
    return profile.reindex(index=range(7), columns=range(24), fill_value=0.0).astype(float)


@dataclass(frozen=True)
class YearOnYear:
    """Change against the same weekday 52 weeks earlier, on days both years reported.

    Attributes
    ----------
    current, previous
        Bikes counted on the paired days, this period and a year earlier.
    pairs
        Counter-days compared (a day of one counter with its day a year earlier).
    days
        Distinct days of the period that have at least one pair.
    monthly
        Per month of the period (``month`` = first day): ``current``, ``previous``,
        ``change``, ``pairs``.
    """

    current: float
    previous: float
    pairs: int
    days: int
    monthly: pd.DataFrame

    @property
    def change(self) -> float | None:
        """Relative change (0.05 = +5 %); None without comparable days."""
        return self.current / self.previous - 1 if self.previous > 0 else None


def year_on_year(data: DailyCounts, start: pd.Timestamp, end: pd.Timestamp) -> YearOnYear:
    """Year-on-year change of the counters of ``data`` over [start, end].

    ``data`` must reach a year before ``start`` for the earlier days to be found: give
    the whole table, not the period only.
    """
    now = data.counts.loc[(data.days >= start) & (data.days <= end)]
    before = data.counts.reindex(now.index - YEAR_SHIFT)
    before.index = now.index
    both = now.notna() & before.notna()
    current = now.where(both).sum(axis=1)
    previous = before.where(both).sum(axis=1)
    pairs = both.sum(axis=1)
    month = now.index.to_period("M").to_timestamp()
    monthly = pd.DataFrame({"current": current, "previous": previous, "pairs": pairs})
    monthly = monthly.groupby(month).sum()
    monthly = monthly[monthly["pairs"] > 0]
    monthly["change"] = monthly["current"] / monthly["previous"].where(monthly["previous"] > 0) - 1
    monthly.index.name = "month"
    return YearOnYear(
        current=float(current.sum()),
        previous=float(previous.sum()),
        pairs=int(pairs.sum()),
        days=int((pairs > 0).sum()),
        monthly=monthly.reset_index()[["month", "current", "previous", "change", "pairs"]],
    )


def extreme_days(total: pd.DataFrame, n: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(best, worst) complete days of a :func:`total_series` frame, ``n`` each."""
    complete = total[total["complete"]]
    best = complete.sort_values(["total", "date"], ascending=[False, True], kind="stable")
    worst = complete.sort_values(["total", "date"], ascending=[True, True], kind="stable")
    return best.head(n).reset_index(drop=True), worst.head(n).reset_index(drop=True)
