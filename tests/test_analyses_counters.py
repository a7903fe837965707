"""Bike counter computations: missing days stay missing, comparisons use common days only."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analyses import counters


def _hourly(counter: str, days: list[str], per_hour: float = 1.0, skip: dict | None = None):
    """Hourly rows of one counter (``per_hour`` bikes each hour) on local ``days``.

    ``skip`` maps a day to the hours left out. Daylight-saving days get 23 or 25 rows,
    the autumn 2 o'clock twice, as the portal's naive local timestamps do.
    """
    rows = []
    for day in days:
        start = pd.Timestamp(day).tz_localize(counters.TIME_ZONE)
        end = (pd.Timestamp(day) + pd.Timedelta(days=1)).tz_localize(counters.TIME_ZONE)
        hours = pd.date_range(start, end, freq="h", inclusive="left")
        for stamp in hours.tz_convert(counters.TIME_ZONE).tz_localize(None):
            if stamp.hour in (skip or {}).get(day, ()):
                continue
            rows.append((counter, f"Compteur {counter}", stamp, per_hour))
    frame = pd.DataFrame(rows, columns=["id", "name", "date", "counts"])
    return frame.astype({"counts": "Int64"})


def _days(start: str, count: int) -> list[str]:
    return [d.date().isoformat() for d in pd.date_range(start, periods=count)]


def test_hours_in_day_know_the_clock_changes():
    days = pd.DatetimeIndex(["2024-03-30", "2024-03-31", "2024-10-27", "2024-10-28"])
    assert list(counters.hours_in_day(days)) == [24.0, 23.0, 25.0, 24.0]


def test_a_day_counts_only_when_every_hour_is_there():
    hourly = pd.concat(
        [
            _hourly("A", ["2024-10-26", "2024-10-27", "2024-10-29"]),  # 28 missing
            _hourly("B", _days("2024-10-26", 4), 2.0, skip={"2024-10-29": (13,)}),
        ]
    )
    daily = counters.DailyCounts.from_hourly(hourly)
    assert list(daily.days.strftime("%d")) == ["26", "27", "28", "29"]
    assert daily.counts.loc["2024-10-27", "A"] == 25.0  # clock change: 25 hours, complete
    assert daily.counts.loc["2024-10-26", "B"] == 48.0
    assert np.isnan(daily.counts.loc["2024-10-28", "A"])  # no row at all
    assert np.isnan(daily.counts.loc["2024-10-29", "B"])  # one hour missing: not 46
    assert daily.missing.to_numpy().sum() == 2
    assert list(daily.reported()) == [3, 3]


def test_days_before_installation_are_not_missing():
    hourly = pd.concat([_hourly("A", _days("2024-01-01", 5)), _hourly("B", _days("2024-01-04", 2))])
    daily = counters.DailyCounts.from_hourly(hourly, {"B": "2024-01-03"})
    assert list(daily.active["B"]) == [False, False, True, True, True]
    assert list(daily.missing["B"]) == [False, False, True, False, False]
    first_seen = counters.DailyCounts.from_hourly(hourly)  # no date: first reported day
    assert first_seen.missing.to_numpy().sum() == 0


def test_totals_are_complete_only_when_every_counter_reported():
    hourly = pd.concat(
        [_hourly("A", _days("2024-01-01", 14)), _hourly("B", _days("2024-01-01", 14), 2.0)]
    )
    hourly = hourly[~((hourly["id"] == "B") & (hourly["date"].dt.day == 3))]
    daily = counters.DailyCounts.from_hourly(hourly)
    days = counters.total_series(daily)
    assert list(days.loc[days["date"].dt.day <= 3, "total"]) == [72.0, 72.0, 24.0]
    assert list(days["complete"])[:3] == [True, True, False]
    assert days.loc[2, "missing"] == 1
    weeks = counters.total_series(daily.between(pd.Timestamp("2024-01-02"), daily.days[-1]), True)
    assert list(weeks["date"].dt.strftime("%Y-%m-%d")) == ["2024-01-01", "2024-01-08"]
    assert list(weeks["complete"]) == [False, True]  # first week: 6 days and a gap
    assert weeks.loc[1, "total"] == 7 * 72.0


def test_outages_are_runs_of_missing_days():
    hourly = _hourly("A", _days("2024-01-01", 10))
    hourly = hourly[~hourly["date"].dt.day.isin([3, 4, 5, 8])]
    gaps = counters.outages(counters.DailyCounts.from_hourly(hourly))
    assert gaps.to_dict("list") == {
        "id": ["A", "A"],
        "start": [pd.Timestamp("2024-01-03"), pd.Timestamp("2024-01-08")],
        "end": [pd.Timestamp("2024-01-05"), pd.Timestamp("2024-01-08")],
        "days": [3, 1],
    }


def test_averages_use_each_counter_own_reported_days():
    # 2024-01-01 is a Monday: two weeks, with counter B down on the second Monday.
    hourly = pd.concat(
        [_hourly("A", _days("2024-01-01", 14)), _hourly("B", _days("2024-01-01", 14), 3.0)]
    )
    hourly.loc[(hourly["id"] == "A") & (hourly["date"].dt.day_of_week >= 5), "counts"] = 0
    hourly = hourly[
        ~((hourly["id"] == "B") & (hourly["date"] >= "2024-01-08"))
        | (hourly["date"] >= "2024-01-09")
    ]
    daily = counters.DailyCounts.from_hourly(hourly)
    assert counters.mean_per_day(daily).to_dict() == {
        "A": pytest.approx(24 * 10 / 14),
        "B": 72.0,
    }
    assert counters.typical_day(daily, weekend=False) == pytest.approx(24 + 72)
    assert counters.typical_day(daily, weekend=True) == pytest.approx(0 + 72)
    profile = counters.weekday_profile(daily)
    assert list(profile) == [96.0] * 5 + [72.0] * 2
    hours = counters.week_hour_profile(hourly, daily)
    assert hours.shape == (7, 24) and hours.loc[0, 8] == 4.0 and hours.loc[6, 8] == 3.0
    assert np.allclose(hours.sum(axis=1), profile)


def test_no_reported_day_gives_no_average():
    hourly = _hourly("A", _days("2024-01-01", 3))
    daily = counters.DailyCounts.from_hourly(hourly).between(
        pd.Timestamp("2024-01-06"), pd.Timestamp("2024-01-07")
    )
    assert counters.typical_day(daily, weekend=True) is None
    assert counters.week_hour_profile(hourly, daily).to_numpy().sum() == 0


def test_year_on_year_keeps_only_days_both_years_have():
    before = _hourly("A", _days("2023-01-02", 7), 1.0)  # Monday 2 January 2023…
    now = _hourly("A", _days("2024-01-01", 7), 2.0)  # …is 364 days before Monday 1 Jan 2024
    hourly = pd.concat([before, now])
    hourly = hourly[hourly["date"].dt.normalize() != pd.Timestamp("2023-01-04")]
    hourly = hourly[hourly["date"].dt.normalize() != pd.Timestamp("2024-01-06")]
    daily = counters.DailyCounts.from_hourly(hourly)
    yoy = counters.year_on_year(daily, pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-07"))
    assert yoy.pairs == 5 and yoy.days == 5  # the 3rd and the 6th of January are left out
    assert (yoy.current, yoy.previous) == (5 * 48.0, 5 * 24.0)
    assert yoy.change == pytest.approx(1.0)
    assert yoy.monthly["pairs"].tolist() == [5] and yoy.monthly["change"].tolist() == [1.0]
    nothing = counters.year_on_year(daily, pd.Timestamp("2023-01-02"), pd.Timestamp("2023-01-08"))
    assert nothing.pairs == 0 and nothing.change is None and nothing.monthly.empty


def test_record_days_are_complete_days():
    total = pd.DataFrame(
        {
            "date": pd.date_range("2024-05-01", periods=4),
            "total": [10.0, 99.0, 5.0, 50.0],
            "complete": [True, False, True, True],
            "missing": [0, 1, 0, 0],
        }
    )
    best, worst = counters.extreme_days(total, n=2)
    assert best["total"].tolist() == [50.0, 10.0] and worst["total"].tolist() == [5.0, 10.0]


def test_period_checks_speak_french():
    first, last = pd.Timestamp("2023-01-01"), pd.Timestamp("2024-12-31")
    assert counters.parse_day("2024-02-29", first, last, "Période") == pd.Timestamp("2024-02-29")
    with pytest.raises(ValueError, match="n'est pas une date pour « Période »"):
        counters.parse_day("29/02/2024", first, last, "Période")
    with pytest.raises(ValueError, match="hors de la période des données"):
        counters.parse_day("2025-01-01", first, last, "Période")
    start, end, note = counters.ordered_period(last, first)
    assert (start, end) == (first, last) and "inversées" in note
    assert counters.ordered_period(first, last)[2] == ""


def test_counter_choices_and_ids():
    sites = pd.DataFrame({"id": ["2", "1", "3"], "name": ["Pont", "Quai", "Avenue"]})
    assert counters.counter_choices(sites) == ["Tous", "Avenue", "Pont", "Quai"]
    assert counters.counter_ids(sites, "Quai", ["1", "2"]) == ["1"]
    assert counters.counter_ids(sites, "Avenue", ["1", "2"]) == []  # no data for it
    assert counters.counter_ids(sites, "Tous", ["1", "2"]) == ["1", "2"]


def test_an_empty_date_means_the_end_of_the_data():
    first, last = pd.Timestamp("2023-01-01"), pd.Timestamp("2024-12-31")
    assert counters.parse_day(" ", first, last, "Période", empty=last) == last
    with pytest.raises(ValueError, match="«  » n'est pas une date pour « Période »"):
        counters.parse_day("", first, last, "Période")  # no default for an empty date
    assert counters.period("", "", first, last, "Période") == (first, last, "")
    assert counters.period("", "2023-06-30", first, last, "Période")[:2] == (
        first,
        pd.Timestamp("2023-06-30"),
    )
    start, end, note = counters.period("2024-06-01", "", first, last, "Période")
    assert (start, end, note) == (pd.Timestamp("2024-06-01"), last, "")
    start, end, note = counters.period("2024-06-01", "2024-01-01", first, last, "Période")
    assert (start, end) == (pd.Timestamp("2024-01-01"), pd.Timestamp("2024-06-01"))
    assert "inversées" in note
    with pytest.raises(ValueError, match="hors de la période des données"):
        counters.period("2022-01-01", "", first, last, "Période")


def test_counters_not_yet_in_service_over_a_period():
    hourly = pd.concat(
        [_hourly("A", _days("2024-01-01", 10)), _hourly("B", _days("2024-01-07", 4))]
    )
    daily = counters.DailyCounts.from_hourly(hourly, {"B": "2024-01-06"})
    first = counters.first_service_day(daily)
    assert first.to_dict() == {"A": pd.Timestamp("2024-01-01"), "B": pd.Timestamp("2024-01-06")}
    early = (pd.Timestamp("2024-01-02"), pd.Timestamp("2024-01-05"))
    idle = counters.not_in_service(daily, ["B"], *early)
    assert idle.to_dict() == {"B": pd.Timestamp("2024-01-06")}
    assert counters.not_in_service(daily, ["A", "B"], *early).index.tolist() == ["B"]
    assert counters.not_in_service(daily, ["B"], *early[:1], pd.Timestamp("2024-01-06")).empty
    # installed after the last day of the data: never in service, no first day
    later = counters.DailyCounts.from_hourly(
        _hourly("C", _days("2024-01-01", 2)), {"C": "2025-01-01"}
    )
    assert counters.first_service_day(later).isna().all()
    assert counters.not_in_service(later, ["C"], *later.days[[0, -1]]).isna().all()
    empty = counters.DailyCounts.from_hourly(_hourly("A", []).astype({"date": "datetime64[ns]"}))
    assert counters.first_service_day(empty).empty
