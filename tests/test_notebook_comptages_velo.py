"""The « comptages vélo » notebook runs offline and shows the right numbers, gaps included.

Each run is executed once with papermill; ``RESULTS`` reads what the page drew through
the dashboard runtime (``view`` is the last view drawn, ``figures`` the notebook's
:class:`widgets.counter_board.CounterBoard`). The figures are compared with
counts made here directly with pandas from the hourly snapshot: complete days are
recounted hour by hour, outages found again, year-on-year pairs rebuilt day by day.
Dashboard addresses are opened the way Voilà runs a kernel that is not preheated
(``VOILA_PREHEAT=False`` and the visitor's ``QUERY_STRING`` in the kernel's environment).
"""

from __future__ import annotations

import html
from datetime import date, datetime, time, timedelta, timezone
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from notebook_runs import (
    Run,
    address_notice,
    assert_light_and_clean,
    assert_refused,
    execute_runs,
    open_addresses,
)

from rouen_opendata import load_dataset
from widgets import format_date_range, format_number

pytestmark = pytest.mark.slow

NAME = "comptages-velo"
PARIS = ZoneInfo("Europe/Paris")
OISSEL = "Seine à Vélo - Oissel"
SUMMER = ("2024-06-01", "2024-08-31")
RUNS = {
    "defaults": {},
    "oissel": {"compteur": OISSEL},
    "summer-swapped": {"compteur": "Quai de Paris", "debut": SUMMER[1], "fin": SUMMER[0]},
}
ELBEUF = "Seine à Vélo - Elbeuf"
"""Installed on 3 May 2023: no data before."""
DEEP_LINKS = {
    "empty-dates": "debut=&fin=",
    "empty-start-wrong-end": "debut=&fin=31%2F12%2F2024",
    "before-installation": urlencode(
        {"compteur": ELBEUF, "debut": "2023-01-01", "fin": "2023-03-31"}
    ),
}
"""Query strings of dashboard addresses, as a visitor's browser sends them."""
RESULTS = """
import pandas as pd

from widgets.counter_board import gap_text

best, worst = view["records"]
series = figures.series
results = {
    "period": [view["start"].date().isoformat(), view["end"].date().isoformat()],
    "counters": len(view["ids"]),
    "weekly": view["weekly"],
    "mean_per_day": None if pd.isna(view["mean"]) else float(view["mean"]),
    "weekday": view["weekday"],
    "weekend": view["weekend"],
    "weekday_profile": [float(v) for v in view["profile"].fillna(0)],
    "hours_total": float(view["hours"].to_numpy().sum()),
    "yoy_change": view["yoy"].change,
    "yoy_pairs": view["yoy"].pairs,
    "missing_days": view["missing"],
    "expected_days": view["expected"],
    "outages": [
        [row.name, row.start.date().isoformat(), row.end.date().isoformat(), int(row.days)]
        for row in view["gaps"].itertuples()
    ],
    "outage_texts": [gap_text(row) for row in view["gaps"].itertuples()],
    "series": {
        "points": len(view["series"]),
        "complete": series.complete_count,
        "partial": series.partial_count,
        "missing": series.missing_count,
    },
    "best": [[d.date().isoformat(), float(v)] for d, v in zip(best["date"], best["total"])],
    "worst": [[d.date().isoformat(), float(v)] for d, v in zip(worst["date"], worst["total"])],
    "bars": [[label, v] for label, v in zip(figures.bars.labels, figures.bars.values)],
    "map_points": len(figures.circles.layer.layers),
    "cards": {name: card.text for name, card in figures.cards.items()},
    "notice": figures.notice.value,
}
"""
"""What the tests read from a run, through the page the runtime drew."""


def _hours_in(day: date) -> float:
    """Hours of a local day (23 or 25 on clock-change days): midnight to midnight in UTC."""
    start, end = (
        datetime.combine(d, time(), PARIS).astimezone(timezone.utc)
        for d in (day, day + timedelta(days=1))
    )
    return (end - start).total_seconds() / 3600


@pytest.fixture(scope="module")
def days() -> pd.DataFrame:
    """Complete daily counts, one column per counter name, straight from the hourly rows."""
    hourly = load_dataset("eco-counter-data").frame
    day = hourly["date"].dt.normalize()
    grouped = hourly.groupby([day, hourly["name"]])["counts"].agg(["sum", "size"])
    hours = {d: _hours_in(d) for d in {stamp.date() for stamp in grouped.index.get_level_values(0)}}
    expected = [hours[stamp.date()] for stamp in grouped.index.get_level_values(0)]
    complete = grouped["sum"].astype(float).where(grouped["size"] >= expected)
    table = complete.unstack()
    return table.reindex(pd.date_range(table.index.min(), table.index.max(), name="day"))


@pytest.fixture(scope="module")
def installed() -> pd.Series:
    sites = load_dataset("eco-counter-sites").frame
    return sites.set_index("name")["installation_date"]


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> dict[str, Run]:
    return execute_runs(NAME, RUNS, tmp_path_factory.mktemp(NAME), RESULTS)


@pytest.fixture(scope="module")
def deep_linked(tmp_path_factory) -> dict[str, Run]:
    """Each of ``DEEP_LINKS`` opened in Voilà (a kernel that is not preheated)."""
    return open_addresses(NAME, DEEP_LINKS, tmp_path_factory.mktemp(f"{NAME}-urls"), RESULTS)


def _window(days, installed, names, start, end):
    """(counts, expected): the period's days for ``names``, and which should have data."""
    frame = days.loc[start:end, names]
    first = {n: installed.get(n, days[n].first_valid_index()) for n in names}
    expected = pd.DataFrame({n: frame.index >= first[n] for n in names}, index=frame.index)
    return frame, expected


def _runs(missing: pd.Series) -> list[tuple[str, str, int]]:
    found, start = [], None
    for day, gap in missing.items():
        if gap and start is None:
            start = day
        if start is not None and (not gap or day == missing.index[-1]):
            end = day if gap else day - pd.Timedelta(days=1)
            found.append((start.date().isoformat(), end.date().isoformat(), (end - start).days + 1))
            start = None
    return found


def _year_on_year(days, names, start, end):
    current = previous = pairs = 0.0
    for name in names:
        for day in pd.date_range(start, end):
            before = day - pd.Timedelta(days=364)
            if before not in days.index:
                continue
            now, then = days.at[day, name], days.at[before, name]
            if pd.notna(now) and pd.notna(then):
                current, previous, pairs = current + now, previous + then, pairs + 1
    return current / previous - 1, int(pairs)


def test_defaults_count_every_counter_and_every_missing_day(executed, days, installed):
    shown = executed["defaults"].results
    names = list(days.columns)
    frame, expected = _window(days, installed, names, "2023-01-01", "2024-12-31")
    missing = expected & frame.isna()
    assert shown["counters"] == 29 == len(names) and shown["period"] == ["2023-01-01", "2024-12-31"]
    assert shown["missing_days"] == int(missing.to_numpy().sum()) > 0
    assert shown["expected_days"] == int(expected.to_numpy().sum())
    assert shown["mean_per_day"] == pytest.approx(frame.mean().sum())
    weekend = frame.index.day_of_week >= 5
    assert shown["weekday"] == pytest.approx(frame[~weekend].mean().sum())
    assert shown["weekend"] == pytest.approx(frame[weekend].mean().sum())
    assert sum(shown["weekday_profile"]) == pytest.approx(shown["hours_total"])
    change, pairs = _year_on_year(
        days, names, pd.Timestamp("2023-01-01"), pd.Timestamp("2024-12-31")
    )
    assert shown["yoy_pairs"] == pairs and shown["yoy_change"] == pytest.approx(change)
    assert shown["cards"]["yoy"] == f"{format_number(100 * change, 1, signed=True)}\u00a0%"
    assert shown["cards"]["yoy"][0] in "+-"  # a change is always signed
    complete = frame.notna() | ~expected
    totals = frame.sum(axis=1)[complete.all(axis=1)]
    assert shown["best"][0] == [totals.idxmax().date().isoformat(), totals.max()]
    assert shown["worst"][0] == [totals.idxmin().date().isoformat(), totals.min()]
    outages = [[name, *run] for name in names for run in _runs(missing[name])]
    assert sorted(shown["outages"]) == sorted(outages)
    assert dict(shown["bars"]) == pytest.approx(frame.mean().to_dict())
    assert shown["map_points"] == 29


def test_long_periods_are_drawn_week_by_week_with_incomplete_weeks_apart(executed, days, installed):
    run = executed["defaults"]
    shown = run.results
    frame, expected = _window(days, installed, list(days.columns), "2023-01-01", "2024-12-31")
    ok = (frame.notna() | ~expected).all(axis=1)
    monday = frame.index - pd.to_timedelta(frame.index.day_of_week, unit="D")
    weeks = ok.groupby(monday).agg(["all", "size"])
    assert shown["weekly"] is True and shown["series"]["points"] == len(weeks)
    assert shown["series"]["complete"] == int((weeks["all"] & (weeks["size"] == 7)).sum())
    assert shown["series"]["partial"] == len(weeks) - shown["series"]["complete"]
    texts = run.widget_texts
    assert "Vélos comptés par semaine, tous compteurs réunis" in texts
    first = shown["outages"][0]
    expected_text = f"Données manquantes {format_date_range(first[1], first[2])}"
    assert shown["outage_texts"][0] == expected_text and expected_text in texts
    assert "Données d'exemple générées" in texts


def test_one_counter_with_outages(executed, days, installed):
    run = executed["oissel"]
    shown = run.results
    frame, expected = _window(days, installed, [OISSEL], "2023-01-01", "2024-12-31")
    missing = expected & frame.isna()
    assert shown["parameters"]["compteur"] == OISSEL and shown["counters"] == 1
    assert shown["missing_days"] == int(missing.to_numpy().sum()) > 0
    assert [o[1:] for o in shown["outages"]] == [list(r) for r in _runs(missing[OISSEL])]
    assert {o[0] for o in shown["outages"]} == {OISSEL}
    assert shown["mean_per_day"] == pytest.approx(frame[OISSEL].mean())
    change, pairs = _year_on_year(
        days, [OISSEL], pd.Timestamp("2023-01-01"), pd.Timestamp("2024-12-31")
    )
    assert shown["yoy_pairs"] == pairs and shown["yoy_change"] == pytest.approx(change)
    outlined = [m for m in run.models("LeafletCircleMarkerModel") if m["weight"] == 4]
    sites = load_dataset("eco-counter-sites").frame.set_index("name")
    assert len(outlined) == 1
    expected_at = sites.loc[OISSEL, ["lat", "lon"]].tolist()
    assert outlined[0]["location"] == pytest.approx(expected_at, abs=1e-5)  # 5 decimals drawn


def test_a_season_day_by_day_with_swapped_dates_said(executed, days, installed):
    run = executed["summer-swapped"]
    shown = run.results
    name = "Quai de Paris"
    frame, _ = _window(days, installed, [name], *SUMMER)
    assert shown["period"] == list(SUMMER) and "inversées" in shown["notice"]
    assert shown["weekly"] is False and shown["series"]["points"] == len(frame) == 92
    assert shown["series"]["complete"] == int(frame[name].notna().sum())
    assert shown["best"][0] == [frame[name].idxmax().date().isoformat(), frame[name].max()]
    change, pairs = _year_on_year(days, [name], pd.Timestamp(SUMMER[0]), pd.Timestamp(SUMMER[1]))
    assert shown["yoy_pairs"] == pairs < 92  # outage in June 2023: fewer common days
    assert shown["yoy_change"] == pytest.approx(change)
    assert "Vélos comptés par jour, du 1er juin au 31 août 2024" in run.widget_texts


def test_executed_pages_stay_light(executed):
    assert_light_and_clean(executed)


def test_a_wrong_counter_fails_with_a_french_message(tmp_path):
    message = "« Pont Imaginaire » n'est pas un choix possible pour « Compteur »"
    assert_refused(NAME, {"compteur": "Pont Imaginaire"}, tmp_path, message)


def test_empty_dates_in_the_address_mean_the_ends_of_the_data(executed, deep_linked):
    run = deep_linked["empty-dates"]
    assert address_notice(run) == ""  # accepted, as the date pickers themselves write them
    assert run.results["parameters"] == {"compteur": "Tous", "debut": "", "fin": ""}
    assert run.results["period"] == ["2023-01-01", "2024-12-31"]
    expected = executed["defaults"].results
    assert {k: v for k, v in run.results.items() if k != "parameters"} == {
        k: v for k, v in expected.items() if k != "parameters"
    }


def test_a_wrong_date_in_the_address_says_what_is_expected(deep_linked):
    run = deep_linked["empty-start-wrong-end"]
    notice = address_notice(run)
    assert "« 31/12/2024 » n'est pas une date pour « Période » (format attendu : AAAA-MM-JJ)" in (
        notice
    )
    assert "fin (texte, par défaut « 2024-12-31 »)" in notice
    assert run.results["parameters"] == {"compteur": "Tous", "debut": "", "fin": "2024-12-31"}
    assert run.results["period"] == ["2023-01-01", "2024-12-31"]


def test_a_counter_before_its_installation_says_it_has_no_data_yet(deep_linked):
    run = deep_linked["before-installation"]
    shown = run.results
    assert address_notice(run) == ""
    assert shown["parameters"] == {"compteur": ELBEUF, "debut": "2023-01-01", "fin": "2023-03-31"}
    assert shown["counters"] == 1 and shown["expected_days"] == 0 == shown["missing_days"]
    assert shown["mean_per_day"] is None  # not NaN: the results stay valid JSON
    assert shown["cards"]["mean"] == "–" and shown["best"] == [] and shown["outages"] == []
    said = "Ce compteur n'a pas de données sur cette période : il compte depuis le 3 mai 2023."
    assert said in html.unescape(shown["notice"]) and said in run.widget_texts
    assert "chaque compteur a compté chaque jour" not in run.widget_texts


def test_deep_linked_pages_stay_light_without_incident(executed, deep_linked):
    assert_light_and_clean(deep_linked)  # no stderr: no jupyter_client warning about NaN
    assert executed["defaults"].results["notice"] == ""
