"""What the bike-counter dashboard shows for one counter (or all) and one period.

:class:`CounterData` loads the counters once and keeps what every choice needs: the
complete days (:class:`~analyses.counters.DailyCounts`) and an hour-by-hour cube of those
days, so that a visitor's change only slices arrays instead of regrouping the hourly
rows (about 1 million of them). :meth:`CounterData.view` gives the figures of a choice;
drawing them is :mod:`widgets.counter_board`'s job. Pure computations: no widget, no
colour, no HTML.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from rouen_opendata.formatting import format_date

from . import counters

log = logging.getLogger(__name__)


def hour_cube(hourly: pd.DataFrame, daily: counters.DailyCounts) -> np.ndarray:
    """Bikes per day × counter × hour (0–23), NaN on days that are not complete.

    The repeated hour of the autumn clock change counts in its hour; the spring day has
    no 2 o'clock (0 there), as in :func:`analyses.counters.week_hour_profile`.
    """
    days, ids = daily.days, daily.counts.columns
    cube = np.zeros((len(days), len(ids), 24))
    if len(days) == 0:
        return cube
    day = hourly["date"].dt.normalize()
    d = days.get_indexer(day)
    c = ids.get_indexer(hourly["id"].astype(str))
    keep = (d >= 0) & (c >= 0)
    hours = hourly["date"].dt.hour.to_numpy()
    np.add.at(cube, (d[keep], c[keep], hours[keep]), hourly["counts"].to_numpy(float)[keep])
    cube[daily.counts.isna().to_numpy()] = np.nan
    return cube


def cube_week_hour_profile(cube: np.ndarray, weekdays: np.ndarray) -> pd.DataFrame:
    """7 × 24 bikes per hour on an average Monday … Sunday, from a slice of
    :func:`hour_cube` (its days' ``weekdays``): each counter's mean over its complete
    days of that weekday, summed over counters (0 where none reported)."""
    profile = np.zeros((7, 24))
    for weekday in range(7):
        block = cube[weekdays == weekday]
        reported = ~np.isnan(block[:, :, 0])
        days = reported.sum(axis=0)
        sums = np.nansum(block, axis=0)
        used = days > 0
        profile[weekday] = (sums[used] / days[used][:, None]).sum(axis=0)
    return pd.DataFrame(profile, index=range(7), columns=range(24))


def no_data_note(daily: counters.DailyCounts, ids: list[str], start, end) -> str:
    """A French sentence when none of the chosen counters was in service yet."""
    idle = counters.not_in_service(daily, ids, start, end)
    if not ids or len(idle) < len(ids):
        return ""
    if len(ids) > 1:
        return "Aucun de ces compteurs n'était encore installé : pas de données sur cette période."
    since = idle.iloc[0]
    when = f" : il compte depuis le {format_date(since)}" if pd.notna(since) else ""
    return f"Ce compteur n'a pas de données sur cette période{when}."


@dataclass
class CounterData:
    """The counters, their complete days and their hours, computed once at load.

    Attributes
    ----------
    sites
        One row per counter with counts, indexed by id (``name``, ``commune``, ``lat``…).
    hourly
        The hourly rows as loaded.
    daily
        Complete days (:class:`~analyses.counters.DailyCounts`).
    cube
        :func:`hour_cube` of ``daily``.
    """

    sites: pd.DataFrame
    hourly: pd.DataFrame
    daily: counters.DailyCounts
    cube: np.ndarray

    @classmethod
    def from_frames(cls, sites: pd.DataFrame, hourly: pd.DataFrame) -> CounterData:
        """From the ``eco-counter-sites`` and ``eco-counter-data`` snapshots."""
        sites = sites.assign(id=sites["id"].astype(str))
        daily = counters.DailyCounts.from_hourly(hourly, sites.set_index("id")["installation_date"])
        sites = sites[sites["id"].isin(daily.counts.columns)].set_index("id", drop=False)
        log.info("%d counters, %d days", len(sites), len(daily.days))
        return cls(sites, hourly, daily, hour_cube(hourly, daily))

    @property
    def first_day(self) -> pd.Timestamp:
        return self.daily.days[0]

    @property
    def last_day(self) -> pd.Timestamp:
        return self.daily.days[-1]

    def check_day(self, text: str) -> str:
        """``text`` if it is a day of the data or empty (its ends); French ``ValueError``."""
        counters.parse_day(text, self.first_day, self.last_day, "Période", empty=self.first_day)
        return text

    def view(self, values: dict[str, Any]) -> dict[str, Any]:
        """Every figure the dashboard shows for ``compteur``, ``debut`` and ``fin``."""
        start, end, note = counters.period(
            values["debut"], values["fin"], self.first_day, self.last_day, "Période"
        )
        ids = counters.counter_ids(self.sites, values["compteur"], self.daily.counts.columns)
        keep = (self.daily.days >= start) & (self.daily.days <= end)
        period = counters.DailyCounts(self.daily.counts.loc[keep], self.daily.active.loc[keep])
        chosen = period.select(ids)
        weekly = len(period.days) > counters.WEEKLY_FROM_DAYS
        days = counters.total_series(chosen)
        gaps = counters.outages(chosen)
        gaps["name"] = gaps["id"].map(self.sites["name"])
        per_counter = self.sites[["name", "commune", "lat", "lon"]].assign(
            mean=counters.mean_per_day(period),
            reported=period.reported(),
            missing=period.missing.sum(),
        )
        columns = self.daily.counts.columns.get_indexer(ids)
        hours = self.cube[np.flatnonzero(keep)][:, columns]
        one = values["compteur"] != counters.ALL_COUNTERS
        return {
            "start": start,
            "end": end,
            "note": " ".join(t for t in (note, no_data_note(self.daily, ids, start, end)) if t),
            "ids": ids,
            "one": one,
            "chosen": ids[0] if one and ids else None,
            "weekly": weekly,
            "series": counters.total_series(chosen, weekly=weekly),
            "days": days,
            "records": counters.extreme_days(days),
            "gaps": gaps,
            "per_counter": per_counter,
            "mean": per_counter.loc[ids, "mean"].sum(min_count=1),
            "weekday": counters.typical_day(chosen, weekend=False),
            "weekend": counters.typical_day(chosen, weekend=True),
            "profile": counters.weekday_profile(chosen),
            "hours": cube_week_hour_profile(hours, period.days.day_of_week.to_numpy()),
            "yoy": counters.year_on_year(self.daily.select(ids), start, end),
            "missing": int(chosen.missing.to_numpy().sum()),
            "expected": int(chosen.active.to_numpy().sum()),
        }
